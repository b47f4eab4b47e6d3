"""A release file's Jinja cannot run away: time, size, powers and ranges are bounded, each
refusal is one line naming file:line and key, and it comes before any lock or write."""
from __future__ import annotations

import itertools

import pytest

from jirasync import render
from jirasync.cli import main
from tests.helpers import RELEASE, files_under, write_programme

TITLE = "title: Two data-migration rehearsals before go-live"


@pytest.mark.parametrize("expression,expected", [
    ("{{ 2 ** 99999999 }}", "power operator ** is not allowed"),
    ("{{ ('a' * 10**9) | length }}", "power operator ** is not allowed"),
    ("{{ ('a' * 999999999) | length }}", "repeating 1 characters or items 999,999,999 times"),
    ("{% for i in range(99999) %}{% for j in range(99999) %}x{% endfor %}{% endfor %}",
     "range of 99,999 numbers"),
    ("{{ 'a'.center(999999999) }}", "the number 999999999 is too large"),
    ("{{ 'a' | center(999999999) }}", "the number 999999999 is too large"),
    ("{{ '%999999999d' % 1 }}", "format width this large"),
    ("{{ '{:>999999999}'.format(1) }}", "format width this large"),
    (("{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}"
     "{% endfor %}{{ ns.s | length }}"), "Jinja built a value of 1,048,576"),
    ("{% for i in range(9000) %}{% for j in range(9000) %}{{ i }}{% endfor %}{% endfor %}",
     "Jinja output passed 1,000,000 characters"),
], ids=["power", "power-in-repeat", "huge-repeat", "huge-range", "method-width",
        "filter-width", "percent-width", "format-width", "doubling", "output"])
@pytest.mark.parametrize("command", ["check", "sync"])
def test_a_costly_expression_is_one_line_and_nothing_is_written(
        tmp_path, capsys, monkeypatch, expression, expected, command):
    monkeypatch.setenv("JIRASYNC_TEST_TOKEN", "x")
    # The size bounds are under test here, not the time limit (tested below): on a busy
    # machine the clock must not stop an expression before its size does.
    monkeypatch.setattr(render, "monotonic", lambda: 0.0)
    text = RELEASE.replace(TITLE, "title: \"" + expression.replace('"', '\\"') + "\"")
    config = write_programme(tmp_path, releases={"4.2.yaml": text})
    before = files_under(tmp_path)
    code = main([command, "--config", str(config)])
    errors = [line for line in capsys.readouterr().err.splitlines() if "error" in line]
    assert code == 2
    assert len(errors) == 1 and "4.2.yaml:18: lessons[rehearsal].title:" in errors[0], errors
    assert expected in errors[0]
    assert files_under(tmp_path) == before         # no state folder, no lock, no journal


def test_the_time_limit_is_per_file_and_reported_once(tmp_path, capsys, monkeypatch):
    ticks = itertools.count()
    monkeypatch.setattr(render, "monotonic", lambda: next(ticks) * 0.01)
    monkeypatch.setenv("JIRASYNC_TEST_TOKEN", "x")
    slow = "{% for i in range(9999) %}{% endfor %}"
    text = RELEASE.replace(TITLE, f"title: \"{slow}x\"").replace(
        "title: Add feed shutdown (T-5 days) to the drop checklist",
        f"title: \"{slow} Add feed shutdown\"")
    config = write_programme(tmp_path, releases={"4.2.yaml": text, "4.3.yaml": RELEASE.replace(
        'id: "4.2"', 'id: "4.3"')})
    code = main(["check", "--config", str(config)])
    errors = [line for line in capsys.readouterr().err.splitlines() if "error" in line]
    assert code == 2
    assert errors == [f"error: {errors[0].split('error: ')[1]}"] and "4.2.yaml:" in errors[0]
    assert "took more than 2 s to render this file" in errors[0]


def test_ordinary_expressions_still_render():
    context = {"release": {"id": "4.2", "name": "DCR"}}
    text = ("{{ release.id ~ '-x' }} {% for i in range(3) %}{{ i }}{% endfor %} "
            "{{ 'ab' * 3 }} {{ 2 * 3 }} {{ '%s-%d' % ('a', 3) }} {{ 'x' | center(5) }}")
    assert render.render_text(text, context) == "4.2-x 012 ababab 6 a-3   x  "


def test_a_report_template_may_write_more_than_a_release_file_may(tmp_path):
    """The bounds guard release files; a deck of a large release is megabytes of HTML."""
    from jirasync.render import OUTPUT_MAX, render_template, template_environment
    (tmp_path / "big.txt.j2").write_text("{% for part in parts %}{{ part }}{% endfor %}")
    env = template_environment(tmp_path)
    text = render_template(env, "big.txt.j2", {"parts": ["x" * 1000] * 1500})
    assert len(text) == 1_500_000 > OUTPUT_MAX
