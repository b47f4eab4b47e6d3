"""What the release files want Jira to hold: one ``Wanted`` issue per release, lesson and
action, with the labels jirasync owns (README "4. Sync")."""
from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from jirasync.fingerprint import FIELDS, fingerprint
from jirasync.model import Action, Identity, Labels, Release
from jirasync.records import RELEASE_TITLE, Memory


@dataclass(frozen=True, slots=True)
class Wanted:
    """An issue as the files want it. ``assignee`` is a resolved user id; ``problem`` says
    why the item cannot be written (e.g. an owner no Jira user matches)."""

    identity: Identity
    summary: str
    description: str
    labels: frozenset[str]
    assignee: str | None = None
    due: date | None = None
    source: str = ""
    problem: str | None = None
    record: tuple[tuple[str, str], ...] = ()    # a release's name and live date (Memory)

    @property
    def level(self) -> str:
        return self.identity.level


@functools.lru_cache(maxsize=4096)
def label_set(labels: tuple[str, ...]) -> frozenset[str]:
    """One set for each combination of labels: the thousands of issues of a release
    share a few (a set of three labels is 216 bytes, more than the issue's other fields)."""
    return frozenset(labels)


def wanted_issues(release: Release, labels: Labels,
                  users: Mapping[str, str | Exception]) -> list[Wanted]:
    """The release issue, then its lessons, then their actions. ``users`` maps each owner
    as written to a Jira user id, or to the error that resolving it raised."""
    rel = labels.release(release.id)
    source = release.where.file if release.where else ""
    # one set of labels for all of a release's actions (a set is 216 bytes, an action's
    # Wanted 120), and one for its lessons alike
    action_labels = label_set((labels.all, rel, labels.action))
    out = [Wanted(Identity(release.id), RELEASE_TITLE + release.name,
                  f"Lessons learnt for {release.name} (live {release.live_date}).",
                  frozenset({labels.all, rel}), source=source,
                  record=(("name", release.name), ("live_date", release.live_date.isoformat())))]
    for lesson in release.lessons:
        kind = labels.keep if lesson.kind == "keep" else labels.improve
        tags = {labels.all, rel, kind if lesson.answered else labels.not_reviewed}
        if lesson.theme:
            tags.add(labels.theme(lesson.theme))
        text = lesson.description
        if lesson.raised_by:
            text = f"{text}\n\nRaised by: {lesson.raised_by}".strip()
        out.append(Wanted(Identity(release.id, lesson.id), lesson.title, text,
                          label_set(tuple(sorted(tags))), source=source))
        for action in lesson.actions:
            out.append(_action(release, lesson.id, action, action_labels, users, source))
    return out


def _action(release: Release, lesson_id: str, action: Action, labels: frozenset[str],
            users: Mapping[str, str | Exception], source: str) -> Wanted:
    user = users.get(action.owner) if action.owner else None
    problem = str(user) if isinstance(user, Exception) else None
    return Wanted(Identity(release.id, lesson_id, action.id), action.title, action.description,
                  labels,
                  assignee=user if isinstance(user, str) else None, due=action.due, source=source,
                  problem=problem)


def owned(w: Wanted) -> tuple[str, ...]:
    """The fields jirasync owns of ``w``: an action's all, a release's or a lesson's text."""
    return FIELDS if w.level == "action" else ("summary", "description")


def memory_for(w: Wanted) -> Memory:
    """What creating ``w`` records on its issue (sync's ``Create``), and so what an issue
    inferred to be ``w``'s is taken to hold."""
    return Memory(w.identity, {n: fingerprint(n, getattr(w, n)) for n in owned(w)},
                  tuple(sorted(w.labels)), dict(w.record))
