"""Who may write in the sandbox Confluence's space, and the read that tells the bot so.

Every user may view the space and add and edit pages in it, except those a test made
view-only (``sandbox.confluence.view_only``). A view-only user's writes are refused as the
contract says: v2 page create and update answer 404 ("The user does not have the needed
permissions to create a page in the provided space"), v1 writes 403 ("If the requesting
user does not have permission to create content", "the calling user can view but not
edit the content", "does not have permission to add attachments to the content").
``GET /api/v2/spaces/{id}/operations`` ("Returns the permitted operations on specific
space") lists what the caller may do: ``create`` of ``page`` and ``attachment`` only for
one who may write."""
from __future__ import annotations

from typing import Any

from .confluence_api import site
from .replies import ApiError, Reply
from .request import ApiRequest

READ = [{"operation": "read", "targetType": "space"}]
WRITE = [{"operation": "create", "targetType": "page"},
         {"operation": "create", "targetType": "attachment"},
         {"operation": "update", "targetType": "page"}]


def may_write(inst: Any, req: ApiRequest) -> bool:
    return str(req.actor) not in site(inst).view_only


def require_write(inst: Any, req: ApiRequest, *, v2: bool) -> None:
    """Refuse a view-only caller's write: 404 on v2 (its only answer for it), 403 on v1."""
    if not may_write(inst, req):
        if v2:
            raise ApiError(404, "The user does not have the needed permissions to create "
                                "or update a page in the space")
        raise ApiError(403, "The calling user does not have permission to edit the content")


def space_operations(inst: Any, req: ApiRequest) -> Reply:
    """``GET /api/v2/spaces/{id}/operations``: the caller's permitted operations."""
    if site(inst).space_by_id(req.params["id"]) is None:
        raise ApiError(404, f"No space with id {req.params['id']}")
    return Reply(200, {"operations": READ + (WRITE if may_write(inst, req) else [])})
