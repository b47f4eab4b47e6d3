"""Reading issues: searches (page by page, in either flavour), counts, reads by key and
consistent re-reads. ``Gateway`` is built on it; it holds no state of its own."""
from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from itertools import islice

from jirasync.errors import JiraError
from jirasync.gateway.catalog import Catalog
from jirasync.gateway.convert import ISSUE_FIELDS, issue_from_json
from jirasync.gateway.failures import Call
from jirasync.gateway.limits import RECONCILE_LIMIT, SEARCH_PAGE
from jirasync.gateway.paging import cloud_pages, datacenter_pages
from jirasync.gateway.property_reads import PropertyReads
from jirasync.gateway.reading import Answer
from jirasync.gateway.transport import Transport, decode
from jirasync.gateway.types import JiraIssue
from jirasync.model import SYNC_PROPERTY
from jirasync.rung_index import Entry as IndexEntry


class IssueReads:
    """The reading half of the Gateway (which sets these up)."""

    _t: Transport
    _catalog: Catalog
    _reads: PropertyReads
    flavour: str

    def field_id(self, name: str) -> str:
        """The id of a field given its display name (case-insensitive) or its id."""
        return self._catalog.field_id(name)

    def search(self, jql: str, *, fields: Sequence[str] = ISSUE_FIELDS,
               properties: Sequence[str] = (SYNC_PROPERTY,), reconcile: Iterable[str | int] = (),
               page_size: int | None = None, limit: int | None = None,
               read_properties: bool = True) -> Iterator[JiraIssue]:
        """Every issue ``jql`` finds (at most ``limit``), fetched page by page.

        The fields JiraIssue needs are always fetched; other ``fields`` (names or ids) land
        in ``JiraIssue.extra``. ``properties`` are the issue properties to return. On Cloud,
        whose search index lags behind writes, ``reconcile`` lists issue ids that must be
        read fresh; Jira accepts 50, so the newest 50 (highest ids) are sent: the most
        recently created are the ones the index is likely to miss. Pages are as large as
        Jira gives (``page_size`` asks for fewer); a shorter page is not the last one.
        On Data Center, ``read_properties=False`` takes properties from the cache only:
        an issue it does not know comes without them and its key is added to ``unread``.
        """
        wanted, extra, epic_link = self._fields_to_read(fields)
        page_size = page_size or SEARCH_PAGE[self.flavour]
        size = min(page_size, limit) if limit else page_size
        if self.flavour == "cloud":
            pages = cloud_pages(self._t, {"jql": jql, "fields": wanted, "maxResults": size,
                                       "properties": list(properties)}, reconcile)
        else:
            pages = datacenter_pages(self._t, jql, {"fields": wanted, "maxResults": size})
        for raw in islice(pages, limit):
            held = self._reads.of_result(raw, properties, read=read_properties) \
                if self.flavour == "datacenter" and properties else None
            issue = issue_from_json(raw, flavour=self.flavour, epic_link=epic_link,
                                    extra=extra, properties=held)
            if issue.key in self._reads.read_by_key:
                self._reads.found[issue.key] = issue
            yield issue

    def keys(self, jql: str) -> Iterator[str]:
        """The keys of every issue ``jql`` finds. Only keys are asked for: Cloud gives its
        largest pages (5,000) "when requesting `id` or `key` only", and answers ids alone
        for ``id`` (its default); Data Center reads no properties."""
        size = SEARCH_PAGE[self.flavour]
        if self.flavour == "cloud":
            pages = cloud_pages(self._t, {"jql": jql, "fields": ["key"], "maxResults": size}, ())
        else:
            pages = datacenter_pages(self._t, jql, {"fields": ["key"], "maxResults": size})
        for raw in pages:
            yield raw.text("key", required=True)

    def count(self, jql: str) -> int | None:
        """How many issues ``jql`` finds, exactly: Data Center's search says so in one
        request; Cloud's does not (None)."""
        if self.flavour == "cloud":
            return None
        call = Call("search", "the count", safe=True)
        page = Answer.of(self._t.json(call, "POST", "search", body={
            "jql": jql, "startAt": 0, "maxResults": 0, "fields": ["id"]}), call)
        return page.number("total", required=True)

    @property
    def searches_properties(self) -> bool:
        """Whether a search returns issue properties (Cloud; Data Center's cannot)."""
        return self.flavour == "cloud"

    def holds_properties(self) -> bool:
        """Whether any issue's properties are cached (Data Center)."""
        return len(self._reads.cache) > 0

    def get_issue(self, key: str, *, fields: Sequence[str] = ISSUE_FIELDS,
                  properties: Sequence[str] = (SYNC_PROPERTY,)) -> JiraIssue | None:
        """One issue read by key (consistent, unlike Cloud's search), None if there is none."""
        wanted, extra, epic_link = self._fields_to_read(fields)
        call = Call("read", f"the read of {key}", safe=True, issue=key, allow=(404,))
        response = self._t.request(call, "GET", f"issue/{key}", params={
            "fields": ",".join(wanted), "properties": ",".join(properties)})
        if response.status_code == 404:
            return None
        data = Answer.of(decode(call, response, self._t.url), call)
        issue = issue_from_json(data, flavour=self.flavour, epic_link=epic_link, extra=extra)
        if self.flavour == "datacenter":
            self._reads.keep(data, properties)
        return issue

    def reread(self, issues: Mapping[str, str | None], *,
               fields: Sequence[str] = ISSUE_FIELDS,
               properties: Sequence[str] = (SYNC_PROPERTY,),
               by_key: bool = False, trust_own_reads: bool = False,
               vouched: Collection[str] = ()) -> list[JiraIssue]:
        """The issues ``issues`` (key -> id) read again as Jira holds them now, in one
        search of ``key in (...)`` per 50 rather than one read by key each. On Cloud the
        search names their ids in ``reconcileIssues``, which the index must read fresh;
        on Data Center (whose index is written with the issue) properties come from the
        cache for the very version returned, else are read by key. A key Jira no longer
        has is left out; since one such key fails the whole query, that chunk is read by
        key instead.

        ``by_key``: on Data Center each issue is read by key instead, properties and all
        (the cache may hold a property another run rewrote since: a property-only write
        keeps ``updated``), but with ``trust_own_reads`` those whose properties this run
        read by key at the version its search showed are as that search returned them
        (whoever calls so knows no other run could have written since). ``vouched``: on
        Data Center, with ``by_key``, those the caller's own memory vouches for (read by
        key in this look, or no other run can have written since) are not read and are
        left out of the answer: the caller keeps its copy. Cloud re-reads them all: its
        search returns the properties, and 50 cost one search whoever vouches for them."""
        if by_key and self.flavour == "datacenter":
            return self._reread_by_key(issues, fields, properties, trust_own_reads,
                                       vouched)
        keys = list(issues)
        out: list[JiraIssue] = []
        for start in range(0, len(keys), RECONCILE_LIMIT):
            chunk = keys[start:start + RECONCILE_LIMIT]
            jql = f"key in ({', '.join(chunk)}) ORDER BY key"
            ids = [i for i in (issues[k] for k in chunk) if i]
            try:
                out += self.search(jql, fields=fields, properties=properties, reconcile=ids)
            except JiraError as e:
                if e.status != 400:
                    raise
                read = (self.get_issue(k, fields=fields, properties=properties)
                        for k in chunk)
                out += [i for i in read if i is not None]
        return out

    def read_programme(self, jql: str, *, properties: Sequence[str],
                       identify: Callable[[list[JiraIssue]], list[JiraIssue]],
                       later: Mapping[str, str],
                       worth_reading: Callable[[JiraIssue], bool] = lambda issue: True,
                       index: Callable[[], Mapping[str, IndexEntry] | None] = lambda: None
                       ) -> list[JiraIssue]:
        """Every issue ``jql`` finds with ``properties``, for a report. On Cloud one search
        returns them all. On Data Center, whose search returns no property, the first of
        ``properties`` comes from the cache only, and ``identify`` completes the issues it
        did not hold (their keys are in ``unread``: inferred, or read by key); each other
        property is then read through the cache by its search in ``later`` (the one the
        job that keeps it makes, so that job's cache serves), an issue that search does
        not find keeping none; one the cache does not hold at the version found is read
        only if ``worth_reading`` it (no search returns properties there): from chase's
        ``index`` of its records (read once, when first needed) where that holds the
        issue at this very version, else by key."""
        if self.flavour == "cloud":
            return list(self.search(jql, properties=properties))
        first, *rest = properties
        loaded: list[Mapping[str, IndexEntry]] = []

        def indexed(issue: JiraIssue) -> IndexEntry | None:
            """The index's entry for ``issue`` if it is of the version found."""
            if not loaded:
                loaded.append(index() or {})
            entry = loaded[0].get(issue.key)
            version = issue.updated.isoformat() if issue.updated else None
            return entry if entry is not None and entry.updated == version else None
        issues = identify(list(self.search(jql, properties=(first,), read_properties=False)))
        by_search: dict[str, list[str]] = {}     # properties kept by the same job: one search
        for name in rest:
            by_search.setdefault(later[name], []).append(name)
        for jql_later, names in by_search.items():
            unread = self._reads.unread
            unread.clear()       # the identities are settled: from here, these unread
            found = list(self.search(jql_later, properties=names, read_properties=False))
            held = {i.key: i.properties for i in found if i.key not in unread}
            for issue in found:
                if issue.key in unread and worth_reading(issue):
                    entry = indexed(issue)
                    if entry is not None:     # kept, so the next report reads none
                        held[issue.key] = {n: v for n, v in entry.properties.items()
                                           if n in names}
                        self._reads.adopt(issue.key, names, held[issue.key])
                        continue
                    read = self.get_issue(issue.key, properties=names)
                    if read is not None:
                        held[issue.key] = read.properties
            issues = [replace(i, properties={**i.properties, **held[i.key]})
                      if i.key in held else i for i in issues]
        return issues

    def _reread_by_key(self, issues: Mapping[str, str | None], fields: Sequence[str],
                       properties: Sequence[str], trusted: bool,
                       vouched: Collection[str]) -> list[JiraIssue]:
        out: list[JiraIssue] = []
        for key in issues:
            if key in vouched:
                continue
            found = self._reads.found.get(key) if trusted and \
                key in self._reads.read_by_key else None
            issue = found or self.get_issue(key, fields=fields, properties=properties)
            if issue is not None:
                out.append(issue)
        return out

    def children_clause(self, keys: Iterable[str]) -> str:
        """JQL for the children of the issues ``keys`` (the Epic Link on Data Center)."""
        joined = ", ".join(f'"{k}"' for k in keys)
        if self.flavour == "cloud" or self._catalog.epic_link_id() is None:
            return f"parent in ({joined})"
        return f'"Epic Link" in ({joined})'

    def _fields_to_read(self, fields: Sequence[str]
                        ) -> tuple[list[str], dict[str, str], str | None]:
        extra = {n: self.field_id(n) for n in fields if n not in ISSUE_FIELDS}
        epic_link = self._catalog.epic_link_id() if self.flavour == "datacenter" else None
        wanted = [*ISSUE_FIELDS, *extra.values(), *filter(None, [epic_link])]
        return list(dict.fromkeys(wanted)), extra, epic_link
