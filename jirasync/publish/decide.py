"""What to do with one page: pure, from what is wanted and what Confluence holds.

A page is ours when jirasync's content property on it names the programme and release;
the record in it says what jirasync last wrote (the owned section's digest and words, the
page version that write made, the deck the attachments hold). A person's edit is told by
a newer version; it touched the owned section when that section's words changed since.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from jirasync.confluence.types import Found, Page
from jirasync.json_values import JSON, ToJSON
from jirasync.publish.storage import digest, new_page, owned_of, splice, words
from jirasync.reports.slides import Deck

PROGRAMME = ""        # the release of the programme page's identity


@dataclass(frozen=True)
class Wanted:
    """A page as this run would have it."""

    programme: str
    release: str               # PROGRAMME for the programme page
    title: str                 # the title of a new page (a person may rename it)
    owned: str                 # the owned section's storage
    deck: Deck
    labels: tuple[str, ...]

    @property
    def deck_key(self) -> str:
        # The decks are sent again when what the page shows changed, not when only their
        # as-of date or the presenter's notes (which count days) did: a daily publish of
        # an unchanged programme makes no new attachment versions.
        return digest(self.owned)

    @property
    def name(self) -> str:
        return f"release {self.release}" if self.release else "the programme page"

    def identity(self) -> dict[str, str]:
        return {"programme": self.programme, "release": self.release}

    def is_ours(self, page: Page) -> bool:
        value = page.identity.value if page.identity else None
        return isinstance(value, dict) and value.get("programme") == self.programme \
            and value.get("release") == self.release

    def record(self, version: int, files: dict[str, str]) -> dict[str, ToJSON]:
        return {**self.identity(), "content": digest(self.owned),
                "words": digest(words(self.owned)), "version": version,
                "deck": self.deck_key, "files": files}


@dataclass(frozen=True)
class Decision:
    """``verb``: create, adopt (read the page, then decide again), update, unchanged,
    conflict (a person edited the owned section; theirs kept), foreign (a page of this
    title that is not ours: left alone). ``body``: what to write; ``attach``: upload the
    decks and chart again."""

    verb: str
    body: str = ""
    attach: bool = False
    detail: str = ""
    files: dict[str, str] = field(default_factory=dict)


def decide_new(wanted: Wanted, titled: Found | None, *, bot: str, parent: str) -> Decision:
    """No page carries the identity: make one, unless the title is taken. A page of the
    title made by the bot under the parent, with no identity, is a create whose answer was
    lost (the lease keeps other runs away meanwhile): adopt it."""
    if titled is None:
        return Decision("create", new_page(wanted.owned), attach=True)
    if titled.author == bot and titled.parent_id == parent:
        return Decision("adopt")
    return Decision("foreign", detail=f"a page titled {wanted.title!r} (id {titled.id}) that "
                    "jirasync did not make is left alone; rename it, or move it out of the "
                    "space, to let jirasync publish")


def decide(wanted: Wanted, page: Page, *, force: bool = False) -> Decision:
    """The page is ours (or adopted, with no record yet)."""
    value = page.identity.value if page.identity else None
    record: dict[str, JSON] = value if isinstance(value, dict) and wanted.is_ours(page) else {}
    kept = record.get("files")      # attachment ids by file name
    files = {name: i for name, i in kept.items() if isinstance(i, str)} \
        if isinstance(kept, dict) else {}
    attach = record.get("deck") != wanted.deck_key or not files
    now = owned_of(page.body)
    if now is None:
        if not force:
            return Decision("conflict", attach=attach, files=files, detail=(
                "the part jirasync keeps was removed from the page (its anchors are gone); "
                "kept as it is: publish --force puts it back at the end (what is left of "
                "the old one stays, for you to delete)"))
        return Decision("update", splice(page.body, wanted.owned), attach, files=files,
                        detail="the part jirasync keeps put back at the end (--force); "
                               "what was left of the old one, without its anchors, stays "
                               "above it for you to delete")
    edited = bool(record) and page.version != record.get("version") \
        and digest(words(now)) != record.get("words")
    if edited and not force:
        return Decision("conflict", attach=attach, files=files, detail=(
            f"someone edited the part jirasync keeps (version {page.version}); their "
            "version is kept: publish --force replaces it"))
    same = record.get("content") == digest(wanted.owned) and words(now) == words(wanted.owned)
    if same:
        return Decision("unchanged", attach=attach, files=files)
    detail = "their edits in the part jirasync keeps replaced (--force)" if edited else ""
    return Decision("update", splice(page.body, wanted.owned), attach or not record,
                    detail=detail, files=files)
