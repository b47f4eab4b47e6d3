"""Every error jirasync raises on purpose.

Library code raises these; only ``cli.main`` turns them into a message and an exit
code. Each class names a condition and carries the fields a message needs.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file a user wrote: where it is and what to do."""

    file: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        key = f" {self.key}:" if self.key else ""
        return f"{where}:{key} {self.message}"


class JirasyncError(Exception):
    """Base of every error jirasync raises on purpose."""

    exit_code = 1


class InputError(JirasyncError):
    """Config, release file or template is wrong. Nothing was written (exit 2)."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ConfigError(InputError):
    """The config file (or the environment it names) is wrong."""


class ReleaseError(InputError):
    """A release file or release template is wrong."""


class UsageError(JirasyncError):
    """The command line is wrong."""

    exit_code = 2


class JiraError(JirasyncError):
    """Jira refused or failed a request.

    ``status`` is the HTTP status (0 when no answer came), ``retryable`` whether the
    same request may succeed later, ``issue`` the issue key concerned when known.
    ``maybe_applied`` says that Jira may have done a write although no answer said so (a
    lost connection, a 5xx after the request was sent): search before writing it again.
    """

    def __init__(self, message: str, *, status: int = 0, retryable: bool = False,
                 issue: str | None = None, maybe_applied: bool = False):
        self.status = status
        self.retryable = retryable
        self.issue = issue
        self.maybe_applied = maybe_applied
        super().__init__(message)


class AuthError(JiraError):
    """Jira did not accept the credentials (401) or denied the bot (403)."""


class UnexpectedAnswer(JiraError):
    """Jira answered, but not in a shape jirasync understands: ``missing`` (a value absent,
    null or of another type than the contract's, or no JSON at all) in its answer to
    ``operation``. Never retried: the same request would get the same answer. When the
    request was a write Jira did (``maybe_applied``), the caller searches before sending
    it again; otherwise the run stops there, before writing anything more."""

    def __init__(self, operation: str, missing: str, *, sent: str = "", hint: str = "",
                 status: int = 200, issue: str | None = None, maybe_applied: bool = False):
        self.operation = operation
        self.missing = missing
        detail = "; ".join(filter(None, [f"it sent {sent}" if sent else "", hint]))
        detail = f" ({detail})" if detail else ""
        tail = ("Jira may have done it, so it was not sent again: search before retrying"
                if maybe_applied else "nothing was written after it")
        super().__init__(f"Jira answered {operation} without {missing}{detail}; {tail}",
                         status=status, issue=issue, maybe_applied=maybe_applied)


class UserNotFound(JiraError):
    """An owner named in a release file matches no Jira user, or several."""


class LockedError(JirasyncError):
    """Another jirasync run holds the lock on the state folder."""

    def __init__(self, path: str, holder: str = ""):
        self.path = path
        self.holder = holder
        detail = f" (held by {holder})" if holder else ""
        super().__init__(f"another jirasync run is using {path}{detail}; "
                         "wait for it to finish or remove the lock if that run is gone")


class StateError(JirasyncError):
    """The state folder cannot be used (it cannot be created, or its lock taken): the run
    stops before writing anything."""

    def __init__(self, path: str, why: str):
        self.path = path
        super().__init__(f"state folder {path}: {why}; nothing was written, in Jira or here")
