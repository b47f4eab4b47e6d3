"""What a sandbox Jira project is made of: fields, issue types, statuses, screens.

Two flavours share most of it. They differ where jirasync must behave differently:
Data Center links stories to epics through the "Epic Link" custom field and requires
"Epic Name" on an epic; Cloud uses the ``parent`` field for both epics and sub-tasks.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CLOUD = "cloud"
DATACENTER = "datacenter"
FLAVOURS = (CLOUD, DATACENTER)

TEAM = "customfield_10050"
EPIC_LINK = "customfield_10014"
EPIC_NAME = "customfield_10011"
TEXTFIELD = "com.atlassian.jira.plugin.system.customfieldtypes:textfield"


@dataclass(frozen=True)
class FieldDef:
    """A field as ``/field`` lists it; ``schema`` is Jira's JsonTypeBean."""

    id: str
    name: str
    schema: dict[str, Any]
    navigable: bool = True
    operations: tuple[str, ...] = ("set",)

    @property
    def custom(self) -> bool:
        return self.id.startswith("customfield_")

    @property
    def clause_names(self) -> tuple[str, ...]:
        if self.custom:
            return (f"cf[{self.id.removeprefix('customfield_')}]", self.name)
        return (self.id,)


@dataclass(frozen=True)
class IssueTypeDef:
    id: str
    name: str
    level: int  # Jira's hierarchy level: epic 1, standard 0, sub-task -1

    @property
    def subtask(self) -> bool:
        return self.level < 0


@dataclass(frozen=True)
class StatusDef:
    id: str
    name: str
    category: str  # status category key: new, indeterminate, done
    transition_id: str  # the transition that leads to this status


CATEGORIES = {
    "new": (2, "To Do", "blue-gray"),
    "indeterminate": (4, "In Progress", "yellow"),
    "done": (3, "Done", "green"),
}

STATUSES = (
    StatusDef("10000", "To Do", "new", "11"),
    StatusDef("3", "In Progress", "indeterminate", "21"),
    StatusDef("10001", "Done", "done", "31"),
)

RESOLUTION_DONE = {"id": "10000", "name": "Done", "description": "Work has been completed."}
# Jira Cloud's default resolutions (a transition screen lists them as allowed values).
RESOLUTIONS = (RESOLUTION_DONE,
               {"id": "10001", "name": "Won't Do",
                "description": "This issue won't be actioned."},
               {"id": "10002", "name": "Duplicate",
                "description": "The problem is a duplicate of an existing issue."})

LINK_TYPES = (
    ("10000", "Blocks", "is blocked by", "blocks"),
    ("10001", "Cloners", "is cloned by", "clones"),
    ("10002", "Duplicate", "is duplicated by", "duplicates"),
    ("10003", "Relates", "relates to", "relates to"),
)

ISSUE_TYPES = (
    IssueTypeDef("10000", "Epic", 1),
    IssueTypeDef("10001", "Task", 0),
    IssueTypeDef("10002", "Sub-task", -1),
    IssueTypeDef("10003", "Story", 0),
    IssueTypeDef("10004", "Bug", 0),
)


def _system(fid: str, name: str, type_: str, *, items: str | None = None,
            navigable: bool = True, operations: tuple[str, ...] = ("set",)) -> FieldDef:
    schema = {"type": type_, "system": fid}
    if items:
        schema["items"] = items
    return FieldDef(fid, name, schema, navigable, operations)


def _custom(fid: str, name: str, type_: str, custom: str) -> FieldDef:
    schema = {"type": type_, "custom": custom, "customId": int(fid.split("_")[1])}
    return FieldDef(fid, name, schema)


SYSTEM_FIELDS = (
    _system("summary", "Summary", "string"),
    _system("description", "Description", "string"),
    _system("issuetype", "Issue Type", "issuetype"),
    _system("project", "Project", "project"),
    _system("status", "Status", "status"),
    _system("resolution", "Resolution", "resolution"),
    _system("resolutiondate", "Resolved", "datetime"),
    _system("created", "Created", "datetime"),
    _system("updated", "Updated", "datetime"),
    _system("labels", "Labels", "array", items="string", operations=("add", "set", "remove")),
    _system("duedate", "Due date", "date"),
    _system("assignee", "Assignee", "user"),
    _system("reporter", "Reporter", "user"),
    _system("creator", "Creator", "user"),
    _system("parent", "Parent", "issuelink"),
    _system("subtasks", "Sub-tasks", "array", items="issuelinks"),
    _system("issuelinks", "Linked Issues", "array", items="issuelinks"),
    _system("comment", "Comment", "comments-page", navigable=False,
            operations=("add", "edit", "remove")),
)

