"""The sandbox's Confluence does what Confluence's published words say, row by row: the
operations publish sends (jirasync/confluence/client.py), on the flavours each applies to.

Each row quotes Atlassian's contract: "The Confluence Cloud REST API v2"
(openapi-v2.v3.json) or "The Confluence Cloud REST API" (swagger.v3.json), naming the
operation (``Contract``); ``tests/contract/trim_confluence.py check`` finds every such
quote in that operation's text. Data Center is held to the Cloud v1 words of the same
``/rest/api`` operation; where no sentence of the contract says what a row checks, the
row says so and names its source. The shapes of every request and answer are checked
apart (tests/contract/confluence_validator.py). The table is docs/conformance.md's
Confluence section.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from jirasync.sandbox import Sandbox

CLOUD, DC = "cloud", "datacenter"
BOTH = (CLOUD, DC)
DC_REST = "docs.atlassian.com/atlassian-confluence/REST/5.5 (Structure of the REST URIs)"
READING = "jirasync's reading of Confluence's behaviour (no sentence found to quote)"


@dataclass(frozen=True)
class Contract:
    """A quote's operation in Atlassian's contract: ``doc`` v2 or v1, as published."""

    doc: str
    method: str
    path: str

    def __str__(self) -> str:
        name = "Cloud REST v2" if self.doc == "v2" else "Cloud REST v1"
        return f"{name} contract, {self.method.upper()} {self.path}"


def v2(method: str, path: str) -> Contract:
    return Contract("v2", method, path)


def v1(method: str, path: str) -> Contract:
    return Contract("v1", method, "/wiki/rest/api" + path)


@dataclass(frozen=True)
class Row:
    operation: str
    quote: str
    source: Contract | str
    check: Callable[[Sandbox], None]
    flavours: tuple[str, ...] = BOTH


def _s(sb: Sandbox) -> requests.Session:
    s = requests.Session()
    if sb.flavour == CLOUD:
        s.auth = ("pmo-bot@example.org", "sandbox-token")
    else:
        s.headers["Authorization"] = "Bearer sandbox-pat"
    return s


def _v1(sb: Sandbox, path: str) -> str:
    return f"{sb.confluence.url}/rest/api{path}"


def _page(sb: Sandbox, title: str = "A page") -> str:
    return sb.confluence.create(title, "<p>x</p>", who="pmo-bot@example.org")


def _upload(sb: Sandbox, url: str, data: bytes, token: bool = True,
            minor: bool = True) -> requests.Response:
    headers = {"X-Atlassian-Token": "nocheck"} if token else {}
    files: dict = {"file": ("deck.pptx", data)}
    if minor:
        files["minorEdit"] = (None, "true")
    return _s(sb).post(url, files=files, headers=headers)


def attach_only_adds(sb: Sandbox) -> None:
    page = _page(sb)
    assert _upload(sb, _v1(sb, f"/content/{page}/child/attachment"), b"one").status_code == 200
    again = _upload(sb, _v1(sb, f"/content/{page}/child/attachment"), b"two")
    assert again.status_code == 400
    assert sb.confluence.page(page).attachments["deck.pptx"].data == b"one"


def attach_data_makes_a_version(sb: Sandbox) -> None:
    page = _page(sb)
    made = _upload(sb, _v1(sb, f"/content/{page}/child/attachment"), b"one").json()
    att = made["results"][0]["id"]
    answer = _upload(sb, _v1(sb, f"/content/{page}/child/attachment/{att}/data"), b"two")
    assert answer.status_code == 200 and answer.json()["version"]["number"] == 2
    kept = sb.confluence.page(page).attachments
    assert len(kept) == 1 and kept["deck.pptx"].data == b"two"


def upload_needs_no_check(sb: Sandbox) -> None:
    page = _page(sb)
    answer = _upload(sb, _v1(sb, f"/content/{page}/child/attachment"), b"x", token=False)
    assert answer.status_code == 403 and not sb.confluence.page(page).attachments


def upload_needs_minor_edit(sb: Sandbox) -> None:
    page = _page(sb)
    answer = _upload(sb, _v1(sb, f"/content/{page}/child/attachment"), b"x", minor=False)
    assert answer.status_code == 400 and not sb.confluence.page(page).attachments
    sb.observer.take()          # a request that breaks the contract, on purpose


def _put(sb: Sandbox, page: str, number: int) -> requests.Response:
    storage = {"representation": "storage", "value": "<p>new</p>"}
    if sb.flavour == CLOUD:
        return _s(sb).put(f"{sb.confluence.url}/api/v2/pages/{page}",
                          json={"id": page, "status": "current", "title": "A page",
                                "body": storage, "version": {"number": number}})
    return _s(sb).put(_v1(sb, f"/content/{page}"),
                      json={"type": "page", "title": "A page",
                            "body": {"storage": storage}, "version": {"number": number}})


def update_is_the_next_version(sb: Sandbox) -> None:
    page = _page(sb)
    stale = _put(sb, page, 1)
    assert stale.status_code == 409 and sb.confluence.page(page).version == 1
    assert _put(sb, page, 2).status_code == 200
    assert sb.confluence.page(page).version == 2
    assert _put(sb, page, 2).status_code == 409          # a resent update is not applied twice


def update_names_the_page_and_status(sb: Sandbox) -> None:
    page = _page(sb)
    storage = {"representation": "storage", "value": "<p>new</p>"}
    answer = _s(sb).put(f"{sb.confluence.url}/api/v2/pages/{page}",
                        json={"title": "A page", "body": storage, "version": {"number": 2}})
    assert answer.status_code == 400 and sb.confluence.page(page).version == 1
    sb.observer.take()          # a request that breaks the contract, on purpose


def properties_come_with_the_page(sb: Sandbox) -> None:
    page = _page(sb)
    sb.confluence.add_properties(page, {"jirasync": {"release": "4.3"}})
    url = f"{sb.confluence.url}/api/v2/pages/{page}"
    got = _s(sb).get(url, params={"include-properties": "true"}).json()["properties"]
    assert [p["key"] for p in got["results"]] == ["jirasync"]
    assert got["meta"]["hasMore"] is False
    sb.confluence.add_properties(page, {f"app-{i:02}": i for i in range(60)})
    got = _s(sb).get(url, params={"include-properties": "true"}).json()["properties"]
    keys = [p["key"] for p in got["results"]]
    assert len(keys) == 50 and keys == sorted(keys) and "jirasync" not in keys
    assert got["meta"]["hasMore"] is True
    assert "properties" not in _s(sb).get(url).json()


def search_pages_by_cursor(sb: Sandbox) -> None:
    for i in range(3):
        page = _page(sb, f"Tagged {i}")
        _s(sb).post(_v1(sb, f"/content/{page}/label"), json=[{"prefix": "global",
                                                            "name": "t"}])
    cql = 'space = "PMO" and type = page and label = "t"'
    first = _s(sb).get(_v1(sb, "/content/search"), params={"cql": cql, "limit": 2}).json()
    nxt = first["_links"]["next"]
    assert "cursor=" in nxt and "start=" not in nxt
    second = _s(sb).get(sb.confluence.url + nxt).json()
    ids = [r["id"] for r in first["results"] + second["results"]]
    assert len(set(ids)) == 3 and "next" not in second["_links"]
    start = _s(sb).get(_v1(sb, "/content/search"),
                       params={"cql": cql, "limit": 2, "start": 2}).json()
    assert [r["id"] for r in start["results"]] == ids[:2]     # start is not Cloud's
    sb.observer.take()          # `start`, sent on purpose, is not the operation's


def operations_tell_who_may_write(sb: Sandbox) -> None:
    space = _s(sb).get(f"{sb.confluence.url}/api/v2/spaces", params={"keys": "PMO"})
    space_id = space.json()["results"][0]["id"]
    url = f"{sb.confluence.url}/api/v2/spaces/{space_id}/operations"
    may = {(o["operation"], o["targetType"]) for o in _s(sb).get(url).json()["operations"]}
    assert {("create", "page"), ("create", "attachment")} <= may
    sb.confluence.view_only("pmo-bot@example.org")
    may = {(o["operation"], o["targetType"]) for o in _s(sb).get(url).json()["operations"]}
    assert ("create", "page") not in may and ("read", "space") in may
    made = _s(sb).post(f"{sb.confluence.url}/api/v2/pages", json={
        "spaceId": space_id, "status": "current", "title": "Not allowed",
        "body": {"representation": "storage", "value": "<p/>"}})
    assert made.status_code == 404 and sb.confluence.titled("Not allowed") is None


def body_only_when_asked(sb: Sandbox) -> None:
    page = _page(sb)
    plain = _s(sb).get(f"{sb.confluence.url}/api/v2/pages/{page}").json()
    asked = _s(sb).get(f"{sb.confluence.url}/api/v2/pages/{page}",
                       params={"body-format": "storage"}).json()
    assert "body" not in plain and asked["body"]["storage"]["value"] == "<p>x</p>"


def create_under_a_parent(sb: Sandbox) -> None:
    parent = sb.confluence.titled(sb.confluence.parent_title).id
    space = _s(sb).get(f"{sb.confluence.url}/api/v2/spaces", params={"keys": "PMO"}).json()
    made = _s(sb).post(f"{sb.confluence.url}/api/v2/pages", json={
        "spaceId": space["results"][0]["id"], "status": "current", "title": "Child",
        "parentId": parent, "body": {"representation": "storage", "value": "<p>c</p>"}})
    assert made.status_code == 200 and sb.confluence.page(made.json()["id"]).parent_id == parent


def titles_are_unique_in_a_space(sb: Sandbox) -> None:
    _page(sb, "Taken")
    answer = _s(sb).post(_v1(sb, "/content"), json={
        "type": "page", "title": "Taken", "space": {"key": "PMO"},
        "body": {"storage": {"value": "<p/>", "representation": "storage"}}})
    assert answer.status_code == 400
    assert [p.title for p in sb.confluence.pages()].count("Taken") == 1


def property_made_then_versioned(sb: Sandbox) -> None:
    page = _page(sb)
    base = f"{sb.confluence.url}/api/v2/pages/{page}/properties"
    made = _s(sb).post(base, json={"key": "jirasync", "value": {"release": "4.2"}}).json()
    assert made["version"]["number"] == 1
    stale = _s(sb).put(f"{base}/{made['id']}", json={"key": "jirasync", "value": {},
                                                     "version": {"number": 1}})
    assert stale.status_code == 409
    _s(sb).put(f"{base}/{made['id']}", json={"key": "jirasync", "value": {"release": "4.3"},
                                              "version": {"number": 2}})
    assert sb.confluence.page(page).properties["jirasync"].value == {"release": "4.3"}


def dc_under_its_context_path(sb: Sandbox) -> None:
    assert sb.confluence.url.endswith("/confluence")
    assert _s(sb).get(_v1(sb, "/space/PMO")).json()["key"] == "PMO"


def search_by_label(sb: Sandbox) -> None:
    tagged, _ = _page(sb, "Tagged"), _page(sb, "Not tagged")
    _s(sb).post(_v1(sb, f"/content/{tagged}/label"),
                json=[{"prefix": "global", "name": "jirasync-dcr"}])
    found = _s(sb).get(_v1(sb, "/content/search"), params={
        "cql": 'space = "PMO" and type = page and label = "jirasync-dcr"',
        "expand": "metadata.labels"}).json()
    assert [r["id"] for r in found["results"]] == [tagged]
    assert found["results"][0]["metadata"]["labels"]["results"][0]["name"] == "jirasync-dcr"


def space_by_key(sb: Sandbox) -> None:
    found = _s(sb).get(f"{sb.confluence.url}/api/v2/spaces", params={"keys": "PMO"}).json()
    assert [r["key"] for r in found["results"]] == ["PMO"] and found["results"][0]["id"]
    none = _s(sb).get(f"{sb.confluence.url}/api/v2/spaces", params={"keys": "NOPE"}).json()
    assert none["results"] == []


def current_user(sb: Sandbox) -> None:
    me = _s(sb).get(_v1(sb, "/user/current")).json()
    page = sb.confluence.page(_page(sb))
    assert page.author == (me["accountId"] if sb.flavour == CLOUD else me["username"])


ROWS = (
    Row("GET /api/v2/spaces", "Filter the results to spaces based on their keys.",
        v2("get", "/spaces"), space_by_key, (CLOUD,)),
    Row("GET /api/v2/spaces/{id}/operations",
        "Returns the permitted operations on specific space.",
        v2("get", "/spaces/{id}/operations"), operations_tell_who_may_write, (CLOUD,)),
    Row("POST /api/v2/pages", "The user does not have the needed permissions to create a "
        "page in the provided space", v2("post", "/pages"), operations_tell_who_may_write,
        (CLOUD,)),
    Row("GET /rest/api/user/current", "Returns the currently logged-in user.",
        v1("get", "/user/current"), current_user),
    Row("POST /rest/api/content/{id}/child/attachment",
        "Adds an attachment to a piece of content. This method only adds a new attachment.",
        v1("post", "/content/{id}/child/attachment"), attach_only_adds),
    Row("POST /rest/api/content/{id}/child/attachment",
        "Returned if the content already has an attachment with the same filename.",
        v1("post", "/content/{id}/child/attachment"), attach_only_adds),
    Row("POST /rest/api/content/{id}/child/attachment/{attachmentId}/data",
        "Updates the binary data of an attachment, given the attachment ID, and optionally "
        "the comment and the minor edit field.",
        v1("post", "/content/{id}/child/attachment/{attachmentId}/data"),
        attach_data_makes_a_version),
    Row("POST /rest/api/content/{id}/child/attachment",
        "Note, you must set a `X-Atlassian-Token: nocheck` header on the request for this "
        "method, otherwise it will be blocked.",
        v1("post", "/content/{id}/child/attachment"), upload_needs_no_check),
    Row("POST /rest/api/content/{id}/child/attachment",
        "If `minorEdits` is set to 'true', no notification email or activity stream will "
        "be generated when the attachment is added to the content.",
        v1("post", "/content/{id}/child/attachment"), upload_needs_minor_edit),
    Row("PUT /api/v2/pages/{id}", "Set this to the current version number plus one",
        v2("put", "/pages/{id}"), update_is_the_next_version, (CLOUD,)),
    Row("PUT /api/v2/pages/{id}", "Id of the page.", v2("put", "/pages/{id}"),
        update_names_the_page_and_status, (CLOUD,)),
    Row("PUT /rest/api/content/{id}", "The version property has not been set correctly "
        "for the content type.", v1("put", "/content/{id}"), update_is_the_next_version,
        (DC,)),
    Row("GET /api/v2/pages/{id}",
        "The content format types to be returned in the `body` field of the response.",
        v2("get", "/pages/{id}"), body_only_when_asked, (CLOUD,)),
    Row("GET /api/v2/pages/{id}",
        "Includes content properties associated with this page in the response. The number "
        "of results will be limited to 50 and sorted in the default sort order.",
        v2("get", "/pages/{id}"), properties_come_with_the_page, (CLOUD,)),
    Row("POST /api/v2/pages", "The parent content ID of the page.", v2("post", "/pages"),
        create_under_a_parent, (CLOUD,)),
    Row("POST /rest/api/content", "A page's title is unique in its space: a second page of "
        "the same title is refused (400)", READING, titles_are_unique_in_a_space, (DC,)),
    Row("POST /api/v2/pages/{page-id}/properties",
        "Creates a new content property for a page.", v2("post", "/pages/{page-id}/properties"),
        property_made_then_versioned, (CLOUD,)),
    Row("GET /rest/api/space/{spaceKey}",
        "With context: http://host:port/context/rest/api/resource-name", DC_REST,
        dc_under_its_context_path, (DC,)),
    Row("POST /rest/api/content/{id}/label",
        "Adds labels to a piece of content. Does not modify the existing labels.",
        v1("post", "/content/{id}/label"), search_by_label),
    Row("GET /rest/api/content/search",
        "Returns the list of content that matches a Confluence Query Language (CQL) query.",
        v1("get", "/content/search"), search_by_label),
    Row("GET /rest/api/content/search",
        "Pointer to a set of search results, returned as part of the `next` or `prev` URL "
        "from the previous search call.", v1("get", "/content/search"),
        search_pages_by_cursor, (CLOUD,)),
)
CASES = [(row, flavour) for row in ROWS for flavour in row.flavours]


@pytest.mark.parametrize("row, flavour", CASES,
                         ids=[f"{f}: {r.operation} {r.quote[:30]}" for r, f in CASES])
def test_the_sandbox_confluence_does_what_the_words_say(row: Row, flavour: str,
                                                        make_sandbox) -> None:
    row.check(make_sandbox(flavour))


def test_every_operation_the_gateway_sends_has_a_row() -> None:
    source = (Path(__file__).resolve().parents[2] / "jirasync" / "confluence" /
              "client.py").read_text()
    sent = set(re.findall(r'_v[12]\(f?"(/[a-z/]+)', source))
    covered = " ".join(r.operation for r in ROWS)
    missing = {p for p in sent if p.split("/")[1] not in covered}
    assert not missing, f"operations without a conformance row: {missing}"
