"""Shared pieces for the gateway's `responses` tests: a fake clock and a registered Jira."""
from __future__ import annotations

import json

import pytest
import responses

from jirasync.gateway.connect import connect
from tests.helpers import FakeTime

BASE = "https://jira.example.test"
API = f"{BASE}/rest/api/2"
TOKEN = "tok-3f9c1e7d-never-print-me"
DEPLOYMENT = {"cloud": "Cloud", "datacenter": "Server"}


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def fake_time():
    return FakeTime()


def server_info(rsps, flavour: str = "cloud", *, status: int = 200) -> None:
    """Register serverInfo, which jira.JIRA(...) reads while connecting."""
    rsps.add(responses.GET, f"{API}/serverInfo", status=status, json={
        "baseUrl": BASE, "version": "9.12.0", "versionNumbers": [9, 12, 0],
        "deploymentType": DEPLOYMENT[flavour], "serverTitle": "Jira"})


def open_gateway(rsps, fake_time: FakeTime, server: str = "cloud", *, rng=lambda: 1.0,
                 **options):
    """A Gateway on a mocked Jira of flavour ``server``, with the fake clock, fixed jitter."""
    server_info(rsps, server)
    auth = ({"auth_type": "pat"} if server == "datacenter"
            else {"auth_type": "basic", "email": "pmo-bot@example.org"})
    options = {"max_requests_per_s": 1000, **options}
    return connect(BASE, token=TOKEN, sleep=fake_time.sleep, clock=fake_time.clock, rng=rng,
                   **auth, **options)


def sent(call) -> dict:
    """The JSON body a recorded call sent."""
    return json.loads(call.request.body)


def calls_to(rsps, suffix: str, method: str | None = None) -> list:
    return [c for c in rsps.calls if c.request.url.split("?")[0].endswith(suffix)
            and (method is None or c.request.method == method)]
