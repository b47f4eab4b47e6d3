"""The PMO's channel as a PMO meets it (SPEC §5, docs/channel.md): one message a day per
channel after chase, across restarts, a lost state folder and two hosts; a failing
channel retried, reported, and never failing chase; 5xx retried without a second message;
the webhook's address never shown."""
from __future__ import annotations

import contextlib
import json
import logging
import shutil
from datetime import UTC, datetime, timedelta

import pytest

from jirasync.cli import main
from jirasync.notify import channel
from jirasync.notify.after_chase import tell_channels
from jirasync.state import StateDir
from tests.chase.conftest import PRIYA, SAM, TOM, Act, at, midnight
from tests.helpers import FakeTime
from tests.processes import Child

# One action overdue (an escalation on the prompt day), the others due a prompt.
ACTIONS = (Act("checklist", SAM, "2026-11-04"), Act("contacts", PRIYA, "2027-01-10"),
           Act("rota", TOM, "2026-12-14"))
DAY = "2026-11-24"


def run(p, capsys, *args: str, config: str | None = None) -> tuple[int, str, str]:
    if "--today" in args:
        p.clock.now = midnight(args[args.index("--today") + 1])
    code = main(["chase", "--config", config or str(p.config.path), *args])
    out, err = capsys.readouterr()
    return code, out, err


def journal(p, state: str = "state") -> list[dict]:
    path = p.config.path.parent / state / "runs.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture(autouse=True)
def no_waits(monkeypatch):
    """Backoff inside a run is asked of the injected sleep; the command line's real one is
    made instant here (the waits themselves are tested with a fake clock below)."""
    monkeypatch.setattr(channel, "BACKOFF_S", (0.0, 0.0))


def test_the_prompt_day_posts_one_message_a_channel_with_the_days_news(channel_programme,
                                                                       capsys):
    p = channel_programme(ACTIONS)
    code, out, err = run(p, capsys, "--today", DAY)
    assert code == 0, err
    slack, = p.sb.webhooks.messages("slack")
    teams, = p.sb.webhooks.messages("teams")
    text = "\n".join(b["text"]["text"] for b in slack["blocks"] if b["type"] == "section")
    assert "this run: 3 prompts sent · 0 escalations · 0 answers applied · now: 0 blocked · " \
           "1 overdue of 3 open actions" in text
    for action in ("checklist", "contacts", "rota"):
        assert f"{p.sb.url}/browse/{p.key(action)}|{p.key(action)}>" in text
    assert "Action checklist — Sam Jones, overdue by 20 days" in text
    runs = [r["text"] for b in teams["attachments"][0]["content"]["body"]
            if b["type"] == "RichTextBlock" for r in b["inlines"]]
    assert p.key("checklist") in runs
    assert "channel slack: posted — the message for 2026-11-24 (this run: 3 prompts sent" in out
    assert "channel teams: posted" in out
    (entry,) = journal(p)
    assert entry["ok"] and entry["counts"]["channel_posted"] == 2
    assert entry["counts"]["channel_failed"] == 0
    assert out.splitlines().index(next(ln for ln in out.splitlines() if ln.startswith("chase:"))) \
        < out.splitlines().index(next(ln for ln in out.splitlines() if "channel slack" in ln))


def test_a_message_posted_after_the_days_chases_says_its_numbers_are_this_runs(
        channel_programme, capsys):
    """The day's chase ran before notify: was configured; the first run that can post
    sends nothing new, and the message does not read as a quiet day."""
    p = channel_programme(ACTIONS)
    before = p.config.path.with_name("before-notify.yaml")
    before.write_text(p.config.path.read_text().split("notify:")[0])
    code, out, err = run(p, capsys, "--today", DAY, config=str(before))
    assert code == 0 and "prompts sent" not in out and not p.sb.webhooks.messages("slack"), err
    code, out, err = run(p, capsys, "--today", DAY)
    assert code == 0, err
    slack, = p.sb.webhooks.messages("slack")
    assert slack["text"].endswith(": this run: 0 prompts sent · 0 escalations · 0 answers "
                                  "applied · now: 0 blocked · 1 overdue of 3 open actions")
    assert "(this run: 0 prompts sent" in out


