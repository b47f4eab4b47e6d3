"""The ``publish`` use-case: read the programme from Jira once, build each page's content
from the decks (``reports``; ``pages.py`` says which pages, ``attachments.py`` which
files), find each page by its identity, decide, then write under the lease. One page's
failure is reported and the others go on."""
from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from jirasync.confluence.types import Found, Page, Space
from jirasync.errors import JiraError
from jirasync.json_values import ToJSON
from jirasync.lease_types import NO_LEASE, Lease
from jirasync.publish.attachments import MEDIA, deck_files, file_count
from jirasync.publish.decide import PROGRAMME, Decision, Wanted, decide, decide_new
from jirasync.publish.pages import labels_of, release_links, wanted_pages
from jirasync.publish.port import Confluence
from jirasync.reports.programme import Programme
from jirasync.reports.slides import Deck

VERBS = ("created", "updated", "unchanged", "conflict", "foreign", "failed")
WRITING = ("created", "updated")


LONG_RUN = 50      # pages; below this a run is quick and progress lines are noise


@dataclass(frozen=True)
class Outcome:
    verb: str                  # one of VERBS
    page: str                  # "release 4.2" | "the programme page"
    address: str = ""
    detail: str = ""
    attached: int = 0


@dataclass(frozen=True)
class PublishResult:
    outcomes: tuple[Outcome, ...] = ()
    dry_run: bool = False

    @property
    def failed(self) -> bool:
        return any(o.verb in ("conflict", "foreign", "failed") for o in self.outcomes)

    def counts(self) -> dict[str, int]:
        return {v: sum(1 for o in self.outcomes if o.verb == v) for v in VERBS}

    def failure(self) -> str:
        bad = [o for o in self.outcomes if o.verb in ("conflict", "foreign", "failed")]
        return "; ".join(f"{o.page}: {o.verb} ({o.detail})" for o in bad)


class TargetMissing(JiraError):
    """The space or the parent page the config names is not there (or the bot cannot
    see it): every page would fail alike, so the run stops at the first, in one line, and
    like every config mistake it is exit 2."""

    exit_code = 2


class Target:
    """Where pages go: the space and the parent page, each looked up only when a page is
    made (a run that changes nothing asks Confluence for its pages alone)."""

    def __init__(self, wiki: Confluence, space_key: str, parent_page: str):
        self.wiki, self.key, self.parent_page = wiki, space_key, parent_page

    @functools.cached_property
    def space(self) -> Space:
        try:
            return self.wiki.space(self.key)
        except JiraError as e:
            if e.status != 404:
                raise
            raise TargetMissing(f"Confluence has no space {self.key}, or the bot cannot "
                                "see it: check confluence.space", status=404) from None

    @functools.cached_property
    def parent(self) -> str:
        if self.parent_page.isdigit():
            return self.parent_page
        found = self.wiki.titled(self.space, self.parent_page)
        if found is None:
            raise TargetMissing(f"Confluence space {self.key} has no page titled "
                            f"{self.parent_page!r}: check confluence.parent_page (a title "
                            "or a page id)", status=404)
        return found.id

    @functools.cached_property
    def bot(self) -> str:
        return self.wiki.me().id


