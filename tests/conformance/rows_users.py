"""Users: finding an owner by email, account id (Cloud) or username (Data Center)."""
from __future__ import annotations

from typing import Any

from jirasync.sandbox import Sandbox, SandboxUser
from tests.conformance.table import CLOUD, DATACENTER, DC_DOCS, DC_READING, Row
from tests.sandbox.clients import api, session

SEARCH = "GET /rest/api/2/user/search"
ASSIGNABLE = "GET /rest/api/2/user/assignable/search"
HIDDEN = SandboxUser("5b10ac8d82e05b22cc7d4e55", "nina.patel", "nina.patel@example.org",
                     "Nina Patel", email_hidden=True)


def _get(sb: Sandbox, path: str, **params: Any) -> list[dict]:
    answer = session(sb).get(api(sb, path), params=params)
    assert answer.status_code == 200, answer.text
    found: list[dict] = answer.json()
    return found


def _names(users: list[dict]) -> list[str]:
    return [u["displayName"] for u in users]


def query_matches_prefixes(sb: Sandbox) -> None:
    assert _names(_get(sb, "user/search", query="sam.jo")) == ["Sam Jones"]
    assert _names(_get(sb, "user/search", query="Priya")) == ["Priya Shah"]
    assert _names(_get(sb, "user/search", query="okafor")) == ["Tom Okafor"]
    assert _get(sb, "user/search", query="nobody") == []
    # Cloud has no usernames: the part of an address before '@' is matched as an address
    assert _get(sb, "user/search", query="tom.okafor@example.org")[0]["accountId"] == \
        sb.user_id("tom.okafor@example.org")


def hidden_email_not_found_by_it(sb: Sandbox) -> None:
    sb.add_user(HIDDEN)
    assert _get(sb, "user/search", query=HIDDEN.email) == []
    assert _get(sb, "user/search", query="nina.patel") == []
    (nina,) = _get(sb, "user/search", query="Nina Patel")
    assert nina["accountId"] == HIDDEN.account_id and "emailAddress" not in nina


def account_id_exact(sb: Sandbox) -> None:
    sam = sb.user_id("sam.jones@example.org")
    assert [u["accountId"] for u in _get(sb, "user/search", accountId=sam)] == [sam]
    assert _get(sb, "user/search", accountId=sam[:-1]) == []


def only_active_users(sb: Sandbox) -> None:
    sam = sb.user_id("sam.jones@example.org")
    sb.deactivate_user("sam.jones@example.org")
    assert _get(sb, "user/search", query="Sam Jones") == []
    assert _get(sb, "user/search", accountId=sam) == []


def nobody_without_browse_users(sb: Sandbox) -> None:
    sb.withhold("USER_PICKER")
    assert _get(sb, "user/search", query="Sam") == []


def username_email_or_name(sb: Sandbox) -> None:
    for text in ("sam.jones", "sam.jones@example.org", "Sam Jones"):
        assert [u["name"] for u in _get(sb, "user/search", username=text)] == ["sam.jones"]
    assert _get(sb, "user/search", username="nobody") == []


def datacenter_shows_every_email(sb: Sandbox) -> None:
    sb.add_user(HIDDEN)
    (nina,) = _get(sb, "user/search", username=HIDDEN.email)
    assert nina["name"] == "nina.patel" and nina["emailAddress"] == HIDDEN.email


def assignable_account_id(sb: Sandbox) -> None:
    sam = sb.user_id("sam.jones@example.org")
    found = _get(sb, "user/assignable/search", project="DCR", accountId=sam)
    assert [u["accountId"] for u in found] == [sam]


def assignable_hides_email(sb: Sandbox) -> None:
    sb.add_user(HIDDEN)
    listed = {u["accountId"]: u for u in _get(sb, "user/assignable/search", project="DCR")}
    assert "emailAddress" not in listed[HIDDEN.account_id]
    assert listed[sb.user_id("sam.jones@example.org")]["emailAddress"] == \
        "sam.jones@example.org"


def assignable_needs_a_project_or_issue(sb: Sandbox) -> None:
    assert session(sb).get(api(sb, "user/assignable/search")).status_code == 400
    assert len(_get(sb, "user/assignable/search", project="DCR")) == 8


def assignable_with_either_permission(sb: Sandbox) -> None:
    sb.withhold("USER_PICKER")          # the bot still holds Assign issues
    assert len(_get(sb, "user/assignable/search", project="DCR")) == 8


def assignable_username_and_page_cap(sb: Sandbox) -> None:
    for n in range(120):
        sb.add_user(SandboxUser(f"acc-{n}", f"user{n}", f"user{n}@example.org", f"User {n}"))
    assert [u["name"] for u in _get(sb, "user/assignable/search", project="DCR",
                                    username="sam.jones")] == ["sam.jones"]
    assert len(_get(sb, "user/assignable/search", project="DCR", maxResults=1000)) == 100


ROWS = [
    Row(SEARCH, "query", "A query string that is matched against user attributes ( "
        "`displayName`, and `emailAddress`) to find relevant users. The string can match the "
        "prefix of the attribute's value.", query_matches_prefixes, (CLOUD,)),
    Row(SEARCH, "(operation)", "Privacy controls are applied to the response based on the "
        "users' preferences. This could mean, for example, that the user's email address is "
        "hidden.", hidden_email_not_found_by_it, (CLOUD,)),
    Row(SEARCH, "accountId", "A query string that is matched exactly against a user "
        "`accountId`.", account_id_exact, (CLOUD,)),
    Row(SEARCH, "(operation)", "Returns a list of active users that match the search string "
        "and property.", only_active_users, (CLOUD,)),
    Row(SEARCH, "(operation)", "Anonymous calls or calls by users without the required "
        "permission return empty search results.", nobody_without_browse_users, (CLOUD,)),
    Row(SEARCH, "username", "A query string used to search username, name or e-mail "
        "address.", username_email_or_name, (DATACENTER,), DC_DOCS),
    Row(SEARCH, "emailAddress", "Data Center has no per-user privacy setting: every user's "
        "emailAddress is shown and found", datacenter_shows_every_email, (DATACENTER,),
        DC_READING),
    Row(ASSIGNABLE, "accountId", "A query string that is matched exactly against user "
        "`accountId`.", assignable_account_id, (CLOUD,)),
    Row(ASSIGNABLE, "(operation)", "Privacy controls are applied to the response based on the "
        "users' preferences. This could mean, for example, that the user's email address is "
        "hidden.", assignable_hides_email, (CLOUD,)),
    Row(ASSIGNABLE, "project", "The project ID or project key (case sensitive). Required, "
        "unless `issueKey` or `issueId` is specified.", assignable_needs_a_project_or_issue),
    Row(ASSIGNABLE, "(operation)", "*Browse users and groups* global permission or *Assign "
        "issues* project permission", assignable_with_either_permission),
    Row(ASSIGNABLE, "username", "Data Center's assignable search matches `username` as its "
        "user search does, and gives at most 100 users a page", assignable_username_and_page_cap,
        (DATACENTER,), DC_READING),
]
