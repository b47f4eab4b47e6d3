"""What a Jira site is made of: projects, their issue types, create screens, field ids.

None of it changes during a run, so every answer is cached for the gateway's lifetime.
"""
from __future__ import annotations

from typing import Any

from jirasync.errors import JiraError
from jirasync.gateway.failures import Call
from jirasync.gateway.limits import CREATE_SCREEN_PAGE
from jirasync.gateway.reading import Answer
from jirasync.gateway.transport import Transport
from jirasync.gateway.types import CreateField

# Jira Software's fields on Data Center, by their type: names are translated.
SOFTWARE = {"Epic Link": "com.pyxis.greenhopper.jira:gh-epic-link",
            "Epic Name": "com.pyxis.greenhopper.jira:gh-epic-label"}


class Catalog:
    def __init__(self, transport: Transport):
        self._t = transport
        self._projects: dict[str, dict[str, Any]] = {}
        self._field_list: list[dict[str, str]] | None = None
        self._field_ids: dict[str, str] = {}

    def project(self, key: str) -> dict[str, Any]:
        """Jira's project JSON (key, name, issueTypes with id, name and subtask)."""
        if key not in self._projects:
            call = Call("meta", f"the lookup of project {key}", safe=True)
            project = Answer.of(self._t.json(call, "GET", f"project/{key}"), call)
            self._projects[key] = {
                "key": project.text("key") or key, "name": project.text("name") or "",
                "issueTypes": [{"id": t.ident("id", required=True),
                                "name": t.text("name", required=True),
                                "subtask": t.flag("subtask")}
                               for t in project.objects("issueTypes")]}
        return self._projects[key]

    def issue_type(self, project: str, name: str) -> dict[str, Any]:
        """The project's issue type called ``name`` (case-insensitive)."""
        types = self.project(project).get("issueTypes", ())
        for itype in types:
            if itype["name"].casefold() == name.casefold():
                found: dict[str, Any] = itype
                return found
        known = ", ".join(t["name"] for t in types)
        raise JiraError(f"project {project} has no issue type '{name}' "
                            f"(it has: {known}); check jira.issue_types")

    def create_fields(self, project: str, issue_type_name: str) -> list[CreateField]:
        type_id = self.issue_type(project, issue_type_name)["id"]
        call = Call("meta", f"the create screen of {issue_type_name} in {project}", safe=True)
        fields: list[CreateField] = []
        start = 0
        while True:
            page = Answer.of(self._t.json(
                call, "GET", f"issue/createmeta/{project}/issuetypes/{type_id}",
                params={"startAt": start, "maxResults": CREATE_SCREEN_PAGE}), call)
            # Cloud names the list "fields" (its spec also allows "results"), DC "values".
            items = page.objects("fields") or page.objects("values") or page.objects("results")
            fields += [_create_field(f) for f in items]
            start += len(items)
            if not items or page.flag("isLast") or start >= (page.number("total") or 0):
                return fields

    def field_id(self, name: str) -> str:
        """The id of a field given its display name (case-insensitive) or its id."""
        if name not in self._field_ids:
            self._field_ids[name] = self._lookup_field(name)
        return self._field_ids[name]

    def epic_link_id(self) -> str | None:
        """Jira Software's Epic Link field on Data Center, None without Jira Software.
        A failure to read the field list is raised, never taken for "no such field"."""
        if not self._ids_of("Epic Link"):
            return None
        return self.field_id("Epic Link")

    def _fields(self) -> list[dict[str, str]]:
        """Every field: its id, name and (for custom fields) custom type."""
        if self._field_list is None:
            call = Call("meta", "the list of fields", safe=True)
            self._field_list = [
                {"id": f.text("id", required=True), "name": f.text("name") or "",
                 "custom": f.section("schema").text("custom") or ""}
                for f in Answer.items(self._t.json(call, "GET", "field"), call)]
        return self._field_list

    def _ids_of(self, name: str) -> list[str]:
        """Ids of the fields called ``name``: Jira Software's own fields by their type
        (their display names are translated on localised sites), others by name."""
        fields = self._fields()
        if name in SOFTWARE:
            typed = sorted({f["id"] for f in fields if f["custom"] == SOFTWARE[name]})
            if typed:
                return typed
        return sorted({f["id"] for f in fields
                       if f["name"].casefold() == name.casefold()})

    def _lookup_field(self, name: str) -> str:
        if any(f["id"] == name for f in self._fields()):
            return name
        ids = self._ids_of(name)
        if len(ids) == 1:
            return ids[0]
        if not ids:
            raise JiraError(f"Jira has no field named '{name}'; use the name "
                                "shown on the issue screen, or the field id")
        raise JiraError(f"Jira has {len(ids)} fields named '{name}' "
                            f"({', '.join(ids)}); use the field id instead")


def _create_field(field: Answer) -> CreateField:
    field_id = field.text("fieldId") or field.text("key")
    if not field_id:
        raise field.lacks("fieldId")
    return CreateField(id=field_id, name=field.text("name") or "",
                       required=field.flag("required"),
                       has_default=field.flag("hasDefaultValue"))
