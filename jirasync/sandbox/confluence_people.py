"""The sandbox Confluence as tests and the demo use it: what is on it, and what people do
in its editor (edit a page, rename it, make a page of their own)."""
from __future__ import annotations

import copy
from typing import Any

from .confluence import HOME_TITLE, SPACE_KEY, SPACE_NAME, WikiPage
from .confluence_api import CLOUD, DC, web_path

PERSON = "jodie.crowfoot@example.org"      # who edits pages by hand in tests


def set_up(inst: Any) -> None:
    """The space jirasync publishes into, with its home page and a "Lessons learnt" page."""
    wiki, bot = inst.wiki, inst.user_id(inst.bot)
    space = wiki.ensure_space(SPACE_KEY, SPACE_NAME, bot, inst.now())
    if wiki.titled(SPACE_KEY, HOME_TITLE) is None:
        wiki.add_page(SPACE_KEY, HOME_TITLE, space["homepageId"], bot, inst.now(),
                      "<p>The programme's lessons learnt, published by jirasync.</p>")


class Confluence:
    """``sandbox.confluence``: hold no reference to the pages it returns (copies)."""

    def __init__(self, inst: Any):
        self._inst = inst

    def reset(self) -> None:
        """An empty Confluence again (its space and parent page only)."""
        from .confluence import Site
        with self._inst.lock:
            self._inst.wiki = Site()
            set_up(self._inst)

    @property
    def url(self) -> str:
        """The address jirasync's ``confluence.url`` names."""
        url: str = self._inst.base_url + (CLOUD if self._inst.cloud else DC)
        return url

    @property
    def space(self) -> str:
        return SPACE_KEY

    @property
    def parent_title(self) -> str:
        return HOME_TITLE

    def pages(self) -> list[WikiPage]:
        with self._inst.lock:
            return [copy.deepcopy(p) for p in self._inst.wiki.pages.values()]

    def page(self, page_id: str) -> WikiPage:
        with self._inst.lock:
            page: WikiPage = copy.deepcopy(self._inst.wiki.pages[page_id])
            return page

    def titled(self, title: str) -> WikiPage | None:
        with self._inst.lock:
            found = self._inst.wiki.titled(SPACE_KEY, title)
            return copy.deepcopy(found) if found else None

    def address(self, page_id: str) -> str:
        with self._inst.lock:
            page = self._inst.wiki.pages[page_id]
            return self.url + web_path(self._inst, page)

    def edit(self, page_id: str, *, body: str | None = None, title: str | None = None,
             who: str = PERSON) -> None:
        """A person saves the page in the editor: a new version."""
        with self._inst.lock:
            page = self._inst.wiki.pages[page_id]
            self._inst.wiki.edit(page, by=self._person(who), when=self._inst.now(),
                                 body=body, title=title)

    def create(self, title: str, body: str = "<p>Our notes.</p>", *,
               parent_id: str | None = None, who: str = PERSON) -> str:
        """A person makes a page of their own (no label, no property); its id."""
        with self._inst.lock:
            wiki = self._inst.wiki
            parent = parent_id or wiki.titled(SPACE_KEY, HOME_TITLE).id
            return str(wiki.add_page(SPACE_KEY, title, parent, self._person(who),
                                     self._inst.now(), body).id)

    def add_properties(self, page_id: str, values: dict[str, Any]) -> None:
        """Another app's content properties on the page (one per key)."""
        from .confluence import Property
        with self._inst.lock:
            page = self._inst.wiki.pages[page_id]
            for key, value in values.items():
                page.properties[key] = Property(self._inst.wiki.next_id(), key, value)

    def view_only(self, who: str, only: bool = True) -> None:
        """``who`` (an email) may view the space but not write in it (or may again)."""
        with self._inst.lock:
            user = self._person(who)
            if only:
                self._inst.wiki.view_only.add(user)
            else:
                self._inst.wiki.view_only.discard(user)

    def _person(self, who: str) -> str:
        user = self._inst.directory.find(who)
        return str(self._inst.user_id(user))
