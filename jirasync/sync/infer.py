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

from jirasync.model import Identity, key_order
from jirasync.sync.memory import Memory, fingerprint
from jirasync.sync.plan import Create, Seen
from jirasync.sync.wanted import Wanted

LEVELS = {"release": 0, "lesson": 1, "action": 2}


def infer(unknown: Sequence[Seen], known: Sequence[Seen],
          wanted: Sequence[Wanted]) -> dict[str, Memory]:
    """Issue key -> the memory inferred for it, for the ``unknown`` issues (read without
    their property) that match exactly one wanted item, one to one. Levels go in order
    so that a lesson's parent is a release issue already known or inferred."""
    keys: dict[Identity, str] = {}
    for s in sorted(known, key=lambda s: key_order(s.key)):
        if s.memory is not None:
            keys.setdefault(s.memory.identity, s.key)
    held = set(keys)
    by_summary: dict[str, list[Seen]] = defaultdict(list)
    for s in unknown:
        by_summary[fingerprint("summary", s.summary)].append(s)
    out: dict[str, Memory] = {}
    for level in LEVELS:
        claims: dict[str, list[Wanted]] = defaultdict(list)
        for w in wanted:
            if w.level == level and not w.problem and w.identity not in held:
                match = _only_match(w, by_summary, keys)
                if match is not None:
                    claims[match].append(w)
        for key, ws in claims.items():
            if len(ws) == 1:
                out[key] = Create(ws[0]).memory
                keys[ws[0].identity] = key
    return out


def _only_match(w: Wanted, by_summary: Mapping[str, list[Seen]],
                keys: Mapping[Identity, str]) -> str | None:
    parent = keys.get(w.identity.parent) if w.identity.parent else None
    if w.identity.parent and parent is None:
        return None
    matches = [s for s in by_summary.get(fingerprint("summary", w.summary), ())
               if _same(s, w, parent)]
    return matches[0].key if len(matches) == 1 else None


def _same(s: Seen, w: Wanted, parent: str | None) -> bool:
    if s.labels != w.labels or s.parent != parent:
        return False
    owned = Create(w).memory.fields
    return all(fingerprint(n, getattr(s, n)) == v for n, v in owned.items())


def with_memory(issue: Seen, memory: Memory) -> Seen:
    return Seen(key=issue.key, id=issue.id, summary=issue.summary,
                description=issue.description, labels=issue.labels, assignee=issue.assignee,
                due=issue.due, parent=issue.parent, memory=memory)
