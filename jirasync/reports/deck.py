"""The Programme Board deck as data (README "8. The Programme Board deck"): the slides in
order, each filled from the figures, long lists flowing onto continuation slides. Pure: the
programme as read, its figures and the dates come in, a ``Deck`` goes out; the renderers
only lay it out. The slides themselves are made in ``decklists.py`` (lessons and actions),
``deckmeasures.py`` (trend, indicators, appendix) and ``lessonsreport.py`` (the PRINCE2
Lessons Report's own); ``deckcontext.py`` holds what they are made from."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import jirasync.reports.decklists as lists
import jirasync.reports.deckmeasures as measures
import jirasync.reports.lessonsreport as report
from jirasync.model import Release
from jirasync.reports.deckcontext import Context, Scope
from jirasync.reports.figures import Figures, Indicators, TrendPoint
from jirasync.reports.notes import notes, page_keys
from jirasync.reports.pages import paginate
from jirasync.reports.programme import Programme
from jirasync.reports.slides import Bullets, Deck, Slide
from jirasync.reports.summary import executive_summary

SECTIONS = ("title", "summary", "scope", "lessons", "well", "badly", "significant",
            "recommendations", "actions", "state", "carried", "trend", "indicators",
            "measures", "recurring", "next", "appendix")


def build_deck(programme: Programme, figures: Figures, *, scope: Scope,
               trend: tuple[TrendPoint, ...],
               to_date: tuple[str, Indicators] | None = None,
               files: Mapping[str, Release] | None = None) -> Deck:
    """Every slide of README "8. The Programme Board deck" in order. ``trend``: the releases
    up to the last covered; ``to_date``: the key indicators of those releases together,
    beside a release's own; ``files``: the release files read, by release id (what
    happened, cause, effect, measures)."""
    items = {i.key: i for i in (*programme.releases, *programme.lessons, *programme.actions)}
    c = Context(figures, scope, trend, items, programme.url.rstrip("/") + "/browse/",
                to_date, dict(files or {}))
    makers = (_title, _summary, report.scope, lists.lessons, report.went_well,
              report.went_badly, report.significant, report.recommendations, lists.actions,
              lists.state, lists.carried, measures.trend, measures.indicators,
              report.measurements, lists.recurring, lists.next_steps, measures.appendix)
    slides = tuple(_noted(page, c) for make in makers for slide in make(c)
                   for page in paginate(slide))
    return Deck(scope.title, scope.subtitle, figures.today.isoformat(), slides)


def _noted(page: Slide, c: Context) -> Slide:
    said = notes(page.section, c.figures, project=c.scope.project, words=c.scope.words)
    more = ("Continued from the previous slide.",) if page.part > 1 else ()
    return replace(page, notes=page.notes + said + more + page_keys(page, c.scope.project))


def _title(c: Context) -> list[Slide]:
    return [Slide("title", c.scope.title, (Bullets((
        "For the Working Group and the Programme Board",
        (f"Every figure comes from Jira project {c.scope.project}; the data appendix "
        "lists the issue keys behind each one"))),))]


def _summary(c: Context) -> list[Slide]:
    sentences = executive_summary(c.figures, trend=c.trend, scope=c.scope.words)
    return [Slide("summary", "Executive summary", (Bullets(sentences),))]
