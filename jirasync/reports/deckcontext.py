"""What every slide of the deck is made from (``deck.py``): the scope it covers, and the
context each slide maker is given — the figures, the items by key and the release files —
with the few helpers they share (a programme deck's cut lists, links to Jira, per-release
tables). Pure."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from typing import TypeVar

from jirasync.model import Release
from jirasync.reports.figures import Figures, Indicators, ReleaseFigures, TrendPoint
from jirasync.reports.lessonsreport import day as _day
from jirasync.reports.lessonsreport import short
from jirasync.reports.programme import Item
from jirasync.reports.slides import Link, Table

# A programme deck lists at most this many rows of a list (most pressing first), and says
# how many more the data appendix and the export hold: a Board reads the top of a list.
PROGRAMME_ROWS = 45


@dataclass(frozen=True)
class Scope:
    """What the deck covers: one release or the whole programme."""

    title: str                     # "DCR Release 4.2 — social care feeds"
    subtitle: str                  # "Release 4.2, live 2026-10-14"
    words: str                     # "release 4.2" | "the programme", inside sentences
    project: str
    releases: tuple[str, ...]      # the release ids covered
    whole: bool = False            # the whole programme: per-release lists, long ones cut


T = TypeVar("T")


@dataclass(frozen=True)
class Context:
    figures: Figures
    scope: Scope
    trend: tuple[TrendPoint, ...]
    items: dict[str, Item]
    browse: str = ""               # Jira's browse address, for keys not in ``items``
    to_date: tuple[str, Indicators] | None = None
    files: dict[str, Release] = field(default_factory=dict)

    def cut(self, rows: Iterable[T], lead: str,
            total: int | None = None) -> tuple[tuple[T, ...], str]:
        """A programme deck's list: its first PROGRAMME_ROWS rows, the lead saying so.
        ``rows`` may be made lazily (``total`` of them): only those shown are made."""
        total = len(rows) if total is None else total          # type: ignore[arg-type]
        if not self.scope.whole or total <= PROGRAMME_ROWS:
            return tuple(rows), lead
        more = total - PROGRAMME_ROWS
        return tuple(islice(rows, PROGRAMME_ROWS)), (
            f"{lead}. The first {PROGRAMME_ROWS} … and {more:,} more in the data appendix "
            "/ export")

    def link(self, key: str) -> Link:
        item = self.items.get(key)
        return Link(key, item.url if item else self.browse + key)

    def title(self, key: str) -> str:
        item = self.items.get(key)
        return short(item.title) if item else ""


def per_release(c: Context, columns: tuple[str, ...],
                numbers: Callable[[ReleaseFigures], tuple[int | str, ...]]) -> Table:
    """One row a release (a programme deck's lists): its id, live date and ``numbers``."""
    return Table(("release", "live", *columns),
                 tuple((r.release.release or r.release.key, _day(r.release.live_date),
                        *(v if isinstance(v, str) else f"{v:,}" for v in numbers(r)))
                       for r in c.figures.releases),
                 numeric=tuple(range(2, 2 + len(columns))), dense=True)
