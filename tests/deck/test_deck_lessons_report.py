"""The Lessons Report's whole content in the deck: scope, what went well, what went badly
with what happened, cause and effect (from the release files), the significant lessons
ranked, recommendations with the lessons proposed for the standard template because they
recurred, the release's measurements beside the lessons indicators. And the release
file's optional keys behind them (cause, effect, measures), checked like the others."""
from __future__ import annotations

from datetime import date, datetime
from textwrap import dedent
from zoneinfo import ZoneInfo

import pytest

from jirasync.errors import InputError
from jirasync.model import Lesson, Release
from jirasync.releases import load_release
from jirasync.reports.deck import SECTIONS
from jirasync.reports.deckfiles import deck_markdown
from jirasync.reports.deckjob import deck_of
from jirasync.reports.slides import Table
from tests.reports.test_figures import PROGRAMME, TODAY

REVIEW = datetime(2027, 1, 5, 10, tzinfo=ZoneInfo("Europe/London"))
FILES = {
    "4.1": Release("4.1", "Release 4.1", date(2026, 6, 1), lessons=(
        Lesson("l", "improve", "Partners turned their feeds off late",
               description="Feeds kept sending after the drop."),)),
    "4.2": Release("4.2", "Release 4.2", date(2026, 10, 14), measures=(
        ("planned live date", "2026-10-07"), ("defects after go-live", "4")), lessons=(
        Lesson("l", "improve", "Partners turned feeds off late again",
               description="Two partners were still sending when the environment dropped.",
               cause="The switch-off was a courtesy email, not a checklist step.",
               effect="Four hours of messages replayed by hand.", raised_by="Ada Lovelace"),)),
}


@pytest.fixture(scope="module")
def deck():
    return deck_of(PROGRAMME, release="4.2", today=TODAY, next_review=REVIEW, files=FILES)


def page(deck, section):
    return [s for s in deck.slides if s.section == section]


def rows(deck, section):
    return [r for s in page(deck, section) for b in s.blocks if isinstance(b, Table)
            for r in b.rows]


def text(row) -> list[str]:
    return [", ".join(str(v) for v in c) if isinstance(c, tuple) else str(c) for c in row]


def test_the_sections_come_in_the_lessons_report_s_order(deck):
    assert deck.sections() == SECTIONS
    assert SECTIONS.index("scope") < SECTIONS.index("well") < SECTIONS.index("badly") < \
        SECTIONS.index("significant") < SECTIONS.index("recommendations") < \
        SECTIONS.index("measures") < SECTIONS.index("next")


def test_scope_names_the_release_its_dates_and_who_took_part(deck):
    (scope,) = page(deck, "scope")
    lines = scope.blocks[0].items
    assert lines[0].startswith("4.2: release 4.2, live 2026-10-14")
    assert "lessons raised 2026-10-15 to 2026-10-20" in lines[1]
    assert lines[2] == "Who took part: Priya Shah, Sam Jones, Ada Lovelace"


def test_what_went_badly_says_what_happened_its_cause_and_effect(deck):
    table = {r[0]: r for r in (text(r) for r in rows(deck, "badly"))}
    assert table["DCR-11"][2:] == [
        "Two partners were still sending when the environment dropped.",
        "The switch-off was a courtesy email, not a checklist step.",
        "Four hours of messages replayed by hand."]
    assert set(table) == {"DCR-11"}          # DCR-12 is neither keep nor improve yet


def test_the_significant_lessons_are_ranked_with_their_reasons(deck):
    ranked = [text(r) for r in rows(deck, "significant")]
    assert ranked[0][:2] == ["1", "DCR-11"]
    assert ranked[0][3].startswith("raised again (as DCR-2 in 4.1)")
    assert "1 action overdue, the worst by 9 days" in ranked[0][3]
    assert ranked[1][:2] == ["2", "DCR-2"] and "carried over, 147 days old" in ranked[1][3]
    assert [r[0] for r in ranked] == [str(n) for n in range(1, len(ranked) + 1)]


def test_recommendations_propose_recurring_lessons_for_the_standard_template(deck):
    (slide,) = page(deck, "recommendations")
    assert slide.blocks[0].items == (
        ("Add \u201cPartners turned feeds off late again\u201d (DCR-11; raised before as "
        "DCR-2 in 4.1) to the standard release template"),)
    table = [text(r) for r in rows(deck, "recommendations")]
    assert ["DCR-11", "Partners turned feeds off late again", "DCR-14", "an action",
            "Priya Shah", "2026-12-01"] in table


def test_measurements_are_shown_as_given_beside_the_indicators(deck):
    (slide,) = page(deck, "measures")
    assert [s.label for s in slide.blocks[0].items] == ["closure rate", "on-time rate",
                                                        "overdue", "carried in"]
    assert [text(r) for r in rows(deck, "measures")] == [
        ["planned live date", "2026-10-07"], ["defects after go-live", "4"]]
    md = deck_markdown(deck)
    assert "| planned live date | 2026-10-07 |" in md


def test_a_release_without_a_file_or_measures_says_what_to_add():
    deck = deck_of(PROGRAMME, release="4.2", today=TODAY, next_review=REVIEW)
    (slide,) = page(deck, "measures")
    assert slide.blocks[1].empty.startswith("No measurements in the release file: add "
                                            "`measures:`")


def test_the_release_file_keeps_cause_effect_and_measures(tmp_path):
    path = tmp_path / "4.4.yaml"
    path.write_text(dedent("""\
        id: "4.4"
        name: Release 4.4
        live_date: 2027-01-20
        measures:
          planned live date: 2027-01-13
          defects after go-live: 3
        lessons:
          - id: late-freeze
            kind: improve
            title: The freeze moved twice
            cause: |
              Nobody owned the freeze date.
            effect: A week of test time lost.
        """), encoding="utf-8")
    release = load_release(path, None, {})
    assert release.measures == (("planned live date", "2027-01-13"),
                                ("defects after go-live", "3"))
    assert (release.lessons[0].cause, release.lessons[0].effect) == (
        "Nobody owned the freeze date.", "A week of test time lost.")


def test_a_measure_that_is_a_list_is_refused_at_its_line(tmp_path):
    path = tmp_path / "4.4.yaml"
    path.write_text(dedent("""\
        id: "4.4"
        name: Release 4.4
        live_date: 2027-01-20
        measures:
          defects: [1, 2]
        """), encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_release(path, None, {})
    (problem,) = e.value.problems
    assert (problem.line, problem.key) == (5, "measures.defects")
    assert "must be a number, a date or one line of text" in problem.message
