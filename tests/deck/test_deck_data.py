"""The deck as data, without Jira: slide order, continuation slides, the executive
summary's numbers, escaping in each format, and templates overridden by name."""
from __future__ import annotations

import re
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from jirasync.reports import layout
from jirasync.reports.deck import SECTIONS
from jirasync.reports.deckfiles import deck_html, deck_markdown, markdown_text
from jirasync.reports.deckjob import deck_of
from jirasync.reports.lessonsreport import short
from jirasync.reports.pages import height, paginate
from jirasync.reports.slides import Bullets, Chart, Series, Slide, Stat, Stats, Table
from jirasync.reports.svgchart import plot
from tests.reports.test_figures import PROGRAMME, TODAY

REVIEW = datetime(2027, 1, 5, 10, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(scope="module")
def deck():
    return deck_of(PROGRAMME, release="4.2", today=TODAY, next_review=REVIEW)


def test_the_slides_follow_the_lessons_report_in_order(deck):
    assert deck.sections() == SECTIONS


def test_a_long_table_flows_onto_continuation_slides_split_evenly():
    rows = tuple((str(n), f"action {n}") for n in range(40))
    alone = paginate(Slide("actions", "Actions agreed", (Table(("key", "title"), rows),)))
    sizes = [len(s.blocks[0].rows) for s in alone]
    assert [s.heading for s in alone] == [f"Actions agreed ({n} of {len(alone)})"
                                          for n in range(1, len(alone) + 1)]
    assert sum(sizes) == 40 and len(alone) > 1 and max(sizes) - min(sizes) <= 1
    assert all(height(s.blocks[0]) <= layout.BODY_H for s in alone)
    beside = paginate(Slide("state", "State", (Stats((Stat("open", "3"),)),
                                               Table(("key", "title"), rows))))
    assert [len(s.blocks) for s in beside] == [2] + [1] * (len(beside) - 1)
    assert sum(len(s.blocks[-1].rows) for s in beside) == 40
    assert paginate(Slide("x", "X", (Bullets(tuple("abc")),)))[0].parts == 1


def test_no_page_carries_one_leftover_row():
    """Filling each page would leave one row for the last: the rows are shared out."""
    row = 2 * layout.PAD_Y + layout.TABLE_SIZE * layout.LINE      # one line, as the header
    full = int((layout.BODY_H - row) // row)
    rows = tuple((f"k{n}",) for n in range(full + 1))
    pages = paginate(Slide("a", "A", (Table(("key",), rows),)))
    assert [len(p.blocks[0].rows) for p in pages] == [(full + 2) // 2, (full + 1) // 2]


def test_a_row_of_long_text_is_counted_by_the_lines_it_takes():
    short = tuple((f"k{n}", "short") for n in range(30))
    long = tuple((f"k{n}", "a long title that wraps " * 8) for n in range(30))
    pages = [paginate(Slide("a", "A", (Table(("key", "title"), r),))) for r in (short, long)]
    assert len(pages[1]) > len(pages[0]) + 1


def test_the_summary_says_the_numbers_of_its_slides(deck):
    summary = " ".join(deck.slides[1].blocks[0].items)
    assert 3 <= len(deck.slides[1].blocks[0].items) <= 5
    assert "2 lessons were identified in release 4.2: 0 to keep and 1 to improve" in summary
    assert "3 actions were agreed: 2 done (67%), 1 open, of which 1 overdue" in summary
    assert "2 actions and 1 lesson from earlier releases were still open when 4.2 went live, " \
           "more than the 0 carried into 4.1" in summary
    assert "DCR-14 is 9 days late (owner Priya Shah)" in summary
    state = next(s for s in deck.slides if s.section == "state").blocks[0]
    assert [(x.label, x.value) for x in state.items] == [("open", "1"), ("done", "2"),
                                                        ("overdue", "1")]


def test_the_html_deck_is_self_contained_and_escapes_jira_text(deck):
    html = deck_html(deck)
    assert not re.search(r"""(src|href)=["']?(https?:)?//(?!jira\.example\.org)""", html)
    assert "@import" not in html and "url(" not in html and "@font-face" not in html
    assert html.count("<script>") == 1                       # the deck's own navigation
    assert "Content-Security-Policy" in html


def test_markup_in_jira_text_is_shown_as_written_in_every_format():
    title = '<script>alert(1)</script> | *bold* [x](y) & "q"'
    table = Table(("key", "title"), (("DCR-1", title),))
    from jirasync.reports.slides import Deck
    deck = Deck(title, "s", "2026-12-10", (Slide("summary", "S", (table, Bullets((title,)))),))
    html = deck_html(deck)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    md = deck_markdown(deck)
    front, body = md.split("\n---\n", 1)[0], md.split("\n---\n", 1)[1]
    assert "<script>" not in body                            # the front matter is YAML data
    assert "| DCR-1 | &lt;script&gt;alert(1)&lt;/script&gt; \\| \\*bold\\* \\[x\\](y) &amp; " \
           '"q" |' in md
    assert 'title: "<script>alert(1)</script> | *bold* [x](y) & \\"q\\""' in front
    assert markdown_text("two\nlines") == "two lines"


def test_a_template_is_overridden_by_name_in_templates_dir(deck, tmp_path):
    (tmp_path / "deck").mkdir()
    (tmp_path / "deck" / "deck.css").write_text(".slide { background: #fdf6e3; }\n")
    html = deck_html(deck, tmp_path)
    assert ".slide { background: #fdf6e3; }" in html
    assert 'class="slide slide-title' in html                # the rest still packaged


def test_long_titles_are_cut_at_a_word():
    assert short("a" * 10) == "a" * 10
    cut = short("word " * 40)
    assert len(cut) <= 80 and cut.endswith("word…")


def test_the_chart_axis_has_whole_round_ticks():
    chart = Chart("t", ("4.1", "4.2"), (Series("lessons", (9, 3)), Series("actions", (0, 1))))
    ticks = [t.text for t in plot(chart).ticks]
    assert ticks == ["0", "3", "6", "9", "12"]
    assert [b.value for b in plot(chart).bars] == ["9", "0", "3", "1"]


@pytest.mark.parametrize("was,now,said", [
    (3, 1, "fewer than the 3 carried into 4.2"),
    (1, 3, "more than the 1 carried into 4.2"),
    (2, 2, "the same as the 2 carried into 4.2"),
])
def test_the_summary_compares_what_was_carried_in_plain_words(was, now, said):
    from jirasync.reports.summary import _carried
    carried = SimpleNamespace(release="4.3", live_date=date(2026, 12, 1),
                              count=SimpleNamespace(actions=now, lessons=0))
    trend = (SimpleNamespace(release="4.2", live_date=date(2026, 10, 14),
                             carried_in=was),)
    text = _carried(SimpleNamespace(carried_over=carried), trend)
    assert text.endswith(f"still open when 4.3 went live, {said}.")
