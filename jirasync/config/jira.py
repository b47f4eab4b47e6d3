"""``jira:``: the site, the project, issue types, labels, fields and the request limits."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from types import MappingProxyType
from urllib.parse import urlsplit

from jirasync.config.auth import Auth, read_auth
from jirasync.model import Labels
from jirasync.netloc import in_clear
from jirasync.schema import Section

ISSUE_TYPES = {"release": "Epic", "lesson": "Task", "action": "Sub-task"}
LABELS = MappingProxyType(asdict(Labels()))     # the defaults, by config key


@dataclass(frozen=True)
class JiraConfig:
    url: str
    flavour: str | None
    auth: Auth
    project: str
    issue_types: Mapping[str, str]
    labels: Mapping[str, str]
    fields: Mapping[str, object]
    timeout_s: float = 30
    max_requests_per_s: float = 10
    max_retry_s: float = 300
    allow_insecure_http: bool = False
    project_line: int | None = field(default=None, compare=False)   # for messages


def read_jira(s: Section | None) -> JiraConfig | None:
    if s is None:
        return None
    s.only(("url", "flavour", "auth", "project", "issue_types", "labels", "fields",
            "timeout_s", "max_requests_per_s", "max_retry_s", "allow_insecure_http"))
    url = s.text("url", required=True)
    insecure = s.flag("allow_insecure_http", default=False)
    if url and "@" in url:        # user:password@host; never echoed: it holds a secret
        s.fail("url", "has a user name or password in it (before '@'); remove them: "
                      "the token goes in jira.auth")
    elif url and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", url):
        s.fail("url", f"'{url}' is not a web address like https://example.atlassian.net")
    elif url and in_clear(url) and not insecure:
        s.fail("url", f"{url} would send the token in clear over the network; use "
                      "https://, or set jira.allow_insecure_http: true if you must")
    elif url:
        _check_host(s, url)
    project = s.text("project", required=True)
    if project and not re.fullmatch(r"[A-Z][A-Z0-9_]{1,9}", project):
        s.fail("project", f"'{project}' is not a Jira project key (capitals, e.g. DCR)")
    labels = _read_names(s.section("labels"), LABELS, label=True)
    return JiraConfig(
        url=(url or "").rstrip("/"), project=project or "",
        project_line=s.doc.line_of("project"),
        flavour=s.choice("flavour", ("cloud", "datacenter"), default=None),
        auth=read_auth(s.section("auth", required=True), s),
        issue_types=_read_names(s.section("issue_types"), ISSUE_TYPES),
        labels=labels, fields=_read_fields(s.section("fields")),
        timeout_s=s.number("timeout_s", default=30, minimum=1, maximum=600),
        max_requests_per_s=s.number("max_requests_per_s", default=10, minimum=0.1,
                                    maximum=1000),
        max_retry_s=s.number("max_retry_s", default=300, minimum=0, maximum=86400),
        allow_insecure_http=insecure)


def _check_host(s: Section, url: str) -> None:
    try:
        urlsplit(url).port  # noqa: B018 (reading .port validates it)
    except ValueError as e:
        why = ("its port must be a number from 1 to 65535" if "port" in str(e).lower()
               else "it has a '[' or ']' out of place (brackets only surround IPv6 "
                    "addresses)")
        s.fail("url", f"'{url}' is not a web address: {why}")


LABEL_MAX = 255      # Jira refuses a longer label when the first issue is created


def _read_names(s: Section | None, defaults: Mapping[str, str], *,
                label: bool = False) -> Mapping[str, str]:
    if s is None:
        return MappingProxyType(dict(defaults))
    s.only(tuple(defaults))
    out: dict[str, str] = {}
    for name, default in defaults.items():
        value = s.text(name, default=default, required=name in s.doc)
        if value is None:
            value = default
        elif label and re.search(r'[\s"\\]', value):
            s.fail(name, f"'{value}': a label cannot contain spaces (Jira) or quotes and "
                         "backslashes (jirasync searches by label)")
        elif label and len(value.encode("utf-16-le")) // 2 > LABEL_MAX:
            s.fail(name, f"is {len(value)} characters; a Jira label holds at most {LABEL_MAX}")
        elif label and value in out.values():
            other = next(k for k, v in out.items() if v == value)
            s.fail(name, f"'{value}' is also the {other} label; each label must differ")
        out[name] = value
    return MappingProxyType(out)


def _read_fields(s: Section | None) -> Mapping[str, object]:
    return MappingProxyType(dict(s.doc)) if s is not None else MappingProxyType({})
