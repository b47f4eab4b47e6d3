"""The sandbox's Confluence does what Confluence's published words say, row by row: the
operations publish sends (jirasync/confluence/client.py), on the flavours each applies to.

Atlassian publishes no Confluence contract file here to validate shapes against, so each
row quotes the sentence and names where it was read: Atlassian's own pages where the
search found them, a library's documentation generated from Atlassian's OpenAPI document
otherwise, and where no sentence was found, jirasync's reading of Confluence's behaviour,
said as such. The table is docs/conformance.md's Confluence section.
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
V1_ATTACH = "developer.atlassian.com Confluence Cloud REST v1, Content - attachments " \
            "(as generated into pub.dev atlassian_apis ContentAttachmentsApi)"
DC_ATTACH = "docs.atlassian.com/atlassian-confluence/5.7.3 AttachmentResource (Javadoc)"
DC_REST = "docs.atlassian.com/atlassian-confluence/REST/5.5 (Structure of the REST URIs)"
JIRA_XSRF = "developer.atlassian.com Jira Cloud platform REST, Add attachment (the same " \
            "XSRF rule Confluence applies to multipart uploads)"
V2_PROPS = "Confluence REST v2, Content properties (pub.dev atlassian_apis confluence_v2 " \
           "ContentPropertiesApi, generated from Atlassian's OpenAPI document)"
RECIPES = "confluence.js documentation, Pages recipe (mrrefactoring.github.io/confluence.js)"
READING = "jirasync's reading of Confluence's behaviour (no sentence found to quote)"


@dataclass(frozen=True)
class Row:
    operation: str
    quote: str
    source: str
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


def _upload(sb: Sandbox, url: str, data: bytes, token: bool = True) -> requests.Response:
    headers = {"X-Atlassian-Token": "no-check"} if token else {}
    return _s(sb).post(url, files={"file": ("deck.pptx", data)}, headers=headers)


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


def _put(sb: Sandbox, page: str, number: int) -> requests.Response:
    storage = {"representation": "storage", "value": "<p>new</p>"}
    if sb.flavour == CLOUD:
        return _s(sb).put(f"{sb.confluence.url}/api/v2/pages/{page}",
                          json={"id": page, "status": "current", "title": "A page",
                                "body": storage, "version": {"number": number}})
    return _s(sb).put(_v1(sb, f"/content/{page}"),
                      json={"id": page, "type": "page", "title": "A page",
                            "body": {"storage": storage}, "version": {"number": number}})


def update_is_the_next_version(sb: Sandbox) -> None:
    page = _page(sb)
    stale = _put(sb, page, 1)
    assert stale.status_code == 409 and sb.confluence.page(page).version == 1
    assert _put(sb, page, 2).status_code == 200
    assert sb.confluence.page(page).version == 2
    assert _put(sb, page, 2).status_code == 409          # a resent update is not applied twice


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
    Row("GET /api/v2/spaces", "`keys` filters the spaces by key; the answer's `id` is what "
        "`spaceId` takes when a page is created", READING, space_by_key, (CLOUD,)),
    Row("GET /rest/api/user/current", "the calling user, named as pages name their author "
        "(accountId on Cloud, username on Data Center)", READING, current_user),
    Row("POST /rest/api/content/{id}/child/attachment",
        "Adds an attachment to a piece of content. This method only adds a new attachment. "
        "If you want to update an existing attachment, use Create or update attachments.",
        V1_ATTACH, attach_only_adds),
    Row("POST /rest/api/content/{id}/child/attachment/{attachmentId}/data",
        "Update the binary data of an Attachment, and optionally the comment and the minor "
        "edit field.", DC_ATTACH, attach_data_makes_a_version),
    Row("POST /rest/api/content/{id}/child/attachment",
        "The request must have a X-Atlassian-Token: no-check header, if not it is blocked.",
        JIRA_XSRF, upload_needs_no_check),
    Row("PUT /api/v2/pages/{id}, PUT /rest/api/content/{id}",
        "An update is a new version, and you must say which one you are creating",
        RECIPES + "; the 409 and its words ('Version must be incremented on update') are "
        + READING, update_is_the_next_version),
    Row("GET /api/v2/pages/{id}",
        "Without bodyFormat the body is omitted — ask for the representation you intend "
        "to read.", RECIPES, body_only_when_asked, (CLOUD,)),
    Row("POST /api/v2/pages", "Pass parentId to nest the page under another", RECIPES,
        create_under_a_parent, (CLOUD,)),
    Row("POST /rest/api/content", "A page's title is unique in its space: a second page of "
        "the same title is refused (400)", READING, titles_are_unique_in_a_space, (DC,)),
    Row("POST /api/v2/pages/{page-id}/properties",
        "Creates a new content property for a page.", V2_PROPS + "; the version rule is "
        + READING, property_made_then_versioned, (CLOUD,)),
    Row("GET /rest/api/space/{spaceKey}",
        "With context: http://host:port/context/rest/api/resource-name", DC_REST,
        dc_under_its_context_path, (DC,)),
    Row("GET /rest/api/content/search", "CQL `label = ...` finds the pages carrying the "
        "label; `expand=metadata.labels` lists them in the answer", READING,
        search_by_label),
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
