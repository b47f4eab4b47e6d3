"""Clients of a sandbox, as jirasync would build them, and small builders for tests."""
from __future__ import annotations

import jira
import requests

from jirasync.sandbox import Sandbox
from jirasync.sandbox.catalog import EPIC_LINK, EPIC_NAME

EMAIL, TOKEN, PAT = "pmo-bot@example.org", "sandbox-token", "sandbox-pat"


def client(sb: Sandbox, **options) -> jira.JIRA:
    """The real ``jira`` library, authenticated the flavour's way; no retries, no waits."""
    auth = ({"basic_auth": (EMAIL, TOKEN)} if sb.flavour == "cloud" else {"token_auth": PAT})
    return jira.JIRA(server=sb.url, max_retries=0, timeout=10, get_server_info=True,
                     **(auth | options))


def session(sb: Sandbox) -> requests.Session:
    """A plain requests session with the bot's credentials."""
    s = requests.Session()
    if sb.flavour == "cloud":
        s.auth = (EMAIL, TOKEN)
    else:
        s.headers["Authorization"] = f"Bearer {PAT}"
    s.headers["Content-Type"] = "application/json"
    return s


def api(sb: Sandbox, path: str) -> str:
    return f"{sb.url}/rest/api/2/{path}"


def user_ref(sb: Sandbox, email: str) -> dict:
    """How a request body names a user on this flavour."""
    user = sb.user(email)
    return {"accountId": user.account_id} if sb.flavour == "cloud" else {"name": user.name}


def epic_fields(sb: Sandbox, summary: str = "Lessons learnt: DCR Release 4.2", **extra) -> dict:
    fields = {"project": {"key": "DCR"}, "issuetype": {"name": "Epic"}, "summary": summary,
              "labels": ["lessons-learnt", "release-4-2"]}
    if sb.flavour == "datacenter":
        fields[EPIC_NAME] = summary
    return fields | extra


def lesson_fields(sb: Sandbox, epic: str, summary: str = "Partners turned feeds off late",
                  **extra) -> dict:
    """A lesson under its release epic: Cloud's parent, Data Center's Epic Link."""
    fields = {"project": {"key": "DCR"}, "issuetype": {"name": "Task"}, "summary": summary,
              "labels": ["lessons-learnt", "release-4-2", "ll-improve"]}
    fields |= {"parent": {"key": epic}} if sb.flavour == "cloud" else {EPIC_LINK: epic}
    return fields | extra


def action_fields(lesson: str, summary: str = "Add feed shutdown to the checklist",
                  **extra) -> dict:
    return {"project": {"key": "DCR"}, "issuetype": {"name": "Sub-task"}, "summary": summary,
            "parent": {"key": lesson}, "labels": ["lessons-learnt", "ll-action"]} | extra