def test_once_a_day_across_restarts_a_lost_state_folder_and_another_host(channel_programme,
                                                                         capsys):
    p = channel_programme(ACTIONS)
    assert run(p, capsys, "--today", DAY)[0] == 0
    assert run(p, capsys, "--today", DAY)[0] == 0                       # a restart
    shutil.rmtree(p.config.state_dir)                                   # a lost state folder
    code, out, _ = run(p, capsys, "--today", DAY)
    assert code == 0 and "channel slack: already" in out
    other = p.config.path.with_name("host-b.yaml")                      # another host
    other.write_text(p.config.path.read_text().replace("state_dir: state", "state_dir: b"))
    assert run(p, capsys, "--today", DAY, config=str(other))[0] == 0
    assert len(p.sb.webhooks.messages("slack")) == 1
    assert len(p.sb.webhooks.messages("teams")) == 1
    later = (midnight(DAY) + timedelta(days=1)).date().isoformat()      # the next day: again
    assert run(p, capsys, "--today", later, "--yes")[0] == 0
    assert len(p.sb.webhooks.messages("slack")) == 2


@pytest.mark.over_http                  # forked children post through the sandbox
def test_two_hosts_chasing_at_once_post_the_day_once(channel_programme):
    p = channel_programme(ACTIONS)
    p.clock.now = midnight(DAY)
    other = p.config.path.with_name("host-b.yaml")
    other.write_text(p.config.path.read_text().replace("state_dir: state", "state_dir: b"))
    runs = [Child(["chase", "--config", c, "--today", DAY])
            for c in (str(p.config.path), str(other))]
    for r in runs:
        r.go()
    codes = [r.wait() for r in runs]
    assert 0 in codes
    # The other either met the chase lease (exit 1, nothing written) or found the day
    # posted or being posted: never a second message.
    assert len(p.sb.webhooks.messages("slack")) == 1
    assert len(p.sb.webhooks.messages("teams")) == 1


def test_a_5xx_that_was_not_taken_is_retried_and_posts_exactly_once(channel_programme, capsys):
    p = channel_programme(ACTIONS)
    p.sb.webhooks.fail_next(500, channel="slack")
    code, out, _err = run(p, capsys, "--today", DAY)
    assert code == 0
    assert p.sb.webhooks.answered.count(500) == 1
    assert len(p.sb.webhooks.messages("slack")) == 1
    assert "channel slack: posted" in out
    assert run(p, capsys, "--today", DAY)[0] == 0
    assert len(p.sb.webhooks.messages("slack")) == 1


def test_a_5xx_after_the_service_took_it_posts_twice_with_one_message_id(channel_programme,
                                                                         capsys):
    """Documented (docs/channel.md): neither service can be asked to post idempotently."""
    p = channel_programme(ACTIONS)
    p.sb.webhooks.fail_next(500, channel="slack", accepted=True)
    assert run(p, capsys, "--today", DAY)[0] == 0
    first, second = p.sb.webhooks.messages("slack")
    assert first == second and "message DCR-2026-11-24" in json.dumps(first)


def test_a_failing_channel_never_fails_chase_and_the_next_run_today_tries_again(
        channel_programme, capsys):
    p = channel_programme(ACTIONS)
    p.sb.webhooks.fail_next(503, channel="teams", times=3)
    code, out, err = run(p, capsys, "--today", DAY)
    assert code == 0
    assert all(len(p.comments(a)) == 1 for a in ("contacts", "rota"))      # chase's work
    assert "warning: channel teams: failed — Microsoft Teams answered 503: rollup_error " \
           "(3 tries); the next chase run today tries again" in err
    assert p.sb.webhooks.messages("teams") == [] and len(p.sb.webhooks.messages("slack")) == 1
    (entry,) = journal(p)
    assert entry["ok"] is True and entry["error"] is None
    assert entry["counts"]["channel_failed"] == 1 and entry["counts"]["channel_posted"] == 1
    code, out, err = run(p, capsys, "--today", DAY)
    assert code == 0 and "channel teams: posted" in out and "channel slack: already" in out
    assert len(p.sb.webhooks.messages("teams")) == 1


