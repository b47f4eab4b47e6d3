"""The pages ``publish`` wants (``job.py`` finds and writes them): each release's Lessons
Report and the programme's, with the labels that find them in one search and the
programme page's table linking every release's page. Pure."""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from jirasync.publish.decide import PROGRAMME, Wanted
from jirasync.publish.storage import deck_storage, text
from jirasync.reports.programme import Programme
from jirasync.reports.slides import Deck

PROGRAMME_LINKS = 100     # releases the programme page lists (newest first); more: named


def slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "x"


def labels_of(project: str, release: str) -> tuple[str, ...]:
    """The labels that find a page in one search: the programme's, then the page's own."""
    base = f"jirasync-{slug(project)}"
    own = f"{base}-release-{slug(release)}" if release else f"{base}-programme"
    return (base, own)


def wanted_pages(programme: Programme, decks: Mapping[str, Deck], *,
                 links: Callable[[], str] = lambda: "") -> list[Wanted]:
    """Each release's page, then the programme's (``decks[""]``), whose links come last."""
    out = []
    for release, deck in decks.items():
        if release == PROGRAMME:
            continue
        title = f"{programme.project} release {release}: Lessons Report"
        out.append(Wanted(programme.project, release, title, deck_storage(deck), deck,
                          labels_of(programme.project, release)))
    if PROGRAMME in decks:
        deck = decks[PROGRAMME]
        out.append(Wanted(programme.project, PROGRAMME,
                          f"{programme.project} programme: Lessons Reports",
                          deck_storage(deck, before=links()), deck,
                          labels_of(programme.project, PROGRAMME)))
    return out


def release_links(programme: Programme, addresses: Mapping[str, str]) -> str:
    """The programme page's table of releases, each linked to its page (newest first,
    at most PROGRAMME_LINKS; the rest named in one line)."""
    releases = list(reversed(programme.releases))
    shown = releases[:PROGRAMME_LINKS]
    rows = []
    for r in shown:
        address = addresses.get(r.release or "")
        name = text(r.name or f"Release {r.release}")
        page = f'<a href="{text(address)}">Lessons Report</a>' if address else "not published"
        rows.append(f"<tr><td>{text(r.release)}</td><td>{name}</td>"
                    f"<td>{text(r.live_date or 'no date')}</td><td>{page}</td></tr>")
    more = len(releases) - len(shown)
    tail = (f"<p><em>… and {more:,} older releases: each has its page under the same parent "
            f"page.</em></p>") if more > 0 else ""
    return ("<h2>Releases</h2><table><tbody><tr><th>release</th><th>name</th>"
            "<th>live</th><th>page</th></tr>" + "".join(rows) + "</tbody></table>" + tail)
