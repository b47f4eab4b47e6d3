"""A failure between sending and recording can never make a reminder go twice.

Comment mode errs towards nothing lost: the comment, the labels and the record are ONE
edit request, which Jira applies whole or not at all. If it fails, nothing was sent and
the next run sends it; if it succeeded and only the answer (or the process) was lost, the
record is in Jira with the comment and the next run sends nothing.

Digest mode errs towards unsent: a notification cannot carry a record, so the record is
written first and the notification second. If the record fails, nothing was sent and the
next run sends it; if the notification (or the process) fails after the record, that
owner's digest for the cycle is lost rather than sent twice, and the run reports it.
"""
from __future__ import annotations

import contextlib

import pytest

from jirasync.errors import JiraError
from tests.chase.conftest import PRIYA, SAM, TOM, at, midnight

OWNERS = {"checklist": SAM, "contacts": PRIYA, "rota": TOM, "charter": SAM, "readiness": PRIYA}


class Killed(BaseException):
    """The process dies (kill -9, power cut): nothing after this line runs."""


def lost_answer(key: str) -> JiraError:
    """What the gateway raises when the connection drops after Jira got the request."""
    return JiraError(f"lost the connection to Jira during the edit of {key}", issue=key,
                     maybe_applied=True)


class AfterWrite:
    """The real gateway, except that once ``method`` has written to ``key`` it raises
    ``error``: Jira did the work, and then the answer or the process was lost."""

    def __init__(self, jira, method: str, key: str, error: BaseException):
        self._jira, self._method, self._key, self._error = jira, method, key, error

    def __getattr__(self, name: str):
        real = getattr(self._jira, name)
        if name != self._method:
            return real

        def write(key, *args, **kwargs):
            real(key, *args, **kwargs)
            if key == self._key:
                raise self._error
        return write


def comments_per_action(p) -> dict[str, int]:
    return {a: len(p.comments(a)) for a in p.keys}


# -- comment mode -------------------------------------------------------------------------

def test_a_refused_edit_is_sent_by_the_next_run_once(programme):
    p = programme()
    p.sb.faults.fail(500, method="PUT", path=f"/issue/{p.key('rota')}$")
    first = p.chase(midnight("2026-11-24"))
    assert [(s.kind, s.key) for s in first.sent if s.kind == "failed"] == [
        ("failed", p.key("rota"))]
    assert comments_per_action(p) == {"checklist": 1, "contacts": 1, "rota": 0,
                                      "charter": 1, "readiness": 1}
    second = p.chase(at("2026-11-25"))
    assert [(s.kind, s.key) for s in second.sent] == [("prompt", p.key("rota"))]
    assert p.chase(at("2026-11-26")).sent == ()
    assert set(comments_per_action(p).values()) == {1}


@pytest.mark.parametrize("error", [
    pytest.param(Killed(), id="process-killed-after-the-edit"),
    pytest.param("lost", id="answer-lost-after-the-edit"),
])
def test_an_edit_jira_applied_is_never_sent_again(programme, error):
    p = programme()
    error = lost_answer(p.key("contacts")) if error == "lost" else error
    flaky = AfterWrite(p.jira, "edit_issue", p.key("contacts"), error)
    with contextlib.suppress(Killed):
        p.chase(midnight("2026-11-24"), jira=flaky)
    p.chase(at("2026-11-24", 9))
    p.chase(at("2026-11-25"))
    assert set(comments_per_action(p).values()) == {1}


def test_an_edit_whose_answer_the_network_lost_is_never_sent_again(programme):
    p = programme()
    p.sb.faults.drop_after(("edit",))           # Jira applies the edit; the answer is lost

    first = p.chase(midnight("2026-11-24"))

    (failed,) = [s for s in first.sent if s.kind == "failed"]
    assert "lost the connection" in failed.detail
    p.chase(at("2026-11-24", 9))
    p.chase(at("2026-11-25"))
    assert set(comments_per_action(p).values()) == {1}


def test_rate_limits_are_waited_out_and_send_once(programme):
    p = programme()
    p.sb.faults.rate_limit(3, retry_after=0)
    p.chase(midnight("2026-11-24"))
    assert set(comments_per_action(p).values()) == {1}


# -- digest mode --------------------------------------------------------------------------

def digests_to(p, owner: str) -> int:
    return sum(p.user_id(owner) in n["recipients"] for n in p.sb.notifications)


