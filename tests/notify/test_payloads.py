"""The day's message within Slack's and Teams' documented limits, however big the day,
and Jira's text inert in both (docs/channel.md)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from jirasync.notify.news import DayNews, OpenOne, day_news
from jirasync.notify.slack import escape as slack_escape
from jirasync.notify.slack import slack_message
from jirasync.notify.teams import escape as teams_escape
from jirasync.notify.teams import teams_message
from jirasync.records import Sent
from jirasync.sandbox.webhooks import Webhooks

DAY = date(2026, 12, 3)
URL = "https://example.atlassian.net"
CJK = "パートナーのフィードを停止する手順を確認し、移行チェックリストに追加する。"   # 3 bytes a character


@dataclass(frozen=True)
class Answer:
    key: str
    change: str
    kind: str


def news(*, overdue: int = 0, prompts: int = 0, escalations: int = 0, answers: int = 0,
         blocked: int = 0, summary: str = "Add feed shutdown to the drop checklist") -> DayNews:
    actions = [OpenOne(f"DCR-{n}", summary, DAY - timedelta(days=1 + n % 90), "Sam Jones",
                       frozenset({"ll-blocked"}) if n <= blocked else frozenset())
               for n in range(1, max(overdue, prompts, escalations, blocked) + 1)]
    actions = [a if i < overdue else OpenOne(a.key, a.summary, DAY + timedelta(days=5),
                                             a.owner_name, a.labels)
               for i, a in enumerate(actions)]
    sent = [Sent("prompt", f"DCR-{n}", ("Sam Jones",)) for n in range(1, prompts + 1)]
    sent += [Sent("escalation", f"DCR-{n}", ("Sam Jones", "Jodie Crowfoot"), "overdue by 14 days")
             for n in range(1, escalations + 1)]
    applied = [Answer(f"DCR-{n}", f"due date moved to 2027-01-{n % 28 + 1:02d}: {summary}",
                      "extended") for n in range(1, answers + 1)]
    return day_news(day=DAY, project="DCR", jira_url=URL, sent=sent, actions=actions,
                    answers=applied, blocked_label="ll-blocked", overdue_label="ll-overdue",
                    action_label="ll-action")


HUGE = {"overdue": 4000, "prompts": 1200, "escalations": 900, "answers": 300, "blocked": 500}
SUMMARIES = {"latin-250": "x" * 245 + " end.", "cjk-250": (CJK * 8)[:250],
             "emoji": "🚀" * 250, "markup": "<!channel> & [a](b) **c** " * 10}


def slack_limits(message: dict) -> None:
    """Slack's documented limits, checked here without the code that builds the message."""
    blocks = message["blocks"]
    assert 1 <= len(blocks) <= 50
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"].encode("utf-16-le")) // 2 <= 3000
        if block["type"] == "header":
            assert block["text"]["type"] == "plain_text" and len(block["text"]["text"]) <= 150
        if block["type"] == "context":
            assert len(block["elements"]) <= 10
    assert len(message["text"]) <= 3000
    texts = [b["text"]["text"] for b in blocks if b["type"] in ("section", "header")]
    texts += [e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]]
    # Undocumented, reported (slackapi/bolt-js#2509): ~13,000 characters in all is refused.
    assert sum(len(t.encode("utf-16-le")) // 2 for t in texts) <= 12_000


def sent_size(message: dict) -> int:
    return len(json.dumps(message, ensure_ascii=False).encode("utf-8"))


@pytest.mark.parametrize("summary", SUMMARIES, ids=list(SUMMARIES))
def test_a_huge_day_fits_slack_and_says_how_many_more(summary):
    day = news(**HUGE, summary=SUMMARIES[summary])
    message = slack_message(day)
    slack_limits(message)
    text = "\n".join(b["text"]["text"] for b in message["blocks"] if b["type"] == "section")
    assert "*Overdue* (4000)" in text and "more — <https://example.atlassian.net/issues/?jql=" in text
    shown = text.count("<https://example.atlassian.net/browse/DCR-")
    assert shown >= 5 * 3          # a few of each list, not none
    more = [int(line.split("…and ")[1].split()[0]) for line in text.splitlines() if "…and " in line]
    assert sum(more) + shown == sum(HUGE.values())
    status, _, answer = Webhooks().handle("POST", "/webhooks/slack/T1",
                                          json.dumps(message).encode())
    assert (status, answer) == (200, b"ok")


@pytest.mark.parametrize("summary", SUMMARIES, ids=list(SUMMARIES))
def test_a_huge_day_fits_teams_28kb(summary):
    message = teams_message(news(**HUGE, summary=SUMMARIES[summary]))
    assert sent_size(message) <= 28_000
    body = message["attachments"][0]["content"]["body"]
    texts = [b["text"] for b in body if b["type"] == "TextBlock"]
    assert any(t.startswith("**Overdue** (4000)") for t in texts)
    assert any("…and " in t and "](https://example.atlassian.net/issues/?jql=" in t for t in texts)
    assert sum(1 for b in body if b["type"] == "RichTextBlock") >= 5
    status, _, _ = Webhooks().handle("POST", "/webhooks/teams/W1",
                                    json.dumps(message, ensure_ascii=False).encode())
    assert status == 202


def test_the_most_overdue_come_first_and_a_quiet_day_still_says_the_numbers():
    message = slack_message(news(overdue=30))
    first = next(b["text"]["text"] for b in message["blocks"]
                 if b["type"] == "section" and "*Overdue*" in b["text"]["text"])
    assert first.splitlines()[1].endswith("DCR-30> Add feed shutdown to the drop checklist — Sam Jones, overdue by 31 days")
    quiet = slack_message(news())
    assert "this run: 0 prompts sent · 0 escalations · 0 answers applied · now: 0 blocked · " \
           "0 overdue of 0 open actions" in quiet["blocks"][1]["text"]["text"]


def test_the_sandbox_refuses_what_slack_and_teams_would():
    hooks = Webhooks()
    too_many = {"blocks": [{"type": "divider"}] * 51}
    long_section = {"blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]}
    assert hooks.handle("POST", "/webhooks/slack/T1", json.dumps(too_many).encode())[2] \
        == b"invalid_blocks"
    assert hooks.handle("POST", "/webhooks/slack/T1", json.dumps(long_section).encode())[0] == 400
    assert hooks.handle("POST", "/webhooks/slack/T1", b"not json")[2] == b"invalid_payload"
    assert hooks.handle("POST", "/webhooks/slack/T1", b"{}")[2] == b"no_text"
    big = teams_message(news())
    big["attachments"][0]["content"]["body"].append({"type": "TextBlock", "text": "x" * 28_000})
    assert hooks.handle("POST", "/webhooks/teams/W1", json.dumps(big).encode())[0] == 413
    assert hooks.handle("POST", "/webhooks/teams/W1", b'{"text": "hi"}')[0] == 400
    assert hooks.received == []


HOSTILE = "<!channel> <@U024BE7LH> <https://evil.example|click here> & [click](https://evil.example) **bold** <at>Boss</at>"


def test_slack_text_from_jira_cannot_mention_or_link():
    message = slack_message(news(overdue=1, prompts=1, summary=HOSTILE))
    raw = json.dumps(message, ensure_ascii=False)
    for forbidden in ("<!channel>", "<@U024BE7LH>", "<https://evil.example"):
        assert forbidden not in raw
    assert "&lt;!channel&gt; &lt;@U024BE7LH&gt; &lt;https://evil.example|click here&gt; &amp;" in raw
    assert slack_escape("a & <b>") == "a &amp; &lt;b&gt;"


def test_teams_text_from_jira_is_never_read_as_markdown():
    message = teams_message(news(overdue=1, prompts=1, summary=HOSTILE))
    body = message["attachments"][0]["content"]["body"]
    for block in body:
        if block["type"] == "TextBlock":      # Markdown: Jira's text never lands here
            assert "evil.example" not in block["text"] and "Boss" not in block["text"]
    runs = [r["text"] for b in body if b["type"] == "RichTextBlock" for r in b["inlines"]]
    assert any(HOSTILE in r for r in runs)    # shown as it is, in a TextRun (no Markdown)
    links = [r["selectAction"]["url"] for b in body if b["type"] == "RichTextBlock"
             for r in b["inlines"] if "selectAction" in r]
    assert links and all(u.startswith(URL + "/browse/DCR-") for u in links)
    assert teams_escape("[a](b) <at>x</at> *y*") == r"\[a\]\(b\) ‹at›x‹/at› \*y\*"
