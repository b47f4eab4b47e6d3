"""``check --online`` for Confluence, when the config has a ``confluence:`` section: the
credentials, the space, the parent page. Reads only: whether the bot may write there is
told by the first publish (Confluence's permission check needs a write scope)."""
from __future__ import annotations

from jirasync.errors import JiraError, Problem
from jirasync.publish.port import Confluence


def probe_confluence(file: str, url: str, space: str, parent_page: str,
                     wiki: Confluence) -> tuple[list[str], list[Problem]]:
    """(a line per probe, the problems) of the Confluence publish writes to."""
    probes: list[str] = []
    try:
        me = wiki.me()
        probes.append(f"confluence {url}: credentials ok (the bot is {me})")
        found = wiki.space(space)
        probes.append(f"  space {space}: ok")
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
