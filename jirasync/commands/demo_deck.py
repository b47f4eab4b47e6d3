"""The demo's history and decks: the sample programme lived through in the sandbox (each
issue created before the first release went live, actions done through the months), so
its deck tells a board-sized story: work done, some late, some carried over."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from jirasync.reports.deckjob import FORMATS, read_deck, render_deck
from jirasync.reports.output import write_atomically
from jirasync.reports.reader import read_programme

if TYPE_CHECKING:
    from jirasync.config import Config
    from jirasync.gateway.protocol import Jira
    from jirasync.sandbox import Sandbox

LEFT_OPEN = 3          # every third action due before the newest release is left open


class SandboxClock:
    """The sandbox's idea of now, moved by the demo as its history unfolds."""

    def __init__(self, now: datetime | None = None):
        self.now = now or datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def history_start(live_dates: list[date]) -> datetime:
    """Two weeks before the first release went live: when the lessons were recorded."""
    return datetime.combine(min(live_dates) - timedelta(days=14), time(9), UTC)


def play_history(sandbox: Sandbox, jira: Jira, config: Config, clock: SandboxClock,
                 newest: date) -> int:
    """Close the actions due before ``newest`` went live, three days before their due
    date, except every third one (late work the board should see); close a lesson kept
    two weeks after its release went live, and an improvement once its actions are done.
    Returns how many actions were closed."""
    programme = read_programme(jira, config)
    actions = sorted((a for a in programme.actions if a.due is not None and a.due < newest),
                     key=lambda a: (a.due, a.key))
    done: dict[str, datetime] = {}
    for n, action in enumerate(actions, start=1):
        if n % LEFT_OPEN and action.due is not None:    # never None: filtered above
            done[action.key] = datetime.combine(action.due - timedelta(days=3), time(16), UTC)
    live = {r.release: r.live_date for r in programme.releases}
    closing = dict(done)
    for lesson in programme.lessons:
        mine = [a.key for a in programme.actions if a.parent == lesson.key]
        went = live.get(lesson.release)
        if lesson.kind == "keep" and went and went < newest:
            closing[lesson.key] = datetime.combine(went + timedelta(days=14),
                                                   time(12), UTC)
        elif mine and all(k in done for k in mine):
            closing[lesson.key] = max(done[k] for k in mine) + timedelta(hours=1)
    for key, moment in sorted(closing.items(), key=lambda kv: kv[1]):
        clock.now = moment
        sandbox.transition(key, "Done")
    return len(done)


def write_decks(config: Config, jira: Jira, out: Path, *, release: str, today: date) -> list[Path]:
    """The deck of ``release`` in every format, into ``out``."""
    deck = read_deck(config, jira, release=release, today=today)
    written = []
    for fmt in FORMATS:
        path = out / f"deck-{release}.{fmt}"
        rendered = render_deck(deck, fmt, templates_dir=config.templates_dir,
                               pptx_template=config.deck.pptx_template)
        write_atomically(path, rendered.bytes())
        written.append(path)
    return written
