"""Data Center's property cache as the state folder keeps it (``properties.json``, see
property_file): one line an issue between a header line and its copy, read back as
written; a file cut short set aside and Jira read instead; the previous version's
whole-JSON form still read; a run that changes no entry leaves the file as it was."""
from __future__ import annotations

import json
import logging
from dataclasses import replace

import pytest

from jirasync.config import load_config
from jirasync.state import StateDir
from tests.sync.conftest import LESSONS, copies, tree

FEEDS, REHEARSAL = LESSONS


@pytest.fixture
def dc(synced):
    """Synced on Data Center, then a full re-sync: every entry holds its issue's version."""
    if synced.sb.flavour == "cloud":
        pytest.skip("Cloud's search returns issue properties: it keeps no cache")
    synced.sync(full=True)
    synced.sb.reset_log()
    return synced


def state_of(p) -> StateDir:
    return StateDir(load_config(p.config_path).state_dir)


def cache_path(p):
    return state_of(p).path / "properties.json"


def property_reads(p) -> list[str]:
    """Issues whose properties were read by key, as the sandbox saw the requests."""
    return [r.path for r in p.sb.requests if r.kind == "get" and "properties=" in r.query]


def test_the_line_form_reads_back_what_was_written(tmp_path):
    entries = {
        "DCR-1": {"updated": "2026-11-02T09:00:00.000+0000", "read": ["jirasync"],
                  "properties": {"jirasync": {"release": "4.2", "lesson": "feeds-off",
                                              "fields": {"summary": "Überblick — 2 feeds"}}}},
        "DCR-12": {"updated": None, "read": [], "properties": {}},
    }
    state = StateDir(tmp_path)

    state.save_property_cache(entries)

    first, *lines, last = (tmp_path / "properties.json").read_text("utf-8").splitlines()
    assert first == last and json.loads(first) == {"v": 2, "entries": 2}
    assert [json.loads(line) for line in lines] == [[k, v] for k, v in entries.items()]
    assert dict(state.property_cache()) == entries


def test_a_synced_programme_s_cache_holds_each_issue_s_memory(dc):
    held = state_of(dc).property_cache()

    for record in tree(dc.sb).values():
        assert held[record.key]["properties"]["jirasync"] == record.properties["jirasync"]
        assert held[record.key]["updated"] == record.fields["updated"]


def test_a_run_that_changes_no_entry_leaves_the_file_as_it_was(dc):
    path = cache_path(dc)
    before, raw = path.stat(), path.read_bytes()

    again, full = dc.sync(), dc.sync(full=True)

    assert again.count("unchanged") == full.count("unchanged") == 5
    after = path.stat()
    assert path.read_bytes() == raw
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_changed_entry_is_written_and_the_others_kept_as_they_were(dc):
    path = cache_path(dc)
    rehearsal = dc.key("4.2/rehearsal")
    others = {line for line in path.read_text("utf-8").splitlines()
              if not line.startswith(f'["{rehearsal}"')}
    dc.lessons(FEEDS, replace(REHEARSAL, title="Three rehearsals next time"))

    assert dc.sync().count("updated") == 1
    dc.sync(full=True)                  # the write's new version, found by the search

    first, *lines, last = path.read_text("utf-8").splitlines()
    assert first == last and len(lines) == 5
    assert others - {first} <= set(lines)
    entry = state_of(dc).property_cache()[rehearsal]
    assert entry["properties"]["jirasync"] == dc.sb.issue(rehearsal).properties["jirasync"]


def test_a_cache_cut_short_is_set_aside_and_the_run_reads_jira(dc, caplog):
    """A crash or a full disk mid-write: the lines kept are not trusted, the run goes on
    as with no cache (the issue it writes read by key), and keeps a whole one again."""
    path = cache_path(dc)
    lines = path.read_text("utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-2]) + lines[-2][:40], encoding="utf-8")
    dc.lessons(FEEDS, replace(REHEARSAL, title="Three rehearsals next time"))

    with caplog.at_level(logging.WARNING):
        result = dc.sync(full=True)

    warned = [r.getMessage() for r in caplog.records if "properties.json" in r.getMessage()]
    assert len(warned) == 1, warned
    assert "cut short" in warned[0] and "set aside as properties.json.bad" in warned[0]
    assert (path.parent / "properties.json.bad").exists()
    assert result.count("updated") == 1 and not result.failed
    rehearsal = dc.key("4.2/rehearsal")
    assert f"/rest/api/2/issue/{rehearsal}" in property_reads(dc)
    assert dc.sb.issue(rehearsal).summary == "Three rehearsals next time"
    assert max(copies(dc.sb).values()) == 1
    first, *_, last = path.read_text("utf-8").splitlines()
    assert first == last
    dc.sb.reset_log()
    assert dc.sync(full=True).count("unchanged") == 5 and dc.sb.count(write=True) == 0


def test_the_previous_version_s_whole_json_form_is_read(dc, caplog):
    state = state_of(dc)
    held = dict(state.property_cache())
    path = cache_path(dc)
    path.write_text(json.dumps(held, separators=(",", ":")), encoding="utf-8")

    with caplog.at_level(logging.WARNING):
        result = dc.sync(full=True)

    assert result.count("unchanged") == 5 and dc.sb.count(write=True) == 0
    assert property_reads(dc) == [] and "properties.json" not in caplog.text
    first, *_, last = path.read_text("utf-8").splitlines()      # now in the line form
    assert first == last and json.loads(first) == {"v": 2, "entries": 5}
    assert dict(state.property_cache()) == held
