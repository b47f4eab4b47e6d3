"""``check --online`` for Confluence, when the config has a ``confluence:`` section: the
credentials, the space, whether the bot may write there, the parent page. Reads only.

Whether the bot may write is Cloud's ``GET /api/v2/spaces/{id}/operations`` ("Returns
the permitted operations on specific space"): publish needs ``create`` of ``page`` and
of ``attachment``. Data Center's REST API has no read of one's own permissions in a
space, so there the first publish tells (docs/publish.md)."""
from __future__ import annotations

from jirasync.errors import JiraError, Problem
from jirasync.publish.port import Confluence

UNTOLD = "whether the bot may write here is told by the first publish (Data Center " \
         "offers no read of one's own space permissions)"


def probe_confluence(file: str, url: str, space: str, parent_page: str,
                     wiki: Confluence) -> tuple[list[str], list[Problem]]:
    """(a line per probe, the problems) of the Confluence publish writes to."""
    probes: list[str] = []
    try:
        me = wiki.me().name
        probes.append(f"confluence {url}: credentials ok (the bot is {me})")
        found = wiki.space(space)
        missing = wiki.may_not(found)
        if missing:
            probes.append(f"  space {space}: the bot may read it but not write")
            return probes, [Problem(file, None, "confluence.space",
                                    f"the bot ({me}) may not {' or '.join(missing)} in space "
                                    f"{space}: ask a space admin to give it Add page and "
                                    "Add attachment")]
        probes.append(f"  space {space}: ok, " + (UNTOLD if missing is None else
                                                  "the bot may add pages and attachments"))
        parent = wiki.page(parent_page) if parent_page.isdigit() else \
            wiki.titled(found, parent_page)
        if parent is None:
            return probes, [Problem(file, None, "confluence.parent_page",
                                    f"space {space} has no page titled {parent_page!r}")]
        probes.append(f"  parent page {parent_page!r}: ok (id {parent.id})")
    except JiraError as e:
        key = "confluence.space" if probes else "confluence.url"
        return probes, [Problem(file, None, key, str(e))]
    return probes, []
