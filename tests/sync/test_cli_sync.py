"""``jirasync sync`` on the command line (SPEC §4): the plan a dry run prints is what a
real run then reports, exit codes say whether everything was done, and errors are one
plain sentence."""
from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from jirasync.config import load_config
from jirasync.state import StateDir
from tests.sync.conftest import (
    IDENTITIES,
    LESSONS,
    TOKEN_ENV,
    Act,
    Les,
    copies,
    release_yaml,
    tree,
)

FEEDS, REHEARSAL = LESSONS
CHECKLIST, CONTACTS = FEEDS.actions
TENSE = {"create": "created", "update": "updated", "tag": "tagged"}
ITEM = re.compile(r"(?P<verb>\S+) +(?P<key>\S+) +(?P<rest>.*)")


def items(out: str) -> list[str]:
    """The item lines of a report, in the past tense; a planned create has no key yet."""
    lines = []
    for line in out.splitlines():
        m = ITEM.fullmatch(line)
        if not m or line.startswith(("sync:", "dry run")):
            continue
        verb, key, rest = m["verb"], m["key"], m["rest"]
        if verb in ("create", "created"):
            key = "-"
        rest = rest.replace("hand-made lesson: add ", "hand-made lesson: added ")
        lines.append(f"{TENSE.get(verb, verb)} {key} {rest}")
    return lines


def errors(err: str) -> list[str]:
    """The item lines that failed (stderr, so that -q shows them too)."""
    return [line for line in err.splitlines() if line.startswith("error: ")]


def summary(out: str) -> str:
    (line,) = [x for x in out.splitlines() if x.startswith(("sync:", "dry run"))]
    return line.split(":", 1)[1]


def no_changes(p):
    pass


def first_sync_then_edits(p):
    """An update of each kind, a tag, a kept field, a conflict, an orphan and a failure."""
    p.sync()
    p.sb.edit(p.key("4.2/feeds-off/checklist"), duedate="2026-12-20")
    p.sb.edit(p.key("4.2/rehearsal"), summary="Rehearsals: two, on real data")
    p.sb.create_issue("Task", "Vendors not told of the freeze", parent=p.key("4.2"))
    feeds = replace(FEEDS, title="Feeds went off late", theme="Supplier contracts",
                    actions=(CHECKLIST, replace(CONTACTS, owner="nobody@example.org")))
    p.lessons(feeds, replace(REHEARSAL, title="Two rehearsals with real data"),
              Les("new", "Publish the freeze calendar early", kind="keep"))
    p.sb.transition(p.key("4.2/feeds-off"), "In Progress")


def orphaned_lesson(p):
    p.sync()
    p.lessons(FEEDS)


@pytest.mark.parametrize("options", [(), ("--force",)], ids=["plain", "forced"])
@pytest.mark.parametrize("prepare", [no_changes, first_sync_then_edits, orphaned_lesson],
                         ids=["first-sync", "edits-everywhere", "orphan"])
def test_dry_run_writes_nothing_and_prints_what_the_real_run_then_reports(cli, prepare,
                                                                          options):
    sb = cli.programme.sb
    prepare(cli.programme)
    before = dict(copies(sb))
    sb.reset_log()

    dry_code, dry_out, dry_err = cli("sync", "--dry-run", *options)

    assert sb.count(write=True) == 0 and dict(copies(sb)) == before
    assert dry_out.startswith(("create", "update", "tag", "kept", "conflict", "orphaned",
                               "failed", "dry run"))
    code, out, err = cli("sync", *options)
    assert items(out)
    assert items(dry_out) == items(out)
    assert errors(dry_err) == errors(err)
    assert summary(dry_out) == summary(out)
    assert dry_code == code


def test_dry_run_of_a_forced_conflict_says_forced(cli):
    p = cli.programme
    p.sync()
    p.sb.edit(p.key("4.2/rehearsal"), summary="Rehearsals: two, on real data")
    p.lessons(FEEDS, replace(REHEARSAL, title="Two rehearsals with real data"))

    _, out, _ = cli("sync", "--dry-run", "--force")

    assert f"update     {p.key('4.2/rehearsal')}" in out and "summary (forced)" in out


def test_jira_text_in_a_report_reaches_the_terminal_as_text(cli):
    p = cli.programme
    p.sync()
    p.sb.edit(p.key("4.2/rehearsal"), summary="Two \x1b]0;pwned\x07 \u202erehearsals")

    code, out, err = cli("sync")

    assert code == 0, err
    assert "kept" in out and "pwned" in out
    assert "\x1b" not in out + err and "\u202e" not in out + err


def test_sync_prints_what_it_did_and_exits_0(cli):
    code, out, err = cli("sync")

    assert code == 0, err
    assert set(tree(cli.programme.sb)) == IDENTITIES
    assert "sync: 5 created, 0 updated" in out
    assert re.search(r"created +DCR-\d+ +action 4\.2/feeds-off/checklist", out)


