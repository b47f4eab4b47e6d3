"""A programme deck reads like a Board pack: per-release tables instead of every lesson
and action, the open lists cut at their most pressing rows with the rest counted, the
data appendix as a dense grid of keys (cut per figure, pointing at the export), and the
trend over the last releases. A release deck keeps every key."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jirasync.reports import layout
from jirasync.reports.deckcontext import PROGRAMME_ROWS
from jirasync.reports.deckjob import deck_of
from jirasync.reports.deckmeasures import KEYS_PER_ROW, PROGRAMME_KEY_ROWS, TREND_RELEASES
from jirasync.reports.pages import height, paginate
from jirasync.reports.slides import Chart, Link, Slide, Table
from tests.reports.build import action, lesson, programme, release

TODAY = date(2026, 12, 10)
REVIEW = datetime(2027, 1, 5, 10, tzinfo=ZoneInfo("Europe/London"))
RELEASES, LESSONS, ACTIONS = 15, 4, 2


def build():
    n, releases, lessons, actions = iter(range(1, 10**5)), [], [], []
    for r in range(RELEASES):
        live = date(2026, 1, 1) + timedelta(days=14 * r)
        rel = release(f"DCR-{next(n)}", f"4.{r}", live.isoformat())
        releases.append(rel)
        for k in range(LESSONS):
            les = lesson(f"DCR-{next(n)}", rel.release, rel.key, f"Lesson {k} of {r}",
                         created=(live - timedelta(days=3)).isoformat())
            lessons.append(les)
            for _ in range(ACTIONS):      # all open, all overdue
                actions.append(action(f"DCR-{next(n)}", rel.release, les.key,
                                      created=live.isoformat(),
                                      due=(live + timedelta(days=30)).isoformat()))
    return programme(releases, lessons, actions)


@pytest.fixture(scope="module")
def whole():
    return deck_of(build(), release=None, today=TODAY, next_review=REVIEW)


def slides(deck, section):
    return [s for s in deck.slides if s.section == section]


def table(slide) -> Table:
    return next(b for b in slide.blocks if isinstance(b, Table))


def test_lessons_and_actions_are_listed_per_release(whole):
    lessons, actions = slides(whole, "lessons")[1:], slides(whole, "actions")
    rows = [r for s in lessons for r in table(s).rows]
    assert [r[0] for r in rows] == [f"4.{r}" for r in range(RELEASES)]
    assert all(r[2] == str(LESSONS) for r in rows)
    rows = [r for s in actions for r in table(s).rows]
    assert [r[2:6] for r in rows] == [(str(LESSONS * ACTIONS), "0", str(LESSONS * ACTIONS),
                                       str(LESSONS * ACTIONS))] * RELEASES


def test_the_open_list_is_cut_and_says_how_many_more(whole):
    state = slides(whole, "state")
    shown = [r for s in state for r in table(s).rows]
    total = RELEASES * LESSONS * ACTIONS
    assert len(shown) == PROGRAMME_ROWS
    assert state[0].lead.endswith(f"… and {total - PROGRAMME_ROWS:,} more in the data "
                                  "appendix / export")


def test_the_appendix_is_a_grid_cut_per_figure_pointing_at_the_export(whole):
    appendix = slides(whole, "appendix")
    rows = [r for s in appendix for r in table(s).rows]
    assert all(table(s).dense for s in appendix)
    assert all(height(table(s)) <= layout.BODY_H for s in appendix)
    assert all(not table(s).rows[0][0].startswith("(") and table(s).rows[0][0]
               for s in appendix)                       # every page names its figure
    actions = RELEASES * LESSONS * ACTIONS
    at = next(i for i, r in enumerate(rows) if r[0] == "actions agreed")
    assert rows[at][1] == str(actions)
    assert all(len(r[2]) == KEYS_PER_ROW for r in rows[at:at + PROGRAMME_KEY_ROWS])
    assert rows[at + PROGRAMME_KEY_ROWS][2] == (
        f"… and {actions - PROGRAMME_KEY_ROWS * KEYS_PER_ROW} more in the export "
        "(jirasync export)")


def test_the_trend_shows_the_last_releases(whole):
    [trend] = slides(whole, "trend")
    chart = trend.blocks[0]
    assert isinstance(chart, Chart)
    assert chart.categories == tuple(f"4.{r}" for r in range(RELEASES - TREND_RELEASES,
                                                               RELEASES))
    assert trend.lead.startswith(f"The last {TREND_RELEASES} of {RELEASES} releases")


def test_a_release_deck_lists_every_action_and_every_key():
    p = build()
    deck = deck_of(p, release="4.14", today=TODAY, next_review=REVIEW)
    listed = {c.text for s in slides(deck, "actions") for r in table(s).rows for c in r
              if isinstance(c, Link)}
    assert listed == {a.key for a in p.actions if a.release == "4.14"}
    keys = {k.text for s in slides(deck, "appendix") for r in table(s).rows for k in r[2]}
    assert {a.key for a in p.actions if a.release == "4.14"} <= keys


def test_a_dense_table_takes_more_rows_a_slide():
    rows = tuple(("f", "1", ()) for _ in range(60))
    dense = paginate(Slide("appendix", "A", (Table(("a", "b", "c"), rows, dense=True),)))
    plain = paginate(Slide("appendix", "A", (Table(("a", "b", "c"), rows),)))
    assert len(dense) < len(plain)


def test_the_pptx_of_a_long_release_deck_has_every_slide_and_key(tmp_path):
    """The table slides are written as XML in one go: what python-pptx reads back is the
    deck, slide for slide (titles in order, every action key in the text)."""
    from pptx import Presentation

    from jirasync.reports.powerpoint import deck_pptx
    p = build()
    deck = deck_of(p, release="4.14", today=TODAY, next_review=REVIEW)
    path = tmp_path / "d.pptx"
    path.write_bytes(deck_pptx(deck))
    shown = Presentation(str(path))
    assert [s.shapes.title.text for s in shown.slides][1:] == [s.heading for s in deck.slides[1:]]
    text = "\n".join(c.text for s in shown.slides for sh in s.shapes if sh.has_table
                     for r in sh.table.rows for c in r.cells)
    assert all(a.key in text for a in p.actions if a.release == "4.14")


def test_the_programme_deck_names_its_releases_in_live_date_order():
    """Release 1.0 went live last: the range is 4.0 to 1.0, not 1.0 to 4.14 (ids as text)."""
    p = build()
    late = release("DCR-9000", "1.0", "2026-12-01")
    p = programme([*p.releases, late], p.lessons, p.actions)
    ordered = programme(sorted(p.releases, key=lambda r: r.live_date), p.lessons, p.actions)
    deck = deck_of(ordered, release=None, today=TODAY, next_review=REVIEW)
    assert deck.subtitle == (f"All {RELEASES + 1} releases: 4.0 (live 2026-01-01) to 1.0 "
                             "(live 2026-12-01)")
    trend = slides(deck, "trend")[0].blocks[0]
    assert trend.categories[-1] == "1.0"
