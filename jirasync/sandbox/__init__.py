"""The sandbox Jira: an in-memory Jira Cloud or Data Center over loopback HTTP.

Used by ``jirasync demo``, the test suite and the benchmarks. See ``Sandbox``; the tests
mostly reach it without HTTP, through ``Sandbox.answer`` (docs/testing.md). An edge:
it imports only the shared errors and dates, never the gateway it stands in for.
"""
from .model import IssueRecord, ObservedRequest, ObservedResponse, RequestLog
from .sandbox import Sandbox
from .ui import SandboxError
from .users import DEFAULT_USERS, SandboxUser

__all__ = ["DEFAULT_USERS", "IssueRecord", "ObservedRequest", "ObservedResponse",
           "RequestLog", "Sandbox", "SandboxError", "SandboxUser"]
