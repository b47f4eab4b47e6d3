"""The YAML door reads with libyaml where it can, and reports as the Python loader does."""
from __future__ import annotations

import pytest

from jirasync import loading
from jirasync.errors import InputError

RELEASE = """\
id: 4.10
name: Release 4.10
live_date: 2026-06-01
lessons:
  - id: l1
    kind: improve
    title: "Lesson: {{ release.id }}"
    done: no
    actions:
      - {id: a1, title: Act, owner: x@example.org, due: +30d}
      - id: a2
        note: ~
"""


def _lines(data):
    if isinstance(data, dict):
        return [data.line, data.lines, *(_lines(v) for v in data.values())]
    if isinstance(data, list):
        return [data.line, data.lines, *(_lines(v) for v in data)]
    return data


def test_fast_and_python_loaders_give_the_same_data_and_lines():
    fast = loading.load_text(RELEASE, "r.yaml")
    slow = loading._load_slow(RELEASE, "r.yaml")
    assert fast == slow
    assert _lines(fast) == _lines(slow)
    assert fast["id"] == "4.10" and fast["lessons"][0]["done"] == "no"
    assert fast["lessons"][0]["actions"][1]["note"] is None


@pytest.mark.parametrize("text", [
    "id: 1\nname: x\n\tlive_date: 2026-01-01\n",
    "id: 1\nlessons:\n  - title: {{ release.id }}\n",
    "id: 1\nid: 2\n",
    "id: [1, 2\nname: x\n",
    "id: !!int 3\n",
    "id: 1\n---\nid: 2\n",
])
def test_a_refused_file_is_reported_as_the_python_loader_reports_it(text):
    with pytest.raises(InputError) as fast:
        loading.load_text(text, "r.yaml")
    with pytest.raises(InputError) as slow:
        loading._load_slow(text, "r.yaml")
    assert [str(p) for p in fast.value.problems] == [str(p) for p in slow.value.problems]
    assert fast.value.problems[0].line is not None


def test_the_fast_loader_is_used_when_libyaml_is_there():
    import yaml
    assert (loading._FastLoader is not None) == bool(getattr(yaml, "__with_libyaml__", False))
