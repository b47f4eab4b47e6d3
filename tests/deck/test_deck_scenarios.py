"""`jirasync deck` against the sandbox, both flavours: the numbers on the slides are the
figures of the reports, hand-made lessons appear, and bad requests are refused early."""
from __future__ import annotations

import re

import pytest

from jirasync.cli import main
from tests.deck.conftest import TODAY


def deck(lived, tmp_path, capsys, *args: str, fmt: str = "md") -> str:
    out = tmp_path / f"deck.{fmt}"
    code = main(["--config", str(lived.config_path), "deck", *args, "--format", fmt,
                 "-o", str(out), "--today", TODAY.isoformat()])
    _, err = capsys.readouterr()
    assert code == 0, err
    return out.read_text(encoding="utf-8")


def stat(markdown: str, label: str) -> str:
    """The value shown for an indicator: '- **83%** closure rate (...)'; the same on
    every slide that shows it."""
    markdown = markdown.split("\n**Releases ")[0]         # the indicators of releases to date
    found = set(re.findall(rf"^- \*\*(.+?)\*\* {re.escape(label)}\b", markdown, re.MULTILINE))
    assert len(found) == 1, (label, found)
    return found.pop()


def slide(markdown: str, title: str) -> str:
    (text,) = [s for s in markdown.split("\n---\n") if s.lstrip().startswith(f"## {title}")]
    return text


@pytest.mark.parametrize("release", ["4.3", "4.2", None], ids=["4.3", "4.2", "programme"])
def test_the_numbers_on_the_slides_are_the_figures(lived, tmp_path, capsys, release):
    _, f = lived.figures(release)
    md = deck(lived, tmp_path, capsys, *([release] if release else ["--programme"]))

    lessons, actions, i, carried = f.lessons, f.actions, f.indicators, f.carried_over
    assert stat(md, "lessons identified") == str(lessons.total.value)
    assert stat(md, "to keep") == str(lessons.keep.value)
    assert stat(md, "to improve") == str(lessons.improve.value)
    assert stat(md, "open") == str(actions.open.value)
    assert stat(md, "done") == str(actions.done.value)
    assert stat(md, "overdue") == str(actions.overdue.value)
    assert stat(md, "closure rate") == i.closure_rate.percent
    assert stat(md, "on-time rate") == i.on_time_rate.percent
    assert stat(md, "completeness") == i.completeness.percent
    assert stat(md, "lessons carried") == str(carried.lessons.value)
    assert stat(md, "actions carried") == str(carried.actions.value)
    assert stat(md, "still open today") == str(carried.still_open.value)
    summary = slide(md, "Executive summary")
    assert f"{lessons.total.value} lessons were identified" in summary
    assert f"{actions.agreed.value} action" in summary and f"{actions.done.value} done" in summary
    trend = slide(md, "Trend across releases")
    for point in f.trend if release is None else ():
        assert re.search(rf"^\| {re.escape(point.release)} \| {point.lessons.value} \| "
                         rf"{point.actions.value} \| {point.carried_in} \| "
                         rf"{re.escape(point.closure.percent)} \|$", trend, re.MULTILINE), point.release
    appendix = "\n".join(s for s in md.split("\n---\n") if "## Data appendix" in s)
    for key in actions.agreed.keys + lessons.total.keys:
        assert key in appendix


def test_a_lesson_made_by_hand_in_jira_is_counted_and_listed(lived, tmp_path, capsys):
    md = deck(lived, tmp_path, capsys, "4.3")

    listed = "\n".join(s for s in md.split("\n---\n") if "## Lessons identified: the list" in s)
    assert f"[{lived.hand_made}](" in listed
    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt; Vendors" in listed
    assert "<script>" not in md
    assert "(1 raised by hand in Jira)" in slide(md, "Executive summary")


def test_the_pptx_deck_carries_the_same_indicators(lived, tmp_path, capsys):
    from pptx import Presentation
    _, f = lived.figures("4.3")
    out = tmp_path / "deck.pptx"
    assert main(["--config", str(lived.config_path), "deck", "4.3", "--format", "pptx",
                 "-o", str(out), "--today", TODAY.isoformat()]) == 0
    texts = [shape.text_frame.text for s in Presentation(str(out)).slides
             for shape in s.shapes if shape.has_text_frame]
    assert f"{f.indicators.closure_rate.percent}\ncompleteness" not in texts   # not mixed up
    assert f"{f.indicators.completeness.percent}\ncompleteness\n" \
           f"{f.indicators.completeness.part.value} of {f.indicators.completeness.whole.value}" \
           " with owner and date" in texts


def test_an_unknown_release_is_refused_naming_the_known_ones(lived, tmp_path, capsys):
    code = main(["--config", str(lived.config_path), "deck", "9.9", "-o",
                 str(tmp_path / "d.html")])
    _, err = capsys.readouterr()
    assert code == 2
    assert "release '9.9' is not in Jira project DCR; known releases: 4.1, 4.2, 4.3" in err
    assert not (tmp_path / "d.html").exists()


@pytest.mark.parametrize("args,message", [
    (["4.3", "-o", "no/such/folder/deck.html"], "folder no/such/folder does not exist"),
    (["4.3", "--format", "pptx"], "--format pptx is a binary file: give -o FILE.pptx"),
    (["--programme", "4.3"], "give a RELEASE id or --programme (one of them)"),
    ([], "give a RELEASE id or --programme (one of them)"),
], ids=["missing-folder", "pptx-needs-o", "both", "neither"])
def test_what_cannot_be_written_is_refused_before_reading_jira(lived, tmp_path, capsys,
                                                               monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    lived.sb.reset_log()
    code = main(["--config", str(lived.config_path), "deck", *args])
    out, err = capsys.readouterr()
    assert code == 2 and message in err and out == ""
    assert lived.sb.count() == 0
    assert not (tmp_path / "no").exists()


def test_an_unknown_extension_is_written_when_format_says_what(lived, tmp_path, capsys):
    out = tmp_path / "board.txt"
    code = main(["--config", str(lived.config_path), "deck", "4.3", "--format", "md",
                 "-o", str(out), "--today", TODAY.isoformat()])
    assert code == 0, capsys.readouterr().err
    assert out.read_text(encoding="utf-8").startswith("---\nmarp: true\n")
    pdf = tmp_path / "board.pdf"
    code = main(["--config", str(lived.config_path), "deck", "4.3", "-o", str(pdf)])
    assert code == 2 and "--print-to-pdf" in capsys.readouterr().err
    assert not pdf.exists()


def test_without_o_the_deck_goes_to_stdout(lived, capsys):
    code = main(["--config", str(lived.config_path), "deck", "4.3", "--format", "md",
                 "--today", TODAY.isoformat()])
    out, _ = capsys.readouterr()
    assert code == 0 and out.startswith("---\nmarp: true\n")


def test_a_release_deck_shows_the_indicators_of_the_releases_to_date_beside_its_own(
        lived, tmp_path, capsys):
    _, together = lived.figures(None)            # 4.3 is the newest: all releases to date
    md = deck(lived, tmp_path, capsys, "4.3")

    indicators = slide(md, "Key indicators")
    assert "**This release (release 4.3)**" in indicators
    to_date = indicators.split("**Releases 4.1 to 4.3**")[1]
    i = together.indicators
    for label, value in (("closure rate", i.closure_rate.percent),
                         ("on-time rate", i.on_time_rate.percent),
                         ("overdue", str(i.overdue.value)),
                         ("completeness", i.completeness.percent)):
        assert f"- **{value}** {label} (" in to_date
