"""Release files that did not change are not parsed again: the state folder keeps each
file's parse under a digest of its bytes, the templates and the people; anything else
changed is parsed again, and what comes back is what parsing gives."""
from __future__ import annotations

from dataclasses import fields
from datetime import date

import pytest

from jirasync import parsed
from jirasync.model import Action, Lesson, Release, Where
from jirasync.releases import load_programme
from jirasync.state import StateDir
from tests.sync.conftest import LESSONS, Les, release_yaml

TEMPLATE = """lessons:
  - id: comms
    kind: improve
    title: "Tell {{ release.name }}'s partners a week ahead"
"""


@pytest.fixture
def folder(tmp_path, monkeypatch):
    releases, templates = tmp_path / "releases", tmp_path / "templates"
    releases.mkdir()
    (templates / "releases").mkdir(parents=True)
    (templates / "releases" / "standard.yaml").write_text(TEMPLATE, encoding="utf-8")
    (releases / "4.2.yaml").write_text(release_yaml(), encoding="utf-8")
    (releases / "4.3.yaml").write_text(
        release_yaml("4.3", "DCR Release 4.3").replace("lessons:", "extends: standard\nlessons:"),
        encoding="utf-8")
    parses = []
    real = parsed.load_release
    monkeypatch.setattr(parsed, "load_release",
                        lambda path, *a: parses.append(path.name) or real(path, *a))
    state = StateDir(tmp_path / "state")

    def load(people=None):
        parses.clear()
        return parsed.load_programme_kept(releases, templates, people or {}, state), \
            sorted(parses)
    load.releases, load.templates = releases, templates
    return load


def test_unchanged_files_are_taken_from_the_state_folder_as_parsing_gives_them(folder):
    first, parses = folder()
    assert parses == ["4.2.yaml", "4.3.yaml"]

    again, parses = folder()

    assert parses == []
    truth = load_programme(folder.releases, folder.templates, {})
    assert again.releases == truth.releases == first.releases
    for kept, read in zip(again.releases, truth.releases):
        assert kept.where == read.where
        assert [l.where for l in kept.lessons] == [l.where for l in read.lessons]
        assert [a.where for l in kept.lessons for a in l.actions] == \
            [a.where for l in read.lessons for a in l.actions]


def test_a_changed_file_template_or_people_is_parsed_again(folder):
    folder()
    (folder.releases / "4.2.yaml").write_text(
        release_yaml(lessons=(LESSONS[0], Les("rehearsal", "Three rehearsals", kind="keep"))),
        encoding="utf-8")
    programme, parses = folder()
    assert parses == ["4.2.yaml"]
    assert programme.releases[0].lessons[1].title == "Three rehearsals"

    (folder.templates / "releases" / "standard.yaml").write_text(TEMPLATE.replace("a week", "two weeks"),
                                                    encoding="utf-8")
    programme, parses = folder()
    assert parses == ["4.2.yaml", "4.3.yaml"]
    assert "two weeks" in programme.releases[1].lessons[0].title

    _, parses = folder(people={"release_manager": "sam.jones@example.org"})
    assert parses == ["4.2.yaml", "4.3.yaml"]


def test_a_damaged_cache_is_parsed_again(folder, tmp_path):
    folder()
    (tmp_path / "state" / "parsed.json").write_text('{"v": 1, "files": [', encoding="utf-8")
    programme, parses = folder()
    assert parses == ["4.2.yaml", "4.3.yaml"] and len(programme.releases) == 2


def test_every_field_of_a_release_comes_back_from_the_cache():
    """A field the model gains and the cache forgets would come back as its default
    (an unanswered template lesson as answered): every one must survive the round trip."""
    here = Where("r.yaml", 3, (("lessons", 0),))
    action = Action(id="a", title="t", description="d", owner="o@example.org",
                    due=date(2026, 12, 1), where=here)
    lesson = Lesson(id="l", kind="improve", title="t", description="d", theme="th",
                    raised_by="r@example.org", actions=(action,), where=here, answered=False,
                    cause="c", effect="e")
    release = Release(id="4.2", name="n", live_date=date(2026, 10, 14), lessons=(lesson,),
                      extends="standard", where=here, measures=(("defects", "3"),))
    for cls, made in ((Release, release), (Lesson, lesson), (Action, action)):
        defaults = [f.name for f in fields(cls) if getattr(made, f.name) == f.default]
        assert not defaults, f"{cls.__name__} fields left at their default: {defaults}"
    back = parsed._release_from(parsed._release_json(release))
    assert back == release and back.where == release.where
    assert back.lessons[0].where == here and back.lessons[0].actions[0].where == here
