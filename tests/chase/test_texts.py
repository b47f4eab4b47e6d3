"""The texts owners read: a title full of wiki markup arrives as written, and a broken
template of the user's is found by ``check`` before a prompt day."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from jirasync.chase.messages import Texts, rehearse
from jirasync.chase.reminders import OpenAction
from jirasync.review import ReviewCycle

LONDON = ZoneInfo("Europe/London")
CYCLE = ReviewCycle(datetime(2026, 12, 1, 10, tzinfo=LONDON), datetime(2026, 11, 24,
                                                                        tzinfo=LONDON))


def test_wiki_markup_in_a_title_is_escaped_not_obeyed():
    action = OpenAction("DCR-9", "Wrap {code} in *all* docs, see [runbook|http://x]", "u1",
                        date(2026, 12, 1))
    body = Texts(None, "https://jira.example.org").prompt(action, CYCLE, "[~sam]")
    assert r"* Action: *Wrap \{code\} in \*all\* docs, see \[runbook\|http://x\]*" in body
    assert "* Due: 2026-12-01" in body


def test_the_shipped_texts_rehearse_cleanly():
    assert rehearse(None) == []
