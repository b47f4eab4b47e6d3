"""The deck as plain data: slides made of tables, bullet lists, indicators and charts.

Pure (model and standard library only). ``deck.py`` fills it from the figures; the HTML and
Markdown templates and the PowerPoint writer only lay it out, so every format shows the
same numbers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar


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
    carry: tuple[int, ...] = ()        # columns whose last value a page repeats when blank
    # Set by ``layout``: the type size and column widths (slide units), row heights.
    size: float = 0
    widths: tuple[float, ...] = ()
    heights: tuple[float, ...] = ()    # the header's, then each row's


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
    notes: tuple[str, ...] = ()   # the presenter's: what the figures mean, where from, what to say

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


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
