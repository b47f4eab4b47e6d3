"""Project properties: what jirasync keeps about a whole project (its lease, its record of
recent creates). PUT answers 201 when it created the property and 200 when it replaced
one, as Jira does: that difference is what a lease is built on."""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from .api_meta import check_project
from .replies import ApiError, Reply, bad_request, not_found
from .writes import property_error

if TYPE_CHECKING:
    from .instance import Instance
    from .request import ApiRequest


def _admin(inst: Instance) -> None:
    if not inst.bot_administers:
        raise ApiError(403, "You do not have permission to administer this project.")


def property_keys(inst: Instance, req: ApiRequest) -> Reply:
    project = req.params["project"]
    check_project(inst, project)
    return Reply(200, {"keys": [{"self": inst.url(f"project/{project}/properties/{k}"), "key": k}
                                for k in inst.project_properties]})


def get_property(inst: Instance, req: ApiRequest) -> Reply:
    check_project(inst, req.params["project"])
    key = req.params["property"]
    if key not in inst.project_properties:
        raise not_found(f"The property with key '{key}' does not exist.")
    return Reply(200, {"key": key, "value": copy.deepcopy(inst.project_properties[key])})


def set_property(inst: Instance, req: ApiRequest) -> Reply:
    check_project(inst, req.params["project"])
    _admin(inst)
    key, value = req.params["property"], req.json()
    if problem := property_error(key, value):
        raise bad_request(problem)
    created = key not in inst.project_properties
    inst.project_properties[key] = value
    return Reply(201 if created else 200)


def delete_property(inst: Instance, req: ApiRequest) -> Reply:
    check_project(inst, req.params["project"])
    _admin(inst)
    key = req.params["property"]
    if inst.project_properties.pop(key, None) is None:
        raise not_found(f"The property with key '{key}' does not exist.")
    return Reply(204)
