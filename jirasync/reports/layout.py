"""Where things go on a slide, decided before any format draws it: text measured, table
columns sized from their content, rows' heights worked out, and long tables and lists cut
into pages by the height they take, balanced so no page holds a leftover row. Pure.

Every format draws the same 16:9 surface of 1280 x 720 units (CSS pixels in HTML, 1/96
inch in PowerPoint: 13.33 x 7.5 in), with the sizes below, so a page that fits here fits
in each of them. Text is measured with Arial's advance widths (Liberation Sans has the
same): wider than Calibri, PowerPoint's default, so an estimate errs on the roomy side.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jirasync.reports.slides import Cell, Stat

SLIDE_W, SLIDE_H = 1280, 720
MARGIN_X = 64
BODY_W = SLIDE_W - 2 * MARGIN_X                 # 1152
TITLE_TOP, TITLE_H, TITLE_SIZE, TITLE_MIN = 40, 64, 42, 26
LEAD_TOP, LEAD_H, LEAD_SIZE = 110, 36, 24
RULE_Y = 154                                    # the accent line under the header
BODY_TOP = 176
BODY_BOTTOM = SLIDE_H - 60                      # the footer sits below
BODY_H = BODY_BOTTOM - BODY_TOP                 # 484
GAP = 20                                        # between blocks
# A table: body text, header, padding and line height, as deck.css has them.
TABLE_SIZE, DENSE_SIZE, SMALLEST = 21, 19, 14
PAD_X, PAD_Y, DENSE_PAD_Y = 10, 6, 3
LINE = 1.25
BULLET_SIZE, BULLET_LINE, BULLET_GAP, BULLET_INDENT = 26, 1.35, 12, 30
# A key indicator: value, label, detail in a box (the strip across a slide's top).
STAT_VALUE, STAT_LABEL, STAT_DETAIL, STAT_PAD, STAT_GAP = 44, 21, 19, 14, 20
CAPTION_SIZE = 22
CHART_SHARE = 1.25 / 2.25                       # the chart's part of a chart row's width

# Arial's advance widths in 1/1000 em (the Helvetica metrics), printable ASCII in order.
_ASCII = (278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
          556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
          1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
          667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
          333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
          556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584)
WIDTH = {chr(32 + n): w / 1000 for n, w in enumerate(_ASCII)}
BOLD = 1.08                                     # bold runs about this much wider
SAFETY = 1.04                                   # renderers differ in kerning and hinting


@lru_cache(maxsize=65536)
def em_width(text: str) -> float:
    """The width of ``text`` in ems (multiply by the font size)."""
    if text.isascii():
        return sum(WIDTH.get(c, 0.6) for c in text) * SAFETY
    return sum(_char(c) for c in text) * SAFETY


def _char(c: str) -> float:
    w = WIDTH.get(c)
    if w is not None:
        return w
    if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Cf"):
        return 0.0
    if unicodedata.east_asian_width(c) in ("W", "F"):
        return 1.0                              # CJK: a full em, and breakable anywhere
    return 0.62                                 # accented Latin, Greek, Cyrillic, Arabic, Hebrew


def width(text: str, size: float, *, bold: bool = False) -> float:
    return em_width(text) * size * (BOLD if bold else 1.0)


def words(text: str) -> list[tuple[str, bool]]:
    """The pieces a line may break between, each with whether a space comes before it:
    words, and each CJK character on its own (CJK breaks anywhere, with no spaces)."""
    out: list[tuple[str, bool]] = []
    for word in text.split():
        if word.isascii():
            out.append((word, True))
            continue
        piece, spaced = "", True
        for c in word:
            if unicodedata.east_asian_width(c) in ("W", "F"):
                if piece:
                    out.append((piece, spaced))
                    spaced = False
                out.append((c, spaced))
                piece, spaced = "", False
            else:
                piece += c
        if piece:
            out.append((piece, spaced))
    return out


def lines(text: str, size: float, room: float, *, bold: bool = False) -> int:
    """How many lines ``text`` takes in ``room`` units wrapped at words (a word longer
    than a line is broken inside it, as every renderer does)."""
    if not text or width(text, size, bold=bold) <= room:
        return 1
    scale = size * (BOLD if bold else 1.0)
    space, count, used = width(" ", size, bold=bold), 1, 0.0
    for em, spaced in _pieces(text):
        w = em * scale
        gap = space if spaced and used else 0.0
        if w > room:                            # broken across lines of its own
            if used:
                count += 1
            whole, rest = divmod(w, room)
            count += int(whole) - (0 if rest else 1)
            used = rest
            continue
        if used and used + gap + w > room:
            count, used = count + 1, w
        else:
            used += gap + w
    return count


@lru_cache(maxsize=65536)
def _pieces(text: str) -> tuple[tuple[float, bool], ...]:
    """``words`` measured in ems (the same cells are measured at several sizes)."""
    return tuple((em_width(w), spaced) for w, spaced in words(text))


@lru_cache(maxsize=65536)
def _longest(text: str) -> float:
    return max((em for em, _ in _pieces(text)), default=0.0)


def longest_word(text: str, size: float, *, bold: bool = False) -> float:
    return _longest(text) * size * (BOLD if bold else 1.0)


@dataclass(frozen=True)
class TableFit:
    """A table laid out in ``room`` units across: its type size, column widths (summing
    to the room), and the height of the header and of each row."""

    size: float
    widths: tuple[float, ...]
    header: float
    rows: tuple[float, ...]

    @property
    def height(self) -> float:
        return self.header + sum(self.rows)


def cell_text(value: Cell) -> str:
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def fit_table(columns: Sequence[str], rows: Iterable[Sequence[Cell]],
              numeric: Collection[int], *, dense: bool, room: float = BODY_W,
              size: float | None = None) -> TableFit:
    """Columns sized from what they hold: a number or a key never wraps, a header word is
    never broken, and what is left goes to the columns of running text in proportion to
    how long it is. Too many columns for the room: the type gets smaller (to 14)."""
    texts = [[cell_text(v) for v in row] for row in rows]
    size = size or (DENSE_SIZE if dense else TABLE_SIZE)
    while True:
        widths = _widths(columns, texts, numeric, size, room)
        if widths is not None or size <= SMALLEST:
            break
        size -= 1
    if widths is None:                          # nothing fits: even shares, words break
        widths = [room / len(columns)] * len(columns)
    return TableFit(size, tuple(widths), row_height(columns, widths, size, dense=dense,
                                                    bold=True),
                    tuple(row_height(r, widths, size, dense=dense) for r in texts))


def row_height(values: Iterable[Cell], widths: Sequence[float], size: float, *, dense: bool,
               bold: bool = False) -> float:
    """The height of a table row: its tallest cell's lines, and the cells' padding."""
    pad = 2 * (DENSE_PAD_Y if dense else PAD_Y) + 1             # and the rule under it
    return pad + size * LINE * max(lines(cell_text(v), size, w - 2 * PAD_X, bold=bold)
                                   for v, w in zip(values, widths, strict=False))


def _widths(columns: Sequence[str], texts: list[list[str]], numeric: Collection[int],
            size: float, room: float) -> list[float] | None:
    """Automatic table layout (as browsers do it): each column between its narrowest
    (its longest word) and its widest (its longest cell on one line); None when even
    the narrowest do not fit."""
    low, high = [], []
    for n, name in enumerate(columns):
        cells = [t[n] for t in texts if n < len(t)]
        head = longest_word(name, size, bold=True)
        if n in numeric:            # a number's header on one line if it is short
            whole = width(name, size, bold=True)
            widest = max([whole if whole < 8 * size else head,
                          *(width(c, size) for c in cells)])
            low.append(widest)
            high.append(widest)
            continue
        low.append(max([head, *(longest_word(c, size) for c in cells)]))
        high.append(max([width(name, size, bold=True), *(width(c, size) for c in cells)]))
    low = [w + 2 * PAD_X + 1 for w in low]
    high = [max(w + 2 * PAD_X + 1, lo) for w, lo in zip(high, low, strict=True)]
    if sum(low) > room:
        return None
    if sum(high) <= room:                       # everything on one line: share the rest
        return [w * room / sum(high) for w in high]
    stretch = sum(h - lo for h, lo in zip(high, low, strict=True))
    spare = room - sum(low)
    return [lo + spare * (h - lo) / stretch for h, lo in zip(high, low, strict=True)]


def balanced(heights: list[float], first: float, rest: float) -> list[int]:
    """Page sizes (rows a page) for rows of ``heights``: the first page has ``first``
    units, the others ``rest``. As few pages as filling each page would give, but the
    rows shared out evenly, so no page carries one leftover row. A row taller than a
    page gets a page of its own."""
    greedy = _pages(heights, first, rest, cap=len(heights))
    if len(greedy) <= 1:
        return greedy
    for cap in range(-(-len(heights) // len(greedy)), len(heights) + 1):
        pages = _pages(heights, first, rest, cap=cap)
        if len(pages) <= len(greedy):
            return pages
    return greedy


def _pages(heights: list[float], first: float, rest: float, *, cap: int) -> list[int]:
    pages, count, used, room = [], 0, 0.0, first
    for h in heights:
        if count and (used + h > room or count >= cap):
            pages.append(count)
            count, used, room = 0, 0.0, rest
        count, used = count + 1, used + h
    if count:
        pages.append(count)
    return pages


def stats_height(items: Sequence[Stat], room: float, *, caption: bool, big: bool = False) -> float:
    """A strip of indicator boxes across ``room``: as tall as its tallest box."""
    if not items:
        return 0.0
    each = (room - STAT_GAP * (len(items) - 1)) / len(items)
    value = (STAT_VALUE * (1.6 if big else 1.0)) * 1.15
    tallest = max(value + STAT_LABEL * LINE * lines(s.label, STAT_LABEL, each - 2 * STAT_PAD,
                                                    bold=True)
                  + (STAT_DETAIL * LINE * lines(s.detail, STAT_DETAIL, each - 2 * STAT_PAD)
                     if s.detail else 0)
                  for s in items)
    return tallest + 2 * STAT_PAD + 6 + (CAPTION_SIZE * LINE + 8 if caption else 0)


def bullets_height(items: Sequence[str], room: float = BODY_W,
                   size: float = BULLET_SIZE) -> list[float]:
    """The height each bullet takes."""
    return [size * BULLET_LINE * lines(i, size, room - BULLET_INDENT) + BULLET_GAP
            for i in items]


def heading_size(text: str, room: float = BODY_W, size: float = TITLE_SIZE,
                 smallest: float = TITLE_MIN, *, bold: bool = True) -> float:
    """The largest type (down to ``smallest``) at which ``text`` is one line."""
    while size > smallest and width(text, size, bold=bold) > room:
        size -= 1
    return size


def cover_size(title: str) -> float:
    """The cover's title: large, smaller for a long release name, in 230 units of height."""
    size = TITLE_SIZE + 18
    while size > 28 and lines(title, size, BODY_W, bold=True) * size * 1.2 > 230:
        size -= 2
    return size
