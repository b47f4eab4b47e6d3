"""The deck as HTML and Markdown, from the packaged templates (``deck/deck.html.j2``,
``deck/deck.md.j2``; a user's ``templates_dir`` overrides any of them by name)."""
from __future__ import annotations

import json
import re
from pathlib import Path

from jirasync.model import printable
from jirasync.render import render_template, template_environment
from jirasync.reports.layout import cover_size, heading_size
from jirasync.reports.slides import Deck
from jirasync.reports.svgchart import plot

HTML_TEMPLATE = "deck/deck.html.j2"
MARKDOWN_TEMPLATE = "deck/deck.md.j2"


def deck_html(deck: Deck, templates_dir: Path | None = None) -> str:
    """One self-contained page; autoescaped, so Jira text is shown, never run."""
    env = template_environment(templates_dir, autoescape=True)
    return render_template(env, HTML_TEMPLATE, {"deck": deck, "plot": plot,
                                                "size": heading_size, "cover_size": cover_size})


def deck_markdown(deck: Deck, templates_dir: Path | None = None) -> str:
    env = template_environment(templates_dir)
    env.filters["md"] = markdown_text
    env.filters["yaml_string"] = _yaml_string
    return render_template(env, MARKDOWN_TEMPLATE, {"deck": deck})


_MARKS = re.compile(r"([\\`*_\[\]|~])")


def markdown_text(value: object) -> str:
    """Text that Markdown (Marp, pandoc, GitHub) shows as written: marks escaped, HTML
    turned into entities, on one line so it cannot end a table row or start a heading."""
    text = printable(" ".join(str(value).split()))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKS.sub(r"\\\1", text)


def _yaml_string(value: object) -> str:
    """A JSON string is a YAML string (front matter cannot be broken by a title)."""
    return json.dumps(str(value), ensure_ascii=False)
