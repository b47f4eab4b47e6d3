"""A writing sync on Data Center takes its state folder's view of the ``jirasync``
property when the sync lease says no other run can have written since (sync/trust.py):
the issues it is about to write are not read again by key one by one. Another host's
run in between, or a state folder of unknown age, means a look made again under the
lease, so a memory another host rewrote (a property-only write keeps ``updated``) is
never judged on. The outcomes are the same on Cloud, whose search returns the property."""
from __future__ import annotations

import json
import re
from datetime import timedelta

from jirasync.config import load_config
from jirasync.fingerprint import fingerprint
from jirasync.lease import JiraLease
from jirasync.model import SYNC_PROPERTY
from jirasync.state import StateDir
from jirasync.sync.job import LEASE_FILE, sync
from jirasync.sync.trust import pack, unpack
from tests.sync.conftest import LESSONS, NOW, Act, Les, Programme, copies

FEEDS, REHEARSAL = LESSONS
CHECKLIST = "4.2/feeds-off/checklist"


def run(p: Programme, host: str = "host-a", minutes: int = 0, full: bool = False):
    config = load_config(p.config_path)
    jira = p.gateway()
    return sync(config, jira, state=StateDir(config.state_dir), full=full,
                now=NOW + timedelta(minutes=minutes), progress=lambda text: None,
                lease=JiraLease(jira, "sync", host=host))


def checklist(p: Programme, title: str, due: str | None = None) -> None:
    """Release 4.2 with the checklist action titled ``title`` (and due ``due``)."""
    first, *rest = FEEDS.actions
    p.lessons(Les(FEEDS.id, FEEDS.title, description=FEEDS.description, theme=FEEDS.theme,
                  raised_by=FEEDS.raised_by, actions=(Act(first.id, title, first.owner,
                                                          due or first.due), *rest)),
              REHEARSAL)


def reads_of(p: Programme, key: str) -> int:
    return sum(1 for r in p.sb.requests if r.method == "GET" and
               re.fullmatch(rf"/rest/api/\d/issue/{key}", r.path))


def confirmed(p: Programme) -> set[str]:
    """The issues whose memory host a's last writing run left confirmed (kept on Cloud
    too, where the gateway's re-read, a search, makes no use of it)."""
    path = load_config(p.config_path).state_dir / LEASE_FILE
    return set(unpack(json.loads(path.read_text(encoding="utf-8")).get("confirmed", ())))


def test_this_host_s_own_view_is_not_read_again_before_writing(programme):
    assert run(programme).count("created") == 5
    checklist(programme, "Add feed shutdown (T-7 days) to the drop checklist")
    key = programme.key(CHECKLIST)
    assert key in confirmed(programme)
    programme.sb.reset_log()

    result = run(programme, minutes=10)

    assert result.count("updated") == 1 and not result.failed
    assert programme.sb.issue(key).summary == "Add feed shutdown (T-7 days) to the drop checklist"
    assert reads_of(programme, key) == 0
    assert max(copies(programme.sb).values()) == 1


def test_another_host_s_property_only_write_is_read_before_judging(programme):
    """A person retitled the checklist action and host a, whose file kept the old title,
    kept Jira's. Host b then recorded the new title as agreed, in the property alone (Jira
    keeps ``updated``). Host a's file then moves the action's due date: judged on its own
    memory it would leave Jira's title; Jira's memory (the title agreed) says the file's
    title is the newer word, and pushes it with the date."""
    run(programme)
    key = programme.key(CHECKLIST)
    programme.sb.edit(key, summary="Feed shutdown on the checklist")
    assert run(programme, minutes=5, full=True).count("kept") == 1      # nothing written
    jira = programme.gateway()
    with JiraLease(jira, "sync", host="host-b").held():
        memory = jira.get_property(key, SYNC_PROPERTY)
        memory["fields"]["summary"] = fingerprint("summary", "Feed shutdown on the checklist")
        jira.set_property(key, SYNC_PROPERTY, memory)
    first = FEEDS.actions[0]
    checklist(programme, first.title, due="2026-12-15")
    programme.sb.reset_log()

    result = run(programme, minutes=10)

    assert result.count("conflict") == 0 and result.count("updated") == 1
    issue = programme.sb.issue(key)
    assert (issue.summary, str(issue.fields.get("duedate"))) == (first.title, "2026-12-15")
    assert max(copies(programme.sb).values()) == 1


def test_after_a_lost_state_folder_what_a_run_reads_or_writes_is_confirmed(programme):
    """With no state folder every memory is inferred (a run with nothing to write); the
    run that writes looks again under the lease and reads what it writes there, once,
    and the next one takes that as Jira's."""
    run(programme)
    programme.forget_state()
    assert programme.sync(now=NOW + timedelta(minutes=5)).count("unchanged") == 5
    checklist(programme, "Add feed shutdown (T-7 days) to the drop checklist")
    key = programme.key(CHECKLIST)
    programme.sb.reset_log()
    assert run(programme, minutes=10).count("updated") == 1
    # read once, under the lease (the look before it, sure to be made again, reads none)
    assert reads_of(programme, key) == (programme.sb.flavour == "datacenter")
    assert key in confirmed(programme)
    checklist(programme, "Add feed shutdown (T-9 days) to the drop checklist")
    programme.sb.reset_log()

    assert run(programme, minutes=20).count("updated") == 1
    assert programme.sb.issue(key).summary == "Add feed shutdown (T-9 days) to the drop checklist"
    if programme.sb.flavour == "datacenter":
        assert reads_of(programme, key) == 0
    assert max(copies(programme.sb).values()) == 1


def test_a_run_without_the_lease_reads_as_before(programme):
    """A dry run takes no lease: it reads again by key what it would write."""
    run(programme)
    checklist(programme, "Add feed shutdown (T-7 days) to the drop checklist")
    key = programme.key(CHECKLIST)
    programme.sb.reset_log()

    result = programme.sync(dry_run=True, now=NOW + timedelta(minutes=10))

    assert result.count("updated") == 1
    assert reads_of(programme, key) == (programme.sb.flavour == "datacenter")


def test_the_confirmed_keys_are_kept_as_runs():
    keys = {"DCR-1", "DCR-2", "DCR-3", "DCR-7", "DCR-9", "DCR-10", "OPS-4"}
    assert pack(keys) == ["DCR-1..3", "DCR-7", "DCR-9..10", "OPS-4"]
    assert unpack(pack(keys)) == keys
    assert unpack(["DCR-5..6", 7, "nonsense", "DCR-x..2", "DCR-9..3", "DCR-1..9999999"]) \
        == {"DCR-5", "DCR-6"}
