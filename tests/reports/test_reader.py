"""The reader against a sandbox Jira of each flavour: the programme as people left it."""
from __future__ import annotations

import shutil
from datetime import date

from jirasync.reports.reader import read_programme
from jirasync.state import StateDir


def read(history, **options):
    config = history.config
    return read_programme(history.gateway(), config, state=StateDir(config.state_dir),
                          **options)


def keys_read(sb) -> list[str]:
    """The issues read by key since the log was reset."""
    return [r.path.rstrip("/").rsplit("/", 1)[-1] for r in sb.requests
            if r.kind == "get" and r.method == "GET" and "/issue/" in r.path]


def test_the_programme_as_jira_holds_it(history):
    k = history.keys
    p = read(history)
    assert [(r.release, r.key, r.live_date, r.dated_by) for r in p.releases] == [
        ("4.1", k["4.1"], date(2026, 6, 2), "jira"), ("4.2", k["4.2"], date(2026, 10, 14),
                                                     "jira")]
    lessons = {l.key: l for l in p.lessons}
    hand = lessons[history.hand_made]
    assert (hand.hand_made, hand.release, hand.kind, hand.created) == (
        True, "4.2", None, date(2026, 11, 20))
    assert lessons[k["again"]].theme == "comms" and lessons[k["again"]].kind == "improve"
    actions = {a.action: a for a in p.actions}
    closed = actions["act-closed"]
    assert closed.done and closed.resolved == date(2026, 11, 1)
    assert closed.status_category == "Done" and closed.resolution == "Done"
    assert closed.owner.name == "Priya Shah"
    late = actions["act-open"]
    assert (late.done, late.due, late.rung, late.parent) == (
        False, date(2026, 9, 1), 30, k["feeds-late"])
    assert actions["act-late"].rung == 0
    assert late.url == f"{history.sb.url}/browse/{late.key}"


def test_reading_is_a_few_searches_and_no_write(history):
    """Cloud returns the properties with the search (managed issues, then untagged
    hand-made lessons); Data Center reads them by key when its cache does not hold them
    (what changed since sync and chase last read them), then only searches, one more for
    the unresolved actions' chase records."""
    read(history)
    if history.sb.flavour == "datacenter":
        assert history.sb.count("get") <= len(history.keys) + 1   # never more than one each
        history.sb.reset_log()
        read(history)
    assert history.sb.count(write=True) == 0
    assert history.sb.count("get") == 0
    assert history.sb.count("search") == (2 if history.sb.flavour == "cloud" else 3)


def test_a_release_issue_without_its_live_date_falls_back_to_its_file(history, cli):
    key = history.keys["4.1"]
    record = dict(history.sb.issue(key).properties["jirasync"])
    del record["live_date"], record["name"]
    jira, state = history.gateway(), StateDir(history.config.state_dir)
    with jira.keeping_properties(state.property_cache, state.save_property_cache):
        jira.set_property(key, "jirasync", record)      # as a sync would, cache and all
    # nor has it written the live date into the issue's text: with no property cached,
    # Data Center's reader cannot take the issue for its file's release, and reads it
    history.sb.edit(key, description="Lessons learnt for the release.")
    p = read(history)
    assert p.release("4.1").dated_by == "file" and p.dated_from_files == ("4.1",)
    assert p.release("4.1").live_date == date(2026, 6, 2)
    code, out, _ = cli("status", "--today", "2026-12-10")
    assert "release 4.1 dated from its release file" in out
    (history.config_path.parent / "releases" / "4.1.yaml").unlink()
    p = read(history)
    assert p.release("4.1").live_date is None and p.undated == ("4.1",)
    code, out, _ = cli("status", "--today", "2026-12-10")
    assert code == 0 and "could not date release 4.1" in out


def test_on_data_center_the_caches_of_sync_and_chase_serve_a_report_whole(history):
    """After a sync and a chase that change nothing, a report reads no issue by key.
    (The first sync tags the hand-made lesson: a change, which the second one reads.)"""
    if history.sb.flavour != "datacenter":
        return
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from jirasync.chase.job import chase
    from jirasync.chase.messages import Texts
    from jirasync.sync.job import sync
    config, state = history.config, StateDir(history.config.state_dir)
    now = datetime(2026, 12, 10, 9, 30, tzinfo=ZoneInfo("Europe/London"))
    for _ in range(2):
        sync(config, history.gateway(), state=state, now=now, progress=lambda t: None)
    chase(config, history.gateway(), state=state, now=now,
          texts=Texts(config.templates_dir, config.jira.url), progress=lambda t: None)
    history.sb.reset_log()
    read(history)
    assert history.sb.count("get") == 0 and history.sb.count(write=True) == 0


def test_a_cold_data_center_report_infers_whose_issue_is_whose(history):
    """A laptop that never synced (no state folder): the identities come from the release
    files matched to what the search returns, each issue under its parent's; by key are
    read only the unresolved actions' chase records (no cache can hold them) and the
    lesson made by hand that sync has not tagged yet (no file vouches for it), never an
    identity the files vouch for. The programme is the one the properties give."""
    shutil.rmtree(history.config.state_dir, ignore_errors=True)
    history.sb.reset_log()

    p = read(history)

    truth = {i.key: i.properties["jirasync"] for i in history.sb.issues()
             if "release" in i.properties.get("jirasync", {})}
    got = {r.key: (r.release, None, None) for r in p.releases}
    got |= {l.key: (l.release, l.lesson, None) for l in p.lessons if not l.hand_made}
    got |= {a.key: (a.release, a.lesson, a.action) for a in p.actions}
    assert got == {k: (m["release"], m.get("lesson"), m.get("action"))
                   for k, m in truth.items()}
    assert {l.key for l in p.lessons if l.hand_made} == {history.hand_made}
    overdue = [a.key for a in p.actions if not a.done and "ll-overdue" in a.labels]
    assert len(overdue) == 2 and len([a for a in p.actions if not a.done]) == 3
    if history.sb.flavour == "datacenter":
        # the hand-made lesson; the overdue actions' chase records (no other has a rung)
        # come from chase's index of its records (tests/reports/test_rung_index.py)
        assert keys_read(history.sb) == [history.hand_made]
    else:
        assert history.sb.count("get") == 0
    assert history.sb.count(write=True) == 0


def test_a_cold_data_center_report_shows_the_rungs_the_records_hold(history):
    """The rungs a laptop that never synced shows are those the chase records hold (as
    Cloud's search and a warm cache give them), though it reads the record of no action
    that is not labelled overdue."""
    warm = {a.key: (a.rung, a.chase.due, a.chase.rungs) for a in read(history).actions}
    shutil.rmtree(history.config.state_dir, ignore_errors=True)
    history.sb.reset_log()

    cold = read(history)

    assert {a.key: (a.rung, a.chase.due, a.chase.rungs) for a in cold.actions
            if not a.done} == {k: v for k, v in warm.items()
                               if not next(a for a in cold.actions if a.key == k).done}
    rungs = {a.action: a.rung for a in cold.actions}
    assert (rungs["act-open"], rungs["act-late"], rungs["act-script"]) == (30, 0, None)
    script = next(a.key for a in cold.actions if a.action == "act-script")
    assert script not in keys_read(history.sb)
