"""The sandbox's JQL: every supported field, operator, value form and function, ORDER BY,
and Jira's wording for what it refuses. Time is ``NOW``; nothing sleeps."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from jirasync.errors import JirasyncError
from jirasync.sandbox.jql import JqlContext, JqlError, parse
from jirasync.sandbox.jql_fields import FIELDS, Kind

NOW = datetime(2026, 3, 10, 10, 30, tzinfo=UTC)


def at(day: str, clock: str = "09:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=UTC)


def issue(key: str, id: int, *, summary: str, created: datetime, **kw) -> dict:
    """A row as the sandbox store hands it to the JQL engine; ``epic_link`` is "epic link"."""
    row = {"project": key.split("-")[0], "key": key, "id": id, "issuetype": "Task",
           "parent": None, "epic link": None, "labels": [], "status": "To Do",
           "statuscategory": "To Do", "resolution": None, "assignee": None, "reporter": "pmo",
           "duedate": None, "created": created, "updated": created, "resolutiondate": None,
           "summary": summary, "description": None}
    row.update({name.replace("_", " "): value for name, value in kw.items()})
    return row


LESSON = ["lessons-learnt", "release-4-2"]
ROWS = [  # deliberately not in key order
    issue("OPS-2", 20002, summary="Pager rota lessons", created=at("2025-12-31", "17:00"),
          labels=["Lessons-Learnt"], epic_link="DCR-1", status="Backlog", assignee="pmo",
          reporter=None, updated=at("2026-01-02", "08:00"),
          description="On-call rota was unclear over the holidays."),
    issue("DCR-12", 10012, summary="Tidy the wiki", created=at("2026-03-09", "23:30"),
          reporter="sam", duedate=date(2026, 3, 20), description="Unrelated housekeeping."),
    issue("DCR-10", 10010, summary="Write queries for stale feeds", issuetype="Sub-task",
          parent="DCR-3", labels=[*LESSON, "ll-action"], status="Done", statuscategory="Done",
          resolution="Won't Do", assignee="sam", duedate=date(2026, 3, 1),
          created=at("2026-02-12"), updated=at("2026-03-02"), resolutiondate=at("2026-03-02"),
          description="Use DCR-12 as the template."),
    issue("DCR-5", 10005, summary="Rehearse the feed shutdown", issuetype="Sub-task",
          parent="DCR-3", labels=[*LESSON, "ll-action"], assignee="priya",
          duedate=date(2026, 3, 10), created=at("2026-03-10", "08:00")),
    issue("DCR-4", 10004, summary="Add feed shutdown to the drop checklist",
          issuetype="Sub-task", parent="DCR-3", labels=[*LESSON, "ll-action"],
          status="In Progress", statuscategory="In Progress", assignee="sam",
          duedate=date(2026, 3, 9), created=at("2026-02-11", "10:00"),
          updated=at("2026-03-09", "18:00"), description="T-5 days before the drop."),
    issue("DCR-3", 10003, summary="Partners turned their feeds off late", parent="DCR-1",
          epic_link="DCR-1", labels=[*LESSON, "ll-lesson"], status="Done",
          statuscategory="Done", resolution="Done", assignee="sam", reporter="priya",
          created=at("2026-02-10", "14:00"), updated=at("2026-03-05", "16:00"),
          resolutiondate=at("2026-03-05", "16:00"),
          description="Two partners were still sending messages when the environment "
                      "was dropped."),
    issue("DCR-2", 10002, summary="Release 4.3 lessons learnt", issuetype="Epic",
          labels=["lessons-learnt", "release-4-3"], created=at("2026-02-01")),
    issue("DCR-1", 10001, summary="Release 4.2 lessons learnt", issuetype="Epic",
          labels=LESSON, status="In Progress", statuscategory="In Progress", assignee="pmo",
          created=at("2026-01-05"), updated=at("2026-03-01", "12:00"),
          description="Everything we learnt shipping 4.2."),
]
ALL = "DCR-1 DCR-2 DCR-3 DCR-4 DCR-5 DCR-10 DCR-12 OPS-2"


def search(jql: str, *, now: datetime = NOW, user: str | None = "sam") -> str:
    query = parse(jql)
    ctx = JqlContext(now=now, current_user=user)
    return " ".join(row["key"] for row in query.sort(r for r in ROWS if query.matches(r, ctx)))


def case(jql: str, keys: str, id: str):
    return pytest.param(jql, keys, id=id)


FOUND = [
    # what the sync bot and the chaser run
    case("project = DCR AND labels = lessons-learnt AND labels = release-4-2 ORDER BY key",
         "DCR-1 DCR-3 DCR-4 DCR-5 DCR-10", "bot: release lessons"),
    case("parent in (DCR-1, DCR-2)", "DCR-3", "bot: children of epics"),
    case('"Epic Link" = DCR-1', "DCR-3 OPS-2", "bot: epic link"),
    case("project = DCR AND labels = ll-action AND resolution = Unresolved "
         "AND duedate < startOfDay()", "DCR-4", "bot: overdue actions"),
    # project
    case("project = dcr", "DCR-1 DCR-2 DCR-3 DCR-4 DCR-5 DCR-10 DCR-12", "project any case"),
    case("project != DCR", "OPS-2", "project !="),
    case("project in (OPS, XYZ)", "OPS-2", "project in"),
    case("project not in (DCR)", "OPS-2", "project not in"),
    case("project is EMPTY", "", "project is empty"),
    # key, issuekey, id
    case("key = DCR-12", "DCR-12", "key ="),
    case("issuekey = dcr-3", "DCR-3", "issuekey alias, any case"),
    case("id = 10005", "DCR-5", "id by number"),
    case("key in (DCR-1, 20002)", "DCR-1 OPS-2", "key in keys and ids"),
    case("key != DCR-1", ALL.replace("DCR-1 ", ""), "key !="),
    case("key > DCR-4", "DCR-5 DCR-10 DCR-12", "key > numeric within project"),
    case("key <= DCR-3", "DCR-1 DCR-2 DCR-3", "key <="),
    case("key >= OPS-1", "OPS-2", "key >= other project"),
    case("key < 10003", "DCR-1 DCR-2", "key < id"),
    # issuetype
    case("issuetype = Epic", "DCR-1 DCR-2", "issuetype ="),
    case('type = "sub-task"', "DCR-4 DCR-5 DCR-10", "type alias, any case"),
    case("issuetype not in (Epic, Sub-task)", "DCR-3 DCR-12 OPS-2", "issuetype not in"),
    # parent and Epic Link
    case("parent = DCR-3", "DCR-4 DCR-5 DCR-10", "parent ="),
    case("parent != DCR-3", "DCR-3", "parent != skips issues without parent"),
    case("parent not in (DCR-1)", "DCR-4 DCR-5 DCR-10", "parent not in"),
    case('"epic link" is EMPTY', "DCR-1 DCR-2 DCR-4 DCR-5 DCR-10 DCR-12", "epic link empty"),
    case('"Epic Link" is not EMPTY', "DCR-3 OPS-2", "epic link not empty"),
    case("cf[10014] in (DCR-1)", "DCR-3 OPS-2", "epic link as cf[10014]"),
    # labels
    case("labels = ll-action", "DCR-4 DCR-5 DCR-10", "labels ="),
    case("labels = LESSONS-LEARNT", "DCR-1 DCR-2 DCR-3 DCR-4 DCR-5 DCR-10 OPS-2",
         "labels any case"),
    case('labels = "release-4-2"', "DCR-1 DCR-3 DCR-4 DCR-5 DCR-10", "labels double quoted"),
    case("labels = 'll-action'", "DCR-4 DCR-5 DCR-10", "labels single quoted"),
    case('labels = "ll\\u002daction"', "DCR-4 DCR-5 DCR-10", "unicode escape"),
    case("labels != ll-action", "DCR-1 DCR-2 DCR-3 OPS-2", "labels != skips no labels"),
    case("labels != ll-action OR labels is EMPTY", "DCR-1 DCR-2 DCR-3 DCR-12 OPS-2",
         "labels != or empty"),
    case("labels in (release-4-3, ll-lesson)", "DCR-2 DCR-3", "labels in"),
    case("labels not in (release-4-2)", "DCR-2 OPS-2", "labels not in skips no labels"),
    case("labels in (ll-lesson, EMPTY)", "DCR-3 DCR-12", "labels in with EMPTY"),
    case("labels is EMPTY", "DCR-12", "labels is empty"),
    case("labels = empty", "DCR-12", "labels = EMPTY"),
    case("labels IS NOT NULL", ALL.replace("DCR-12 ", ""), "labels is not null"),
    # status and statusCategory
    case('status = "In Progress"', "DCR-1 DCR-4", "status ="),
    case('status in ("To Do", Backlog)', "DCR-2 DCR-5 DCR-12 OPS-2", "status in"),
    case("status != done", "DCR-1 DCR-2 DCR-4 DCR-5 DCR-12 OPS-2", "status !="),
    case('statusCategory = "To Do"', "DCR-2 DCR-5 DCR-12 OPS-2", "category by name"),
    case("statuscategory = new", "DCR-2 DCR-5 DCR-12 OPS-2", "category by key"),
    case("statusCategory in (Done, indeterminate)", "DCR-1 DCR-3 DCR-4 DCR-10", "category in"),
    case("statusCategory != 3", "DCR-1 DCR-2 DCR-4 DCR-5 DCR-12 OPS-2", "category by id"),
    # resolution
    case("resolution = Unresolved", "DCR-1 DCR-2 DCR-4 DCR-5 DCR-12 OPS-2", "unresolved"),
    case("resolution is EMPTY", "DCR-1 DCR-2 DCR-4 DCR-5 DCR-12 OPS-2", "resolution empty"),
    case("resolution != Unresolved", "DCR-3 DCR-10", "resolution != unresolved"),
    case("resolution = Done", "DCR-3", "resolution ="),
    case("resolution != Done", "DCR-10", "resolution != skips unresolved"),
    case("resolution = 'Won\\'t Do'", "DCR-10", "escaped quote"),
    case('resolution in ("Won\'t Do", Unresolved)',
         "DCR-1 DCR-2 DCR-4 DCR-5 DCR-10 DCR-12 OPS-2", "resolution in with unresolved"),
    # assignee and reporter, currentUser() is sam
    case("assignee = sam", "DCR-3 DCR-4 DCR-10", "assignee ="),
    case("assignee = currentUser()", "DCR-3 DCR-4 DCR-10", "currentUser"),
    case("assignee != currentUser()", "DCR-1 DCR-5 OPS-2", "not me skips unassigned"),
    case("assignee in (currentUser(), EMPTY)", "DCR-2 DCR-3 DCR-4 DCR-10 DCR-12",
         "currentUser in list"),
    case("assignee in (priya, pmo)", "DCR-1 DCR-5 OPS-2", "assignee in"),
    case("assignee is EMPTY", "DCR-2 DCR-12", "unassigned"),
    case("assignee != NULL", "DCR-1 DCR-3 DCR-4 DCR-5 DCR-10 OPS-2", "!= NULL"),
    case("reporter = priya", "DCR-3", "reporter ="),
    case("reporter != pmo", "DCR-3 DCR-12", "reporter != skips empty"),
    case("reporter is EMPTY", "OPS-2", "reporter empty"),
    # duedate: a date is its midnight; now is 2026-03-10 10:30
    case("duedate < startOfDay()", "DCR-4 DCR-10", "due before today"),
    case("duedate <= startOfDay()", "DCR-4 DCR-5 DCR-10", "due by today"),
    case("due < now()", "DCR-4 DCR-5 DCR-10", "due alias, today's midnight < now"),
    case("duedate <= endOfDay()", "DCR-4 DCR-5 DCR-10", "endOfDay"),
    case("duedate < startOfDay(-1d)", "DCR-10", "startOfDay offset"),
    case('duedate >= startOfDay("+1d")', "DCR-12", "startOfDay quoted offset"),
    case("duedate < endOfDay(-1d)", "DCR-4 DCR-10", "endOfDay offset"),
    case("duedate = 2026-03-10", "DCR-5", "date ="),
    case('duedate = "2026/03/20"', "DCR-12", "slash date quoted"),
    case("duedate > 2026/03/09", "DCR-5 DCR-12", "slash date unquoted"),
    case('duedate >= "2026-03-09 12:00"', "DCR-5 DCR-12", "date-time against a date"),
    case("duedate != 2026-03-10", "DCR-4 DCR-10 DCR-12", "date != skips empty"),
    case("duedate in (2026-03-01, 2026-03-20)", "DCR-10 DCR-12", "date in"),
    case("duedate < -7d", "DCR-10", "relative days"),
    case('duedate > "1w"', "DCR-12", "relative weeks ahead"),
    case('duedate > "-4w 2d"', "DCR-4 DCR-5 DCR-10 DCR-12", "relative weeks and days"),
    case("duedate is EMPTY", "DCR-1 DCR-2 DCR-3 OPS-2", "no due date"),
    # created, updated, resolutiondate
    case("created >= startOfDay()", "DCR-5", "created today"),
    case("created > -1d", "DCR-5 DCR-12", "created in the last day"),
    case('created > "-4h"', "DCR-5", "relative hours"),
    case("created > -180", "DCR-5", "bare number is minutes"),
    case("created < 2026-01-01", "OPS-2", "created before a date"),
    case('created = "2026-03-10 08:00"', "DCR-5", "created at an instant"),
    case('createdDate >= "2026/02/10 14:00" AND created <= 2026-02-12', "DCR-3 DCR-4",
         "created range"),
    case("created < startOfDay(-2M)", "DCR-1 OPS-2", "startOfDay months back"),
    case("updated >= startOfDay(-1d)", "DCR-4 DCR-5 DCR-12", "updated since yesterday"),
    case("resolved >= 2026-03-03", "DCR-3", "resolved alias"),
    case("resolutiondate < -1w", "DCR-10", "resolutiondate relative"),
    case("resolutiondate is not EMPTY", "DCR-3 DCR-10", "resolutiondate set"),
    # text search
    case("summary ~ feed", "DCR-3 DCR-4 DCR-5 DCR-10", "plural matches singular"),
    case("summary ~ query", "DCR-10", "queries is query"),
    case('summary ~ "FEED SHUTDOWN"', "DCR-4 DCR-5", "all words, any case"),
    case('summary ~ "the feed"', "DCR-3 DCR-4 DCR-5 DCR-10", "stop words ignored"),
    case('summary ~ "\\"drop checklist\\""', "DCR-4", "phrase"),
    case('summary ~ "\\"checklist drop\\""', "", "phrase order matters"),
    case('summary ~ "less*"', "DCR-1 DCR-2 OPS-2", "trailing wildcard"),
    case('summary ~ "wik?"', "DCR-12", "single-character wildcard"),
    case("summary !~ lessons", "DCR-3 DCR-4 DCR-5 DCR-10 DCR-12", "summary !~"),
    case('description ~ "drop*"', "DCR-3 DCR-4", "description ~"),
    case("description !~ rota", "DCR-1 DCR-3 DCR-4 DCR-10 DCR-12",
         "description !~ skips empty"),
    case("description is EMPTY", "DCR-2 DCR-5", "description empty"),
    case("text ~ template", "DCR-10", "text searches description"),
    case('text ~ "lessons holidays"', "OPS-2", "text words across fields"),
    case('text ~ "DCR-12"', "DCR-10", "key-like word is a phrase"),
    case("NOT text ~ wiki", ALL.replace("DCR-12 ", ""), "NOT text ~"),
    # precedence, parentheses, NOT
    case("issuetype = Epic OR labels = ll-action AND assignee = sam",
         "DCR-1 DCR-2 DCR-4 DCR-10", "AND binds tighter than OR"),
    case("(issuetype = Epic OR labels = ll-action) AND assignee = sam", "DCR-4 DCR-10",
         "parentheses"),
    case("((project = OPS))", "OPS-2", "nested parentheses"),
    case("NOT labels = ll-action", "DCR-1 DCR-2 DCR-3 OPS-2", "NOT = is !="),
    case("NOT assignee = sam AND project = DCR", "DCR-1 DCR-5", "NOT binds tighter than AND"),
    case("NOT (assignee = sam OR assignee is EMPTY)", "DCR-1 DCR-5 OPS-2", "NOT over OR"),
    case("NOT NOT labels = ll-action", "DCR-4 DCR-5 DCR-10", "double NOT"),
    case("(" * 50 + "NOT " * 50 + "labels = ll-action" + ")" * 50, "DCR-4 DCR-5 DCR-10",
         "deep but allowed"),
    case("not duedate < 2026-03-10", "DCR-5 DCR-12", "NOT < is >= and skips empty"),
    case("project = DCR and not (labels in (ll-action, ll-lesson))", "DCR-1 DCR-2",
         "NOT IN via NOT"),
    case("Project = DCR aNd LABELS = ll-action Or Key = OPS-2", "DCR-4 DCR-5 DCR-10 OPS-2",
         "keywords and fields in any case"),
    # no conditions
    case("", ALL, "empty query"),
    case("  \n ", ALL, "blank query"),
    case("ORDER BY key", ALL, "only ORDER BY"),
]


@pytest.mark.parametrize("jql,keys", FOUND)
def test_search_finds(jql, keys):
    assert search(jql) == keys


@pytest.mark.parametrize("jql,keys", FOUND)
def test_the_set_lookup_finds_what_comparing_one_by_one_finds(jql, keys, monkeypatch):
    """``=``/``IN`` of fixed values is a set lookup a row (a search for 50 keys over
    50,000 issues); with it turned off every value is compared one by one, as before."""
    monkeypatch.setattr(Kind, "lookup", lambda self, values: None)
    for kind in {field.kind.__class__ for field in FIELDS.values()}:
        monkeypatch.setattr(kind, "lookup", lambda self, values: None, raising=False)
    assert search(jql) == keys


SORTED = [
    case("labels = ll-action ORDER BY duedate", "DCR-10 DCR-4 DCR-5", "duedate"),
    case("project = DCR ORDER BY duedate ASC", "DCR-10 DCR-4 DCR-5 DCR-12 DCR-1 DCR-2 DCR-3",
         "empty last ascending"),
    case("project = DCR ORDER BY duedate DESC", "DCR-1 DCR-2 DCR-3 DCR-12 DCR-5 DCR-4 DCR-10",
         "empty first descending"),
    case("ORDER BY key DESC", "OPS-2 DCR-12 DCR-10 DCR-5 DCR-4 DCR-3 DCR-2 DCR-1",
         "key descending, numeric"),
    case("order by created",
         "OPS-2 DCR-1 DCR-2 DCR-3 DCR-4 DCR-10 DCR-12 DCR-5", "created"),
    case("ORDER BY assignee, key DESC",
         "OPS-2 DCR-1 DCR-5 DCR-10 DCR-4 DCR-3 DCR-12 DCR-2", "two fields"),
    case("project = DCR ORDER BY summary",
         "DCR-4 DCR-3 DCR-5 DCR-1 DCR-2 DCR-12 DCR-10", "summary"),
    case("ORDER BY status", "OPS-2 DCR-3 DCR-10 DCR-1 DCR-4 DCR-2 DCR-5 DCR-12",
         "ties in key order"),
    case("ORDER BY resolved desc", "DCR-1 DCR-2 DCR-4 DCR-5 DCR-12 OPS-2 DCR-3 DCR-10",
         "resolved descending"),
]


@pytest.mark.parametrize("jql,keys", SORTED)
def test_order_by(jql, keys):
    assert search(jql) == keys


def test_order_by_names_canonical_fields():
    query = parse('project = DCR ORDER BY "Epic Link" desc, due, issuekey ASC')
    assert query.order_by == (("epic link", True), ("duedate", False), ("key", False))
    assert parse("labels = x").order_by == ()


def test_sort_leaves_its_input_alone():
    rows = list(ROWS)
    parse("ORDER BY created").sort(rows)
    assert rows == ROWS


@pytest.mark.parametrize("jql", ["assignee = currentUser()", "assignee != currentUser()",
                                 "assignee in (currentUser())"])
def test_current_user_of_anonymous_search_matches_nothing(jql):
    assert search(jql, user=None) == ""


def test_dates_read_in_the_searchers_timezone():
    sydney = NOW.astimezone(timezone(timedelta(hours=10)))
    assert search("created >= startOfDay()", now=sydney) == "DCR-5 DCR-12"
    assert search("duedate < startOfDay()", now=sydney) == "DCR-4 DCR-10"


REFUSED = [
    # the lexer
    case("labels = 50%", "The character '%' is a reserved JQL character", "reserved %"),
    case("labels = release-4.2", "The character '.' is a reserved JQL character",
         "reserved dot"),
    case("project = DCR AND labels = 50%", "(line 1, character 30)", "error position"),
    case("project = DCR\nAND labels = 5%", "(line 2, character 15)", "error line"),
    case('summary ~ "feed', "The quoted string 'feed' has not been completed.", "open quote"),
    case('labels = "a\\qb"', "The escape sequence '\\q' is illegal", "bad escape"),
    # the parser
    case("project = DCR labels = x", "Expecting either 'OR' or 'AND' but got 'labels'.",
         "missing AND"),
    case("project DCR", "Expecting operator but got 'DCR'.", "missing operator"),
    case("labels ! x", "Expecting operator but got '!'.", "bang alone"),
    case("project =", "Expecting either a value, list or function before the end of the "
                      "query.", "missing value"),
    case("labels = AND", "You must surround 'AND' in quotation marks", "keyword as value"),
    case("(project = DCR", "Expecting ')' before the end of the query.", "open paren"),
    case("project = DCR)", "Expecting either 'OR' or 'AND' but got ')'.", "stray paren"),
    case("AND project = DCR", "Expecting a field name but got 'AND'.", "leading AND"),
    case("labels = x OR", "Expecting a field name before the end of the query.",
         "trailing OR"),
    case("labels in ()", "Expecting either a value, list or function but got ')'.",
         "empty list"),
    case("project = DCR ORDER key", "Expecting 'BY' but got 'key'.", "ORDER without BY"),
    case("ORDER BY key ASC created", "Expecting either ',' or the end of the query but got "
                                     "'created'.", "ORDER BY without comma"),
    case("foo = 1 AND (", "Expecting a field name before the end of the query.",
         "syntax before fields"),
    case("NOT " * 101 + "labels = x", "NOT and brackets nest more than 100 deep.",
         "deep NOT"),
    case("(" * 5000 + "labels = x" + ")" * 5000, "nest more than 100 deep", "deep brackets"),
    # fields and operators
    case("foo = bar", "Field 'foo' does not exist or you do not have permission to view it.",
         "unknown field"),
    case("priority = High", "Field 'priority' does not exist", "unsupported field"),
    case("project = DCR ORDER BY priority", "Field 'priority' does not exist",
         "unsupported sort"),
    case("ORDER BY labels", "Field 'labels' does not support sorting.", "unsortable"),
    case("labels ~ lessons", "The operator '~' is not supported by the 'labels' field.",
         "~ on labels"),
    case('summary = "x"', "The operator '=' is not supported by the 'summary' field.",
         "= on summary"),
    case("status is EMPTY", "The operator 'is' is not supported by the 'status' field.",
         "is on status"),
    case("key is EMPTY", "The operator 'is' is not supported by the 'key' field.", "is on key"),
    case("parent is EMPTY", "The operator 'is' is not supported by the 'parent' field.",
         "is on parent"),
    case("labels > x", "The operator '>' is not supported by the 'labels' field.", "> labels"),
    case("text !~ x", "The operator '!~' is not supported by the 'text' field.", "!~ on text"),
    case("status was Done", "The operator 'was' is not supported by the 'status' field.",
         "history search"),
    # values
    case("labels in lessons-learnt", "The operator 'in' does not support the non-list value "
                                     "'lessons-learnt' for field 'labels'.", "in without list"),
    case("labels = (a, b)", "The operator '=' does not support the list value '(a, b)' for "
                            "field 'labels'.", "= with list"),
    case("labels is lessons-learnt", "The operator 'is' only supports EMPTY or NULL",
         "is with value"),
    case("duedate < EMPTY", "The operator '<' does not support searching for EMPTY values",
         "< EMPTY"),
    case("status = EMPTY", "The field 'status' does not support searching for EMPTY values.",
         "EMPTY status"),
    case("key = DCR", "The issue key 'DCR' for field 'key' is invalid.", "bad key"),
    case("parent = 10003", "The issue key '10003' for field 'parent' is invalid.",
         "parent by id"),
    case("duedate < tomorrow", "Date value 'tomorrow' for field 'duedate' is invalid.",
         "bad date"),
    case('created > "2026-02-30"', "Date value '2026-02-30' for field 'created' is invalid.",
         "impossible date"),
    case('created > "-99999999w"', "Date value '-99999999w' for field 'created' is invalid.",
         "period too long"),
    case('summary ~ ""', "The field 'summary' does not support searching for an empty "
                         "string.", "empty text"),
    case('summary ~ "*feed"', "is not allowed to start with wildcard character '*'.",
         "leading wildcard"),
    # functions
    case('assignee in membersOf("jira-users")',
         "Unable to find JQL function 'membersOf(jira-users)'.", "membersOf"),
    case("issue in linkedIssues(DCR-1)", "Unable to find JQL function 'linkedIssues(DCR-1)'.",
         "linkedIssues"),
    case("duedate < startOfWeek()", "Unable to find JQL function 'startOfWeek()'.",
         "startOfWeek"),
    case("labels = now()", "A value provided by the function 'now' is invalid for the field "
                           "'labels'.", "date function on labels"),
    case("duedate = currentUser()", "A value provided by the function 'currentUser' is "
                                    "invalid for the field 'duedate'.", "user function on date"),
    case("assignee = currentUser(x)", "Function 'currentUser' expected '0' arguments but "
                                      "received '1'.", "currentUser with argument"),
    case("duedate < startOfDay(-1d, x)", "Function 'startOfDay' expected between '0' and "
                                         "'1' arguments but received '2'.", "two arguments"),
    case("duedate < startOfDay(yesterday)", "Duration for function 'startOfDay' should have "
                                            "the format", "bad duration"),
]


@pytest.mark.parametrize("jql,message", REFUSED)
def test_refused_with_jira_wording(jql, message):
    with pytest.raises(JqlError) as refused:
        parse(jql)
    assert message in str(refused.value)
    assert isinstance(refused.value, JirasyncError)


def test_every_field_problem_is_reported_at_once():
    with pytest.raises(JqlError) as refused:
        parse("foo = 1 AND labels ~ x ORDER BY priority")
    assert refused.value.messages == (
        "Field 'foo' does not exist or you do not have permission to view it.",
        "The operator '~' is not supported by the 'labels' field.",
        "Field 'priority' does not exist or you do not have permission to view it.")


ODDITIES = ["\\", "'", '"', "cf[", "cf[1", "((((", "=", "~~", "!", ",", "()", "x = ()",
            "labels = \\u12", "é = 1", "labels = é", "labels = cf[10014]", "\x00",
            "created > 99999999999999999999", "duedate < startOfDay(\"-100000y\")",
            "duedate > 0001-01-01", "duedate < 9999-12-31", "created < -1000000000",
            "summary ~ '\"'", "summary ~ '-'", "key in (1, DCR-1, EMPTY)", "order by",
            "labels = 'x' order by key asc desc", "NOT", "NOT (", "labels in (a,)",
            "key = \u00b2", "key = " + "9" * 5000, "key = DCR-" + "9" * 5000,
            "duedate > " + "1" * 5000 + "d"]


@pytest.mark.parametrize("jql", ODDITIES)
def test_odd_input_gives_a_jql_error_or_a_working_query(jql):
    try:
        query = parse(jql)
    except JqlError:
        return
    ctx = JqlContext(now=NOW, current_user="sam")
    query.sort(row for row in ROWS if query.matches(row, ctx))
