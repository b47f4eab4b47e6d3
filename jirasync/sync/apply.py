"""Carrying out a sync plan (the one place that writes): parents before children, creates
in bulk with the identity property in the create body, one request per update.

A create whose answer was lost is never sent again blindly: ``recover`` first reads the
issues Jira made after the last key we knew (reads by key are consistent, unlike search)
and adopts any that carry our identity; only what is truly missing is created again.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypedDict, Unpack

from jirasync.errors import JiraError
from jirasync.gateway.limits import BULK_LIMIT
from jirasync.gateway.types import FieldValue, NewIssue
from jirasync.json_values import ToJSON
from jirasync.model import SYNC_PROPERTY as PROPERTY
from jirasync.model import Identity
from jirasync.records import RELEASE_TITLE
from jirasync.sync.plan import Create, Plan, Tag, Update
from jirasync.sync.port import SyncJira
from jirasync.wanted import Wanted

LONG_RUN = 200       # creates; below this a run is quick and progress lines are noise
LEVELS = ("release", "lesson", "action")


@dataclass(frozen=True)
class Outcome:
    """What happened to one step: ``verb`` created/updated/tagged/failed."""

    verb: str
    key: str | None
    identity: Identity | None
    detail: str = ""
    id: str | None = None


@dataclass
class Context:
    """What the applier needs besides the plan."""

    issue_types: Mapping[str, str]          # level -> SyncJira issue type name
    keys: dict[Identity, str]               # identity -> key of every issue known so far
    extra_fields: Mapping[str, object]
    recover: Callable[[Sequence[Wanted]], dict[Identity, tuple[str, str]]]
    progress: Callable[[str], None] = lambda text: None
    stop: Callable[[], bool] = lambda: False    # asked between requests: leave the rest
    record: CreateRecord | None = None


class CreateRecord(Protocol):
    """Jira's record of creates: marked in flight before the request, made after it."""

    def before(self, count: int) -> Any: ...

    def after(self, flight: Any, made: Sequence[tuple[str, str]]) -> None: ...


def apply_plan(plan: Plan, jira: SyncJira, ctx: Context) -> list[Outcome]:
    """Run every write step; one failing item never stops the others. Once ``ctx.stop()``
    says so, the steps not yet started are left for the next run."""
    outcomes: list[Outcome] = []
    creates = plan.of(Create)
    total = len(creates)
    say = ctx.progress if total >= LONG_RUN else (lambda text: None)
    for level in LEVELS:
        if ctx.stop():
            break
        batch = [c.wanted for c in creates if c.wanted.level == level]
        done = len(outcomes)
        outcomes.extend(_create_level(batch, jira, ctx, _counter(say, done, total)))
    for step in plan.of(Update):
        if ctx.stop():
            break
        renamed = step.identity.level == "release" and "summary" in step.fields
        outcomes.append(_write(jira, step.key, step.identity, "updated", _describe(step),
                               fields=dict(step.fields), add_labels=step.add_labels,
                               epic_name=epic_name(step.fields["summary"]) if renamed else None,
                               remove_labels=step.remove_labels,
                               properties={PROPERTY: step.memory.to_json()}))
    for tag in plan.of(Tag):
        if ctx.stop():
            break
        outcomes.append(_write(jira, tag.key, None, "tagged", _tagging(tag, "added"),
                               add_labels=tag.add_labels))
    return outcomes


def _counter(say: Callable[[str], None], done: int, total: int) -> Callable[[int], None]:
    return lambda n: say(f"created {done + n} of {total} issues")


def preview(plan: Plan) -> list[Outcome]:
    """What ``apply_plan`` would report if nothing failed, in its order and words, with
    the verbs create/update/tag: a dry run shows exactly what the real run will say."""
    creates = plan.of(Create)
    out = [Outcome("create", None, c.wanted.identity, c.wanted.summary)
           for level in LEVELS for c in creates if c.wanted.level == level]
    out += [Outcome("update", s.key, s.identity, _describe(s)) for s in plan.of(Update)]
    out += [Outcome("tag", t.key, None, _tagging(t, "add")) for t in plan.of(Tag)]
    return out


def _tagging(tag: Tag, verb: str) -> str:
    return f"hand-made lesson: {verb} " + ", ".join(sorted(tag.add_labels))


def _describe(step: Update) -> str:
    parts = [f"{name}{' (forced)' if name in step.forced else ''}" for name in step.fields]
    if step.add_labels:
        parts.append("+labels " + ",".join(sorted(step.add_labels)))
    if step.remove_labels:
        parts.append("-labels " + ",".join(sorted(step.remove_labels)))
    if step.agreed and not parts:
        parts.append(f"file and Jira now agree on {', '.join(step.agreed)}; remembered")
    if step.recorded and not parts:
        parts.append("release name and live date recorded for reports")
    return ", ".join(parts)


