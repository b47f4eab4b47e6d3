"""Data Center without a property cache: whose issue is it, judged by what search returns.

Data Center's search cannot return issue properties (JRASERVER-62898). With no cache, an
issue whose search result is exactly what the files want of one item (labels, parent,
and every field jirasync owns) is taken to be that item's, when it is the only issue so
and that item the only one it is so for, and no issue read by key already holds the
item's identity. Every other issue is read by key. Why this is safe:

- Such an issue is planned ``unchanged``: Jira already holds what the file says, so the
  memory inferred (what a create would have written) cannot cause a write.
- Any issue about to be written is read again by key before the plan is final
  (``Observer.fresh``), and when the plan would create anything or reports a duplicate
  every inferred issue is read by key too: a create is never decided on an inference, so
  an issue whose real identity differs cannot hide a missing one and make it twice.
- Two issues that look alike both stay unread-by-inference, so duplicates are read, and
  reported, as with the full read.

What it can miss, on the safe side: an agreement a person and the file reached that the
property does not yet record is recorded on a later run that reads the property.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from jirasync.fingerprint import FIELDS, fingerprint
from jirasync.model import Identity, key_order
from jirasync.records import Memory
from jirasync.seen import Seen
from jirasync.wanted import Wanted, memory_for

LEVELS = {"release": 0, "lesson": 1, "action": 2}
Signature = tuple[str, ...]


def infer(unknown: Sequence[Seen], known: Sequence[Seen],
          wanted: Sequence[Wanted]) -> dict[str, Memory]:
    """Issue key -> the memory inferred for it, for the ``unknown`` issues (read without
    their property) that match exactly one wanted item, one to one. Levels go in order
    so that a lesson's parent is a release issue already known or inferred.

    An item is looked for under its parent's issue only, so titles a template repeats in
    every release never meet. Items alike in every field under one parent (a template
    may repeat a title within a release) are told apart by their children: the one issue
    whose children are exactly what the item's children want is the item's. Items alike
    down to their children are truly ambiguous, and read by key."""
    keys: dict[Identity, str] = {}
    for s in sorted(known, key=lambda s: key_order(s.key)):
        if s.memory is not None:
            keys.setdefault(s.memory.identity, s.key)
    held = set(keys)
    by_summary: dict[tuple[str, str | None], list[Seen]] = defaultdict(list)
    for s in unknown:       # by title and parent: a template's titles recur in every release
        by_summary[(fingerprint("summary", s.summary), s.parent)].append(s)
    children = _Children(wanted, [*unknown, *known])
    out: dict[str, Memory] = {}
    for level in LEVELS:
        claims: dict[str, list[Wanted]] = defaultdict(list)
        for w in wanted:
            if w.level == level and not w.problem and w.identity not in held:
                for match in _matches(w, by_summary, keys, children):
                    claims[match].append(w)
        for key, ws in claims.items():
            if len(ws) == 1:
                out[key] = memory_for(ws[0])
                keys[ws[0].identity] = key
    return out


class _Children:
    """What each wanted item's children want, and what each issue's children are, as
    signatures compared whole (a sorted tuple per parent)."""

    def __init__(self, wanted: Sequence[Wanted], seen: Sequence[Seen]):
        want: dict[Identity, list[str]] = defaultdict(list)
        for w in wanted:
            if w.identity.parent is not None:
                want[w.identity.parent].append(_wanted_signature(w))
        have: dict[str, list[str]] = defaultdict(list)
        for s in seen:
            if s.parent:
                have[s.parent].append(_seen_signature(s))
        self.want = {k: tuple(sorted(v)) for k, v in want.items()}
        self.have = {k: tuple(sorted(v)) for k, v in have.items()}

    def fit(self, w: Wanted, key: str) -> bool:
        return self.want.get(w.identity, ()) == self.have.get(key, ())


def _matches(w: Wanted, by_summary: Mapping[tuple[str, str | None], list[Seen]],
             keys: Mapping[Identity, str], children: _Children) -> list[str]:
    """The one issue under ``w``'s parent issue exactly as ``w`` wants it, or among
    several so, the one whose children fit (none when more than one does)."""
    parent = keys.get(w.identity.parent) if w.identity.parent else None
    if w.identity.parent and parent is None:
        return []
    owned = memory_for(w).fields
    matches = [s.key for s in by_summary.get((fingerprint("summary", w.summary), parent), ())
               if _same(s, w, parent, owned)]
    if len(matches) > 1:
        matches = [k for k in matches if children.fit(w, k)]
    return matches if len(matches) == 1 else []


def _same(s: Seen, w: Wanted, parent: str | None, owned: Mapping[str, str]) -> bool:
    if s.labels != w.labels or s.parent != parent:
        return False
    return all(fingerprint(n, getattr(s, n)) == v for n, v in owned.items())


def _wanted_signature(w: Wanted) -> str:
    return "|".join([*sorted(w.labels), *(f"{n}={fingerprint(n, getattr(w, n))}"
                                          for n in FIELDS)])


def _seen_signature(s: Seen) -> str:
    return "|".join([*sorted(s.labels), *(f"{n}={fingerprint(n, getattr(s, n))}"
                                          for n in FIELDS)])


def with_memory(issue: Seen, memory: Memory) -> Seen:
    return Seen(key=issue.key, id=issue.id, summary=issue.summary,
                description=issue.description, labels=issue.labels, assignee=issue.assignee,
                due=issue.due, parent=issue.parent, memory=memory)