class Publisher:
    """One run's pages: found, decided, and (unless a dry run) written."""

    def __init__(self, wiki: Confluence, target: Target, *, files: Callable[[Deck], dict[
            str, bytes]], dry_run: bool, force: bool, lease: Lease):
        self.wiki, self.target, self.files = wiki, target, files
        self.dry_run, self.force, self.lease = dry_run, force, lease
        self.found: list[Found] = []
        self.addresses: dict[str, str] = {}
        self._confirmed = False

    def look(self, programme: str) -> None:
        """The one search: every page with the programme's label."""
        self.found = self.wiki.labelled(Space(self.target.key, self.target.key),
                                        labels_of(programme, "x")[0])

    def known_addresses(self, programme: str, releases: tuple[str, ...]) -> None:
        for release in releases:
            own = labels_of(programme, release)[1]
            hit = min((f for f in self.found if own in f.labels), key=lambda f: int(f.id),
                      default=None)
            if hit is not None:
                self.addresses[release] = self.wiki.address(self.target.key, hit.id)

    def publish(self, w: Wanted) -> Outcome:
        try:
            return self._publish(w)
        except TargetMissing:
            raise
        except JiraError as e:
            return Outcome("failed", w.name, detail=str(e))

    def _publish(self, w: Wanted) -> Outcome:
        ours, others = self._ours(w)
        extra = f"; also found {len(others)} other page(s) claiming it (ids " \
                f"{', '.join(p.id for p in others)}), left alone" if others else ""
        if ours is None:
            titled = self.wiki.titled(self.target.space, w.title)
            d = decide_new(w, titled, bot=self.target.bot, parent=self.target.parent)
            if d.verb == "foreign":
                return Outcome("foreign", w.name, detail=d.detail)
            if d.verb == "adopt" and titled is not None:
                ours = self.wiki.page(titled.id)
                d = decide(w, ours, force=True)
                d = replace(d, attach=True, detail="a page an interrupted run made, taken up")
        else:
            d = decide(w, ours, force=self.force)
        return self._apply(w, ours, d, extra)

    def _ours(self, w: Wanted) -> tuple[Page | None, list[Page]]:
        own = w.labels[1]
        read = [self.wiki.page(f.id) for f in sorted(self.found, key=lambda f: int(f.id))
                if own in f.labels]
        mine = [p for p in read if w.is_ours(p)]
        return (mine[0] if mine else None), mine[1:]

    def _apply(self, w: Wanted, page: Page | None, d: Decision, extra: str) -> Outcome:
        verb = {"create": "created", "update": "updated"}.get(d.verb, d.verb)
        if self.dry_run:
            address = self.wiki.address(self.target.key, page.id) if page else ""
            if page is not None and w.release:
                self.addresses[w.release] = address
            return Outcome(verb, w.name, address, d.detail + extra,
                           attached=file_count(w.deck) if d.attach else 0)
        if not self._confirmed and (d.verb in ("create", "update") or d.attach):
            self.lease.confirm()            # no other run wrote since the lease was taken
            self._confirmed = True
        if d.verb == "create":
            page_id = self.wiki.create(self.target.space, self.target.parent, w.title, d.body)
            self.wiki.add_labels(page_id, list(w.labels))
            version, current, new = 1, None, True
        else:
            assert page is not None
            page_id, version, current, new = page.id, page.version, page.identity, False
            if page.identity is None:       # adopted: the labels may not have been added
                self.wiki.add_labels(page_id, list(w.labels))
            if d.verb == "update":
                version = self.wiki.update(page_id, page.title, d.body, page.version)
        files = dict(d.files)
        if d.attach:
            for name, data in self.files(w.deck).items():
                files[name] = self.wiki.attach(page_id, name, data,
                                               MEDIA[name.rsplit(".", 1)[-1]],
                                               files.get(name), new=new)
        if d.verb in ("create", "update") or d.attach or current is None:
            kept: Mapping[str, ToJSON] = current.value \
                if current is not None and isinstance(current.value, dict) else w.identity()
            record = w.record(version, files) if d.verb != "conflict" else \
                {**kept, "deck": w.deck_key, "files": files}
            self.wiki.set_identity(page_id, record, current)
        address = self.wiki.address(self.target.key, page_id)
        if w.release:
            self.addresses[w.release] = address
        return Outcome(verb, w.name, address, d.detail + extra,
                       attached=len(files) if d.attach else 0)


@dataclass
class PublishRun:
    """What ``publish`` needs besides the pages: made by the command or the service."""

    wiki: Confluence
    space: str
    parent_page: str
    render: Callable[[Deck, str], bytes]
    lease: Lease = NO_LEASE
    progress: Callable[[str], Any] = lambda line: None


def publish(programme: Programme, decks: Mapping[str, Deck], run: PublishRun, *,
            dry_run: bool = False, force: bool = False) -> PublishResult:
    """Publish the pages of ``decks`` (release id -> deck; "" the programme's).

    Every page is first found and decided without writing and without the lease, so a
    run that changes nothing writes nothing, not even the lease in Jira. The pages that
    need a write are then found and decided again holding the lease (a page another
    host's run made meanwhile is seen) and written."""
    target = Target(run.wiki, run.space, run.parent_page)
    releases = wanted_pages(programme, {r: d for r, d in decks.items() if r != PROGRAMME})

    def pass_(publisher: Publisher, only: set[str] | None) -> list[Outcome]:
        publisher.look(programme.project)
        publisher.known_addresses(programme.project, programme.release_ids())
        out = []
        for w in releases:
            out.append(publisher.publish(w) if only is None or w.release in only
                       else planned[releases.index(w)])
            if len(releases) >= LONG_RUN:     # a few pages: their lines say it all
                run.progress(f"page {len(out)} of {len(releases)}: {w.name} {out[-1].verb}")
        if PROGRAMME in decks:      # its links, once every release page has its address
            last = wanted_pages(programme, {PROGRAMME: decks[PROGRAMME]},
                                links=lambda: release_links(programme, publisher.addresses))
            out.append(publisher.publish(last[0]))
        return out

    planned: list[Outcome] = []
    look = Publisher(run.wiki, target, files=deck_files(run.render), dry_run=True,
                     force=force, lease=run.lease)
    planned = pass_(look, None)
    writes = {w.release for w, o in zip(releases, planned) if o.verb in WRITING or o.attached}
    programme_writes = PROGRAMME in decks and (planned[-1].verb in WRITING
                                               or planned[-1].attached)
    if dry_run or not (writes or programme_writes):
        return PublishResult(tuple(planned), dry_run)
    with run.lease.held():
        write = Publisher(run.wiki, target, files=deck_files(run.render), dry_run=False,
                          force=force, lease=run.lease)
        return PublishResult(tuple(pass_(write, writes)), dry_run)


def decks_for(programme: Programme, release: str | None, *, today: date,
              deck_of: Callable[..., Deck], **options: Any) -> dict[str, Deck]:
    """The decks to publish: the programme's, and one release's or every release's."""
    releases = (release,) if release else programme.release_ids()
    out = {r: deck_of(programme, release=r, today=today, **options) for r in releases}
    out[PROGRAMME] = deck_of(programme, release=None, today=today, **options)
    return out
