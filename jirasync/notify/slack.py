"""The day's message as a Slack incoming webhook's Block Kit payload: pure.

Slack's documented limits it keeps (docs/channel.md quotes them): at most 50 blocks in a
message; a section's text at most 3,000 characters; a header's plain text at most 150; a
context block at most 10 elements; the top-level ``text`` (the notification's fallback)
is cut by Slack past 40,000, and kept here to one short line. And one Slack does not
document but enforces: the blocks' text in all kept under TOTAL_CHARS. A longer day is summarised:
each list shows its first items and "and N more", linking to a Jira search for the rest.

Text from Jira is data: ``&``, ``<`` and ``>`` are escaped (Slack's own rule for mrkdwn),
so a summary cannot make a link, mention ``@channel`` or a user, or close one of ours.
"""
from __future__ import annotations

import json
from typing import Any

from jirasync.notify.news import DayNews, Item, Part

MAX_BLOCKS = 50
SECTION_CHARS = 3000
HEADER_CHARS = 150
FALLBACK_CHARS = 3000
# Not in Slack's documentation, but reported (slackapi/bolt-js#2509): a message whose
# blocks hold some 13,000 characters in all is refused with msg_blocks_too_long.
TOTAL_CHARS = 12_000


def escape(text: str) -> str:
    """Jira's text made inert in Slack mrkdwn: the three characters Slack says to escape."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def chars(text: str) -> int:
    """Length as Slack may count it (UTF-16 code units: an emoji counts two), the stricter."""
    return len(text.encode("utf-16-le")) // 2


def _link(url: str, label: str) -> str:
    # A link's address may not hold "|" or ">" (they end it); ours are percent-encoded.
    safe = url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C")
    return f"<{safe}|{escape(label)}>"


def _line(news: DayNews, item: Item) -> str:
    note = f" — {escape(item.note)}" if item.note else ""
    return f"• {_link(news.link(item.key), item.key)} {escape(item.text)}{note}"


def _sections(lines: list[str]) -> list[dict[str, Any]]:
    """Lines packed into sections of at most SECTION_CHARS characters each."""
    out: list[dict[str, Any]] = []
    text = ""
    for line in lines:
        if text and chars(text) + 1 + chars(line) > SECTION_CHARS:
            out.append(_section(text))
            text = ""
        text = f"{text}\n{line}" if text else line
    if text:
        out.append(_section(text))
    return out


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _part(news: DayNews, part: Part, limit: int) -> list[dict[str, Any]]:
    shown = part.shown(limit)
    lines = [f"*{escape(part.title)}* ({part.total})"]
    lines += [_line(news, i) for i in shown]
    more = part.total - len(shown)
    if more:
        where = _link(part.rest, "see them in Jira") if part.rest else \
            "see `jirasync status` and the run's output"
        lines.append(f"…and {more} more — {where}")
    return _sections(lines)


def slack_message(news: DayNews, *, items: int = 15) -> dict[str, Any]:
    """The payload: fewer items per list until it fits Slack's limits."""
    for limit in range(items, -1, -1):
        message = _build(news, limit)
        if fits(message):
            return message
    raise AssertionError("a message with no items always fits")   # pragma: no cover


def _build(news: DayNews, limit: int) -> dict[str, Any]:
    title = f"Lessons learnt — {news.project}, {news.day.day} {news.day:%B %Y}"[:HEADER_CHARS]
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title}},
        _section(escape(news.headline())),
    ]
    for part in news.parts:
        blocks.append({"type": "divider"})
        blocks += _part(news, part, limit)
    blocks.append({"type": "context", "elements": [
        {"type": "mrkdwn", "text": f"jirasync · {_link(news.jira_url, 'Jira')} · "
                                   f"message {escape(news.message_id)}"}]})
    fallback = f"{title}: {news.headline()}"[:FALLBACK_CHARS]
    return {"text": escape(fallback), "blocks": blocks}


def fits(message: dict[str, Any]) -> bool:
    """Whether ``message`` keeps the limits above (the sandbox checks the same)."""
    return not problems(message)


def problems(message: dict[str, Any]) -> list[str]:
    """What in ``message`` breaks Slack's documented limits, in Slack's error words."""
    blocks = message.get("blocks")
    if not message.get("text") and not blocks:
        return ["no_text"]
    if blocks is None:
        return []
    if not isinstance(blocks, list) or len(blocks) > MAX_BLOCKS:
        return [f"invalid_blocks: more than {MAX_BLOCKS} blocks"]
    total = sum(chars(t) for t in _texts(blocks))
    if total > TOTAL_CHARS:
        return [f"msg_blocks_too_long: {total} characters in all"]
    out = []
    for i, block in enumerate(blocks):
        why = _block_problem(block)
        if why:
            out.append(f"invalid_blocks: block {i}: {why}")
    return out


def _texts(blocks: list[Any]) -> list[str]:
    found = []
    for block in blocks:
        if not isinstance(block, dict):
            continue
        objects = [block.get("text")] + list(block.get("elements") or [])
        found += [o["text"] for o in objects if isinstance(o, dict)
                  and isinstance(o.get("text"), str)]
    return found


def _block_problem(block: Any) -> str | None:
    if not isinstance(block, dict):
        return "not an object"
    kind = block.get("type")
    found = block.get("text")
    text: dict[str, Any] = found if isinstance(found, dict) else {}
    if kind == "section":
        return _text_problem(text, SECTION_CHARS)
    if kind == "header":
        if text.get("type") != "plain_text":
            return "a header's text must be plain_text"
        return _text_problem(text, HEADER_CHARS)
    if kind == "context":
        elements = block.get("elements")
        if not isinstance(elements, list) or not 1 <= len(elements) <= 10:
            return "a context block holds 1 to 10 elements"
        return next((w for e in elements if (w := _text_problem(e, SECTION_CHARS))), None)
    if kind == "divider":
        return None
    return f"unknown block type {kind!r}"


def _text_problem(text: Any, limit: int) -> str | None:
    if not isinstance(text, dict) or text.get("type") not in ("mrkdwn", "plain_text"):
        return "a text object must be mrkdwn or plain_text"
    value = text.get("text")
    if not isinstance(value, str) or not value:
        return "a text object needs text"
    if chars(value) > limit:
        return f"text longer than {limit} characters"
    return None


def size(message: dict[str, Any]) -> int:
    """The payload's size in bytes as sent."""
    return len(json.dumps(message, ensure_ascii=False).encode("utf-8"))
