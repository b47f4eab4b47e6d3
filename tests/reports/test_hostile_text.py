"""Summaries written in Jira to attack each report format are shown as data in all of
them: no formula in CSV, no markup or template run in HTML and Markdown, no escape
sequence reaching a terminal, and a PowerPoint file that opens."""
from __future__ import annotations

import csv
import io
import json

from pptx import Presentation

HOSTILE = {
    "act-script": "</textarea><script>alert(2)</script> {{ 7*7 }} {% raw %}",
    "act-late": "-2+3 and \u202e=evil\u202c \x1b]0;pwned\x07 \x1b[31mred",
    "act-open": "@SUM(1+1)\tcmd",
    "again": '=HYPERLINK("http://x","y")',
    "script": "\tTabbed \x0b vt \x1b esc \x07 bell \x00 nul \u202e rtl",
}
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def test_hostile_summaries_are_data_in_every_format(history, cli, tmp_path):
    for name, summary in HOSTILE.items():
        history.sb.edit(history.keys[name], summary=summary)
    history.sb.reset_log()
    runs = {"csv": ("export",), "json": ("export", "--format", "json"),
            "agenda.md": ("agenda", "--review", "2026-12-01"),
            "agenda.html": ("agenda", "--review", "2026-12-01", "--format", "html"),
            "deck.html": ("deck", "4.2"), "deck.md": ("deck", "4.2", "--format", "md"),
            "deck.pptx": ("deck", "4.2", "--format", "pptx", "-o", str(tmp_path / "d.pptx")),
            "status": ("status",)}
    out = {}
    for name, args in runs.items():
        code, out[name], err = cli(*args, "--today", "2026-12-10")
        assert code == 0, (name, err)
    table = csv.reader(io.StringIO(out["csv"].lstrip("\ufeff"), newline=""))
    assert not [cell for row in table for cell in row if cell.startswith(FORMULA)]
    for name in ("agenda.md", "agenda.html", "deck.html", "deck.md"):
        assert "<script>alert" not in out[name] and "</textarea><" not in out[name], name
        assert "{{ 7" in out[name] and "raw %}" in out[name], name
    for name in ("agenda.md", "deck.md", "status"):
        assert "pwned" in out[name], name
    # One printable rule for every text format, each keeping its own escaping on top:
    # no control character, NUL or bidi override in any file, nor in JSON's values.
    values = json.dumps(json.loads(out["json"]), ensure_ascii=False)
    for name, text in [*out.items(), ("json values", values)]:
        assert not [c for c in "\x00\x07\x0b\x1b\u202e\u202c" if c in text], name
        assert not any(f"\\u{ord(c):04x}" in text for c in "\x00\x07\x1b"), name
    cells = [cell.text for slide in Presentation(str(tmp_path / "d.pptx")).slides
             for shape in slide.shapes if shape.has_table
             for row in shape.table.rows for cell in row.cells]
    assert any("vt" in c and "esc" in c for c in cells), cells
    assert history.sb.count(write=True) == 0
