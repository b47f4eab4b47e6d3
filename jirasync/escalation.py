"""The escalation ladder (README "5. Chase"): who hears about an action past its due
date, and when.

Pure: dates are parameters, and which rungs already fired is the caller's record (it lives
in Jira, so a restart or a lost state folder never fires a rung twice).
"""
from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

OWNER = "owner"


@dataclass(frozen=True)
class Rung:
    """One step of the ladder: reached ``after_days`` past the due date, it mentions
    ``notify`` ("owner" or role names from the config's ``people``)."""

    after_days: int
    notify: tuple[str, ...]

    def __post_init__(self) -> None:
        # A list from YAML would make the rung unhashable; one bare name means one person.
        notify = (self.notify,) if isinstance(self.notify, str) else tuple(self.notify)
        object.__setattr__(self, "notify", notify)

    @property
    def escalates(self) -> bool:
        """True when the rung names anyone but the owner (the ``escalated`` label)."""
        return any(who != OWNER for who in self.notify)


@dataclass(frozen=True)
class Ladder:
    """The rungs in the order they fire. ValueError, naming every problem, unless each
    rung has a distinct ``after_days`` of 0 or more, in increasing order, and notifies
    somebody."""

    rungs: tuple[Rung, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "rungs", tuple(self.rungs))
        problems = _problems(self.rungs)
        if problems:
            raise ValueError("; ".join(problems))

    @staticmethod
    def days_overdue(due: date, today: date) -> int:
        """Whole days since the due date: 0 on the due date itself and before it."""
        return max(0, (today - due).days)

    def due_rung(self, *, due: date, today: date, fired: Collection[int]) -> Rung | None:
        """The rung to fire now for an unresolved action due on ``due``, or None.

        An action is overdue from the day after its due date (1 day overdue). A rung with
        ``after_days`` N is reached once ``days_overdue >= max(N, 1)``: N = 0 means "as
        soon as it is overdue". ``fired`` holds the ``after_days`` of rungs already fired
        for THIS due date; the caller empties it when the due date moves, which restarts
        the ladder. Only rungs above the highest fired one count, and of those reached
        only the highest fires: after a missed week the owner gets one message, not three,
        and a lower rung never follows a higher one.
        """
        overdue = self.days_overdue(due, today)
        floor = max(fired, default=-1)
        reached = [r for r in self.rungs
                   if floor < r.after_days and max(r.after_days, 1) <= overdue]
        return reached[-1] if reached else None


def misplaced(days: int, earlier: Sequence[int]) -> tuple[str, int] | None:
    """Why a rung of ``days`` cannot follow the rungs ``earlier`` (their after_days, in
    order): ("twice", index of the rung with the same days) or ("order", index of the rung
    before it, which fires later); None when it may. The config reads the ladder with this
    rule too, so a ladder the config accepts is one ``Ladder`` accepts."""
    if days in earlier:
        return ("twice", earlier.index(days))
    if earlier and days < earlier[-1]:
        return ("order", len(earlier) - 1)
    return None


def _problems(rungs: tuple[Rung, ...]) -> list[str]:
    problems: list[str] = []
    placed: list[int] = []
    for number, rung in enumerate(rungs, start=1):
        days = rung.after_days
        if not isinstance(days, int) or isinstance(days, bool) or days < 0:
            problems.append(f"rung {number}: after_days must be a whole number of days, "
                            f"0 or more (got {days!r})")
            continue
        if not rung.notify or not all(isinstance(w, str) and w.strip() for w in rung.notify):
            problems.append(f"rung {number} (after_days {days}): notify must list 'owner' "
                            "or role names from people")
        wrong = misplaced(days, placed)
        if wrong is None:
            placed.append(days)
        elif wrong[0] == "twice":
            problems.append(f"rung {number}: after_days {days} is used twice; give each "
                            "rung its own number of days")
        else:
            problems.append(f"rung {number}: after_days {days} comes after "
                            f"{placed[wrong[1]]}; list the rungs in the order they fire")
    return problems
