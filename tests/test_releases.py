"""Release files and templates: merging, Jinja, relative dates, and every error named."""
from __future__ import annotations

from datetime import date

import pytest

from jirasync.config import load_config
from jirasync.releases import load_programme
from tests.helpers import RELEASE, write_programme

TEMPLATE = """\
lessons:
  - id: partner-feeds-off
    kind: keep
    theme: partner-comms
    title: Partner feeds switched off before the drop of {{ release.name }}
    actions:
      - id: confirm
        title: Confirm switch-off with every partner
        owner: "{{ people.release_manager }}"
        due: +2w
  - id: charter
    kind: keep
    title: Delivery charter followed
"""

EXTENDING = """\
id: "5.0"
name: Release 5.0
live_date: 2027-01-31
extends: mine
lessons:
  - id: partner-feeds-off
    kind: improve
    actions:
      - id: checklist
        title: Add T-5 shutdown to the checklist
        owner: sam.jones@example.org
        due: +1m
  - id: own-lesson
    kind: keep
    title: Our own lesson
"""


def programme(tmp_path, **kw):
    config = load_config(write_programme(tmp_path, **kw))
    return load_programme(config.releases_dir, config.templates_dir, config.people)


def test_release_file_reads_into_lessons_and_actions(tmp_path):
    (release,) = programme(tmp_path).releases
    assert (release.id, release.live_date, release.slug) == ("4.2", date(2026, 10, 14), "4-2")
    feeds = release.lessons[0]
    assert (feeds.id, feeds.kind, feeds.theme) == ("feeds-off", "improve", "partner-comms")
    assert feeds.actions[0].owner == "sam.jones@example.org"
    assert feeds.actions[0].due == date(2026, 12, 1)


def test_extends_merges_template_overrides_by_id_and_renders_jinja(tmp_path):
    (release,) = programme(tmp_path, releases={"5.0.yaml": EXTENDING},
                           templates={"releases/mine.yaml": TEMPLATE}).releases
    assert [lesson.id for lesson in release.lessons] == ["partner-feeds-off", "charter",
                                                         "own-lesson"]
    feeds = release.lessons[0]
    assert feeds.kind == "improve"                      # the release's key wins
    assert feeds.title == "Partner feeds switched off before the drop of Release 5.0"
    assert feeds.theme == "partner-comms"               # the template's key stays
    assert [(a.id, a.owner, a.due) for a in feeds.actions] == [
        ("confirm", "jodie.crowfoot@example.org", date(2027, 2, 14)),
        ("checklist", "sam.jones@example.org", date(2027, 2, 28))]   # +1m clamps to month end


def test_packaged_standard_template_is_found_without_templates_dir(tmp_path):
    text = RELEASE.replace("lessons:", "extends: standard\nlessons:")
    (release,) = programme(tmp_path, releases={"4.2.yaml": text}).releases
    ids = [lesson.id for lesson in release.lessons]
    assert "partner-feeds-off" in ids and "delivery-charter" in ids and "feeds-off" in ids


def test_user_template_overrides_packaged_one_by_name(tmp_path):
    text = RELEASE.replace("lessons:", "extends: standard\nlessons:")
    (release,) = programme(tmp_path, releases={"4.2.yaml": text},
                           templates={"releases/standard.yaml": TEMPLATE}).releases
    assert [lesson.id for lesson in release.lessons][:2] == ["partner-feeds-off", "charter"]


