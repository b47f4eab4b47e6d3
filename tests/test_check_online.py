"""`jirasync check --online`: what only Jira can tell, each problem named; nothing written."""
from __future__ import annotations

import pytest

from jirasync.cli import main
from tests.helpers import RELEASE, write_programme


def online_config(sb, *, project="DCR", extra="") -> str:
    auth = ("  auth:\n    email: pmo-bot@example.org\n    token_env: JIRASYNC_TEST_TOKEN\n"
            if sb.flavour == "cloud" else
            "  auth:\n    type: pat\n    token_env: JIRASYNC_TEST_TOKEN\n")
    return (f"jira:\n  url: {sb.url}\n{auth}  project: {project}\n"
            f"  max_requests_per_s: 1000\n{extra}"
            "people:\n  release_manager: jodie.crowfoot@example.org\n"
            "  pmo_lead: pmo@example.org\n")


@pytest.fixture
def token(sandbox, monkeypatch):
    monkeypatch.setenv("JIRASYNC_TEST_TOKEN",
                       "sandbox-token" if sandbox.flavour == "cloud" else "sandbox-pat")


def run_online(tmp_path, capsys, sb, *options, **kw):
    config = write_programme(tmp_path, config=online_config(sb, **{
        k: v for k, v in kw.items() if k in ("project", "extra")}),
        releases=kw.get("releases"))
    sb.reset_log()
    code = main(["check", "--online", *options, "--config", str(config)])
    out, err = capsys.readouterr()
    assert sb.count(write=True) == 0          # --online only reads
    return code, out, err


PROBES = ("credentials: ok (the bot is PMO Bot)", "project DCR: ok (Digital Care Record)",
          "issue types: ok (Epic, Task, Sub-task)", "create screens: ok",
          ("permissions: ok (held: Browse projects, Create issues, Edit issues, Assign "
           "issues, Add comments, Transition issues, Browse users and groups, Administer "
           "projects)\n"),
          "key listing: ok (", "search with sync's fields and properties: ok (",
          "project properties: ok (", "owners and people: 3 of 3 found")


def test_good_setup_lists_each_probe_and_passes(tmp_path, capsys, sandbox, token):
    code, out, err = run_online(tmp_path, capsys, sandbox)
    assert code == 0, err
    assert f"jira {sandbox.url}: ok\n" in out
    for probe in PROBES:
        assert probe in out, out
    assert "issue read with its properties: not tried (no issue of the programme yet)" in out
    kinds = {r.kind for r in sandbox.requests}
    assert {"myself", "project", "createmeta", "permissions", "search", "project-property",
            "user-search"} <= kinds, kinds


def test_after_a_sync_every_kind_of_read_is_tried(tmp_path, capsys, sandbox, token):
    config = write_programme(tmp_path, config=online_config(sandbox))
    assert main(["sync", "--config", str(config)]) == 0, capsys.readouterr().err
    code, out, err = run_online(tmp_path, capsys, sandbox)
    assert code == 0, err
    assert "key listing: ok (4 issues of the programme)" in out
    assert "search with sync's fields and properties: ok (read DCR-1)" in out
    assert "issue read with its properties: ok (DCR-1)" in out
    assert any(r.kind == "get" and r.path.endswith("/issue/DCR-1") for r in sandbox.requests)


@pytest.mark.parametrize("withheld, name, job", [
    ("CREATE_ISSUES", "Create issues", "sync needs it to create"),
    ("EDIT_ISSUES", "Edit issues", "sync needs it to update and tag issues"),
    ("ADD_COMMENTS", "Add comments", "chase needs it to prompt owners"),
    ("TRANSITION_ISSUES", "Transition issues", "chase needs it to close an action"),
    ("USER_PICKER", "Browse users and groups",
     "sync, chase and agenda need it to find the owners"),
])
def test_a_permission_the_bot_lacks_is_named_with_the_job_that_needs_it(
        tmp_path, capsys, sandbox, token, withheld, name, job):
    sandbox.withhold(withheld)
    code, out, err = run_online(tmp_path, capsys, sandbox)
    assert code == 2
    assert f"jira.auth: the bot (PMO Bot) lacks Jira's '{name}' permission" in err, err
    assert job in err and "ask a Jira administrator to grant it" in err
    held = out.split("permissions: lacking some (below) (held: ")[1].split(")")[0]
    assert name not in held and "Browse projects" in held


