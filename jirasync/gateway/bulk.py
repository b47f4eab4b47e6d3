"""Creating issues in bulk: one request of at most 50, each refusal a result of its own."""
from __future__ import annotations

from typing import Any

from jirasync.gateway.convert import bulk_results
from jirasync.gateway.failures import Call, error_for
from jirasync.gateway.reading import Answer
from jirasync.gateway.transport import Transport, decode
from jirasync.gateway.types import CreateResult


def bulk_create(transport: Transport, chunk: list[dict[str, Any]], start: int) -> list[CreateResult]:
    """One POST /issue/bulk of ``chunk`` (entries ``start``.. of the whole): a result per
    entry, Jira's refusals of single issues among them."""
    call = Call("bulk-create", f"the creation of {len(chunk)} issues", safe=False,
                allow=(400,))
    response = transport.request(call, "POST", "issue/bulk", body={"issueUpdates": chunk})
    # When every element fails Jira answers 400, with the same per-element errors.
    if response.status_code == 400:
        try:
            refusal = response.json()     # its details are read best effort
        except ValueError:
            refusal = None
        if not isinstance(refusal, dict) or not refusal.get("errors"):
            raise error_for(call, response, transport.url)
    body = Answer.of(decode(call, response, transport.url), call)
    return bulk_results(body, start=start, count=len(chunk))
