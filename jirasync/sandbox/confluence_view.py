"""The sandbox Confluence's pages in a browser: storage format turned into plain, safe HTML
(a short list of tags kept, every text escaped, links only to http(s), attached images
shown), and the attachments served for download."""
from __future__ import annotations

from html import escape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

from .confluence_api import CLOUD, DC, page_of
from .replies import ApiError, Reply

KEPT = {"p", "h1", "h2", "h3", "h4", "ul", "ol", "li", "table", "thead", "tbody", "tr",
        "th", "td", "strong", "em", "b", "i", "code", "br", "hr", "blockquote", "span"}
VOID = {"br", "hr"}
STYLE = ("body{font-family:system-ui,sans-serif;max-width:1100px;margin:24px auto;"
         "padding:0 16px;color:#172b4d}h1{font-size:28px}h2{margin-top:28px;"
         "border-bottom:1px solid #dfe1e6}table{border-collapse:collapse;margin:8px 0}"
         "th,td{border:1px solid #c1c7d0;padding:4px 8px;text-align:left;vertical-align:top}"
         "th{background:#f4f5f7}.meta{color:#6b778c;font-size:13px}img{max-width:100%}"
         "a{color:#0052cc}")


class RawReply(Reply):
    """An answer that is not JSON: a page or a file."""

    def __init__(self, status: int, data: bytes, content_type: str):
        super().__init__(status, None, (("Content-Type", content_type),))
        object.__setattr__(self, "data", data)

    def encode(self) -> tuple[bytes, tuple[tuple[str, str], ...]]:
        return self.data, self.headers       # type: ignore[attr-defined]


class _Safe(HTMLParser):
    def __init__(self, download: str):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.download = download
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "ri:attachment" and self.open and self.open[-1] == "ac:image":
            name = values.get("ri:filename") or ""
            self.out.append(f'<img alt="{escape(name)}" src="{self.download}'
                            f'{quote(name)}">')
        elif tag == "a":
            href = values.get("href") or ""
            safe = href.startswith(("http://", "https://"))
            self.out.append(f'<a href="{escape(href)}">' if safe else "<a>")
        elif tag in KEPT:
            self.out.append(f"<{tag}>")
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass
        if tag in KEPT - VOID or tag == "a":
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        # Macro parameters (an anchor's name) are settings, not text a reader sees.
        if "ac:parameter" not in self.open:
            self.out.append(escape(data))


def safe_html(storage: str, download: str) -> str:
    parser = _Safe(download)
    parser.feed(storage)
    parser.close()
    return "".join(parser.out)


def view_page(inst: Any, req: Any) -> Reply:
    page_id = req.params.get("id") or req.arg("pageId") or ""
    page = page_of(inst, page_id)
    prefix = CLOUD if inst.cloud else DC
    download = f"{prefix}/download/attachments/{page.id}/"
    files = "".join(f'<li><a href="{escape(inst.base_url + download + quote(a.title))}">'
                    f"{escape(a.title)}</a> (version {a.version}, {a.size:,} bytes)</li>"
                    for a in page.attachments.values())
    labels = ", ".join(escape(label) for label in page.labels) or "none"
    html = (f"<!doctype html><html><head><meta charset='utf-8'><link rel='icon' href='data:,'><title>{escape(page.title)}"
            f"</title><style>{STYLE}</style></head><body><h1>{escape(page.title)}</h1>"
            f"<p class='meta'>Space {escape(page.space)} · version {page.version} · "
            f"labels: {labels}</p>{safe_html(page.body, download)}"
            + (f"<h2>Attachments</h2><ul>{files}</ul>" if files else "")
            + "</body></html>")
    # The page's own text is escaped above; nothing on it may run script.
    return RawReply(200, html.encode(), "text/html; charset=utf-8")


def attachment_reply(inst: Any, req: Any) -> Reply:
    page = page_of(inst, req.params["id"])
    att = page.attachments.get(req.params["name"])
    if att is None:
        raise ApiError(404, "No such attachment")
    return RawReply(200, att.data, att.media_type)