def test_a_refused_record_sends_nothing_and_the_next_run_sends_once(programme):
    p = programme(reminder="digest")
    p.sb.faults.fail(500, method="PUT", path=f"/issue/{p.key('checklist')}/properties/")
    first = p.chase(midnight("2026-11-24"))
    assert [s.key for s in first.sent if s.kind == "failed"] == [p.key("checklist")]
    assert (digests_to(p, SAM), digests_to(p, PRIYA), digests_to(p, TOM)) == (0, 1, 1)
    p.chase(at("2026-11-24", 9))
    p.chase(at("2026-11-25"))
    assert (digests_to(p, SAM), digests_to(p, PRIYA), digests_to(p, TOM)) == (1, 1, 1)


def test_a_refused_notification_is_lost_not_repeated(programme):
    p = programme(reminder="digest")
    p.sb.faults.fail(500, method="POST", path=f"/issue/{p.key('checklist')}/notify")
    first = p.chase(midnight("2026-11-24"))
    (failed,) = [s for s in first.sent if s.kind == "failed"]
    assert failed.key == p.key("checklist") and "500" in failed.detail
    p.chase(at("2026-11-24", 9))
    p.chase(at("2026-11-25"))
    assert (digests_to(p, SAM), digests_to(p, PRIYA), digests_to(p, TOM)) == (0, 1, 1)


def test_a_crash_between_record_and_notification_is_lost_not_repeated(programme):
    p = programme(reminder="digest")
    flaky = AfterWrite(p.jira, "set_property", p.key("checklist"), Killed())
    with pytest.raises(Killed):
        p.chase(midnight("2026-11-24"), jira=flaky)
    p.chase(at("2026-11-24", 9))
    p.chase(at("2026-11-25"))
    assert digests_to(p, SAM) == 0
    assert (digests_to(p, PRIYA), digests_to(p, TOM)) == (1, 1)


def test_a_notification_whose_answer_the_network_lost_is_not_resent(programme):
    p = programme(reminder="digest")
    p.sb.faults.drop_after(("notify",))

    p.chase(midnight("2026-11-24"))
    p.chase(at("2026-11-24", 9))
    p.chase(at("2026-11-25"))

    assert (digests_to(p, SAM), digests_to(p, PRIYA), digests_to(p, TOM)) == (1, 1, 1)


def test_a_lost_notification_answer_is_not_resent(programme):
    p = programme(reminder="digest")
    flaky = AfterWrite(p.jira, "notify", p.key("checklist"), lost_answer(p.key("checklist")))
    p.chase(midnight("2026-11-24"), jira=flaky)
    p.chase(at("2026-11-24", 9))
    assert (digests_to(p, SAM), digests_to(p, PRIYA), digests_to(p, TOM)) == (1, 1, 1)


def test_a_state_folder_older_than_jira_never_repeats_a_digest(programme):
    """On Data Center records come from a cache in the state folder; a digest's record is
    a property-only write, which leaves the issue's version as it was. A run killed before
    saving the cache (or an overlapping run saving an older one) leaves it stale: the
    actions found due are read again by key before anything is sent."""
    p = programme(reminder="digest")
    p.chase(at("2026-11-20"))                         # nothing due; the cache is filled
    cache = p.config.state_dir / "properties.json"
    old = cache.read_bytes() if cache.exists() else None
    p.chase(midnight("2026-11-24"))
    if old is not None:
        cache.write_bytes(old)                        # as if that run died before saving

    again = p.chase(at("2026-11-24", 9))

    assert again.count("digest") == 0
    assert (digests_to(p, SAM), digests_to(p, PRIYA), digests_to(p, TOM)) == (1, 1, 1)


# -- escalations, with the clock stepping back and forth ----------------------------------

@pytest.mark.parametrize("error", [
    pytest.param(Killed(), id="process-killed-after-the-edit"),
    pytest.param("lost", id="answer-lost-after-the-edit"),
])
def test_an_escalation_jira_applied_is_not_resent_when_the_clock_steps_back(programme, error):
    """Rung 0 lands at 00:01, the run dies or loses the answer; the next runs' clocks step
    back across midnight, forwards, back before a rehearsal, and forwards again."""
    p = programme()                           # checklist is due 2026-12-15
    error = lost_answer(p.key("checklist")) if error == "lost" else error
    flaky = AfterWrite(p.jira, "edit_issue", p.key("checklist"), error)
    with contextlib.suppress(Killed):
        p.chase(at("2026-12-16", 0, 1), jira=flaky)
    for now in (at("2026-12-15", 23, 59), at("2026-12-16", 0, 2), midnight("2026-12-17"),
                at("2026-12-12"), at("2026-12-16", 9)):
        assert not [s for s in p.chase(now).sent if s.key == p.key("checklist")], now
    assert len(p.comments("checklist")) == 1 and "ll-overdue" in p.labels("checklist")