def test_without_browse_users_owners_are_not_looked_up_one_by_one(tmp_path, capsys, sandbox,
                                                                   token):
    sandbox.withhold("USER_PICKER")
    code, out, err = run_online(tmp_path, capsys, sandbox)
    assert code == 2 and "owners: not looked up (the bot cannot browse users)" in out
    assert "no Jira user matches" not in err and sandbox.count("user-search") == 0


def test_without_administer_projects_it_warns_and_passes_unless_strict(tmp_path, capsys,
                                                                       sandbox, token):
    sandbox.bot_administers(False)
    code, _, err = run_online(tmp_path, capsys, sandbox)
    assert code == 0, err
    assert ("warning: jirasync.yaml: jira.auth: the bot (PMO Bot) lacks Jira's 'Administer "
            "projects' permission in project DCR: sync and chase need it") in err.replace(
                str(tmp_path) + "/", "")
    code, _, err = run_online(tmp_path / "strict", capsys, sandbox, "--strict")
    assert code == 2 and "1 warning and --strict" in err


def test_a_read_jira_refuses_is_named_with_the_job_that_reads_that_way(tmp_path, capsys,
                                                                       sandbox, token):
    path = "/search/jql$" if sandbox.flavour == "cloud" else "/search$"
    sandbox.faults.fail(500, count=100, method="POST", path=path)
    code, out, err = run_online(tmp_path, capsys, sandbox, extra="  max_retry_s: 0\n")
    assert code == 2
    assert "key listing: failed (below)" in out
    assert "jira: key listing failed:" in err and "sync lists the programme's issues this way" \
        in err and "'Browse projects' in project DCR" in err


@pytest.mark.parametrize("kw,expected", [
    ({"project": "NOPE"}, "jira.project: NOPE:"),
    ({"extra": "  issue_types: {lesson: Lesson}\n"},
     "jira.issue_types.lesson: project DCR has no issue type 'Lesson'"),
    ({"extra": "  issue_types: {action: Task}\n"},
     "jira.issue_types.action: 'Task' must be a sub-task type"),
    ({"releases": {"4.2.yaml": RELEASE.replace("sam.jones@example.org",
                                               "nobody@example.org")}},
     "4.2.yaml:14: lessons[feeds-off].actions[feeds-checklist].owner: no Jira user matches"),
    ({"extra": "  fields: {Colour: red}\n"}, "jira.fields.Colour: Jira has no field named"),
], ids=["unknown-project", "unknown-issue-type", "action-type-not-subtask", "unknown-owner",
        "unknown-extra-field"])
def test_each_problem_is_named_and_exits_2(tmp_path, capsys, sandbox, token, kw, expected):
    code, _, err = run_online(tmp_path, capsys, sandbox, **kw)
    assert code == 2
    assert expected in err, err


def test_required_field_on_create_screen_is_named_until_config_fills_it(tmp_path, capsys,
                                                                        sandbox, token):
    sandbox.require_field("Task", "Team")
    code, _, err = run_online(tmp_path, capsys, sandbox)
    assert code == 2 and "the Task create screen requires 'Team'" in err
    code, _, err = run_online(tmp_path / "b", capsys, sandbox,
                              extra='  fields: {"Team": "PMO"}\n')
    assert code == 0, err


def test_wrong_token_is_an_authentication_message_without_traceback(tmp_path, capsys,
                                                                    sandbox, monkeypatch):
    monkeypatch.setenv("JIRASYNC_TEST_TOKEN", "tok3n-jira-refuses")
    code, _, err = run_online(tmp_path, capsys, sandbox)
    assert code == 2
    assert "credentials" in err and "Traceback" not in err and "tok3n-jira-refuses" not in err


def test_owners_are_found_as_sync_finds_them_from_the_assignable_users(tmp_path, capsys,
                                                                      sandbox, token):
    other = RELEASE.replace('id: "4.2"', 'id: "4.3"').replace("sam.jones@", "priya.shah@")
    code, out, err = run_online(tmp_path, capsys, sandbox,
                                releases={"4.2.yaml": RELEASE, "4.3.yaml": other})
    assert code == 0, err
    assert "owners and people: 4 of 4 found" in out
    assert sandbox.count("assignable-search") >= 1 and sandbox.count("user-search") == 0


def test_a_jira_that_will_not_say_its_permissions_is_a_warning(tmp_path, capsys, sandbox,
                                                               token):
    sandbox.faults.fail(500, count=100, method="GET", path="/mypermissions")
    code, out, err = run_online(tmp_path, capsys, sandbox, extra="  max_retry_s: 0\n")
    assert code == 0, err
    assert "permissions: not checked (below)" in out
    assert "warning: " in err and "Jira did not say which permissions the bot holds" in err
