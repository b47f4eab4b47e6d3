"""How the sandbox's CQL search pages, by flavour. Cloud's contract for
``GET /wiki/rest/api/content/search`` declares ``cursor`` and ``limit``, no ``start``:
"cursor: Pointer to a set of search results, returned as part of the `next` or `prev`
URL from the previous search call." So on Cloud ``start`` is ignored (a client paging by
it gets the first page again) and the next page is only reached through ``_links.next``,
whose cursor is opaque. Data Center pages by ``start`` and also gives ``_links.next``."""
from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

from .replies import ApiError
from .request import ApiRequest


def search_start(inst: Any, req: ApiRequest) -> int:
    """Where this page of the search starts."""
    if not inst.cloud:
        return req.int_arg("start", 0)
    cursor = req.arg("cursor")
    if not cursor:
        return 0
    try:
        return int(base64.urlsafe_b64decode(cursor.encode()).decode().removeprefix("at:"))
    except ValueError:
        raise ApiError(400, "Invalid cursor") from None


def search_next(inst: Any, req: ApiRequest, start: int, limit: int) -> str:
    """``_links.next``: the next page's address, relative to the site's base."""
    query: dict[str, Any] = {"cql": req.arg("cql") or "", "limit": limit}
    if req.arg("expand"):
        query["expand"] = req.arg("expand")
    if inst.cloud:
        query["cursor"] = base64.urlsafe_b64encode(f"at:{start}".encode()).decode()
    else:
        query["start"] = start
    return "/rest/api/content/search?" + urlencode(query)
