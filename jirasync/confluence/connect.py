"""Opening the real Confluence gateway for a config, as ``gateway/connect.py`` opens Jira's:
the ``confluence:`` section, its token (read now, never printed), paced and retried as
``jira:`` says for Jira. Only the top level opens it (the commands, the service's
scheduled publish); publish is handed it through its port (``publish/port.py``)."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict, Unpack

from jirasync.config import Config
from jirasync.config.confluence import confluence_of
from jirasync.confluence.client import Wiki, connect_wiki
from jirasync.errors import ConfigError
from jirasync.gateway.types import Pacing
from jirasync.stopping import Stop


class WikiOptions(TypedDict, total=False):
    """What ``open_wiki`` passes on to ``connect_wiki``: the waits a stop may cut short."""

    sleep: Callable[[float], object]
    clock: Callable[[], float]


def open_wiki(config: Config, **options: Unpack[WikiOptions]) -> Wiki:
    """The Confluence gateway for this config (the token read now, never printed)."""
    c = confluence_of(config)
    exposed = c.auth.exposed()
    if exposed:
        raise ConfigError([exposed])
    j = config.jira         # Confluence is paced and retried as jira: says for Jira
    pacing = Pacing(timeout_s=j.timeout_s, max_requests_per_s=j.max_requests_per_s,
                    max_retry_s=j.max_retry_s)
    return connect_wiki(c.url, flavour=c.flavour, email=c.auth.email, token=c.auth.token(),
                        pacing=pacing, allow_insecure_http=c.allow_insecure_http, **options)


def open_until(config: Config, stop: Stop) -> Wiki:
    """``open_wiki`` whose waits ``stop`` cuts short: publish's opener as a job (a run's
    prepare opens Confluence before Jira, with the run's stop)."""
    return open_wiki(config, sleep=stop.sleep, clock=stop.clock)
