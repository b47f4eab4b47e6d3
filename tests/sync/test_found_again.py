"""An issue jirasync made is found again however people handle it: labels removed, the
label renamed in the config, keys deleted around it, a read failing mid-recovery. It is
never made twice (SPEC §3: no duplicates, ever)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from jirasync.errors import JiraError
from tests.sync.conftest import IDENTITIES, NOW, config_yaml, copies, release_yaml, tree

ONE_EACH = dict.fromkeys(IDENTITIES, 1)
LATER = NOW + timedelta(days=3)         # past the state folder's memory of recent creates


@pytest.mark.parametrize("identity,keep", [
    ("4.2/feeds-off/checklist", ("ll-action", "release-4-2")),
    ("4.2/feeds-off", ()),
    ("4.2", ()),
], ids=["action-lost-lessons-learnt", "lesson-lost-every-label", "release-lost-every-label"])
def test_labels_removed_by_hand_are_put_back_not_the_issue_made_again(synced, identity, keep):
    key = synced.key(identity)
    synced.sb.edit(key, labels=list(keep))
    synced.forget_state()

    result = synced.sync(now=LATER)

    assert dict(copies(synced.sb)) == ONE_EACH and result.count("created") == 0
    assert "lessons-learnt" in synced.sb.issue(key).labels
    assert [o.key for o in result.outcomes if o.verb == "updated"] == [key]


def test_renaming_the_label_in_the_config_relabels_every_issue_once(synced):
    synced.config_path.write_text(config_yaml(synced.sb, "  labels:\n    all: lessons\n"))

    result = synced.sync(now=LATER)

    assert dict(copies(synced.sb)) == ONE_EACH and result.count("created") == 0
    for record in tree(synced.sb).values():
        assert "lessons" in record.labels and "lessons-learnt" not in record.labels
    assert synced.sync(now=LATER).count("updated") == 0


def test_deleted_keys_next_to_new_issues_do_not_hide_them_from_a_lagging_search(synced):
    for _ in range(2):                                   # DCR-6 and DCR-7, then deleted
        synced.sb.delete(synced.sb.create_issue("Task", "Created by mistake"))
    synced.sb.faults.search_lag(on=True)
    synced.write(release_yaml("4.3", "DCR Release 4.3"), "4.3.yaml")
    first = synced.sync()
    synced.forget_state()                                # e.g. a second host

    again = synced.sync()                                # index still behind

    assert first.count("created") == 5 and again.count("created") == 0
    assert max(copies(synced.sb).values()) == 1 and len(copies(synced.sb)) == 10


class ReadsFailAfterACreate:
    """The real gateway, except that every read by key fails once a create was sent."""

    def __init__(self, jira):
        self._jira, self.created = jira, False

    def __getattr__(self, name):
        return getattr(self._jira, name)

    def create_issues(self, *args, **kwargs):
        self.created = True
        return self._jira.create_issues(*args, **kwargs)

    def get_issue(self, key, **kwargs):
        if self.created:
            raise JiraError(f"Jira answered 500 Internal Server Error to the read of {key}")
        return self._jira.get_issue(key, **kwargs)


def test_a_failed_read_while_checking_a_lost_answer_fails_that_chunk_only(synced):
    synced.write(release_yaml("4.3", "DCR Release 4.3"), "4.3.yaml")
    jira = ReadsFailAfterACreate(synced.gateway())
    synced.sb.faults.drop_after_create(1)                # the 4.3 release issue is made

    first = synced.sync(jira=jira)

    (failed,) = [o for o in first.outcomes if o.verb == "failed" and o.identity.level ==
                 "release"]
    assert str(failed.identity) == "4.3" and "reading Jira to check" in failed.detail
    assert first.count("created") == 0 and first.failed
    again = synced.sync()
    assert max(copies(synced.sb).values()) == 1 and len(copies(synced.sb)) == 10
    assert again.count("created") == 4                   # the release issue was found
