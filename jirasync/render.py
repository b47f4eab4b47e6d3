"""The Jinja door: expressions in release files, and the text templates jirasync ships.

Everything renders in a sandboxed environment with undefined names as errors, so a
release file cannot reach Python internals and a typo cannot silently print nothing.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from jirasync.errors import JirasyncError
from jirasync.paths import template_search_path


class RenderError(JirasyncError):
    """A template or expression failed: ``message`` says what, ``line`` where if known."""

    def __init__(self, message: str, line: int | None = None, name: str = ""):
        self.line = line
        self.name = name
        super().__init__(message)


_strings = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False,
                                keep_trailing_newline=True)


def render_text(text: str, context: Mapping[str, Any]) -> str:
    """Render one string field (e.g. a lesson title with ``{{ release.name }}``)."""
    if "{{" not in text and "{%" not in text:
        return text
    try:
        return _strings.from_string(text).render(context)
    except jinja2.UndefinedError as e:
        raise RenderError(f"Jinja expression uses an undefined name: {e.message}") from None
    except jinja2.TemplateSyntaxError as e:
        raise RenderError(f"Jinja syntax error: {e.message}", e.lineno) from None
    except jinja2.TemplateError as e:
        raise RenderError(f"Jinja expression failed: {e}") from None
    except Exception as e:  # noqa: BLE001 - {{ 1/0 }} and the like: the user's expression failed
        raise RenderError(f"Jinja expression failed: {type(e).__name__}: {e}") from None


def template_environment(user_dir: Path | None, *, autoescape: bool = False,
                         finalize=None):
    """An environment that finds templates in the user's folder first, then packaged ones.
    Filter ``wiki`` makes text safe inside Jira wiki markup (``*{{ title | wiki }}*``).
    ``finalize`` is applied to every ``{{ value }}`` printed (e.g. Markdown escaping)."""
    loader = jinja2.FileSystemLoader([str(p) for p in template_search_path(user_dir)])
    env = SandboxedEnvironment(loader=loader, undefined=jinja2.StrictUndefined,
                               autoescape=autoescape, trim_blocks=True, lstrip_blocks=True,
                               keep_trailing_newline=True, finalize=finalize)
    env.filters["wiki"] = wiki_text
    return env


_WIKI_MARKS = re.compile(r"([\\*{}\[\]|_!^~+])")


def wiki_text(text) -> str:
    """``text`` with Jira wiki markup characters escaped, so a title like
    'Wrap {code} in *all* docs' shows as written instead of starting a macro."""
    return _WIKI_MARKS.sub(r"\\\1", str(text))


def render_template(env, name: str, context: Mapping[str, Any]) -> str:
    """Render a named template; errors name the template and its line."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateNotFound:
        raise RenderError(f"template {name} not found", name=name) from None
    except jinja2.UndefinedError as e:
        raise RenderError(f"template {name}: undefined name: {e.message}", name=name) from None
    except jinja2.TemplateSyntaxError as e:
        raise RenderError(f"template {e.filename or name}:{e.lineno}: {e.message}",
                          e.lineno, name) from None
    except Exception as e:  # noqa: BLE001 - a user's template failed while rendering
        raise RenderError(f"template {name} failed: {type(e).__name__}: {e}", name=name) \
            from None