@pytest.mark.parametrize("how", ["unreachable", "unset", "refused"])
def test_a_channel_that_cannot_be_reached_is_one_line_and_exit_0(channel_programme, capsys,
                                                                 monkeypatch, how, hooks):
    p = channel_programme(ACTIONS)
    if how == "unreachable":
        monkeypatch.setenv("JIRASYNC_TEST_SLACK_WEBHOOK", "http://127.0.0.1:9/hooks/AbCdEf123456")
    elif how == "unset":
        monkeypatch.delenv("JIRASYNC_TEST_SLACK_WEBHOOK")
    else:
        p.sb.webhooks.fail_next(404, channel="slack", body="no_service")
    code, _out, err = run(p, capsys, "--today", DAY)
    assert code == 0
    (line,) = [ln for ln in err.splitlines() if "channel slack" in ln]
    assert line.startswith("warning: channel slack: failed — ")
    assert {"unreachable": "could not be reached: the connection was refused",
            "unset": "JIRASYNC_TEST_SLACK_WEBHOOK is not set",
            "refused": "Slack answered 404: no_service; the next"}[how] in line
    assert len(p.sb.webhooks.messages("teams")) == 1


def test_the_webhook_address_is_never_shown(channel_programme, capsys, hooks, caplog):
    p = channel_programme(ACTIONS)
    p.sb.webhooks.fail_next(500, channel="slack", times=3, body=f"echo {hooks.slack}")
    caplog.set_level(logging.DEBUG)
    _code, out, err = run(p, capsys, "-v", "--today", DAY)
    _code2, out2, err2 = run(p, capsys, "--json", "--today", DAY)
    shown = "\n".join([out, err, out2, err2, caplog.text,
                       (p.config.state_dir / "runs.jsonl").read_text(),
                       json.dumps(p.sb.project_properties())])
    for secret in (hooks.slack, hooks.teams, hooks.slack.rsplit("/", 1)[1],
                   hooks.teams.rsplit("/", 1)[1]):
        assert secret not in shown
    assert "Slack answered 500: echo [redacted]" in err


def test_retries_back_off_and_honour_retry_after(channel_programme):
    p = channel_programme(ACTIONS)
    result = p.chase(midnight(DAY))
    p.sb.webhooks.fail_next(429, channel="slack", retry_after="5")
    p.sb.webhooks.fail_next(502, channel="slack")
    clock = FakeTime()
    lines: list[str] = []
    told = tell_channels(p.config, p.jira, StateDir(p.config.state_dir), result,
                         now=midnight(DAY), say=lines.append, warn=lines.append,
                         sleep=clock.sleep)
    assert clock.waits == [5.0, 0.0]               # Retry-After's 5 s; then the backoff
    assert told.counts()["channel_posted"] == 2
    assert len(p.sb.webhooks.messages("slack")) == 1


def test_a_run_that_stopped_between_posting_and_recording_is_reported_not_reposted(
        channel_programme, capsys):
    p = channel_programme(ACTIONS)
    # What a run killed after its claim leaves: a claim, an hour old, by no live process.
    p.sb.set_project_property("jirasync.notify.slack.2026-11-24.1", {
        "v": 1, "state": "claimed", "channel": "slack", "day": "2026-11-24", "attempt": 1,
        "host": "host-b", "pid": 1, "at": (datetime.now(UTC) - timedelta(hours=1)).isoformat()})
    code, out, err = run(p, capsys, "--today", DAY)
    assert code == 0
    assert "warning: channel slack: unconfirmed — a run claimed today's message at" in err
    assert p.sb.webhooks.messages("slack") == []
    (entry,) = journal(p)
    assert entry["counts"]["channel_unconfirmed"] == 1
    # A claim made a moment ago on another host: that run is posting; this one waits.
    p.sb.set_project_property("jirasync.notify.teams.2026-11-24.1", {
        "v": 1, "state": "claimed", "host": "host-b", "pid": 1,
        "at": datetime.now(UTC).isoformat()})
    p.sb.webhooks.received.clear()
    code, out, err = run(p, capsys, "--today", "2026-11-24")
    assert "channel teams: busy — another run is posting today's message" in out
    assert p.sb.webhooks.messages() == []


