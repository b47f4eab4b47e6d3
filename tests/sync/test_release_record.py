"""Sync keeps each release's name and live date on its release issue (property
``jirasync``), so reports need only Jira: written on create, given to an existing release
issue on the next sync, rewritten when the file changes it, never a cause of churn."""
from __future__ import annotations

from jirasync.state import StateDir
from tests.sync.conftest import NAME, release_yaml, tree


def record(programme) -> dict:
    data = tree(programme.sb)["4.2"].properties["jirasync"]
    return {k: data.get(k) for k in ("name", "live_date")}


def test_a_created_release_issue_records_its_name_and_live_date(synced):
    assert record(synced) == {"name": NAME, "live_date": "2026-10-14"}
    synced.sync()
    assert synced.sb.count(write=True) == 0


def test_an_existing_release_issue_gets_the_record_on_the_next_sync(synced):
    key = synced.key("4.2")
    old = dict(synced.sb.issue(key).properties["jirasync"])
    del old["name"], old["live_date"]            # made by a jirasync that did not record it
    _set_property(synced, key, old)
    synced.sb.reset_log()

    result = synced.sync()

    updated = [o for o in result.outcomes if o.verb == "updated"]
    assert [(o.key, o.detail) for o in updated] == [
        (key, "release name and live date recorded for reports")]
    assert record(synced) == {"name": NAME, "live_date": "2026-10-14"}
    assert synced.sb.count(write=True) == 1
    synced.sync()
    assert synced.sb.count(write=True) == 1       # settled


def test_a_moved_live_date_is_recorded_again(synced):
    synced.write(release_yaml(live_date="2026-10-21"))
    synced.sync()
    assert record(synced)["live_date"] == "2026-10-21"


def _set_property(programme, key: str, value: dict) -> None:
    jira = programme.gateway()
    jira.set_property(key, "jirasync", value)
    # An older jirasync's state folder cannot hold the property this one created the
    # issue with: drop what the create cached.
    state = StateDir(programme.root / ".jirasync")
    held = state.property_cache()
    held.pop(key, None)
    state.save_property_cache(held)
