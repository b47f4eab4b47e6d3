"""The last sync's view of Jira (``seen.json``) as the state folder keeps it: a stream of
lines, texts jirasync wrote kept as their fingerprints, the previous version's form
still read, and a file cut short set aside for the full scan."""
from __future__ import annotations

import json
import logging

import pytest

from jirasync.config import load_config
from jirasync.sync import incremental
from tests.conftest import FLAVOURS, checked_sandbox
from tests.sync.test_incremental import HOUR, Clock, incremental_ready, jira_edit, run, same


@pytest.fixture(params=FLAVOURS, ids=FLAVOURS)
def sandbox(request, contract):
    """A sandbox whose clock the test moves (as test_incremental's)."""
    clock = Clock()
    with checked_sandbox(contract, request.param, clock=clock) as sb:
        sb.clock = clock
        yield sb


@pytest.fixture
def kept(synced):
    """Synced, then re-synced twice an hour apart: seen.json remembers every issue."""
    run(synced)
    run(synced)
    synced.sb.clock.now += HOUR
    synced.sb.reset_log()
    return synced


def seen_path(p):
    return load_config(p.config_path).state_dir / incremental.FILE


def rows(p) -> dict[str, list]:
    _, *chunks = seen_path(p).read_text(encoding="utf-8").splitlines()
    return {row[0]: row for chunk in chunks for row in json.loads(chunk)}


def as_form_1(p) -> None:
    """Rewrite seen.json as the previous version wrote it: one JSON object, every issue
    an object with its texts in full (taken from Jira, where they are the same)."""
    path = seen_path(p)
    header, *chunks = path.read_text(encoding="utf-8").splitlines()
    data = json.loads(header)
    texts = {i.key: i for i in p.gateway().search('project = "DCR" ORDER BY key')}

    def text(row, n, name):
        return getattr(texts[row[0]], name) if isinstance(row[n], list) else row[n]
    data["v"] = 1
    data["issues"] = [{"key": r[0], "id": r[1], "type": r[2],
                       "summary": text(r, 3, "summary"),
                       "description": text(r, 4, "description"), "labels": r[5],
                       "parent": r[6], "assignee": r[7], "due": r[8], "property": r[9]}
                      for chunk in chunks for r in json.loads(chunk)]
    path.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")


def test_a_state_folder_the_previous_version_wrote_is_read(kept):
    as_form_1(kept)
    full = same(kept, dry_run=True, full=True)
    assert incremental_ready(kept)
    kept.sb.reset_log()

    result = same(kept)

    assert result.plan == full.plan and result.count("unchanged") == 5
    assert kept.sb.count(kind="search") == 2 and kept.sb.count(write=True) == 0
    assert json.loads(seen_path(kept).read_text().splitlines()[0])["v"] == 2
    assert incremental_ready(kept)


def test_a_seen_json_cut_short_is_set_aside_and_jira_read_whole(kept, caplog):
    path = seen_path(kept)
    header = path.read_text(encoding="utf-8").splitlines()[0]
    path.write_text(header + "\n", encoding="utf-8")          # the issues' lines lost
    kept.sb.reset_log()

    with caplog.at_level(logging.WARNING):
        result = same(kept)

    assert result.count("unchanged") == 5 and kept.sb.count(write=True) == 0
    assert kept.sb.count(kind="search") == 3       # labelled issues, high water, hand-made
    assert (path.parent / "seen.json.bad").exists()
    assert "seen.json cannot be read" in caplog.text and "issues where the header" in caplog.text
    assert incremental_ready(kept)


def test_texts_jirasync_wrote_are_kept_as_fingerprints_others_in_full(kept):
    """An issue whose text is what jirasync wrote is kept by the text's fingerprint; one
    a person edited keeps Jira's text, which a report remembered from it still shows."""
    jira_edit(kept)
    same(kept)
    kept.sb.clock.now += HOUR
    rehearsal, checklist = kept.key("4.2/rehearsal"), kept.key("4.2/feeds-off/checklist")

    kept_rows = rows(kept)
    assert kept_rows[rehearsal][3] == "Rehearsals: two, on real data"
    assert kept_rows[checklist][3] == [kept_rows[checklist][9]["fields"]["summary"]]
    assert "Add feed shutdown" not in seen_path(kept).read_text(encoding="utf-8")

    result = same(kept)                              # the edited issue remembered

    [report] = result.plan.reports("kept")
    assert "'Rehearsals: two, on real data'" in report.detail
    assert result.plan == same(kept, dry_run=True, full=True).plan


def spaced(p) -> list[str]:
    """Rewrite seen.json's issue lines with spaces after commas and colons (as another
    JSON writer might): the same issues, another text. Its lines as they are now."""
    path = seen_path(p)
    header, *chunks = path.read_text(encoding="utf-8").splitlines()
    chunks = [json.dumps(json.loads(chunk)) for chunk in chunks]
    path.write_text("\n".join([header, *chunks]) + "\n", encoding="utf-8")
    return chunks


def test_a_no_change_re_sync_copies_the_issue_lines_as_they_were_read(kept):
    lines = spaced(kept)
    kept.sb.clock.now += HOUR

    result = run(kept)

    assert result.count("unchanged") == 5 and kept.sb.count(write=True) == 0
    header, *after = seen_path(kept).read_text(encoding="utf-8").splitlines()
    assert after == lines and incremental_ready(kept)
    assert json.loads(header)["at"] == kept.sb.clock.now.isoformat()


def test_a_line_holding_an_issue_changed_in_jira_is_made_anew(kept):
    spaced(kept)
    jira_edit(kept)

    run(kept)

    _, *after = seen_path(kept).read_text(encoding="utf-8").splitlines()
    assert after[0] == json.dumps(json.loads(after[0]), separators=(",", ":"))   # made anew
    assert rows(kept)[kept.key("4.2/rehearsal")][3] == "Rehearsals: two, on real data"