def test_a_dry_run_posts_nothing_and_says_what_it_would(channel_programme, capsys):
    p = channel_programme(ACTIONS)
    code, out, _err = run(p, capsys, "--dry-run", "--today", DAY)
    assert code == 0 and "channel slack: dry-run — would post the message for 2026-11-24" in out
    assert p.sb.webhooks.messages() == []
    assert not any(k.startswith("jirasync.notify") for k in p.sb.project_properties())


def test_without_administer_projects_the_record_falls_back_to_the_state_folder(
        channel_programme, capsys):
    p = channel_programme(ACTIONS)
    p.sb.bot_administers(False)
    code, out, err = run(p, capsys, "--today", DAY)
    assert code == 0 and "channel slack: posted" in out
    assert "another host or a lost state folder may post the day's message again" in err
    assert run(p, capsys, "--today", DAY)[0] == 0
    assert len(p.sb.webhooks.messages("slack")) == 1


def test_the_service_tells_the_channel_after_its_chase(channel_programme, capsys):
    p = channel_programme(ACTIONS)
    p.clock.now = at(DAY)
    with contextlib.suppress(SystemExit):
        code = main(["run", "--once", "--config", str(p.config.path)])
    assert len(p.sb.webhooks.messages("slack")) == 1
    entry = [e for e in journal(p) if e["job"] == "chase"][-1]
    assert entry["counts"]["channel_posted"] == 2
    assert code == 0


def test_what_the_channel_costs_in_jira_requests(channel_programme):
    p = channel_programme(ACTIONS)
    result = p.chase(midnight(DAY))
    state = StateDir(p.config.state_dir)

    def tell() -> int:
        p.sb.reset_log()
        tell_channels(p.config, p.jira, state, result, now=midnight(DAY), say=print,
                      warn=print, sleep=FakeTime().sleep)
        return p.sb.count("project-property")

    assert tell() == 5           # listed once; per channel: claim, record
    assert tell() == 3           # listed once; per channel: the newest attempt read
    assert len(p.sb.webhooks.messages()) == 2


@pytest.mark.over_http                  # forked children post through the sandbox
def test_a_run_killed_between_posting_and_recording_leaves_it_unconfirmed_never_twice(
        channel_programme, capsys):
    p = channel_programme(ACTIONS)
    p.clock.now = midnight(DAY)
    killed = Child(["chase", "--config", str(p.config.path), "--today", DAY])
    p.sb.webhooks.then(killed.kill)           # the first message is in; its poster dies
    assert killed.go().wait() == -9
    assert len(p.sb.webhooks.messages()) == 1
    code, _, err = run(p, capsys, "--today", DAY)
    assert code == 0
    first = p.sb.webhooks.received[0].channel
    assert f"warning: channel {first}: unconfirmed — " in err
    assert len(p.sb.webhooks.messages(first)) == 1                 # never posted again
    other = "slack" if first == "teams" else "teams"
    assert len(p.sb.webhooks.messages(other)) == 1                 # the other channel's turn
    assert run(p, capsys, "--today", DAY)[0] == 0
    assert len(p.sb.webhooks.messages()) == 2


def test_records_older_than_a_week_are_removed_and_a_dry_run_removes_nothing(
        channel_programme, capsys):
    p = channel_programme(ACTIONS)
    old = "jirasync.notify.slack.2026-11-10.1"
    p.sb.set_project_property(old, {"v": 1, "state": "sent"})
    assert run(p, capsys, "--dry-run", "--today", DAY)[0] == 0
    assert old in p.sb.project_properties()
    assert run(p, capsys, "--today", DAY)[0] == 0
    kept = sorted(k for k in p.sb.project_properties() if k.startswith("jirasync.notify"))
    assert kept == ["jirasync.notify.slack.2026-11-24.1", "jirasync.notify.teams.2026-11-24.1"]
