"""The ``deck`` use-case: read the programme from Jira once, compute its figures as of
``today``, build the deck and write it as HTML, Markdown or PowerPoint."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from jirasync.config import Config
from jirasync.errors import UsageError
from jirasync.model import Release
from jirasync.releases import load_programme
from jirasync.reports import figures as figures_of
from jirasync.reports.deck import build_deck
from jirasync.reports.deckcontext import Scope
from jirasync.reports.deckfiles import deck_html, deck_markdown
from jirasync.reports.output import check_writable, encoded
from jirasync.reports.port import ReportsJira
from jirasync.reports.programme import Programme, ReleaseIssue
from jirasync.reports.reader import read_programme
from jirasync.reports.slides import Deck
from jirasync.state import StateDir

FORMATS = ("html", "md", "pptx")


class NothingSynced(UsageError):
    """No release of the programme is in Jira yet: a deck of nothing would say all is
    well (exit 2, one line)."""
BINARY = ("pptx",)


@dataclass(frozen=True)
class DeckFile:
    """A rendered deck: ``text`` for HTML and Markdown, ``data`` for PowerPoint."""

    format: str
    text: str = ""
    data: bytes = b""

    def bytes(self) -> bytes:
        return self.data or encoded(self.text)


def read_deck(config: Config, jira: ReportsJira, *, release: str | None, today: date,
              state: StateDir | None = None) -> Deck:
    """The deck of ``release`` (None: the whole programme) as Jira holds it today."""
    programme = read_programme(jira, config, state=state)
    return deck_of(programme, release=release, today=today,
                   next_review=config.review.calendar.upcoming(
                       datetime.combine(today, time(0), ZoneInfo(config.timezone))).meeting,
                   files=release_files(config))


def release_files(config: Config) -> dict[str, Release]:
    """The release files that read cleanly, by id: what happened, cause, effect and
    measures come from them (a broken file is sync's and check's to report)."""
    read = load_programme(config.releases_dir, config.templates_dir, config.people)
    return {r.id: r for r in read.releases}


@dataclass(frozen=True)
class DeckFigures:
    """What the deck shows: the figures of what it covers, the trend up to it and, for a
    release, the key indicators of all releases to date."""

    figures: figures_of.Figures
    scope: Scope
    trend: tuple[figures_of.TrendPoint, ...]
    to_date: tuple[str, figures_of.Indicators] | None = None


def deck_of(programme: Programme, *, release: str | None, today: date,
            next_review: datetime | None, files: Mapping[str, Release] | None = None) -> Deck:
    """Pure: the deck from the programme as read (and the release files, by id).
    UsageError for an unknown release, NothingSynced for an empty project."""
    f = deck_figures(programme, release=release, today=today, next_review=next_review)
    return build_deck(programme, f.figures, scope=f.scope, trend=f.trend, to_date=f.to_date,
                      files=files)


def deck_figures(programme: Programme, *, release: str | None, today: date,
                 next_review: datetime | None) -> DeckFigures:
    known = programme.release_ids()
    if not known:
        raise NothingSynced(f"nothing synced yet in Jira project {programme.project}: "
                            "run `jirasync sync`")
    if release is not None and release not in known:
        listed = ", ".join(known) or "none yet (run jirasync sync)"
        raise UsageError(f"release {release!r} is not in Jira project {programme.project}; "
                         f"known releases: {listed}")
    figures = figures_of.compute(programme, today=today, releases=(release,) if release else (),
                                 next_review=next_review)
    covered = [r for r in programme.releases if not release or r.release == release]
    last = covered[-1] if covered else None
    upto = [r for r in programme.releases if last is None or r is last or (
        r.live_date and last.live_date and r.live_date <= last.live_date)]
    # The programme's trend is its figures' own (computing carried over again costs as
    # much as the figures).
    same = [p.key for p in figures.trend] == [r.key for r in upto]
    trend = figures.trend if same else figures_of.trend(programme, upto, today)
    scope = _scope(programme, release, last)
    if release is None:
        return DeckFigures(figures, scope, trend)
    ids = {r.release for r in upto}
    actions = [a for a in programme.actions if a.release in ids]
    # The next review looks at every open action, carried ones included.
    figures = replace(figures, next_steps=figures_of.next_steps(actions, next_review, today))
    to_date = (f"Releases {upto[0].release} to {upto[-1].release}",
               figures_of.indicators(actions, today)) if len(upto) > 1 else None
    return DeckFigures(figures, scope, trend, to_date)


def _scope(programme: Programme, release: str | None, issue: ReleaseIssue | None) -> Scope:
    if release is not None and issue is not None:
        live = f", live {issue.live_date.isoformat()}" if issue.live_date else ""
        return Scope(issue.name or f"Release {release}", f"Release {release}{live}",
                     f"release {release}", programme.project, (release,))
    ids = programme.release_ids()
    return Scope(f"{programme.project} programme: lessons learnt", span(programme),
                 "the programme", programme.project, ids, whole=True)


def span(programme: Programme) -> str:
    """The releases a programme deck covers, first and last by live date (never by id:
    release 10.0 may go live before 9.1), the undated ones counted apart."""
    dated = [r for r in programme.releases if r.live_date]       # in live-date order
    undated = len(programme.releases) - len(dated)
    text = f"All {len(programme.releases)} releases" if len(programme.releases) > 1 else \
        "The one release"
    if len(dated) > 1:
        first, last = dated[0], dated[-1]
        text += (f": {first.release} (live {first.live_date}) to {last.release} "
                 f"(live {last.live_date})")
    elif dated:
        text += f": {dated[0].release} (live {dated[0].live_date})"
    return text + (f", {undated} not dated yet" if undated else "")


def render_deck(deck: Deck, fmt: str, *, templates_dir: Path | None = None,
                pptx_template: Path | None = None) -> DeckFile:
    if fmt == "html":
        return DeckFile(fmt, text=deck_html(deck, templates_dir))
    if fmt == "md":
        return DeckFile(fmt, text=deck_markdown(deck, templates_dir))
    from jirasync.reports.powerpoint import deck_pptx  # python-pptx only when asked
    return DeckFile(fmt, data=deck_pptx(deck, template=pptx_template))


def check_output(path: Path | None, fmt: str) -> None:
    """Refuse early, before reading Jira, what cannot be written."""
    if path is None:
        if fmt in BINARY:
            raise UsageError(f"--format {fmt} is a binary file: give -o FILE.{fmt}")
        return
    check_writable(path)
