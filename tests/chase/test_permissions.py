"""A bot without Jira's Add comments permission (which check --online names) prompts
nobody: each prompt fails on its own, nothing is recorded as sent, and once the permission
is granted the next run sends every prompt, once."""
from __future__ import annotations

from tests.chase.conftest import at, midnight
from tests.chase.test_prompts import OWNERS, assert_prompted_once


def test_without_add_comments_each_prompt_fails_until_it_is_granted(programme):
    p = programme()
    p.sb.withhold("ADD_COMMENTS")
    refused = p.chase(midnight("2026-11-24"))
    assert refused.count("failed") == len(OWNERS)
    assert {s.kind for s in refused.sent} == {"failed"}
    assert all("permission to comment" in s.detail for s in refused.sent)
    assert p.all_comments() == {} and not any(p.record(a) for a in OWNERS)
    p.sb.grant("ADD_COMMENTS")
    p.chase(at("2026-11-24", 9))
    assert_prompted_once(p)
