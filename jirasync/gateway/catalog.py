"""What a Jira site is made of: projects, their issue types, create screens, field ids.

None of it changes during a run, so every answer is cached for the gateway's lifetime.
"""
from __future__ import annotations

from typing import Any

from jirasync.errors import JiraError
from jirasync.gateway.failures import Call
from jirasync.gateway.limits import CREATE_SCREEN_PAGE
from jirasync.gateway.transport import Transport
from jirasync.gateway.types import CreateField

# Jira Software's fields on Data Center, by their type: names are translated.
SOFTWARE = {"Epic Link": "com.pyxis.greenhopper.jira:gh-epic-link",
            "Epic Name": "com.pyxis.greenhopper.jira:gh-epic-label"}


class Catalog:
    def __init__(self, transport: Transport):
        self._t = transport
        self._projects: dict[str, dict[str, Any]] = {}
        self._field_list: list[dict[str, Any]] | None = None
        self._field_ids: dict[str, str] = {}

    def project(self, key: str) -> dict[str, Any]:
        """Jira's project JSON (key, name, issueTypes with id, name and subtask)."""
        if key not in self._projects:
            call = Call("meta", f"the lookup of project {key}", safe=True)
            self._projects[key] = self._t.json(call, "GET", f"project/{key}") or {}
        return self._projects[key]

    def issue_type(self, project: str, name: str) -> dict[str, Any]:
        """The project's issue type called ``name`` (case-insensitive)."""
        types = self.project(project).get("issueTypes", ())
        for itype in types:
            if itype.get("name", "").casefold() == name.casefold():
                found: dict[str, Any] = itype
                return found
        known = ", ".join(t.get("name", "") for t in types)
        raise JiraError(f"project {project} has no issue type '{name}' "
                            f"(it has: {known}); check jira.issue_types")

    def create_fields(self, project: str, issue_type_name: str) -> list[CreateField]:
        type_id = self.issue_type(project, issue_type_name)["id"]
        call = Call("meta", f"the create screen of {issue_type_name} in {project}", safe=True)
        fields: list[CreateField] = []
        start = 0
        while True:
            page = self._t.json(call, "GET", f"issue/createmeta/{project}/issuetypes/{type_id}",
                                params={"startAt": start, "maxResults": CREATE_SCREEN_PAGE}) or {}
            # Cloud names the list "fields" (its spec also allows "results"), DC "values".
            items = page.get("fields") or page.get("values") or page.get("results") or []
            fields += [CreateField(id=f.get("fieldId") or f.get("key"), name=f.get("name", ""),
                                   required=bool(f.get("required")),
                                   has_default=bool(f.get("hasDefaultValue")))
                       for f in items]
            start += len(items)
            if not items or page.get("isLast") or start >= page.get("total", 0):
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

    def _fields(self) -> list[dict[str, Any]]:
        if self._field_list is None:
            call = Call("meta", "the list of fields", safe=True)
            self._field_list = self._t.json(call, "GET", "field") or []
        return self._field_list

    def _ids_of(self, name: str) -> list[str]:
        """Ids of the fields called ``name``: Jira Software's own fields by their type
        (their display names are translated on localised sites), others by name."""
        fields = self._fields()
        if name in SOFTWARE:
            typed = sorted({f["id"] for f in fields
                            if (f.get("schema") or {}).get("custom") == SOFTWARE[name]})
            if typed:
                return typed
        return sorted({f["id"] for f in fields
                       if str(f.get("name", "")).casefold() == name.casefold()})

    def _lookup_field(self, name: str) -> str:
        if any(f.get("id") == name for f in self._fields()):
            return name
        ids = self._ids_of(name)
        if len(ids) == 1:
            return ids[0]
        if not ids:
            raise JiraError(f"Jira has no field named '{name}'; use the name "
                                "shown on the issue screen, or the field id")
        raise JiraError(f"Jira has {len(ids)} fields named '{name}' "
                            f"({', '.join(ids)}); use the field id instead")
