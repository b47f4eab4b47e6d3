"""What a run holds of the lease that keeps hosts apart (SPEC §5), as the use-cases see it:
the ``Lease`` protocol, ``NO_LEASE`` (the local lock alone), ``LeaseHeld``, the error of a
run that found another holding it, and ``ProjectProperties``, what a lease needs of Jira.
``lease.JiraLease`` is the real one."""
from __future__ import annotations

import contextlib
from typing import Protocol

from jirasync.errors import JiraError
from jirasync.json_values import JSON, ToJSON


class LeaseHeld(JiraError):
    """Another run (here or on another host) holds the job's lease in Jira."""

    def __init__(self, job: str, holder: str, until: str):
        self.job, self.holder, self.until = job, holder, until
        # A contested term names no holder ("two runs claimed this term at once"; before,
        # "another run (...)", which read "another sync run (another run (...))").
        holder = holder.removeprefix("another run (").removesuffix(")") \
            if holder.startswith("another run (") else holder
        super().__init__(f"another {job} run ({holder}) holds the {job} lease in Jira until "
                         f"{until}; this run wrote nothing; the next run tries again",
                         retryable=True)


class Lease(Protocol):
    """What a use-case needs of a lease: hold it around its writes, renew it; ``look``
    before reading what it may write, and ``undisturbed`` once held tells whether any
    other run could have written since (what it read before holding is still fresh)."""

    real: bool
    undisturbed: bool
    # The term this host's last run of the job took, and that run's id (kept in the
    # state folder): should the lease be taken right after it, no other run wrote since.
    last: tuple[int, str] | None
    taken_as: tuple[int, str] | None     # the term this run took, and its id

    def look(self) -> None: ...

    def held(self) -> contextlib.AbstractContextManager[None]: ...

    def renew(self) -> None: ...

    def confirm(self) -> None: ...


class _NoLease:
    """No lease (a test, or one host by design): the local lock alone."""

    real = False
    undisturbed = True     # the local lock keeps this host's runs apart
    last: tuple[int, str] | None = None
    taken_as: tuple[int, str] | None = None

    def look(self) -> None:
        pass

    def held(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()

    def renew(self) -> None:
        pass

    def confirm(self) -> None:
        pass


NO_LEASE: Lease = _NoLease()


class ProjectProperties(Protocol):
    """What a lease needs of Jira: the project's properties (the gateway has them)."""

    def project_property_keys(self, project: str | None = None) -> list[str]: ...

    def get_project_property(self, name: str, project: str | None = None) -> JSON: ...

    def put_project_property(self, name: str, value: ToJSON, *, project: str | None = None,
                             once: bool = False) -> bool: ...

    def delete_project_property(self, name: str, project: str | None = None) -> None: ...
