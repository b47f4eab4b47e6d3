"""A slide cut into pages by the height its blocks take on the 16:9 surface (``layout``):
the blocks stacked top to bottom, the longest table or list flowing onto continuation
slides, split evenly, and every table carrying its column widths and row heights for the
renderers. Pure."""
from __future__ import annotations

from dataclasses import replace
from typing import overload

import jirasync.reports.layout as L
from jirasync.reports.slides import Block, Bullets, Chart, Slide, Stats, Table


def paginate(slide: Slide) -> tuple[Slide, ...]:
    """``slide`` laid out, split into continuation slides when a table or list is longer
    than the room it has. Only that block is split; the others stay on the first part."""
    if slide.section == "title":
        return (slide,)
    blocks = tuple(laid_out(b, room=L.BODY_W) for b in slide.blocks)
    at = _flowing(blocks)
    if at is None:
        return (replace(slide, blocks=blocks),)
    others = [b for n, b in enumerate(blocks) if n != at]
    fixed = sum(height(b) for b in others) + L.GAP * len(others)
    pieces = _split(blocks[at], first=L.BODY_H - fixed, rest=L.BODY_H)
    if len(pieces) == 1 and pieces[0] is not None:
        return (replace(slide, blocks=blocks),)
    out = []
    first = blocks[:at] + ((pieces[0],) if pieces[0] is not None else ()) + blocks[at + 1:]
    parts = [p for p in pieces[1:] if p is not None]     # only the first may be None
    total = 1 + len(parts)
    out.append(replace(slide, blocks=first, part=1, parts=total))
    for n, piece in enumerate(parts, start=2):
        out.append(replace(slide, blocks=(piece,), part=n, parts=total))
    return tuple(out)


def _flowing(blocks: tuple[Block, ...]) -> int | None:
    """The block that flows onto more slides: the table, else the longest list."""
    for n, block in enumerate(blocks):
        if isinstance(block, Table) and block.rows:
            return n
    lists = [(len(b.items), n) for n, b in enumerate(blocks) if isinstance(b, Bullets)]
    return max(lists)[1] if lists else None


@overload
def laid_out(block: Table, *, room: float) -> Table: ...
@overload
def laid_out(block: Block, *, room: float) -> Block: ...


def laid_out(block: Block, *, room: float) -> Block:
    """A table with its widths and heights; a chart's table laid out beside it."""
    if isinstance(block, Table):
        fit = L.fit_table(block.columns, block.rows, block.numeric, dense=block.dense,
                          room=room)
        return replace(block, size=fit.size, widths=fit.widths,
                       heights=(fit.header, *fit.rows))
    if isinstance(block, Chart):
        side = room * (1 - L.CHART_SHARE) - 32
        return replace(block, fallback=laid_out(block.table(), room=side))
    return block


def height(block: Block, *, room: float = L.BODY_W) -> float:
    """The height ``block`` takes on a slide."""
    if isinstance(block, Table):
        return sum(block.heights) if block.rows else L.TABLE_SIZE * 1.5
    if isinstance(block, Bullets):
        return sum(L.bullets_height(block.items, room))
    if isinstance(block, Stats):
        return L.stats_height(block.items, room, caption=bool(block.caption))
    return L.BODY_H - 40                        # a chart takes the slide


def _split(block: Block, *, first: float, rest: float) -> list[Block | None]:
    """Pages of ``block``; the first has ``first`` units of height (None: nothing of it
    fits beside the other blocks, so it starts on the next slide)."""
    if isinstance(block, Table):
        head, rows = block.heights[0], list(block.heights[1:])
        lead: list[Block | None] = []
        if first - head < rows[0]:
            lead, first = [None], rest
        # A page that repeats its figure's name may give that row one more line.
        spare = block.size * L.LINE if block.carry else 0
        sizes = L.balanced(rows, first - head - spare, rest - head - spare)
        return lead + _cut_table(block, sizes)
    assert isinstance(block, Bullets)
    heights = L.bullets_height(block.items)
    lead = []
    if first < heights[0]:
        lead, first = [None], rest
    sizes = L.balanced(heights, first, rest)
    out, at = [], 0
    for size in sizes:
        out.append(Bullets(block.items[at:at + size]))
        at += size
    return lead + out


def _cut_table(block: Table, sizes: list[int]) -> list[Block | None]:
    out: list[Block | None] = []
    at, last = 0, dict.fromkeys(block.carry, "")
    for size in sizes:
        rows = list(block.rows[at:at + size])
        heights = block.heights[1 + at:1 + at + size]
        if rows and at:
            rows[0] = tuple(f"{last[n]} (continued)" if n in last and v == "" and last[n]
                            else v for n, v in enumerate(rows[0]))
        for row in block.rows[at:at + size]:
            for n in last:
                if row[n] != "":
                    last[n] = str(row[n])
        if rows and at and block.carry:
            heights = (L.row_height(rows[0], block.widths, block.size, dense=block.dense),
                       *heights[1:])
        out.append(replace(block, rows=tuple(rows), heights=(block.heights[0], *heights)))
        at += size
    return out
