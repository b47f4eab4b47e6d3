"""Opening the real ``Gateway``: reading serverInfo (Cloud or Data Center, Jira's clock),
the credentials (never printed) and the one transport every request goes through."""
from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from jira import JIRA

from jirasync.gateway.client import Gateway
from jirasync.gateway.failures import Call, public_url
from jirasync.gateway.protocol import Jira
from jirasync.gateway.reading import Answer, unexpected
from jirasync.gateway.transport import Transport
from jirasync.gateway.types import Pacing
from jirasync.netloc import in_clear
from jirasync.secret import Secret, remember

FLAVOURS = ("cloud", "datacenter")
# The first request is not retried when no connection opens: nothing listening at
# jira.url is a wrong address far more often than a Jira that is restarting.
SERVER_INFO = Call("meta", "the serverInfo request", safe=True, connect_tries=1)


def connect(url: str, *, auth_type: str = "basic", email: str | None = None,
            token: str | Secret,
            flavour: str | None = None, timeout_s: float = 30, max_requests_per_s: float = 10,
            max_retry_s: float = 300, sleep: Callable[[float], Any] = time.sleep,
            clock: Callable[[], float] = time.monotonic,
            rng: Callable[[], float] = random.random, project: str | None = None,
            allow_insecure_http: bool = False) -> Gateway:
    """Open a Gateway to the Jira at ``url``, reading its serverInfo.

    ``auth_type`` "basic" sends ``email`` and an API token (Cloud); "pat" sends a Data
    Center personal access token as a Bearer token. ``token`` is a str or anything with
    ``reveal()`` (``jirasync.secret.Secret``). ``flavour`` overrides the detection from
    serverInfo's deploymentType ("Cloud" is cloud, anything else Data Center).
    ``project`` is the key ``create_issues`` uses by default. ``sleep``, ``clock`` and
    ``rng`` (jitter) are injectable so that tests never really wait. ``http://`` to
    another host is refused unless ``allow_insecure_http``; certificates are always
    verified.
    """
    if in_clear(url) and not allow_insecure_http:
        raise ValueError(f"{public_url(url)} would send the token in clear; use https://")
    if flavour is not None and flavour not in FLAVOURS:
        raise ValueError(f"flavour must be one of {', '.join(FLAVOURS)}, not {flavour!r}")
    auth = _auth_kwargs(auth_type, email, token)
    pacing = Pacing(timeout_s=timeout_s, max_requests_per_s=max_requests_per_s,
                    max_retry_s=max_retry_s)
    transport = Transport(url, pacing, sleep=sleep, clock=clock, rng=rng)
    jira = transport.run(SERVER_INFO, lambda: _open(url, timeout_s, auth))
    transport.session = jira._session
    # Never off, whatever the environment says (an empty CURL_CA_BUNDLE, say).
    transport.session.verify = True
    if flavour is None and not jira.deploymentType:
        raise unexpected(SERVER_INFO, "deploymentType",
                         hint="set jira.flavour to cloud or datacenter")
    detected = "cloud" if jira.deploymentType == "Cloud" else "datacenter"
    return Gateway(jira, transport, flavour or detected, project=project,
                   server_time=jira.server_time)


def _auth_kwargs(auth_type: str, email: str | None, token: str | Secret) -> dict[str, Any]:
    secret = token.reveal() if isinstance(token, Secret) else token
    if not secret:
        raise ValueError("connect needs a token")
    remember(secret)
    if auth_type == "pat":
        return {"token_auth": secret}
    if auth_type == "basic":
        if not email:
            raise ValueError("basic auth needs the email (or username) that owns the token")
        remember(secret, user=email)        # the Basic header's value, masked if echoed
        return {"basic_auth": (email, secret)}
    raise ValueError(f"auth_type must be 'basic' or 'pat', not {auth_type!r}")


class _Jira(JIRA):
    """The library's client, reading serverInfo as the other answers are read, and keeping
    what Jira's clock said in it: a re-sync counts its window of changes on Jira's clock,
    not the host's."""

    server_time: datetime | None = None

    def server_info(self) -> dict[str, Any]:
        info = Answer.of(super().server_info(), SERVER_INFO)
        versions = info.present("versionNumbers")
        if not isinstance(versions, list):
            raise unexpected(SERVER_INFO, "versionNumbers as a list", value=versions)
        info.text("deploymentType")
        when = info.time("serverTime")
        self.server_time = when if when and when.tzinfo is not None else None
        return dict(info.data)


def _open(url: str, timeout_s: float, auth: dict[str, Any]) -> _Jira:
    try:
        # get_server_info=True: the library needs deploymentType, else Cloud searches
        # silently return None. max_retries=0: the Transport is the only retry policy.
        return _Jira(server=url, get_server_info=True, max_retries=0, timeout=timeout_s,
                    options={"verify": True}, **auth)
    except ValueError:      # the library could not decode the body as JSON
        pass
    # Raised outside the except block, so that the library's exception is not chained.
    raise unexpected(SERVER_INFO, "a JSON body",
                     hint=f"is jira.url ({public_url(url)}) the address of Jira itself?")


if TYPE_CHECKING:
    def _meets_the_protocol(gateway: Gateway) -> Jira:
        return gateway      # mypy checks that Gateway offers every operation of Jira
