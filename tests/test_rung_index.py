"""The encoding of chase's index of records (rung_index.py), pure: parts under Jira's
limit on a property value, read back whole, and never trusted half-written."""
from __future__ import annotations

from jirasync import rung_index
from jirasync.rung_index import Entry, head, part_name, read, shard, size


def index(n: int) -> rung_index.Index:
    return {f"DCR-{k}": Entry("2026-11-05T09:00:00.000+0000", {"jirasync.chase": {
        "due": "2026-11-04", "rungs": [0, 14, 30], "prompts": ["2026-12-01"],
        "told": f"2026-11-05 account-{k:06d}"}}) for k in range(n)}


def stored(entries: rung_index.Index, write: str = "w1") -> dict:
    parts = shard(entries, write)
    held = {part_name(n): value for n, value in enumerate(parts, 2)}
    return {rung_index.HEAD: head(write, parts=len(parts) + 1, writing=False), **held}


def test_thousands_of_entries_shard_under_the_limit_and_read_back_whole():
    entries = index(3000)
    held = stored(entries)
    assert len(held) > 5
    assert all(size(v) <= rung_index.PART_LIMIT < 32768 for v in held.values())
    assert read(held.get) == entries


def test_a_half_written_index_is_not_trusted():
    held = stored(index(3000))
    assert read({**held, rung_index.HEAD: {**held[rung_index.HEAD], "writing": True}}.get) \
        is None
    assert read({k: v for k, v in held.items() if k != part_name(3)}.get) is None
    assert read({**held, part_name(2): {**held[part_name(2)], "write": "w2"}}.get) is None
    assert read({}.get) is None


def test_an_entry_too_large_for_a_part_is_left_out():
    entries = {"DCR-1": Entry("v", {"jirasync.answers": {"blocked": "x" * 40000}}),
               **index(2)}
    held = stored(entries)
    assert set(read(held.get) or {}) == {"DCR-0", "DCR-1"}
