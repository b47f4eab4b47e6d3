"""The workflows a sandbox issue may follow, as ``GET``/``POST /issue/{key}/transitions``
show them. Jira's words: a transition lists the fields of its screen when asked with
``expand=transitions.fields``; a field that is not on the transition's screen "cannot be
set"; a required one that is missing is refused (400, Jira's ErrorCollection).

- ``simple`` (the default): any status to any other, no screens; moving into Done sets
  the resolution Done (the post function of Jira's default workflows).
- ``no-done``: the Done status cannot be reached from here (no such transition offered).
- ``resolution-screen``: the transition into Done shows a screen whose resolution field is
  required; Jira sets the resolution the request names.
- ``validator``: the transition into Done is offered but a workflow validator refuses it
  (400, the validator's message in ``errorMessages``), as a condition checked only on
  the move does.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .catalog import RESOLUTIONS, STATUSES, StatusDef, status
from .model import Issue
from .replies import NOT_ON_SCREEN, invalid_payload

RESOLUTION_REQUIRED = "Resolution is required."
VALIDATOR = "Only the sub-tasks' owners may close this issue: their sub-tasks are open."


@dataclass(frozen=True)
class Workflow:
    name: str
    done: bool = True                   # a transition into the Done category is offered
    resolution_screen: bool = False     # that transition's screen asks for the resolution
    refuses: str | None = None          # a validator's message refusing the move into Done


WORKFLOWS = {w.name: w for w in (Workflow("simple"), Workflow("no-done", done=False),
                                 Workflow("resolution-screen", resolution_screen=True),
                                 Workflow("validator", refuses=VALIDATOR))}


def targets(workflow: Workflow, issue: Issue) -> list[StatusDef]:
    """The statuses the issue can move to now."""
    here = status(issue.status).name
    return [s for s in STATUSES if s.name != here and (workflow.done or s.category != "done")]


def screen(workflow: Workflow, target: StatusDef, url: Any) -> dict[str, Any]:
    """The fields of the transition's screen, as ``expand=transitions.fields`` lists them."""
    if not (workflow.resolution_screen and target.category == "done"):
        return {}
    return {"resolution": {
        "required": True, "name": "Resolution", "key": "resolution",
        "schema": {"type": "resolution", "system": "resolution"}, "operations": ["set"],
        "allowedValues": [{"self": url(f"resolution/{r['id']}"), **r}
                          for r in RESOLUTIONS]}}


def check_fields(workflow: Workflow, target: StatusDef, fields: Any,
                 errors: dict[str, str]) -> str | None:
    """The resolution the transition sets (None: none), with what Jira refuses in
    ``errors``."""
    if not isinstance(fields, dict):
        raise invalid_payload()
    on_screen = workflow.resolution_screen and target.category == "done"
    for fid in fields:
        if fid != "resolution" or not on_screen:
            errors[fid] = NOT_ON_SCREEN.format(fid)
    if not on_screen:
        return "Done" if target.category == "done" else None
    value = fields.get("resolution")
    if value is None:
        errors["resolution"] = RESOLUTION_REQUIRED
        return None
    names = {r["name"] for r in RESOLUTIONS}
    name = value.get("name") if isinstance(value, dict) else None
    if name not in names:
        errors["resolution"] = "Could not find valid 'id' or 'name' in resolution object."
        return None
    return str(name)
