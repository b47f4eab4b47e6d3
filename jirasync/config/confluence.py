"""``confluence:``: where ``publish`` writes the Lessons Report pages (optional section)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jirasync.config.auth import Auth, read_auth
from jirasync.config.jira import JiraConfig
from jirasync.errors import ConfigError, Problem
from jirasync.netloc import in_clear
from jirasync.schema import Section

if TYPE_CHECKING:        # jirasync.config imports this module
    from jirasync.config import Config


@dataclass(frozen=True)
class ConfluenceConfig:
    url: str                       # Confluence's address: Cloud's ends in /wiki
    flavour: str                   # cloud | datacenter
    space: str                     # the space key
    parent_page: str               # the title (or numeric id) of the page they go under
    auth: Auth                     # Jira's on Cloud unless given
    allow_insecure_http: bool = False


def read_confluence(s: Section | None, jira: JiraConfig | None) -> ConfluenceConfig | None:
    if s is None:
        return None
    s.only(("url", "flavour", "space", "parent_page", "auth", "allow_insecure_http"))
    cloud_jira = jira is not None and (jira.flavour == "cloud" or (
        jira.flavour is None and ".atlassian.net" in jira.url))
    default_url = f"{jira.url}/wiki" if jira is not None and cloud_jira else None
    url = s.text("url", default=default_url)
    insecure = s.flag("allow_insecure_http", default=False)
    if not url:
        s.fail("url", "is required unless Jira is on Cloud (then Jira's site + /wiki)")
    elif "@" in url:
        s.fail("url", "has a user name or password in it (before '@'); remove them")
    elif not re.fullmatch(r"https?://[^\s/]+(/\S*)?", url):
        s.fail("url", f"'{url}' is not a web address like https://example.atlassian.net/wiki")
    elif in_clear(url) and not insecure:
        s.fail("url", f"{url} would send the token in clear; use https://, or set "
                      "confluence.allow_insecure_http: true if you must")
    url = (url or "").rstrip("/")
    on_cloud = bool(re.fullmatch(r"https?://[^/]+\.atlassian\.net(/.*)?", url))
    if on_cloud and not url.endswith("/wiki"):
        # Jira's own address pasted here, or a typo: sent to Data Center's settings
        # otherwise, where nothing is wrong.
        site = re.sub(r"(\.atlassian\.net).*", r"\1", url)
        s.fail("url", f"Confluence Cloud's address is the site's followed by /wiki: "
                      f"{site}/wiki")
    flavour = s.choice("flavour", ("cloud", "datacenter"),
                       default="cloud" if url.endswith("/wiki") or on_cloud else "datacenter")
    space = s.text("space", required=True) or ""
    if space and not re.fullmatch(r"~?[A-Za-z0-9_]{1,255}", space):
        s.fail("space", f"'{space}' is not a Confluence space key (letters and digits)")
    parent = s.text("parent_page", required=True) or ""
    given = s.section("auth")
    if given is not None:
        auth = read_auth(given, s)
    elif jira is not None and flavour == "cloud":
        auth = jira.auth
    else:
        s.fail("auth", "is required for Confluence Data Center (type: pat and its token); "
                       "on Cloud it defaults to jira.auth")
        auth = jira.auth if jira is not None else read_auth(None, s)
    return ConfluenceConfig(url=url, flavour=flavour or "cloud", space=space,
                            parent_page=parent, auth=auth, allow_insecure_http=insecure)


def confluence_of(config: Config) -> ConfluenceConfig:
    """The config's ``confluence:`` section; a ConfigError saying so when it has none."""
    if config.confluence is None:
        raise ConfigError([Problem(str(config.path), None, "confluence",
                                   "publish needs a confluence: section (url, space, "
                                   "parent_page); see docs/configure.md")])
    return config.confluence
