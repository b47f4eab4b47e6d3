"""What an action keeps of its owners' answers, in Jira (issue property
``jirasync.answers``), never only in the state folder: the ids of the comments already
answered (so each is applied and acknowledged once, by whichever run or host), the
extensions with their reasons, and the open block."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

VERSION = 1
KEEP = 500       # answered comment ids kept (the newest): far more than any action gets


@dataclass(frozen=True)
class Extension:
    to: str
    reason: str
    on: str
    was: str | None = None


@dataclass(frozen=True)
class AnswersRecord:
    answered: tuple[str, ...] = ()
    extensions: tuple[Extension, ...] = ()
    blocked: str | None = None          # the reason given, while the block stands
    blocked_on: str | None = None
    done: str | None = None             # a done answer recorded (no transition offered)

    @classmethod
    def from_json(cls, data: Any) -> AnswersRecord:
        if not isinstance(data, dict):
            return cls()
        ext = tuple(Extension(to=str(e.get("to")), reason=str(e.get("reason", "")),
                              on=str(e.get("on", "")), was=e.get("was"))
                    for e in data.get("extensions") or () if isinstance(e, dict))
        return cls(answered=tuple(map(str, data.get("answered") or ())), extensions=ext,
                   blocked=data.get("blocked"), blocked_on=data.get("blocked_on"),
                   done=data.get("done"))

    def to_json(self) -> dict[str, Any]:
        return {"v": VERSION, "answered": list(self.answered[-KEEP:]),
                "extensions": [{"to": e.to, "reason": e.reason, "on": e.on, "was": e.was}
                               for e in self.extensions],
                "blocked": self.blocked, "blocked_on": self.blocked_on, "done": self.done}

    def has(self, comment: str) -> bool:
        return comment in self.answered

    def answering(self, comment: str) -> AnswersRecord:
        return replace(self, answered=(*self.answered, comment))

    def summary(self) -> str:
        """"extended 3×, last: waiting for partner sign-off", or "" without extensions."""
        if not self.extensions:
            return ""
        return f"extended {len(self.extensions)}×, last: {self.extensions[-1].reason}"
