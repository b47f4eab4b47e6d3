"""The sandbox Jira: an in-memory Jira Cloud or Data Center served over loopback HTTP."""
from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any, Self

from . import persist, ui
from .catalog import CLOUD
from .confluence_people import Confluence, set_up
from .faults import Faults
from .instance import Instance, utc_now
from .model import Issue, IssueRecord, ObservedRequest, ObservedResponse, RequestLog
from .permissions import WITHHOLDABLE
from .render import Renderer, select_fields
from .server import Credentials, FrontDoor, Listener, Observer
from .users import DEFAULT_USERS, SandboxUser
from .webhooks import Webhooks


class Sandbox:
    """An in-memory Jira that the real ``jira`` library and ``requests`` talk to.

    ``flavour`` is "cloud" (basic auth e-mail + API token, accountIds, ``/search/jql``)
    or "datacenter" (bearer PAT, usernames, ``/search``, Epic Link). ``observer`` is
    called with every (ObservedRequest, ObservedResponse | None) exchange, e.g. to check
    the contract. Use ``with Sandbox() as sb:`` or ``start()``/``stop()``.
    """

    def __init__(self, flavour: str = CLOUD, *, project: str = "DCR",
                 project_name: str = "Digital Care Record",
                 users: Iterable[SandboxUser] = DEFAULT_USERS,
                 email: str = "pmo-bot@example.org", token: str = "sandbox-token",
                 pat: str = "sandbox-pat", latency_s: float = 0.0,
                 observer: Observer | None = None,
                 clock: Callable[[], datetime] = utc_now):
        self._inst = Instance(flavour, project=project, project_name=project_name,
                              users=tuple(users), bot_email=email, clock=clock)
        self.faults = Faults(self._set_lag)
        credentials = Credentials(flavour == CLOUD, email, token, pat)
        self._door = FrontDoor(self._inst, self.faults, credentials, observer)
        self._door.latency_s = latency_s
        self._listener: Listener | None = None
        self._url: str | None = None
        set_up(self._inst)           # the Confluence beside the Jira: its space, its parent

    # -- running ----------------------------------------------------------------------

    @property
    def flavour(self) -> str:
        return self._inst.flavour

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("the sandbox is not started")
        return self._url

    def start(self, port: int = 0) -> str:
        """Serve on loopback, on ``port`` or a free one; returns the base URL."""
        if self._listener is None:
            self._listener = Listener(self._door, port)
            self._url = self._inst.base_url = self._listener.url
            self._listener.start()
        return self.url

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        self._url = None

    def answer(self, seen: ObservedRequest) -> ObservedResponse | None:
        """One request, as the listener hands it over: latency, faults, auth, routing, the
        log and the observer, all as over HTTP. None: close the connection unanswered.
        (The tests' in-memory transport calls this without a listener; see ``answer_at``.)"""
        return self._door.handle(seen)

    def answer_at(self, url: str) -> None:
        """Name ``url`` as the sandbox's address (its self links) without serving it: for
        a caller that brings requests to ``answer`` itself, in the same process."""
        self._url = self._inst.base_url = url.rstrip("/")

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def webhooks(self) -> Webhooks:
        """The PMO's channel: the Teams and Slack webhooks served beside this Jira."""
        return self._door.webhooks

    @property
    def latency_s(self) -> float:
        return self._door.latency_s

    @latency_s.setter
    def latency_s(self, value: float) -> None:
        self._door.latency_s = value

    @property
    def observer(self) -> Observer | None:
        return self._door.observer

    @property
    def confluence(self) -> Confluence:
        """The Confluence it serves beside its Jira (``confluence_people``)."""
        return Confluence(self._inst)

    # -- what happened ----------------------------------------------------------------

    @property
    def requests(self) -> list[RequestLog]:
        return list(self._door.log)

    def count(self, kind: str | None = None, write: bool | None = None) -> int:
        """How many logged requests have this kind and/or write-ness."""
        return sum(1 for r in self._door.log
                   if kind in (None, r.kind) and write in (None, r.write))

    def reset_log(self) -> None:
        self._door.log.clear()

    @property
    def server_errors(self) -> list[str]:
        """Tracebacks of sandbox bugs (answered 500) and of observers that raised."""
        return list(self._door.errors)

    @property
    def notifications(self) -> list[dict[str, Any]]:
        with self._inst.lock:
            return copy.deepcopy(self._inst.notifications)

    def issue(self, key: str) -> IssueRecord:
        with self._inst.lock:
            issue = self._inst.store.get(key)
            if issue is None:
                raise KeyError(f"no issue {key} in the sandbox")
            return self._record(issue)

    def issues(self, project: str | None = None) -> list[IssueRecord]:
        with self._inst.lock:
            return [self._record(i) for i in self._inst.store.issues(project)]

    def _record(self, issue: Issue) -> IssueRecord:
        # Rendering builds fresh JSON; only property values are shared with the store.
        renderer = Renderer(self._inst)
        fields = renderer.issue(issue, select_fields(self._inst, [], "*all"))["fields"]
        return IssueRecord(issue.key, str(issue.id), fields, copy.deepcopy(issue.properties),
                           tuple(fields["comment"]["comments"]))

    def project_properties(self) -> dict[str, object]:
        """The project's properties (jirasync's lease and record of recent creates)."""
        with self._inst.lock:
            return copy.deepcopy(self._inst.project_properties)

    def set_project_property(self, key: str, value: object) -> None:
        """What another host (or a person with the REST API) would write."""
        with self._inst.lock:
            self._inst.project_properties[key] = copy.deepcopy(value)

    def bot_administers(self, allowed: bool) -> None:
        """Whether the bot may write project properties (Administer Projects)."""
        if allowed:
            self.grant("ADMINISTER_PROJECTS")
        else:
            self.withhold("ADMINISTER_PROJECTS")

    def withhold(self, *permissions: str) -> None:
        """Take permissions from the bot, by Jira's key (``"ADD_COMMENTS"``): mypermissions
        says it lacks them and the operations that need them refuse it. Only those in
        ``WITHHOLDABLE`` are modelled."""
        unknown = set(permissions) - WITHHOLDABLE
        if unknown:
            raise ValueError(f"the sandbox cannot withhold {', '.join(sorted(unknown))}; "
                             f"it models {', '.join(sorted(WITHHOLDABLE))}")
        with self._inst.lock:
            self._inst.withheld |= set(permissions)

    def grant(self, *permissions: str) -> None:
        """Give back permissions ``withhold`` took."""
        with self._inst.lock:
            self._inst.withheld -= set(permissions)

    def user(self, ref: str) -> SandboxUser:
        """A user by e-mail, accountId, username or Data Center key."""
        user = self._inst.directory.find(ref)
        if user is None:
            raise KeyError(f"no sandbox user {ref!r}")
        return user

    def user_id(self, ref: str) -> str:
        """How this flavour names the user in assignee/reporter: accountId or username."""
        return self._inst.user_id(self.user(ref))

    # -- acting as a person in the Jira UI ------------------------------------------

    def create_issue(self, issue_type: str, summary: str, *, parent: str | None = None,
                     labels: Iterable[str] = (), assignee: str | None = None,
                     duedate: date | str | None = None, description: str = "",
                     properties: dict[str, Any] | None = None, reporter: str | None = None,
                     fields: dict[str, Any] | None = None) -> str:
        """Create an issue; ``parent`` is the epic (Epic Link on DC) or the sub-task's
        parent; users by e-mail or id; ``fields`` by field id or name. Returns the key."""
        with self._inst.lock:
            return ui.create_issue(self._inst, issue_type, summary, parent=parent,
                                   labels=labels, assignee=assignee, duedate=duedate,
                                   description=description, properties=properties,
                                   reporter=reporter, fields=fields)

    def edit(self, key: str, **fields: Any) -> None:
        """Change fields by id or name, e.g. ``edit("DCR-3", duedate="2026-12-20")``."""
        with self._inst.lock:
            ui.edit(self._inst, key, dict(fields))

    def delete(self, key: str) -> None:
        """Delete an issue (and its sub-tasks, as Jira does); its key is not reused."""
        with self._inst.lock:
            issue = self._inst.store.get(key)
            if issue is None:
                raise KeyError(f"no issue {key} in the sandbox")
            for child in self._inst.store.children(issue.key):
                if self._inst.catalog.type_of(child.issue_type).subtask:
                    self._inst.store.remove(child)
            self._inst.store.remove(issue)

    def transition(self, key: str, status: str) -> None:
        """Move to "To Do", "In Progress" or "Done" (Done resolves the issue)."""
        with self._inst.lock:
            ui.transition(self._inst, key, status)

    def use_workflow(self, key: str, name: str) -> None:
        """Make issue ``key`` follow workflow ``name``: "simple", "no-done" (Done cannot be
        reached), "resolution-screen" (the move into Done requires a resolution) or
        "validator" (a validator refuses the move into Done)."""
        from .workflows import WORKFLOWS
        if name not in WORKFLOWS:
            raise ValueError(f"no workflow {name!r}; choose one of {sorted(WORKFLOWS)}")
        with self._inst.lock:
            self._inst.workflows[key] = name

    def add_comment(self, key: str, body: str, *, author: str | None = None) -> None:
        with self._inst.lock:
            ui.add_comment(self._inst, key, body, author)

    def add_user(self, user: SandboxUser) -> None:
        with self._inst.lock:
            self._inst.directory.add(user)

    def deactivate_user(self, ref: str) -> None:
        """A person leaves: searches no longer find them, nor may issues be assigned to
        them; the issues they hold still name them."""
        with self._inst.lock:
            self._inst.directory.deactivate(self.user(ref))

    def require_field(self, issue_type: str, field_name: str) -> None:
        """Make the create screen of ``issue_type`` require a field (by name or id)."""
        with self._inst.lock:
            ui.require_field(self._inst, issue_type, field_name)

    def index_catch_up(self) -> None:
        """Let the lagging search index see every write so far."""
        with self._inst.lock:
            self._inst.store.catch_up()

    # -- keeping it between runs (``jirasync sandbox --data``) ------------------------

    @property
    def generation(self) -> int:
        """A number that changes whenever an issue does."""
        with self._inst.lock:
            return self._inst.store.generation

    def save(self, path: Path) -> None:
        """Write every issue to ``path`` (JSON, owner-only), to ``restore`` later."""
        with self._inst.lock:
            persist.save(self._inst, path)

    def restore(self, path: Path) -> int:
        """Load the issues ``save`` wrote into this empty sandbox; returns how many."""
        with self._inst.lock:
            return persist.load(self._inst, path)

    def _set_lag(self, on: bool) -> None:
        with self._inst.lock:
            self._inst.store.set_lag(on)
