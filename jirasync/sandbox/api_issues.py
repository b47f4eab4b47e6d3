"""Issue resources: create (single and bulk), get, edit, assign, transition."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import fields as F
from .model import Issue
from .permissions import holds
from .render import Renderer, select_fields
from .replies import ApiError, Reply, bad_request, error_body, invalid_payload
from .workflows import check_fields, screen, targets
from .writes import moved, plan_comments, plan_create, plan_edit, plan_properties

if TYPE_CHECKING:
    from .instance import Instance
    from .request import ApiRequest

MAX_BULK = 50
UNASSIGNED = (None, "-1")


def create(inst: Instance, req: ApiRequest) -> Reply:
    issue = plan_create(inst, req.json(), req.actor)
    inst.store.add(issue)
    return Reply(201, _created(inst, issue))


def bulk_create(inst: Instance, req: ApiRequest) -> Reply:
    """Each element succeeds or fails on its own; all failed answers 400."""
    updates = req.json_object().get("issueUpdates")
    if not isinstance(updates, list):
        raise invalid_payload()
    if len(updates) > MAX_BULK:
        too_many = error_body([(f"Bulk create accepts at most {MAX_BULK} issues; this request "
                                f"has {len(updates)}.")])
        return Reply(400, {"issues": [], "errors": [
            {"status": 400, "elementErrors": too_many, "failedElementNumber": n}
            for n in range(len(updates))]})
    issues, errors = [], []
    for number, update in enumerate(updates):
        try:
            issue = plan_create(inst, update, req.actor)
        except ApiError as e:
            errors.append({"status": e.status, "elementErrors": error_body(e.messages, e.errors),
                           "failedElementNumber": number})
            continue
        inst.store.add(issue)
        issues.append(_created(inst, issue))
    return Reply(201 if issues or not errors else 400, {"issues": issues, "errors": errors})


def get_issue(inst: Instance, req: ApiRequest) -> Reply:
    issue = inst.issue(req.params["issue"])
    fields = select_fields(inst, req.args("fields"), "*all")
    return Reply(200, Renderer(inst).issue(issue, fields, tuple(req.args("properties"))))


def edit(inst: Instance, req: ApiRequest) -> Reply:
    issue = inst.issue(req.params["issue"])
    edited = plan_edit(inst, issue, req.json(), req.actor)
    if edited is not issue:
        inst.store.replace(edited)
    return Reply(204)


def assign(inst: Instance, req: ApiRequest) -> Reply:
    """Cloud takes ``{"accountId"}``, Data Center ``{"name"}``; null or "-1" unassigns."""
    issue = inst.issue(req.params["issue"])
    body = req.json_object()
    id_key = "accountId" if inst.cloud else "name"
    try:
        user_id = None if id_key in body and body[id_key] in UNASSIGNED else F.assignee(inst, body)
    except F.FieldError as e:
        raise bad_request(errors={"assignee": str(e)}) from None
    if user_id != issue.assignee:
        inst.store.replace(issue.but(assignee=user_id, updated=inst.now()))
    return Reply(204)


def transitions(inst: Instance, req: ApiRequest) -> Reply:
    """The transitions the issue's workflow offers now; ``expand=transitions.fields``
    adds each one's screen fields."""
    issue = inst.issue(req.params["issue"])
    wanted = req.arg("transitionId")
    expand = "transitions.fields" in req.args("expand")
    workflow = inst.workflow(issue.key)
    renderer = Renderer(inst)
    out = []
    # Those "that can be performed by the user": none without Transition issues.
    allowed = holds(inst, "TRANSITION_ISSUES")
    for s in targets(workflow, issue) if allowed else ():
        if wanted not in (None, s.transition_id):
            continue
        fields = screen(workflow, s, inst.url)
        entry = {"id": s.transition_id, "name": s.name, "to": renderer.status(s.name),
                 "hasScreen": bool(fields), "isGlobal": True, "isInitial": False,
                 "isAvailable": True, "isConditional": False, "isLooped": False}
        if expand:
            entry["fields"] = fields
        out.append(entry)
    return Reply(200, {"expand": "transitions", "transitions": out})


def transition(inst: Instance, req: ApiRequest) -> Reply:
    """Move the issue: the fields of the transition's screen, comments (``update``) and
    issue properties, all in one change or none."""
    issue = inst.issue(req.params["issue"])
    body = req.json_object()
    ref = body.get("transition")
    wanted = str(ref.get("id")) if isinstance(ref, dict) else None
    workflow = inst.workflow(issue.key)
    target = next((s for s in targets(workflow, issue) if s.transition_id == wanted), None)
    if target is None:
        raise bad_request(f"Transition id '{wanted}' is not valid for this issue.")
    errors: dict[str, str] = {}
    resolution = check_fields(workflow, target, body.get("fields") or {}, errors)
    comments = plan_comments(inst, body.get("update"), req.actor, errors)
    props = plan_properties(body.get("properties"), errors)
    if errors:
        raise bad_request(errors=errors)
    if workflow.refuses and target.category == "done":
        raise bad_request(workflow.refuses)
    moved_issue = moved(inst, issue, target, resolution or "Done")
    inst.store.replace(moved_issue.but(comments=issue.comments + comments,
                                       properties={**issue.properties, **props}))
    return Reply(204)


def _created(inst: Instance, issue: Issue) -> dict[str, Any]:
    return {"id": str(issue.id), "key": issue.key, "self": inst.url(f"issue/{issue.id}")}
