"""The demo's publish step: the Lessons Report pages in the Confluence the sandbox serves
beside its Jira, and where to read them."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from jirasync.config.confluence import ConfluenceConfig
from jirasync.confluence import connect_wiki
from jirasync.publish.run import publish_programme


def publish_demo(config, jira, sandbox, token: str, *, today: date) -> list[tuple[str, str]]:
    """Publish every release's page and the programme's; (page, address) of each."""
    side = sandbox.confluence
    config = replace(config, confluence=ConfluenceConfig(
        url=side.url, flavour=sandbox.flavour, space=side.space,
        parent_page=side.parent_title, auth=config.jira.auth))
    wiki = connect_wiki(side.url, flavour=sandbox.flavour, email=config.jira.auth.email,
                        token=token)
    result = publish_programme(config, jira, wiki, release=None, today=today)
    return [(f"{o.verb} {o.page}", o.address) for o in result.outcomes]
