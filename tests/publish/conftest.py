"""The demo's programme lived through in a sandbox of each flavour (as the deck tests
have it), with a ``confluence:`` section naming the Confluence the sandbox serves beside
its Jira. The Jira side is built once per module and flavour; each test starts from an
empty Confluence."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from jirasync.commands.demo_deck import SandboxClock, history_start
from jirasync.config import Config, load_config
from jirasync.confluence.connect import open_wiki
from jirasync.lease_types import NO_LEASE
from jirasync.publish.run import publish_programme
from jirasync.sandbox import Sandbox
from tests.conftest import FLAVOURS, checked_sandbox
from tests.deck.conftest import TODAY, Lived, live_through


def confluence_section(sb: Sandbox, token_file: str) -> str:
    auth = "" if sb.flavour == "cloud" else \
        f"  auth:\n    type: pat\n    token_file: {token_file}\n"
    return (f"confluence:\n  url: {sb.confluence.url}\n  space: PMO\n"
            f"  parent_page: Lessons learnt\n{auth}")


@dataclass(frozen=True)
class Site:
    lived: Lived
    config: Config

    @property
    def sb(self) -> Sandbox:
        return self.lived.sb

    def publish(self, release: str | None = None, *, today: date = TODAY, force=False,
                dry_run=False, lease=NO_LEASE):
        wiki = open_wiki(self.config, sleep=lambda s: None)
        result = publish_programme(self.config, self.lived.jira(), wiki, release=release,
                                   today=today, force=force, dry_run=dry_run, lease=lease)
        return result, wiki

    def ours(self):
        """The pages jirasync made, by release ("" the programme page)."""
        return {p.properties["jirasync"].value["release"]: p
                for p in self.sb.confluence.pages() if "jirasync" in p.properties}


@pytest.fixture(scope="module", params=FLAVOURS, ids=FLAVOURS)
def lived_site(request, contract, tmp_path_factory):
    clock = SandboxClock(history_start([date(2026, 7, 8)]))
    with checked_sandbox(contract, request.param, clock=clock) as sb:
        lived = live_through(sb, clock, tmp_path_factory.mktemp(f"publish-{request.param}"))
        path = lived.config_path
        path.write_text(path.read_text() + confluence_section(sb, str(lived.root / "token")))
        yield Site(lived, load_config(path))


@pytest.fixture
def site(lived_site):
    lived_site.sb.confluence.reset()
    return lived_site
