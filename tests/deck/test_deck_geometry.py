"""Text that fits, checked on the PowerPoint file as written (not on the deck's own plan):
for every slide of every kind, on the demo-sized programme and on stress inputs (a
1,000-lesson release, 250-character titles, CJK and right-to-left text), every shape lies
on the slide, every table's height (its cells' text measured at its own type size and
column widths) ends above the footer, and no header word is wider than its column."""
from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pptx import Presentation
from pptx.util import Emu

import jirasync.reports.layout as L
from jirasync.model import Lesson, Release
from jirasync.reports.deckjob import deck_of, render_deck
from tests.reports.build import action, lesson, programme, release
from tests.reports.test_figures import PROGRAMME

TODAY = date(2026, 12, 10)
REVIEW = datetime(2027, 1, 5, 10, tzinfo=ZoneInfo("Europe/London"))
LONG = ("Partners were not told in time that the environment would be dropped, so their "
        "feeds kept sending messages into a system that no longer existed, and the "
        "support desk spent the first weekend of the release chasing phantom errors")
CJK = "合作伙伴没有及时关闭数据源导致环境下线后仍有消息进入系统支持团队整个周末都在排查错误" * 3
RTL = "השותפים לא כיבו את ההזנות בזמן ולכן הודעות המשיכו להגיע למערכת שכבר לא הייתה קיימת " * 2


def stress(lessons: int, title: str, *, releases: int = 3):
    """``releases`` releases a month apart, the last with ``lessons`` lessons titled
    ``title`` (cut to 250 characters), each with two actions, half still open and late;
    earlier ones carry into the last."""
    n, rs, ls, acts = iter(range(1, 10**6)), [], [], []
    for r in range(releases):
        live = date(2026, 6, 1) + timedelta(days=30 * r)
        rel = release(f"DCR-{next(n)}", f"4.{r}", live.isoformat(),
                      name=f"Release 4.{r} — {title[:60]}")
        rs.append(rel)
        for k in range(lessons if r == releases - 1 else 6):
            les = lesson(f"DCR-{next(n)}", rel.release, rel.key, f"{k} {title}"[:250],
                         theme=f"theme-{k % 4}", created=(live - timedelta(days=3)).isoformat())
            ls.append(les)
            for a in range(2):
                acts.append(action(f"DCR-{next(n)}", rel.release, les.key,
                                   owner=f"Owner {title[:12]} {k}", title=f"{a} {title}"[:250],
                                   created=live.isoformat(),
                                   due=(live + timedelta(days=20)).isoformat()))
    return programme(rs, ls, acts)


def files_of(prog, text: str) -> dict[str, Release]:
    """Release files whose lessons say what happened, its cause and effect at length, and
    measures with long names and values."""
    lesson = Lesson("l", "improve", text[:80], description=text, cause=text, effect=text,
                    raised_by=text[:40])
    measures = tuple((f"{text[:40]} {n}", text[:120]) for n in range(6))
    return {r.release: Release(r.release, r.name, r.live_date, lessons=(lesson,),
                               measures=measures) for r in prog.releases}


def pptx_of(prog, release_id, files=None):
    deck = deck_of(prog, release=release_id, today=TODAY, next_review=REVIEW, files=files)
    return deck, Presentation(io.BytesIO(render_deck(deck, "pptx").bytes()))


CASES = {
    "demo": (PROGRAMME, "4.2"),
    "programme": (PROGRAMME, None),
    "1,000 lessons": (stress(1000, "Partners turned their feeds off late"), "4.2"),
    "250-character titles": (stress(40, LONG), "4.2"),
    "CJK": (stress(40, CJK), "4.2"),
    "right to left": (stress(40, RTL), "4.2"),
    "250 characters, programme": (stress(12, LONG), None),
}
WRITTEN = {"250-character titles": LONG, "CJK": CJK, "right to left": RTL,
           "250 characters, programme": LONG}


@pytest.fixture(scope="module", params=list(CASES), ids=list(CASES))
def written(request):
    prog, release_id = CASES[request.param]
    text = WRITTEN.get(request.param)
    return pptx_of(prog, release_id, files_of(prog, text) if text else None)


def table_height(shape) -> tuple[float, list[str]]:
    """The table's height in slide units as its text needs it, and its header words too
    wide for their column."""
    unit = 9525                                 # EMU a slide unit on a 13.33 in slide
    widths = [c.width / unit for c in shape.table.columns]
    total, too_wide = 0.0, []
    for n, row in enumerate(shape.table.rows):
        tallest = 0.0
        for cell, w in zip(row.cells, widths, strict=True):
            runs = [r for p in cell.text_frame.paragraphs for r in p.runs]
            size = runs[0].font.size.pt / 0.75 if runs else L.TABLE_SIZE
            pad_x = (cell.margin_left + cell.margin_right) / unit
            pad_y = (cell.margin_top + cell.margin_bottom) / unit
            lines = L.lines(cell.text, size, w - pad_x, bold=n == 0)
            tallest = max(tallest, pad_y + lines * size * L.LINE)
            if n == 0:
                too_wide += [word for word in cell.text.split()
                             if L.width(word, size, bold=True) > w - pad_x]
        total += tallest
    return total, too_wide


def misfits(prs) -> list[tuple]:
    """Every shape off its slide, table taller than its room, header word wider than its
    column and slide without speaker notes, as (slide number, title, shape, what)."""
    bottom, found = L.BODY_BOTTOM * 9525, []
    for number, slide in enumerate(prs.slides, start=1):
        title = slide.shapes.title.text if slide.shapes.title is not None else ""
        for shape in slide.shapes:
            where = (number, title, shape.name)
            if not (0 <= shape.left and shape.left + shape.width <= prs.slide_width and
                    0 <= shape.top and shape.top + shape.height <= prs.slide_height):
                found.append((*where, "off the slide"))
            if shape.has_table:
                needed, too_wide = table_height(shape)
                if shape.top + needed * 9525 > bottom:
                    found.append((*where, (f"table needs {needed:.0f} units, has "
                                          f"{L.BODY_BOTTOM - shape.top / 9525:.0f}")))
                if too_wide:
                    found.append((*where, f"header words broken: {too_wide}"))
        if not (slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip()):
            found.append((number, title, "", "no speaker notes"))
    return found


def test_every_slide_fits(written):
    deck, prs = written
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.001
    assert misfits(prs) == []
    kinds = {s.section for s in deck.slides}
    assert kinds >= {"summary", "lessons", "state", "carried", "trend", "indicators",
                     "recurring", "next", "appendix"}


def test_titles_span_the_slide(written):
    """A title placeholder is 16:9's, not the 4:3 template's: centred on the slide and
    nearly as wide as it."""
    _, prs = written
    for slide in prs.slides:
        title = slide.shapes.title
        assert title.width > prs.slide_width * 0.85
        assert abs(title.left + title.width / 2 - prs.slide_width / 2) < Emu(20000)


def test_the_layout_s_own_measure_errs_on_the_roomy_side():
    """The estimate is Arial's width: wider than Calibri, PowerPoint's default."""
    assert 300 < L.width("Partners turned their feeds off late", 20) < 330
    assert L.lines("word " * 40, 20, 200) >= 9
    assert L.lines(CJK[:40], 20, 200) == 5                     # CJK breaks anywhere
