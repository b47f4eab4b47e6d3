"""The demo's publish step: the Lessons Report pages in the Confluence the sandbox serves
beside its Jira, and where to read them."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time

from jirasync.config import Config
from jirasync.config.confluence import ConfluenceConfig
from jirasync.confluence.client import connect_wiki
from jirasync.confluence.connect import open_until
from jirasync.gateway.protocol import Jira
from jirasync.gateway.types import Pacing
from jirasync.jobs import Run, start
from jirasync.publish.run import PublishOptions, publish_job
from jirasync.sandbox import Sandbox
from jirasync.state import StateDir


def publish_demo(config: Config, jira: Jira, sandbox: Sandbox, token: str, *,
                 today: date) -> list[tuple[str, str]]:
    """Publish every release's page and the programme's; (page, address) of each."""
    side = sandbox.confluence
    config = replace(config, confluence=ConfluenceConfig(
        url=side.url, flavour=sandbox.flavour, space=side.space,
        parent_page=side.parent_title, auth=config.jira.auth))
    wiki = connect_wiki(side.url, flavour=sandbox.flavour, email=config.jira.auth.email,
                        token=token, pacing=Pacing(max_requests_per_s=1000))  # as demo's Jira
    run = Run(config=config, state=StateDir(config.state_dir),
              now=datetime.combine(today, time(12), config.review.calendar.timezone),
              options=PublishOptions(today=today, wiki=wiki))
    result = start(publish_job(open_until), run, connect=lambda run: jira)
    return [(f"{o.verb} {o.page}", o.address) for o in result.outcomes]
