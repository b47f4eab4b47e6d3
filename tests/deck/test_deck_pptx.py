"""The PowerPoint deck: it opens with python-pptx, has one slide per section page in the
order of SPEC §6, a native chart for the trend holding the trend's numbers, every action
key of the release, and takes the organisation's template when the config names one."""
from __future__ import annotations

import pytest
from pptx import Presentation
from pptx.util import Inches

from jirasync.cli import main
from jirasync.reports.deck import SECTIONS
from jirasync.reports.deckmeasures import TREND_SERIES
from jirasync.reports.figures import trend as trend_of
from tests.deck.conftest import TODAY
from tests.deck.test_deck_geometry import misfits

TITLES = {"summary": "Executive summary", "scope": "Scope", "lessons": "Lessons identified",
          "well": "What went well", "badly": "What went badly",
          "significant": "Significant lessons", "recommendations": "Recommendations",
          "measures": "Measurements",
          "actions": "Actions agreed", "state": "Actions' state", "carried": "Carried over",
          "trend": "Trend across releases", "indicators": "Key indicators",
          "recurring": "Recurring lessons", "next": "Next steps", "appendix": "Data appendix"}


def write(lived, path, *args):
    assert main(["-q", "--config", str(lived.config_path), "deck", *args, "--format", "pptx",
                 "-o", str(path), "--today", TODAY.isoformat()]) == 0
    return Presentation(str(path))


def text_of(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def pptx_43(lived_cloud, tmp_path_factory):
    return write(lived_cloud, tmp_path_factory.mktemp("pptx") / "deck.pptx", "4.3")


def test_the_slides_come_in_the_order_of_the_lessons_report(pptx_43, lived_cloud):
    titles = [s.shapes.title.text for s in pptx_43.slides]
    assert titles[0] == "DCR Release 4.3 — shared care records for mental health"
    order = []
    for title in titles[1:]:
        (section,) = [k for k, v in TITLES.items() if title.startswith(v)]
        if not order or order[-1] != section:
            order.append(section)
    assert order == list(SECTIONS[1:])
    assert pptx_43.slide_width == 12192000              # 16:9, 13.333 in


def test_the_trend_is_a_native_chart_with_the_trend_numbers(pptx_43, lived_cloud):
    programme, _ = lived_cloud.figures(None)
    trend = trend_of(programme, programme.releases, TODAY)      # 4.3 is the newest release
    (slide,) = [s for s in pptx_43.slides if s.shapes.title.text == TITLES["trend"]]
    (chart,) = [shape.chart for shape in slide.shapes if shape.has_chart]
    assert list(chart.plots[0].categories) == ["4.1", "4.2", "4.3"]
    series = {s.name: tuple(s.values) for s in chart.plots[0].series}
    assert series == {
        TREND_SERIES[0]: tuple(float(p.lessons.value) for p in trend),
        TREND_SERIES[1]: tuple(float(p.actions.value) for p in trend),
        TREND_SERIES[2]: tuple(float(p.carried_in) for p in trend)}


def test_every_action_key_of_the_release_is_in_the_deck(pptx_43, lived_cloud):
    programme, _ = lived_cloud.figures("4.3")
    text = "\n".join(text_of(s) for s in pptx_43.slides)
    keys = [a.key for a in programme.actions if a.release == "4.3"]
    assert keys and all(key in text for key in keys)
    assert lived_cloud.hand_made in text
    assert "<script>window.pwned = 1</script>" in text     # PowerPoint text is plain text


def test_the_organisations_template_is_used(lived_cloud, tmp_path):
    template = Presentation()                               # 4:3, with a slide of its own
    template.slides.add_slide(template.slide_layouts[0]).shapes.title.text = "Our brand"
    template.save(str(tmp_path / "brand.pptx"))
    config = lived_cloud.config_path.read_text()
    branded = tmp_path / "jirasync.yaml"
    branded.write_text(config.replace("releases_dir: releases",
                                      f"releases_dir: {lived_cloud.root / 'releases'}")
                       + f"deck:\n  pptx_template: {tmp_path / 'brand.pptx'}\n")

    deck = tmp_path / "deck.pptx"
    assert main(["-q", "--config", str(branded), "deck", "4.3", "--format", "pptx", "-o",
                 str(deck), "--today", TODAY.isoformat()]) == 0

    made = Presentation(str(deck))
    assert made.slide_width == template.slide_width and made.slide_height == Inches(7.5)
    assert "Our brand" not in "\n".join(text_of(s) for s in made.slides)
    assert made.slides[0].shapes.title.text.startswith("DCR Release 4.3")


def test_a_template_that_is_not_there_is_a_config_error(lived_cloud, tmp_path, capsys):
    branded = tmp_path / "jirasync.yaml"
    branded.write_text(lived_cloud.config_path.read_text() +
                       "deck:\n  pptx_template: brand.pptx\n")
    code = main(["--config", str(branded), "deck", "4.3", "--format", "pptx",
                 "-o", str(tmp_path / "d.pptx")])
    assert code == 2
    assert "deck.pptx_template:" in capsys.readouterr().err


def test_every_slide_of_the_demo_fits(pptx_43):
    """The demo's release deck passes the geometry check (tests/deck/test_deck_geometry):
    it found "Carried over into 4.3 (1 of 2)" running off the slide."""
    assert misfits(pptx_43) == []
