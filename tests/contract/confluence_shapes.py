"""The Confluence operations jirasync uses, as Atlassian's published contract declares them:
for each, the statuses it may answer, the query parameters it takes, and the request and
answer shapes (JSON Schema, written here from the contract's components, named beside
each). ``confluence_validator`` holds every exchange of the sandbox Confluence to these;
``trim_confluence.py check`` holds these to Atlassian's documents (README.md), so
nothing here says more than the contract does:

- every property named here is a property of the contract's schema, of the same type,
  and every enum here is within the contract's;
- every property the contract requires is required here;
- ``additionalProperties: false`` everywhere: the sandbox answers nothing the contract
  does not name (the contract allows more; the sandbox is held tighter);
- the statuses are the contract's, and the query parameters too.

Cloud v2 (``/wiki/api/v2``): "The Confluence Cloud REST API v2" (openapi-v2.v3.json).
Cloud v1 (``/wiki/rest/api``): "The Confluence Cloud REST API" (swagger.v3.json).
Data Center (``/confluence/rest/api``) is held to the Cloud v1 document for the same
``/rest/api`` operation: Atlassian publishes Data Center's REST reference as pages, not
as a document this check can read (conformance.md says which Data Center answers differ).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

S: dict[str, Any] = {"type": "string"}
I: dict[str, Any] = {"type": "integer"}
B: dict[str, Any] = {"type": "boolean"}
ANY: dict[str, Any] = {}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


def enum(*values: str) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def obj(*required: str, **props: dict[str, Any]) -> dict[str, Any]:
    """An object of exactly these properties (``_links`` spelled ``u_links``)."""
    def name(k: str) -> str:
        return "_" + k[2:] if k.startswith("u_") else k
    return {"type": "object", "properties": {name(k): v for k, v in props.items()},
            "required": [name(k) for k in required], "additionalProperties": False}


def array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


# -- v2 components ------------------------------------------------------------------

VERSION2 = obj(createdAt=S, message=S, number=I, minorEdit=B, authorId=S)     # Version
PROPERTY2 = obj(id=S, key=S, value=ANY, version=VERSION2)                     # ContentProperty
BODY2 = obj(storage=obj(representation=S, value=S))                         # BodySingle
STATUS2 = enum("current", "draft", "archived", "historical", "trashed", "deleted", "any")
PARENT_TYPE = enum("page", "whiteboard", "database", "embed", "folder")     # ParentContentType
PAGE_LINKS = obj(webui=S, editui=S, tinyui=S)                               # AbstractPageLinks
INCLUDED_PROPERTIES = obj(results=array(PROPERTY2), meta=obj(hasMore=B, cursor=S),
                          u_links=obj(self=S))          # PageSingle.properties


def _page2(links: dict[str, Any], *extra: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    return obj(id=S, status=STATUS2, title=S, spaceId=S, parentId=S, parentType=PARENT_TYPE,
               position=nullable(I), authorId=S, ownerId=nullable(S),
               lastOwnerId=nullable(S), createdAt=S, version=VERSION2, body=BODY2,
               u_links=links, **dict(extra))


PAGE_BULK = _page2(PAGE_LINKS)                                              # PageBulk
PAGE_SINGLE = _page2(obj(webui=S, editui=S, tinyui=S, base=S),              # PageSingle
                     ("properties", INCLUDED_PROPERTIES))                   # + _links.base
MULTI_LINKS = obj(next=S, base=S)                                           # MultiEntityLinks
SPACE_BULK = obj(id=S, key=S, name=S, type=enum("global", "collaboration", "knowledge_base",
                                                "personal"),
                 status=enum("current", "archived"), authorId=S, createdAt=S, homepageId=S,
                 u_links=obj(webui=S))                                      # SpaceBulk
OPERATIONS = obj(operations=array(obj(operation=S, targetType=S)))  # PermittedOperationsResponse


def multi(items: dict[str, Any]) -> dict[str, Any]:
    """MultiEntityResult<…>"""
    return obj(results=array(items), u_links=MULTI_LINKS)


# -- v1 components ------------------------------------------------------------------

LINKS1 = {"type": "object", "additionalProperties": S}                      # GenericLinks
VERSION1 = obj("minorEdit", "number", "when", when=nullable(S), message=nullable(S),
               number=I, minorEdit=B, by=obj("type", type=enum("known", "user"),
                                             username=S, accountId=S))     # Version
LABEL1 = obj("id", "label", "name", "prefix", prefix=S, name=S, id=S, label=S)  # Label
BODY1 = obj(storage=obj("representation", "value", value=S,                 # ContentBody
                        representation=enum("storage")))
EXPANDABLE1 = obj(body=S, version=S, history=S)
ANCESTOR1 = obj("status", "type", id=S, type=S, status=S)                   # Content
USER1 = obj("type", type=enum("known", "unknown", "anonymous", "user"), username=S,
            userKey=S, accountId=S, displayName=nullable(S))                # User
CONTENT1 = obj("status", "type", id=S, type=S, status=S, title=S,           # Content
               version=VERSION1, body=BODY1, ancestors=nullable(array(ANCESTOR1)),
               history=obj("latest", latest=B, createdDate=S,
                           createdBy=obj("type", type=enum("known", "user"), username=S,
                                         accountId=S)),
               space=obj("key", "name", "status", "type", "u_links", "u_expandable",
                         key=S, name=S, status=S, type=S, u_links=LINKS1,
                         u_expandable=obj()),
               metadata=obj(labels=obj("results", "size", results=array(LABEL1),
                                       size=I)),
               extensions=obj(mediaType=S, fileSize=I, comment=S),
               u_expandable=EXPANDABLE1, u_links=LINKS1)
ATTACHMENT1 = obj("status", "type", id=S, type=S, status=S, title=S, version=VERSION1,
                  metadata=obj(mediaType=S, comment=S),
                  extensions=obj(mediaType=S, fileSize=I, comment=S), u_links=LINKS1)


def array1(items: dict[str, Any]) -> dict[str, Any]:
    """ContentArray / LabelArray"""
    return obj("results", "size", results=array(items), start=I, limit=I, size=I,
               u_links=LINKS1)


CONTENT_ARRAY = {**array1(CONTENT1), "required": ["_links", "results", "size"]}   # ContentArray
ATTACHMENT_ARRAY = {**array1(ATTACHMENT1), "required": ["_links", "results", "size"]}
PROPERTY1 = obj("u_links", "id", "key", "value", id=S, key=S, value=ANY,     # ContentProperty
                version=obj("message", "minorEdit", "number", "when", when=S, message=S,
                            number=I, minorEdit=B), u_links=LINKS1)
SPACE1 = obj("u_expandable", "u_links", "key", "name", "status", "type", id=I, key=S,
             name=S, type=S, status=S, homepage=obj("status", "type", id=S, type=S,
                                                    status=S),
             u_expandable=obj(), u_links=LINKS1)                            # Space

# -- requests -----------------------------------------------------------------------

STORAGE2 = obj("representation", "value", representation=enum("storage"), value=S)
PAGE_CREATE2 = obj("spaceId", spaceId=S, status=enum("current", "draft"), title=S,
                   parentId=S, body=STORAGE2)
PAGE_UPDATE2 = obj("id", "status", "title", "body", "version", id=S,
                   status=enum("current", "draft"), title=S, body=STORAGE2,
                   version=obj(number=I, message=S))
PROPERTY_CREATE2 = obj(key=S, value=ANY)
PROPERTY_UPDATE2 = obj(key=S, value=ANY, version=obj(number=I, message=S))
CONTENT_CREATE1 = obj("type", type=S, title=S, space=obj("key", key=S),
                      ancestors=array(obj("id", id=S)),
                      body=obj(storage=obj("value", "representation", value=S,
                                           representation=enum("storage"))))
CONTENT_UPDATE1 = obj("title", "type", "version", type=S, title=S,
                      version=obj("number", number=I),
                      body=obj(storage=obj("value", "representation", value=S,
                                           representation=enum("storage"))))
PROPERTY_CREATE1 = obj("key", "value", key=S, value=ANY)
PROPERTY_UPDATE1 = obj("value", "version", value=ANY,
                       version=obj("number", number=I, minorEdit=B))
LABELS1 = array(obj("name", "prefix", prefix=S, name=S))                    # LabelCreateArray
UPLOAD_FIELDS = ("file", "minorEdit")         # multipart/form-data: required
UPLOAD_OPTIONAL = ("comment",)


@dataclass(frozen=True)
class Op:
    """One operation: ``doc`` v2 or v1 (the document), ``path`` as the document spells
    it, the flavours that use it, statuses with their answer shape (None: no body
    checked, an error), the query parameters, the request body."""

    doc: str
    method: str
    path: str
    flavours: frozenset[str]
    answers: dict[int, dict[str, Any] | None]
    query: frozenset[str] = frozenset()
    body: dict[str, Any] | None = None
    multipart: bool = False
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    dc_only: frozenset[str] = frozenset()   # Data Center's parameters Cloud's has not


CLOUD, DC, BOTH = frozenset({"cloud"}), frozenset({"datacenter"}), \
    frozenset({"cloud", "datacenter"})
ERR = None

OPS = (
    # Cloud v2
    Op("v2", "get", "/spaces", CLOUD, {200: multi(SPACE_BULK), 400: ERR, 401: ERR},
       frozenset({"ids", "keys", "type", "status", "labels", "sort", "cursor", "limit"})),
    Op("v2", "get", "/spaces/{id}/operations", CLOUD,
       {200: OPERATIONS, 400: ERR, 401: ERR, 404: ERR}),
    Op("v2", "get", "/pages", CLOUD, {200: multi(PAGE_BULK), 400: ERR, 401: ERR},
       frozenset({"id", "space-id", "sort", "status", "title", "body-format", "cursor",
                  "limit"}), enums={"body-format": ("storage", "atlas_doc_format")}),
    Op("v2", "post", "/pages", CLOUD,
       {200: PAGE_SINGLE, 400: ERR, 401: ERR, 404: ERR, 413: ERR},
       frozenset({"embedded", "private", "root-level"}), PAGE_CREATE2),
    Op("v2", "get", "/pages/{id}", CLOUD, {200: PAGE_SINGLE, 400: ERR, 401: ERR, 404: ERR},
       frozenset({"body-format", "get-draft", "status", "version", "include-labels",
                  "include-properties", "include-operations", "include-versions",
                  "include-version"}),
       enums={"body-format": ("storage", "atlas_doc_format", "view"),
              "include-properties": ("true", "false")}),
    Op("v2", "put", "/pages/{id}", CLOUD, {200: PAGE_SINGLE, 400: ERR, 401: ERR, 404: ERR},
       body=PAGE_UPDATE2),
    Op("v2", "get", "/pages/{page-id}/properties", CLOUD,
       {200: multi(PROPERTY2), 400: ERR, 401: ERR, 404: ERR},
       frozenset({"key", "sort", "cursor", "limit"})),
    Op("v2", "post", "/pages/{page-id}/properties", CLOUD,
       {200: PROPERTY2, 400: ERR, 401: ERR, 404: ERR}, body=PROPERTY_CREATE2),
    Op("v2", "put", "/pages/{page-id}/properties/{property-id}", CLOUD,
       {200: PROPERTY2, 400: ERR, 401: ERR, 404: ERR}, body=PROPERTY_UPDATE2),
    # v1, both flavours
    Op("v1", "get", "/wiki/rest/api/user/current", BOTH, {200: USER1, 403: ERR},
       frozenset({"expand"})),
    Op("v1", "get", "/wiki/rest/api/content/search", CLOUD,
       {200: CONTENT_ARRAY, 400: ERR, 401: ERR},
       frozenset({"cql", "cqlcontext", "expand", "cursor", "limit"})),
    Op("v1", "post", "/wiki/rest/api/content/{id}/label", BOTH,
       {200: array1(LABEL1), 400: ERR, 403: ERR, 404: ERR}, body=LABELS1),
    Op("v1", "get", "/wiki/rest/api/content/{id}/child/attachment", BOTH,
       {200: ATTACHMENT_ARRAY, 404: ERR},
       frozenset({"expand", "start", "limit", "filename", "mediaType"})),
    Op("v1", "post", "/wiki/rest/api/content/{id}/child/attachment", BOTH,
       {200: ATTACHMENT_ARRAY, 400: ERR, 403: ERR, 404: ERR}, frozenset({"status"}),
       multipart=True),
    Op("v1", "post", "/wiki/rest/api/content/{id}/child/attachment/{attachmentId}/data",
       BOTH, {200: ATTACHMENT1, 400: ERR, 404: ERR}, multipart=True),
    # v1 on Data Center only (Cloud uses v2 for these)
    Op("v1", "get", "/wiki/rest/api/space/{spaceKey}", DC, {200: SPACE1, 401: ERR, 404: ERR},
       frozenset({"expand"})),
    Op("v1", "get", "/wiki/rest/api/content/search", DC,
       {200: CONTENT_ARRAY, 400: ERR, 401: ERR},
       frozenset({"cql", "cqlcontext", "expand", "start", "limit"}),
       dc_only=frozenset({"start"})),     # Data Center pages its search by start
    Op("v1", "get", "/wiki/rest/api/content", DC,
       {200: CONTENT_ARRAY, 400: ERR, 401: ERR, 403: ERR, 404: ERR},
       frozenset({"type", "spaceKey", "title", "status", "expand", "start", "limit"})),
    Op("v1", "post", "/wiki/rest/api/content", DC,
       {200: CONTENT1, 400: ERR, 401: ERR, 403: ERR, 413: ERR}, frozenset({"expand"}),
       CONTENT_CREATE1),
    Op("v1", "get", "/wiki/rest/api/content/{id}", DC,
       {200: CONTENT1, 400: ERR, 401: ERR, 403: ERR, 404: ERR},
       frozenset({"status", "version", "expand"})),
    Op("v1", "put", "/wiki/rest/api/content/{id}", DC,
       {200: CONTENT1, 400: ERR, 401: ERR, 403: ERR, 404: ERR, 409: ERR},
       body=CONTENT_UPDATE1),
    Op("v1", "get", "/wiki/rest/api/content/{id}/property/{key}", DC,
       {200: PROPERTY1, 404: ERR}, frozenset({"expand", "status"})),
    Op("v1", "post", "/wiki/rest/api/content/{id}/property", DC,
       {200: PROPERTY1, 400: ERR, 403: ERR, 413: ERR}, body=PROPERTY_CREATE1),
    Op("v1", "put", "/wiki/rest/api/content/{id}/property/{key}", DC,
       {200: PROPERTY1, 400: ERR, 403: ERR, 404: ERR, 409: ERR, 413: ERR},
       body=PROPERTY_UPDATE1),
)

# Where the contract is silent and Confluence is known to answer otherwise; each is a
# row of tests/conformance/test_confluence_conformance.py.
UNDECLARED = {
    # A stale version: v1 declares "409 … The version property has not been set correctly
    # for the content type"; v2's page and property updates declare no 409 and answer it.
    ("v2", "put", "/pages/{id}"): {409},
    ("v2", "put", "/pages/{page-id}/properties/{property-id}"): {409},
    # A property of a key the page already has.
    ("v2", "post", "/pages/{page-id}/properties"): {409},
    ("v1", "post", "/wiki/rest/api/content/{id}/property"): {409},
    # "you must set a X-Atlassian-Token: nocheck header … otherwise it will be blocked"
    ("v1", "post", "/wiki/rest/api/content/{id}/child/attachment/{attachmentId}/data"):
        {403},
}
ANYWHERE = {429, 500, 502, 503, 504}   # rate limits and failures any operation may answer