class Edit(TypedDict, total=False):
    """What ``_write`` passes on to ``edit_issue``."""

    fields: Mapping[str, FieldValue]
    add_labels: Iterable[str]
    remove_labels: Iterable[str]
    properties: Mapping[str, ToJSON]
    epic_name: str | None


def _write(jira: SyncJira, key: str, identity: Identity | None, verb: str, detail: str,
           **changes: Unpack[Edit]) -> Outcome:
    try:
        jira.edit_issue(key, **changes)
    except JiraError as e:
        return Outcome("failed", key, identity, str(e))
    return Outcome(verb, key, identity, detail)


def _create_level(batch: list[Wanted], jira: SyncJira, ctx: Context,
                  progress: Callable[[int], None]) -> list[Outcome]:
    ready: list[Wanted] = []
    outcomes: list[Outcome] = []
    for w in batch:
        parent = w.identity.parent
        if parent is not None and parent not in ctx.keys:
            outcomes.append(Outcome("failed", None, w.identity,
                                    f"not created because its {parent.level} {parent} "
                                    "could not be created"))
        else:
            ready.append(w)
    for start in range(0, len(ready), BULK_LIMIT):
        if ctx.stop():
            break
        outcomes.extend(_create_chunk(ready[start:start + BULK_LIMIT], jira, ctx))
        end = min(start + BULK_LIMIT, len(ready))
        if end == len(ready) or end % (BULK_LIMIT * 10) == 0:
            progress(end)
    return outcomes


def _create_chunk(chunk: list[Wanted], jira: SyncJira, ctx: Context,
                  retry: bool = True) -> list[Outcome]:
    """Create ``chunk`` in one request, marked in flight in Jira's record first: a run
    killed before the answer leaves the mark, and the next run reads past it."""
    if ctx.record is None:
        return _send_chunk(chunk, jira, ctx, retry)
    try:
        flight = ctx.record.before(len(chunk))
    except JiraError as e:
        return [Outcome("failed", None, w.identity, f"{e}; not created, so that no "
                        "crash can hide it") for w in chunk]
    outcomes = _send_chunk(chunk, jira, ctx, retry)
    ctx.record.after(flight, [(o.key, o.id) for o in outcomes
                              if o.verb == "created" and o.key and o.id])
    return outcomes


def _send_chunk(chunk: list[Wanted], jira: SyncJira, ctx: Context, retry: bool) -> list[Outcome]:
    try:
        results = jira.create_issues([_new_issue(w, ctx) for w in chunk])
    except JiraError as e:
        if not e.maybe_applied:
            return [Outcome("failed", None, w.identity, str(e)) for w in chunk]
        return _recover(chunk, jira, ctx, e, retry)
    outcomes: list[Outcome] = []
    for w, result in zip(chunk, results):
        if result.error:
            outcomes.append(Outcome("failed", None, w.identity, result.error))
        else:
            assert result.key is not None      # a result without an error has a key
            ctx.keys[w.identity] = result.key
            outcomes.append(Outcome("created", result.key, w.identity, w.summary, result.id))
    return outcomes


def _recover(chunk: list[Wanted], jira: SyncJira, ctx: Context, error: JiraError,
             retry: bool) -> list[Outcome]:
    try:
        found = ctx.recover(chunk)
    except JiraError as e:      # unknown whether Jira made them: never send them again now
        return [Outcome("failed", None, w.identity, f"{error}; reading Jira to check what "
                        f"it made also failed ({e}); the next sync finds or creates it")
                for w in chunk]
    outcomes: list[Outcome] = []
    missing: list[Wanted] = []
    for w in chunk:
        if w.identity in found:
            key, issue_id = found[w.identity]
            ctx.keys[w.identity] = key
            outcomes.append(Outcome("created", key, w.identity,
                                    f"{w.summary} (confirmed after a lost answer)", issue_id))
        else:
            missing.append(w)
    if missing and retry:
        outcomes.extend(_create_chunk(missing, jira, ctx, retry=False))
    elif missing:
        outcomes.extend(Outcome("failed", None, w.identity, str(error)) for w in missing)
    return outcomes


def _new_issue(w: Wanted, ctx: Context) -> NewIssue:
    parent = w.identity.parent
    return NewIssue(
        issue_type=ctx.issue_types[w.level], summary=w.summary, description=w.description,
        labels=tuple(sorted(w.labels)), parent=ctx.keys.get(parent) if parent else None,
        assignee=w.assignee, due=w.due, fields=ctx.extra_fields,
        properties={PROPERTY: Create(w).memory.to_json()},
        epic_name=epic_name(w.summary) if w.level == "release" else None)


def epic_name(summary: str) -> str:
    """A release issue's short name for Data Center boards: the release's own name."""
    return summary.removeprefix(RELEASE_TITLE)
