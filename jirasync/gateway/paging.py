"""Jira's search, page by page: Cloud's token paging (``nextPageToken``, and the ids its
lagging index must read fresh), Data Center's ``startAt`` paging, by key past its search
window."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from jirasync.errors import JiraError
from jirasync.gateway.failures import Call
from jirasync.gateway.limits import RECONCILE_LIMIT
from jirasync.gateway.reading import Answer
from jirasync.gateway.transport import Transport


def cloud_pages(transport: Transport, body: dict[str, Any],
                reconcile: Iterable[str | int]) -> Iterator[Answer]:
    """The issues of Cloud's search (``search/jql``); the newest ``RECONCILE_LIMIT`` ids of
    ``reconcile`` (highest first: the most recently created are the ones the index is
    likely to miss) are sent as ``reconcileIssues``."""
    ids = sorted({int(i) for i in reconcile}, reverse=True)[:RECONCILE_LIMIT]
    if ids:
        body = {**body, "reconcileIssues": ids}
    call = Call("search", "the search", safe=True)
    while True:
        page = Answer.of(transport.json(call, "POST", "search/jql", body=body), call)
        yield from page.objects("issues", required=True)
        token = page.text("nextPageToken")
        if not token or page.flag("isLast"):
            return
        body = {**body, "nextPageToken": token}


def datacenter_pages(transport: Transport, jql: str, body: dict[str, Any]) -> Iterator[Answer]:
    """Pages of Data Center's search. A query in key order pages by key: ``startAt``
    fails past Jira's search window (10,000 results by default)."""
    call = Call("search", "the search", safe=True)
    where, by_key = _key_ordered(jql)
    start, page = 0, Answer.of(transport.json(call, "POST", "search",
                                              body={**body, "jql": jql, "startAt": 0}), call)
    while True:
        issues, total = page.objects("issues", required=True), \
            page.number("total", required=True)
        yield from issues
        start += len(issues)
        if not issues or len(issues) >= total or (not by_key and start >= total):
            return
        if not by_key:
            page = Answer.of(transport.json(call, "POST", "search", body={
                **body, "jql": jql, "startAt": start}), call)
            continue
        page = _after(transport, call, body, where,
                      [i.text("key", required=True) for i in issues])


def _after(transport: Transport, call: Call, body: dict[str, Any], where: str,
           keys: list[str]) -> Answer:
    """The page after ``keys`` in key order. Jira refuses ``key > X`` for an X deleted
    since it was read, so the keys before it are tried in turn."""
    for anchor in reversed(keys):
        query = f'({where}) AND key > "{anchor}" ORDER BY key'
        try:
            return Answer.of(transport.json(call, "POST", "search", body={
                **body, "jql": query, "startAt": 0}), call)
        except JiraError as e:
            if e.status != 400:
                raise
    raise JiraError(f"every issue of a page of the search was deleted "
                    f"while it was read ({keys[0]} to {keys[-1]}); run again")


_ORDER_BY_KEY = re.compile(r"^(?P<where>.*\S)\s+ORDER\s+BY\s+key(\s+ASC)?\s*$",
                           re.IGNORECASE | re.DOTALL)


def _key_ordered(jql: str) -> tuple[str, bool]:
    """The conditions of ``jql``, and whether it is ordered by key ascending."""
    match = _ORDER_BY_KEY.match(jql)
    return (match["where"], True) if match else (jql, False)