def test_a_long_first_sync_reports_progress_on_stderr_and_a_short_one_does_not(cli):
    code, _, err = cli("sync")
    assert code == 0 and "issues" not in err

    p = cli.programme
    many = [Les(f"lesson-{i}", f"Lesson {i}", actions=(Act("a", f"Action {i}a"),
                                                         Act("b", f"Action {i}b")))
            for i in range(80)]
    p.write(release_yaml("4.3", "DCR Release 4.3", many), "4.3.yaml")

    code, out, err = cli("sync", "--release", "4.3")

    assert code == 0, err
    assert "sync: 241 created, 0 updated" in out
    progress = [line for line in err.splitlines() if " of 241 issues" in line]
    assert progress[-1] == "created 241 of 241 issues"
    assert len(progress) >= 2 and progress == sorted(progress, key=lambda x: int(x.split()[1]))


def test_json_output_parses_and_counts(cli):
    code, out, err = cli("sync", "--json")

    assert code == 0, err
    data = json.loads(out)
    assert data["dry_run"] is False and data["broken"] == []
    assert data["counts"]["created"] == 5 and data["counts"]["failed"] == 0
    assert len(data["lines"]) == 5

    code, out, _ = cli("--json", "sync", "--dry-run")
    assert json.loads(out)["counts"]["unchanged"] == 5 and code == 0


@pytest.mark.parametrize("options", [(), ("--json",), ("-q",)], ids=["text", "json", "quiet"])
def test_a_failed_item_exits_1_naming_it_while_the_others_are_done(cli, options):
    cli.programme.lessons(replace(FEEDS, actions=(CHECKLIST, replace(
        CONTACTS, owner="nobody@example.org"))), REHEARSAL)

    code, out, err = cli("sync", *options)

    assert code == 1
    assert "4.2/feeds-off/contacts" in out + err
    assert "no Jira user matches 'nobody@example.org'" in out + err
    assert "Traceback" not in err
    assert len(tree(cli.programme.sb)) == len(IDENTITIES) - 1
    if "--json" in options:
        assert json.loads(out)["counts"]["failed"] == 1


def test_a_broken_release_file_exits_1_naming_it_and_the_others_sync(cli):
    cli.programme.write("id: \"4.3\"\nname: [unclosed\n", "4.3.yaml")

    code, _, err = cli("sync")

    assert code == 1
    assert "4.3.yaml" in err and "release not synced" in err and "Traceback" not in err
    assert set(tree(cli.programme.sb)) == IDENTITIES


def test_token_variable_unset_exits_2_naming_it(cli, monkeypatch):
    monkeypatch.delenv(TOKEN_ENV)

    code, _, err = cli("sync")

    assert code == 2 and TOKEN_ENV in err and "Traceback" not in err
    assert cli.programme.sb.requests == []


def test_wrong_token_exits_2_naming_where_the_token_came_from(cli, monkeypatch):
    monkeypatch.setenv(TOKEN_ENV, "not-the-token-3e1f")

    code, out, err = cli("sync")

    assert code == 2      # only a person can mend refused credentials
    assert "credentials" in err and "jira.auth" in err
    assert "Traceback" not in err and "not-the-token-3e1f" not in out + err
    assert cli.programme.sb.count(write=True) == 0


def test_a_second_run_while_one_holds_the_lock_exits_without_writing(cli):
    state = StateDir(load_config(cli.programme.config_path).state_dir)

    with state.lock("sync"):
        code, _, err = cli("sync")

    assert code != 0
    assert "another jirasync run" in err and "Traceback" not in err
    assert cli.programme.sb.count(write=True) == 0 and copies(cli.programme.sb) == {}
    assert cli("sync")[0] == 0                                  # the lock is gone with it


def test_an_unknown_release_id_exits_2_listing_the_known_ones(cli):
    code, _, err = cli("sync", "--release", "9.9")

    assert code == 2 and "'9.9'" in err and "known: 4.2" in err
    assert cli.programme.sb.count(write=True) == 0


def test_an_unknown_release_id_is_refused_even_when_another_file_is_broken(cli):
    cli.programme.write("id: [", "4.3.yaml")

    code, _, err = cli("sync", "--release", "9.9")

    assert code == 2 and "'9.9'" in err and "known: 4.2; unreadable: " in err
    assert cli.programme.sb.requests == []


def test_full_reads_every_managed_issue_and_reports_as_a_re_sync_does(cli):
    assert cli("sync")[0] == 0
    cli.programme.sb.reset_log()

    code, out, _ = cli("sync", "--full")

    assert code == 0 and out.strip().endswith("sync: 0 created, 0 updated, 5 unchanged")
    # the labelled issues, the highest key the index knows, the hand-made lessons
    assert cli.programme.sb.count(kind="search") == 3
