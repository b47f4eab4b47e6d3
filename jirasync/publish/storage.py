"""The deck as Confluence storage format (XHTML), and the section of a page jirasync owns.

Pure. Every text from Jira or the release files goes through ``text`` (escaped, control
characters dropped), so a summary can never open a macro, a tag or an entity of its own;
links are made only to http(s) addresses. The owned section sits between two anchor
macros, which Confluence's editor keeps; what a person writes outside them is theirs.
"""
from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable

from jirasync.model import printable
from jirasync.reports.slides import Bullets, Cell, Chart, Deck, Link, Slide, Stats, Table

MAX_ROWS = 200            # rows of one table on a page; the rest are in the attached deck
CHART_FILE = "trend.svg"
START, END = "jirasync-start", "jirasync-end"
_ANCHOR = ('<ac:structured-macro ac:name="anchor" ac:schema-version="1">'
           '<ac:parameter ac:name="">{}</ac:parameter></ac:structured-macro>')
_MARK = r'<ac:structured-macro[^>]*ac:name="anchor"[^>]*>\s*<ac:parameter ac:name="">\s*{}' \
        r'\s*</ac:parameter>\s*</ac:structured-macro>'
OWNED = re.compile(_MARK.format(START) + "(?P<owned>.*?)" + _MARK.format(END), re.DOTALL)
TAG = re.compile(r"<[^>]*>")
INTRO = ("<p>Notes of your own may go above or below the part jirasync keeps up to date "
         "(between its two anchors); jirasync never changes them.</p>")


def text(value: object) -> str:
    """Any value as storage-format text: escaped, control characters dropped."""
    return html.escape(printable(str(value)), quote=True)


def href(url: str) -> str | None:
    return text(url) if url.startswith(("https://", "http://")) else None


def link(cell: Link) -> str:
    target = href(cell.url)
    return f'<a href="{target}">{text(cell.text)}</a>' if target else text(cell.text)


def cell(value: Cell) -> str:
    if isinstance(value, Link):
        return link(value)
    if isinstance(value, tuple):
        return ", ".join(link(v) for v in value)
    return text(value)


def table(columns: Iterable[str], rows: list[tuple[Cell, ...]], empty: str = "None.") -> str:
    if not rows:
        return f"<p>{text(empty)}</p>"
    shown = rows[:MAX_ROWS]
    head = "".join(f"<th>{text(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>"
                   for row in shown)
    more = len(rows) - len(shown)
    tail = (f"<p><em>… and {more:,} more rows: see the attached deck.</em></p>"
            if more > 0 else "")
    return f"<table><tbody><tr>{head}</tr>{body}</tbody></table>{tail}"


def stats(block: Stats) -> str:
    caption = f"<h3>{text(block.caption)}</h3>" if block.caption else ""
    rows: list[tuple[Cell, ...]] = [(s.label, s.value, s.detail) for s in block.items]
    return caption + table(("indicator", "value", "from"), rows)


def chart(block: Chart) -> str:
    image = (f'<ac:image ac:alt="{text(block.title)}" ac:width="620">'
             f'<ri:attachment ri:filename="{CHART_FILE}" /></ac:image>')
    fallback = block.table()
    return f"<p>{image}</p>" + table(fallback.columns, list(fallback.rows), fallback.empty)


def _sections(slides: Iterable[Slide]) -> list[tuple[str, str, list[object]]]:
    """(title, lead, blocks) per slide, continuation slides' tables joined to their first."""
    out: list[tuple[str, str, list[object]]] = []
    for slide in slides:
        if slide.section == "title":
            continue
        if slide.part > 1 and out and out[-1][0] == slide.title:
            blocks = out[-1][2]
            for block in slide.blocks:
                last = blocks[-1] if blocks else None
                if isinstance(block, Table) and isinstance(last, Table) \
                        and last.columns == block.columns:
                    blocks[-1] = Table(last.columns, last.rows + block.rows, empty=last.empty)
                else:
                    blocks.append(block)
            continue
        out.append((slide.title, slide.lead, list(slide.blocks)))
    return out


def block_storage(block: object) -> str:
    if isinstance(block, Table):
        return table(block.columns, list(block.rows), block.empty)
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{text(i)}</li>" for i in block.items) + "</ul>"
    if isinstance(block, Stats):
        return stats(block)
    if isinstance(block, Chart):
        return chart(block)
    return ""


def deck_storage(deck: Deck, *, before: str = "", after: str = "") -> str:
    """The owned section's content: the deck's sections, each a heading and its blocks.
    ``before``/``after``: storage jirasync itself made (the programme page's links)."""
    parts = [f"<p><strong>{text(deck.subtitle)}</strong></p>", before]
    for title, lead, blocks in _sections(deck.slides):
        parts.append(f"<h2>{text(title)}</h2>")
        if lead:
            parts.append(f"<p><em>{text(lead)}</em></p>")
        parts.extend(block_storage(b) for b in blocks)
    parts.append(after)
    return "".join(parts)


def wrapped(owned: str) -> str:
    return _ANCHOR.format(START) + owned + _ANCHOR.format(END)


def new_page(owned: str) -> str:
    """A new page's body: a line for people, then the owned section."""
    return INTRO + wrapped(owned)


def owned_of(body: str) -> str | None:
    """The owned section of a page as it is now; None when its anchors are gone."""
    found = OWNED.search(body)
    return found.group("owned") if found else None


def splice(body: str, owned: str) -> str:
    """The page with its owned section replaced (appended when its anchors are gone);
    everything around it kept as it is."""
    found = OWNED.search(body)
    if found is None:
        return body + wrapped(owned)
    return body[:found.start()] + wrapped(owned) + body[found.end():]


def words(storage: str) -> str:
    """What a reader sees of some storage format: tags dropped, entities read, spaces
    folded. Confluence rewrites markup when it stores a page (attribute order, macro ids);
    it does not change the words, so edits are told apart by these."""
    return " ".join(html.unescape(TAG.sub(" ", storage)).split())


def digest(value: str | bytes) -> str:
    data = value.encode("utf-8") if isinstance(value, str) else value
    return hashlib.sha256(data).hexdigest()[:32]
