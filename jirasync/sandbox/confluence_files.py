"""What each Confluence attachment request does to the sandbox's site (``confluence_api``
routes them here): listed, added (a file of the same name refused, as Confluence refuses
it), a new version uploaded."""
from __future__ import annotations

from typing import Any

from .confluence_api import attachment_json, listing, page_of, site
from .confluence_perms import require_write
from .replies import ApiError, Reply
from .request import ApiRequest

SAME_FILE = "Cannot add a new attachment with same file name as an existing attachment: {}"


def attachments(inst: Any, req: ApiRequest) -> Reply:
    page = page_of(inst, req.params["id"])
    name = req.arg("filename")
    found = [attachment_json(inst, page, a) for a in page.attachments.values()
             if name is None or a.title == name]
    return Reply(200, listing(found, limit=req.int_arg("limit", 50)))


def attach(inst: Any, req: ApiRequest) -> Reply:
    """Adds only: a file of the same name is refused (its new version goes to /data)."""
    page = page_of(inst, req.params["id"])
    require_write(inst, req, v2=False)
    name, data, comment = _upload(req)
    if name in page.attachments:
        raise ApiError(400, SAME_FILE.format(name))
    att = site(inst).attach(page, name, _media_type(name), data, comment)
    return Reply(200, listing([attachment_json(inst, page, att)]))


def attach_data(inst: Any, req: ApiRequest) -> Reply:
    page = page_of(inst, req.params["id"])
    require_write(inst, req, v2=False)
    att = next((a for a in page.attachments.values() if a.id == req.params["att"]), None)
    if att is None:
        raise ApiError(404, f"No attachment with id {req.params['att']}")
    _, data, comment = _upload(req)
    att = site(inst).attach(page, att.title, att.media_type, data, comment)
    return Reply(200, attachment_json(inst, page, att))


def _upload(req: ApiRequest) -> tuple[str, bytes, str]:
    parts = req.body if isinstance(req.body, dict) else {}
    file = parts.get("file")
    if not isinstance(file, tuple) or not file[0]:
        raise ApiError(400, "The request must hold a file part")
    if "minorEdit" not in parts:        # the contract requires both: file, minorEdit
        raise ApiError(400, "The request must hold a minorEdit part")
    comment = parts.get("comment", (None, b""))[1].decode("utf-8", "replace")
    return str(file[0]), file[1], comment


def _media_type(name: str) -> str:
    return {"svg": "image/svg+xml", "html": "text/html", "png": "image/png",
            "pptx": "application/vnd.openxmlformats-officedocument.presentationml."
                    "presentation"}.get(name.rsplit(".", 1)[-1].lower(),
                                        "application/octet-stream")