COMMON_SCREEN = ("summary", "description", "labels", "duedate", "assignee", "reporter", TEAM)


@dataclass(frozen=True)
class Catalog:
    """The fixed metadata of one flavour: every lookup the API and validation need."""

    flavour: str
    fields: tuple[FieldDef, ...]
    issue_types: tuple[IssueTypeDef, ...]
    # issue type name -> field ids settable on create (besides project/type)
    screens: dict[str, tuple[str, ...]]
    required: dict[str, tuple[str, ...]]  # issue type name -> field ids required on create

    @property
    def cloud(self) -> bool:
        return self.flavour == CLOUD

    def field(self, ref: str) -> FieldDef | None:
        """A field by id or by (case-insensitive) name."""
        for f in self.fields:
            if f.id == ref or f.name.lower() == ref.lower():
                return f
        return None

    def issue_type(self, *, id: str | None = None, name: str | None = None) -> IssueTypeDef | None:
        for t in self.issue_types:
            if t.id == id or (name is not None and t.name.lower() == name.lower()):
                return t
        return None

    def type_of(self, name: str) -> IssueTypeDef:
        """The type of an issue the sandbox holds (it only makes issues of known types)."""
        found = self.issue_type(name=name)
        if found is None:
            raise KeyError(f"no issue type {name!r} in the sandbox")
        return found

    def known_field(self, ref: str) -> FieldDef:
        """A field the catalog itself names (a screen's, a required one)."""
        found = self.field(ref)
        if found is None:
            raise KeyError(f"no field {ref!r} in the sandbox")
        return found

    def create_screen(self, type_name: str) -> tuple[str, ...]:
        return self.screens[type_name]

    def edit_screen(self, type_name: str) -> tuple[str, ...]:
        # Data Center cannot move a sub-task to another parent by editing it.
        screen = self.screens[type_name]
        return screen if self.cloud else tuple(f for f in screen if f != "parent")


def status(name: str) -> StatusDef:
    for s in STATUSES:
        if s.name.lower() == name.lower():
            return s
    raise KeyError(f"no status {name!r}; the sandbox has {[s.name for s in STATUSES]}")


def catalog_for(flavour: str) -> Catalog:
    """The metadata of a Cloud or Data Center sandbox."""
    if flavour not in FLAVOURS:
        raise ValueError(f"flavour must be one of {FLAVOURS}, not {flavour!r}")
    team = _custom(TEAM, "Team", "string", TEXTFIELD)
    fields: tuple[FieldDef, ...]
    required: dict[str, tuple[str, ...]]
    if flavour == CLOUD:
        fields = SYSTEM_FIELDS + (team,)
        child = COMMON_SCREEN + ("parent",)
        screens = {"Epic": COMMON_SCREEN, "Task": child, "Story": child, "Bug": child,
                   "Sub-task": child}
        required = {t.name: ("summary",) for t in ISSUE_TYPES}
    else:
        fields = SYSTEM_FIELDS + (
            team,
            _custom(EPIC_LINK, "Epic Link", "any", "com.pyxis.greenhopper.jira:gh-epic-link"),
            _custom(EPIC_NAME, "Epic Name", "string", "com.pyxis.greenhopper.jira:gh-epic-label"),
        )
        story = COMMON_SCREEN + (EPIC_LINK,)
        screens = {"Epic": COMMON_SCREEN + (EPIC_NAME,), "Task": story, "Story": story,
                   "Bug": story, "Sub-task": COMMON_SCREEN + ("parent",)}
        required = {t.name: ("summary",) for t in ISSUE_TYPES}
        required["Epic"] = ("summary", EPIC_NAME)
    required["Sub-task"] = ("summary", "parent")
    return Catalog(flavour, fields, ISSUE_TYPES, screens, required)
