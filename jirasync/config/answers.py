"""``answers:``: owners answering a reminder in a Jira comment (README "Owners answer in
Jira", docs/answers.md). Optional: the defaults read English answers.

    answers:
      enabled: true            # false: chase never reads comments
      look_back_days: 7        # how far back a run without its state folder looks
      words:                   # first words of a comment's first line, any case
        done: [done, completed, finished]
        extend: [extend to, extended to, postpone to]
        blocked: [blocked, stuck]
        not_needed: [not needed, no longer needed, "won't do"]
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from jirasync.schema import Section

KINDS = ("done", "extend", "blocked", "not_needed")
WORDS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "done": ("done", "completed", "finished"),
    "extend": ("extend to", "extended to", "postpone to"),
    "blocked": ("blocked", "stuck"),
    "not_needed": ("not needed", "no longer needed", "won't do", "wont do"),
})


@dataclass(frozen=True)
class AnswersConfig:
    enabled: bool = True
    look_back_days: int = 7
    words: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: WORDS)


def read_answers(s: Section | None) -> AnswersConfig:
    if s is None:
        return AnswersConfig()
    s.only(("enabled", "look_back_days", "words"))
    enabled = s.flag("enabled", default=True)
    days = s.number("look_back_days", default=7, minimum=1, maximum=90, integer=True)
    words = dict(WORDS)
    w = s.section("words")
    if w is not None:
        w.only(KINDS)
        for kind in KINDS:
            given = w.strings(kind)
            cleaned = tuple(" ".join(x.lower().split()) for x in given)
            if given and not all(cleaned):
                w.fail(kind, "an empty word cannot start an answer; remove it")
            elif given:
                words[kind] = cleaned
        seen: dict[str, str] = {}
        for kind in KINDS:
            for word in words[kind]:
                other = seen.setdefault(word, kind)
                if other != kind:       # said at the key the file gives (a default is not)
                    here, there = (kind, other) if kind in w.doc else (other, kind)
                    w.fail(here, f"'{word}' is also a word for {there}; give each word "
                                 "to one answer")
    return AnswersConfig(enabled=enabled, look_back_days=int(days),
                         words=MappingProxyType(words))
