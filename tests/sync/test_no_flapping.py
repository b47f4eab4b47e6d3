"""Jira's way of storing text is not an edit: line endings and trailing blanks that Jira
(or an editor) adds never cause an update, so repeated syncs settle at zero writes."""
from __future__ import annotations

import pytest

from tests.sync.conftest import tree

DESCRIBED = "4.2/feeds-off"     # a lesson whose description has two lines and raised_by


@pytest.mark.parametrize("rewrite", [
    lambda text: text.replace("\n", "\r\n"),
    lambda text: text.replace("\n", "  \n") + "   ",
    lambda text: text + "\n\n",
    lambda text: "\n" + text.replace("\n", " \r\n"),
], ids=["crlf", "trailing-spaces", "trailing-newlines", "leading-newline-and-crlf"])
def test_jira_reformatting_a_description_causes_no_update(synced, rewrite):
    key = synced.key(DESCRIBED)
    original = synced.sb.issue(key).fields["description"]
    synced.sb.edit(key, description=rewrite(original))
    stored = synced.sb.issue(key).fields["description"]
    synced.sb.reset_log()

    for _ in range(2):
        result = synced.sync()
        assert synced.sb.count(write=True) == 0
        assert result.plan.reports("kept") == [] and result.plan.reports("conflict") == []
    assert synced.sb.issue(key).fields["description"] == stored


def test_trailing_spaces_in_a_summary_cause_no_update(synced):
    key = synced.key("4.2/rehearsal")
    synced.sb.edit(key, summary=synced.sb.issue(key).summary + "  ")
    synced.sb.reset_log()

    result = synced.sync()

    assert synced.sb.count(write=True) == 0 and not result.plan.reports("kept")


def test_a_release_file_saved_with_windows_line_endings_changes_nothing(synced):
    path = synced.releases / "4.2.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))

    result = synced.sync()

    assert synced.sb.count(write=True) == 0
    assert result.count("unchanged") == len(tree(synced.sb))


def test_a_real_wording_change_in_jira_is_still_noticed(synced):
    key = synced.key(DESCRIBED)
    synced.sb.edit(key, description="Partners were told too late.\r\n")

    result = synced.sync()

    assert [r.key for r in result.plan.reports("kept")] == [key]
