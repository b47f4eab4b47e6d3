"""Shared fixtures: sandbox Jiras whose every exchange is checked against the contract.

A test fails (at teardown) if the sandbox received or sent anything the published Jira
Cloud contract does not allow, or if the sandbox itself hit a bug. A test that sends a
contract-breaking request on purpose collects it with ``sb.observer.take()``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

import pytest

from jirasync.sandbox import Sandbox
from tests import in_memory
from tests.contract.validator import ContractValidator, load_contract

FLAVOURS = ["cloud", "datacenter"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--sandbox-over-http", action="store_true",
                     help="serve every sandbox Jira over HTTP, as the tests marked "
                          "over_http are (the default is in memory: tests/in_memory.py)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "over_http: the sandboxes this test starts listen on a real loopback port "
                   "(a child process talks to them, or the HTTP layer is under test)")
    in_memory.install()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Before any fixture of the test is set up, module-scoped sandboxes included.
    in_memory.enabled = not (item.config.getoption("--sandbox-over-http")
                             or item.get_closest_marker("over_http") is not None)


@pytest.fixture(scope="session")
def contract():
    """The Cloud contract, parsed once per test session."""
    return load_contract()


@contextmanager
def checked_sandbox(contract, flavour: str, **options) -> Iterator[Sandbox]:
    """A started Sandbox whose exchanges are validated; fails the test on violations."""
    validator = ContractValidator(contract)
    with Sandbox(flavour, observer=validator, **options) as sb:
        yield sb
    problems = validator.take() + sb.server_errors
    if problems:
        pytest.fail("sandbox contract check failed:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def sandbox_cloud(contract) -> Iterator[Sandbox]:
    with checked_sandbox(contract, "cloud") as sb:
        yield sb


@pytest.fixture
def sandbox_dc(contract) -> Iterator[Sandbox]:
    with checked_sandbox(contract, "datacenter") as sb:
        yield sb


@pytest.fixture(params=FLAVOURS, ids=FLAVOURS)
def sandbox(request, contract) -> Iterator[Sandbox]:
    """Each test using it runs against Cloud and against Data Center."""
    with checked_sandbox(contract, request.param) as sb:
        yield sb


@pytest.fixture
def make_sandbox(contract) -> Iterator[Callable[..., Sandbox]]:
    """Start checked sandboxes with options: ``make_sandbox("datacenter", latency_s=0.02)``."""
    with ExitStack() as stack:
        yield lambda flavour="cloud", **options: stack.enter_context(
            checked_sandbox(contract, flavour, **options))
