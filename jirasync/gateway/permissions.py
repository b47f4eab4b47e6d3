"""Which permissions Jira says the bot holds (``GET /mypermissions``)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from jirasync.gateway.failures import Call
from jirasync.gateway.transport import Transport


def my_permissions(transport: Transport, keys: Iterable[str], *,
                   project: str | None = None) -> dict[str, bool]:
    """``{key: havePermission}`` for the permission keys Jira reported on; a project
    permission is answered for ``project`` (else: in any project), a global one as is.
    A key Jira left out of its answer is left out here too."""
    wanted = list(dict.fromkeys(keys))
    params = {"permissions": ",".join(wanted)}
    if project:
        params["projectKey"] = project
    call = Call("permissions", "the check of the bot's permissions", safe=True)
    data = transport.json(call, "GET", "mypermissions", params=params)
    found = data.get("permissions") if isinstance(data, Mapping) else None
    if not isinstance(found, Mapping):
        return {}
    return {key: found[key]["havePermission"] for key in wanted
            if isinstance(found.get(key), Mapping)
            and isinstance(found[key].get("havePermission"), bool)}