@pytest.mark.parametrize("text,expected", [
    (RELEASE.replace("kind: keep", "kind: fix"),
     "4.2.yaml:17: lessons[rehearsal].kind: 'fix' is not one of: keep, improve"),
    (RELEASE.replace("due: 2026-12-01", "due: 1st of December"),
     "4.2.yaml:15: lessons[feeds-off].actions[feeds-checklist].due: '1st of December' is not a date"),
    (RELEASE.replace("live_date: 2026-10-14", "live_date: 14/10/2026"),
     "4.2.yaml:3: live_date: '14/10/2026' is not a date"),
    (RELEASE.replace("id: rehearsal", "id: feeds-off"),
     "4.2.yaml:16: lessons[1].id: 'feeds-off' is used twice in lessons (first on line 5)"),
    (RELEASE.replace("title: Two", "title: Two {{ relase.name }}"),
     "4.2.yaml:18: lessons[rehearsal].title: Jinja expression uses an undefined name: 'relase' is undefined"),
    (RELEASE.replace("theme: partner", "thme: partner"),
     "4.2.yaml:10: lessons[feeds-off].thme: unknown key; did you mean 'theme'?"),
    (RELEASE.replace("lessons:", "extends: nosuch\nlessons:"),
     "4.2.yaml:4: extends: release template 'nosuch' not found"),
    (RELEASE + "  - [oops\n", "4.2.yaml:19: YAML syntax error"),
    (RELEASE.replace('id: "4.2"', 'id: "4.2"\nid: "4.3"'),
     "4.2.yaml:2: id: appears twice in the same block"),
], ids=["bad-kind", "bad-due", "bad-live-date", "duplicate-lesson-id", "undefined-jinja",
        "unknown-key", "missing-template", "yaml-syntax", "duplicate-key"])
def test_broken_release_is_reported_with_file_line_key_and_not_read_as_empty(tmp_path, text,
                                                                              expected):
    result = programme(tmp_path, releases={"4.2.yaml": text, "4.1.yaml": RELEASE.replace(
        '"4.2"', '"4.1"')})
    assert [r.id for r in result.releases] == ["4.1"]          # the good file still loads
    found = [str(p) for p in result.broken[str(tmp_path / "releases" / "4.2.yaml")]]
    assert any(expected in line for line in found), found


def test_two_files_with_one_release_id_are_an_error(tmp_path):
    result = programme(tmp_path, releases={"a.yaml": RELEASE, "b.yaml": RELEASE})
    assert [r.id for r in result.releases] == ["4.2"]
    assert "is also used by" in str(result.problems[0])


def test_ids_keep_the_text_as_written(tmp_path):
    text = RELEASE.replace('id: "4.2"', "id: 4.10")
    (release,) = programme(tmp_path, releases={"4.10.yaml": text}).releases
    assert release.id == "4.10" and release.slug == "4-10"


def test_unquoted_jinja_at_start_of_value_gets_a_hint(tmp_path):
    text = RELEASE.replace("title: Two", "title: {{ release.name }} Two")
    result = programme(tmp_path, releases={"4.2.yaml": text})
    (problem,) = result.problems
    assert problem.line == 18 and "must be in quotes" in problem.message


def _problems(tmp_path, text):
    result = programme(tmp_path, releases={"4.2.yaml": text})
    return [str(p) for p in result.broken[str(tmp_path / "releases" / "4.2.yaml")]]


def test_an_id_of_digits_names_its_lesson_by_place_so_no_two_lessons_share_a_name(tmp_path):
    # id 2 first, then two lessons sharing an id: both would have been 'lessons[2]'.
    text = RELEASE.replace("id: feeds-off", "id: 2").replace("theme: partner", "thme: partner")
    text += "  - id: rehearsal\n    kind: keep\n    title: Three\n"
    found = _problems(tmp_path, text)
    assert any("4.2.yaml:10: lessons[0].thme: unknown key" in line for line in found), found
    assert any("4.2.yaml:19: lessons[2].id: 'rehearsal' is used twice" in line
               for line in found), found


@pytest.mark.parametrize("written", ["[a, b]", "{one: 1}"], ids=["list", "block"])
def test_a_lesson_id_that_is_a_list_or_a_block_is_reported_not_a_crash(tmp_path, written):
    found = _problems(tmp_path, RELEASE.replace("id: rehearsal", f"id: {written}"))
    assert any("4.2.yaml:16: lessons[1].id: must be a single line of text" in line
               for line in found), found


def test_two_lessons_without_an_id_are_each_reported(tmp_path):
    text = RELEASE.replace("  - id: rehearsal\n", "  -\n") + "  - kind: keep\n    title: Three\n"
    found = _problems(tmp_path, text)
    assert any("4.2.yaml:17: lessons[1].id: is required and missing" in line
               for line in found), found
    assert any("4.2.yaml:19: lessons[2].id: is required and missing" in line
               for line in found), found
