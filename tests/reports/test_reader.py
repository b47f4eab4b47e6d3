"""The reader against a sandbox Jira of each flavour: the programme as people left it."""
from __future__ import annotations

from datetime import date

from jirasync.reports.reader import read_programme
from jirasync.state import StateDir


def read(history, **options):
    config = history.config
    return read_programme(history.gateway(), config, state=StateDir(config.state_dir),
                          **options)


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


def test_reading_is_two_searches_and_no_write(history):
    """Cloud returns the properties with the search; Data Center reads them by key once,
    then finds them in the state folder's cache."""
    read(history)
    if history.sb.flavour == "datacenter":
        history.sb.reset_log()
        read(history)
    assert history.sb.count(write=True) == 0
    assert history.sb.count("get") == 0
    assert history.sb.count("search") == 2


def test_a_release_issue_without_its_live_date_falls_back_to_its_file(history, tmp_path):
    key = history.keys["4.1"]
    record = dict(history.sb.issue(key).properties["jirasync"])
    del record["live_date"], record["name"]
    history.gateway().set_property(key, "jirasync", record)
    p = read(history)
    assert p.release("4.1").dated_by == "file" and p.dated_from_files == ("4.1",)
    assert p.release("4.1").live_date == date(2026, 6, 2)
    (history.config_path.parent / "releases" / "4.1.yaml").unlink()
    p = read(history)
    assert p.release("4.1").live_date is None and p.undated == ("4.1",)
