"""The gateway meets every capability's port (sync/port.py, chase/port.py,
reports/port.py): each member the port declares is on ``Gateway``, a property as a
property, and each method takes at least the parameters the port's does, of the same kind
(so a call written against the port works on the gateway)."""
from __future__ import annotations

import inspect
from typing import Protocol

import pytest

from jirasync.chase.port import ChaseJira
from jirasync.gateway.client import Gateway
from jirasync.gateway.protocol import Jira
from jirasync.reports.port import ReportsJira
from jirasync.sync.port import SyncJira

PORTS = [SyncJira, ChaseJira, ReportsJira, Jira]


def members(port: type) -> dict[str, object]:
    """What ``port`` declares, its roles' members included."""
    out: dict[str, object] = {}
    for cls in reversed(port.__mro__):
        if cls in (object, Protocol) or not getattr(cls, "_is_protocol", False):
            continue
        out.update({n: v for n, v in vars(cls).items()
                    if not n.startswith("_") and (callable(v) or isinstance(v, property))})
    return out


def mismatches(port: type, concrete: type) -> list[str]:
    out = []
    for name, wanted in members(port).items():
        have = inspect.getattr_static(concrete, name, None)
        if have is None and isinstance(wanted, property):
            # An attribute the instance sets (``flavour``, ``url``) reads as a property.
            have = name if name in inspect.getsource(concrete.__init__) else None
        if have is None:
            out.append(f"{name}: missing")
        elif callable(wanted) and not isinstance(wanted, property):
            out += [f"{name}: {p}" for p in _parameters(wanted, have)]
    return out


def _parameters(wanted: object, have: object) -> list[str]:
    if not callable(have):
        return ["not a method"]
    given = inspect.signature(have).parameters
    missing = []
    for p in inspect.signature(wanted).parameters.values():
        if p.name not in given or given[p.name].kind != p.kind:
            missing.append(f"parameter {p.name} ({p.kind.description})")
    return missing


@pytest.mark.parametrize("port", PORTS, ids=lambda p: p.__name__)
def test_the_gateway_meets_each_port(port):
    assert members(port), "the port declares nothing"
    assert mismatches(port, Gateway) == []


def test_a_port_the_gateway_does_not_meet_is_named():
    class Wider(SyncJira, Protocol):
        def archive(self, key: str) -> None: ...

        def search(self, jql: str, *, at_most: int) -> None: ...

    found = mismatches(Wider, Gateway)
    assert "archive: missing" in found
    assert "search: parameter at_most (keyword-only)" in found


def test_each_port_is_narrower_than_the_whole():
    whole = set(members(Jira))
    for port in (SyncJira, ChaseJira, ReportsJira):
        assert set(members(port)) < whole, port.__name__
    assert "notify" not in members(ReportsJira) and "create_issues" not in members(ReportsJira)
    # Data Center's cache internals: chase re-reads through the gateway alone.
    assert not {"unread", "read_by_key"} & set(members(ChaseJira))
