"""The day's message as a Teams Workflows webhook's payload: a message carrying one
Adaptive Card (version 1.4, which Teams renders). Pure.

Teams' documented limit: a message of about 28 KB, past which the post fails ("Request
Entity Too Large"). The payload is kept under LIMIT_BYTES (with a margin for what Teams
adds) by showing fewer items per list, "and N more" linking to a Jira search.

Text from Jira is data. A TextBlock reads its text as Markdown, so Jira's text never goes
in one: it goes in a RichTextBlock's TextRun, whose text Adaptive Cards do not read as
Markdown, so a summary cannot make a link, a heading or a mention. Where a TextBlock must
show a value (the project key), ``escape`` backslash-escapes Markdown's punctuation.
"""
from __future__ import annotations

import json
import re
from typing import Any

from jirasync.notify.news import DayNews, Item, Part

LIMIT_BYTES = 28_000           # Teams: "about 28 KB"; counted here on the whole payload
MARGIN_BYTES = 1_000           # kept free, for what the Workflow adds around the card
CARD = "application/vnd.microsoft.card.adaptive"


def escape(text: str) -> str:
    """``text`` inert in an Adaptive Card TextBlock's Markdown: the marks that make links,
    emphasis, code and headings are backslash-escaped, and ``<`` and ``>`` (Teams'
    ``<at>`` mentions) are replaced by look-alikes."""
    text = re.sub(r"([\\`*_\[\]()#|~])", r"\\\1", text)
    return text.replace("<", "‹").replace(">", "›")


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _run(text: str, url: str | None = None) -> dict[str, Any]:
    run: dict[str, Any] = {"type": "TextRun", "text": text}
    if url:
        run["selectAction"] = {"type": "Action.OpenUrl", "url": url}
    return run


def _item(news: DayNews, item: Item) -> dict[str, Any]:
    note = f" — {item.note}" if item.note else ""
    return {"type": "RichTextBlock", "inlines": [
        _run(item.key, news.link(item.key)), _run(f"  {item.text}{note}")]}


def _part(news: DayNews, part: Part, limit: int) -> list[dict[str, Any]]:
    shown = part.shown(limit)
    out = [_text(f"**{escape(part.title)}** ({part.total})", spacing="Medium",
                 separator=True)]
    out += [_item(news, i) for i in shown]
    more = part.total - len(shown)
    if more:
        where = f"[see them in Jira]({part.rest})" if part.rest else \
            "see `jirasync status` and the run's output"
        out.append(_text(f"…and {more} more — {where}", isSubtle=True))
    return out


def _card(news: DayNews, limit: int) -> dict[str, Any]:
    body = [_text(f"Lessons learnt — {escape(news.project)}, {news.day.day} "
                  f"{news.day:%B %Y}", size="Large", weight="Bolder"),
            _text(news.headline())]
    for part in news.parts:
        body += _part(news, part, limit)
    body.append(_text(f"jirasync · message {news.message_id}", isSubtle=True,
                      size="Small"))
    content = {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
               "type": "AdaptiveCard", "version": "1.4", "msteams": {"width": "Full"},
               "body": body,
               "actions": [{"type": "Action.OpenUrl", "title": "Open Jira",
                            "url": news.jira_url}]}
    return {"type": "message",
            "attachments": [{"contentType": CARD, "contentUrl": None, "content": content}]}


def teams_message(news: DayNews, *, items: int = 15) -> dict[str, Any]:
    """The payload: fewer items per list until it fits under the limit."""
    for limit in range(items, -1, -1):
        message = _card(news, limit)
        if size(message) <= LIMIT_BYTES - MARGIN_BYTES:
            return message
    raise AssertionError("a card with no items always fits")   # pragma: no cover


def size(message: dict[str, Any]) -> int:
    """The payload's size in bytes as sent (UTF-8 JSON)."""
    return len(json.dumps(message, ensure_ascii=False).encode("utf-8"))


def problems(message: Any) -> list[str]:
    """What keeps ``message`` from being a Workflows webhook's Adaptive Card message."""
    if not isinstance(message, dict) or message.get("type") != "message":
        return ['the body must be {"type": "message", "attachments": [...]}']
    attachments = message.get("attachments")
    if not isinstance(attachments, list) or not attachments:
        return ["attachments must hold the card"]
    out = []
    for a in attachments:
        content = a.get("content") if isinstance(a, dict) else None
        if not isinstance(a, dict) or a.get("contentType") != CARD:
            out.append(f"an attachment's contentType must be {CARD}")
        elif not isinstance(content, dict) or content.get("type") != "AdaptiveCard" \
                or not isinstance(content.get("body"), list):
            out.append("an attachment's content must be an AdaptiveCard with a body")
    return out
