"""The small sections: ``deck:`` (the organisation's PowerPoint template) and ``schedule:``
(when the service runs each job, in words)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from jirasync.schedule_words import read_schedule
from jirasync.schema import Section

SCHEDULE = {"sync": "every 15 minutes", "chase": "every day at 09:00"}
# Jobs a config may schedule that run only when it says so (publish needs confluence:).
OPTIONAL_JOBS = ("publish",)


@dataclass(frozen=True)
class DeckConfig:
    pptx_template: Path | None = None     # the organisation's .pptx: its layouts and theme


def read_deck(s: Section | None, base: Path) -> DeckConfig:
    if s is None:
        return DeckConfig()
    s.only(("pptx_template",))
    name = s.text("pptx_template")
    if not name:
        return DeckConfig()
    path = base / name
    if path.suffix.lower() != ".pptx" or not path.is_file():
        s.fail("pptx_template", f"{path} is not a .pptx file (save the template as a "
                                "PowerPoint presentation, .pptx)")
        return DeckConfig()
    return DeckConfig(pptx_template=path)


def read_schedule_section(s: Section | None) -> Mapping[str, str]:
    if s is None:
        return MappingProxyType(dict(SCHEDULE))
    s.only((*SCHEDULE, *OPTIONAL_JOBS))
    out = {}
    for job in s.doc:
        value = s.text(job)
        try:
            if value:
                out[job] = read_schedule(value).text
        except ValueError as e:
            s.fail(job, str(e))
    return MappingProxyType(out)
