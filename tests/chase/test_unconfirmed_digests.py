"""A digest whose record was written but whose notification may not have gone (the run
was killed in between, or the answer was lost) is reported on the next run and in
``status``, named by owner and cycle; never resent, reported once."""
from __future__ import annotations

import json

import pytest

from jirasync.cli import main
from tests.chase.conftest import PRIYA, SAM, TOM, at, midnight
from tests.chase.test_crashes import AfterWrite, Killed, lost_answer


def digests_to(p, owner: str) -> int:
    return sum(p.user_id(owner) in n["recipients"] for n in p.sb.notifications)


@pytest.mark.parametrize("how", ["killed", "answer-lost"])
def test_a_digest_that_may_not_have_gone_is_reported_once(programme, capsys, how):
    p = programme(reminder="digest")
    key = p.key("checklist")
    if how == "killed":
        with pytest.raises(Killed):
            p.chase(midnight("2026-11-24"), jira=AfterWrite(p.jira, "set_property", key,
                                                             Killed()))
    else:
        first = p.chase(midnight("2026-11-24"),
                        jira=AfterWrite(p.jira, "notify", key, lost_answer(key)))
        assert first.count("failed") == 1

    assert main(["status", "--config", str(p.config.path), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)["unconfirmed_digests"]
    assert shown == [{"key": key, "cycle": "2026-12-01", "owner": "Sam Jones"}]

    again = p.chase(at("2026-11-24", 9))
    (line,) = [s for s in again.sent if s.kind == "unconfirmed"]
    assert line.key == key and line.to == ("Sam Jones",)
    assert "review 2026-12-01 may not have reached them" in line.detail
    assert again.counts()["unconfirmed"] == 1

    third = p.chase(at("2026-11-25"))
    assert third.count("unconfirmed") == 0 and third.count("digest") == 0
    assert digests_to(p, SAM) == (0 if how == "killed" else 1)     # never resent
    assert (digests_to(p, PRIYA), digests_to(p, TOM)) == (1, 1)


def test_digests_that_went_are_not_reported(programme, capsys):
    p = programme(reminder="digest")
    p.chase(midnight("2026-11-24"))
    assert main(["status", "--config", str(p.config.path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["unconfirmed_digests"] == []
    assert p.chase(at("2026-11-25")).count("unconfirmed") == 0
