"""The deck as plain data: slides made of tables, bullet lists, indicators and charts.

Pure (model and standard library only). ``deck.py`` fills it from the figures; the HTML and
Markdown templates and the PowerPoint writer only lay it out, so every format shows the
same numbers.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import ClassVar

ROWS_PER_SLIDE = 9          # a table row stays readable from the back of a board room
DENSE_ROWS_PER_SLIDE = 14   # one-line rows of keys (the data appendix): a reference grid
BULLETS_PER_SLIDE = 7
BESIDE = 3                  # rows the other blocks of a slide (indicators, a list) take


@dataclass(frozen=True)
class Link:
    """Text that points at a Jira issue (its browse address)."""

    text: str
    url: str = ""

    def __str__(self) -> str:
        return self.text


Cell = str | Link | tuple[Link, ...]       # a tuple: several keys in one cell, each linked


@dataclass(frozen=True)
class Table:
    kind: ClassVar[str] = "table"
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    numeric: tuple[int, ...] = ()      # column positions aligned right
    empty: str = "None."               # what the slide says when there are no rows
    dense: bool = False                # one-line rows in smaller type, more to a slide

    @property
    def per_slide(self) -> int:
        return DENSE_ROWS_PER_SLIDE if self.dense else ROWS_PER_SLIDE


@dataclass(frozen=True)
class Bullets:
    kind: ClassVar[str] = "bullets"
    items: tuple[str, ...]


@dataclass(frozen=True)
class Stat:
    """One key indicator: ``value`` as shown ("83%"), what it measures, and from what."""

    label: str
    value: str
    detail: str = ""
    alert: bool = False


@dataclass(frozen=True)
class Stats:
    kind: ClassVar[str] = "stats"
    items: tuple[Stat, ...]
    caption: str = ""                  # what the indicators are of, when a slide has two


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Chart:
    """Grouped columns, one group per category (release): editable in PowerPoint, inline
    SVG in HTML, a small table in Markdown."""

    kind: ClassVar[str] = "chart"

    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    fallback: Table | None = None      # the same numbers as text (and any the chart lacks)

    def table(self) -> Table:
        """What stands beside the chart, and instead of it where it cannot be drawn."""
        return self.fallback or self.as_table()

    def as_table(self) -> Table:
        rows = tuple((c, *(_number(s.values[i]) for s in self.series))
                     for i, c in enumerate(self.categories))
        return Table(("release", *(s.name for s in self.series)), rows,
                     numeric=tuple(range(1, len(self.series) + 1)))


Block = Table | Bullets | Stats | Chart


@dataclass(frozen=True)
class Slide:
    section: str                  # title, summary, lessons, actions, state, carried, trend, ...
    title: str
    blocks: tuple[Block, ...] = ()
    lead: str = ""                # one line under the title saying what the slide shows
    part: int = 1                 # continuation slides: part of parts
    parts: int = 1

    @property
    def heading(self) -> str:
        return self.title if self.parts == 1 else f"{self.title} ({self.part} of {self.parts})"


@dataclass(frozen=True)
class Deck:
    title: str
    subtitle: str
    as_of: str
    slides: tuple[Slide, ...] = field(default=())

    def sections(self) -> tuple[str, ...]:
        """Each section once, in the order of the deck."""
        return tuple(dict.fromkeys(s.section for s in self.slides))


def paginate(slide: Slide) -> tuple[Slide, ...]:
    """``slide`` split into continuation slides when a table or list is too long for one.
    Only the longest block is split; the other blocks stay on the first part."""
    sizes = [_length(b) for b in slide.blocks]
    if not sizes or max(sizes) == 0:
        return (slide,)
    at = sizes.index(max(sizes))
    pieces = _split(slide.blocks[at], room=BESIDE * (len(slide.blocks) - 1))
    if len(pieces) == 1:
        return (slide,)
    out = []
    for n, piece in enumerate(pieces, start=1):
        blocks = (slide.blocks[:at] + (piece,) + slide.blocks[at + 1:] if n == 1
                  else (piece,))
        out.append(replace(slide, blocks=blocks, part=n, parts=len(pieces)))
    return tuple(out)


def _length(block: Block) -> float:
    if isinstance(block, Table):
        return len(block.rows) / block.per_slide
    if isinstance(block, Bullets):
        return len(block.items) / BULLETS_PER_SLIDE
    return 0


def _split(block: Block, *, room: int = 0) -> list[Block]:
    """Pages of ``block``; the first leaves ``room`` rows for the slide's other blocks."""
    if isinstance(block, Table):
        size = block.per_slide
        first, rows = max(size - room, 3), block.rows
        if len(rows) <= first:
            return [block]
        rest = [replace(block, rows=rows[i:i + size]) for i in range(first, len(rows), size)]
        return [replace(block, rows=rows[:first]), *rest]
    if isinstance(block, Bullets):
        items, size = block.items, BULLETS_PER_SLIDE
        return [Bullets(items[i:i + size]) for i in range(0, len(items), size)] or [block]
    return [block]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
