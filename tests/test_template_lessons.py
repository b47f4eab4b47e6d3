"""Template lessons a release never answered (issue 20 point 4): a release that extends
the standard template and does not list one of its lessons has not answered it. It goes
to Jira labelled ``ll-not-reviewed`` (never ``ll-keep``), the deck and the agenda show it
as "not reviewed", ``check`` warns (an error under ``--strict``), and answering it in the
file turns it into a keep or an improve on the next sync."""
from __future__ import annotations

import json

import pytest

from jirasync.cli import main
from tests.chase.conftest import TOKEN_ENV, TOKENS, Clock, config_yaml
from tests.conftest import FLAVOURS, checked_sandbox
from tests.helpers import write_programme

RELEASE = """\
id: "4.2"
name: DCR Release 4.2
live_date: 2026-10-14
extends: standard
lessons:
  - id: partner-feeds-off
    kind: improve
    title: Partners turned their feeds off late
    actions:
      - id: checklist
        title: Add feed shutdown to the drop checklist
        owner: sam.jones@example.org
        due: 2026-12-15
"""
ANSWER = """\
  - id: delivery-charter
    kind: keep
    description: Every gate was held and signed off.
"""
UNANSWERED = ("delivery-charter", "skeleton-plan", "partner-comms", "previous-lessons",
              "test-environments", "go-live-readiness")


@pytest.fixture(params=FLAVOURS, ids=FLAVOURS)
def sandbox(request, contract):
    """Synced on 15 October 2026 (the sandbox's clock), the day after go-live."""
    with checked_sandbox(contract, request.param, clock=Clock()) as sb:
        yield sb


@pytest.fixture
def synced(sandbox, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(TOKEN_ENV, TOKENS[sandbox.flavour])
    config = write_programme(tmp_path, config=config_yaml(sandbox),
                             releases={"4.2.yaml": RELEASE})
    assert main(["sync", "--config", str(config)]) == 0
    capsys.readouterr()
    return config


def lessons_by_title(sb) -> dict[str, set[str]]:
    return {i.summary: set(i.labels) for i in sb.issues()
            if {"lessons-learnt", "ll-action"} & set(i.labels) == {"lessons-learnt"}
            and not i.summary.startswith("Lessons learnt: ")}


def test_unanswered_template_lessons_go_to_jira_as_not_reviewed(sandbox, synced, capsys):
    lessons = lessons_by_title(sandbox)
    assert len(lessons) == 7
    assert lessons.pop("Partners turned their feeds off late") >= {"ll-improve"}
    for title, labels in lessons.items():
        assert "ll-not-reviewed" in labels and not labels & {"ll-keep", "ll-improve"}, title
    charter = "Delivery charter followed from design to go-live"
    synced.parent.joinpath("releases", "4.2.yaml").write_text(RELEASE + ANSWER)
    assert main(["sync", "--config", str(synced)]) == 0
    after = lessons_by_title(sandbox)[charter]
    assert "ll-keep" in after and "ll-not-reviewed" not in after


def test_the_deck_and_the_agenda_say_not_reviewed_never_keep(sandbox, synced, capsys):
    assert main(["deck", "4.2", "--format", "md", "--config", str(synced),
                 "--today", "2026-11-20"]) == 0
    deck = capsys.readouterr().out
    rows = [ln for ln in deck.splitlines() if "Delivery charter followed" in ln]
    assert rows and all("not reviewed" in ln and "keep" not in ln for ln in rows), rows
    assert "6 template lessons not reviewed" in deck
    assert main(["agenda", "--config", str(synced), "--today", "2026-10-20"]) == 0
    agenda = capsys.readouterr().out
    rows = [ln for ln in agenda.splitlines() if "Delivery charter followed" in ln]
    assert rows and all("(not reviewed)" in ln for ln in rows), agenda
    assert main(["export", "--format", "json", "--config", str(synced)]) == 0
    exported = json.loads(capsys.readouterr().out)["rows"]
    charter = [r for r in exported if r["title"].startswith("Delivery charter followed")]
    assert charter and all(r["kind"] == "" for r in charter)     # SPEC §6: keep, improve or empty


def test_check_warns_of_them_and_strict_fails(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("JIRASYNC_TEST_TOKEN", "x")
    config = write_programme(tmp_path, releases={"4.2.yaml": RELEASE})
    assert main(["check", "--config", str(config)]) == 0
    _, err = capsys.readouterr()
    (line,) = [ln for ln in err.splitlines() if "not answered" in ln]
    assert "4.2.yaml:4: extends: 6 lessons of template 'standard' not answered (" in line
    assert all(lid in line for lid in UNANSWERED)
    assert main(["check", "--strict", "--config", str(config)]) == 2
    capsys.readouterr()
    config.parent.joinpath("releases", "4.2.yaml").write_text(
        RELEASE + "".join(f"  - id: {lid}\n    kind: keep\n" for lid in UNANSWERED))
    assert main(["check", "--strict", "--config", str(config)]) == 0
    assert "not answered" not in capsys.readouterr().err


def test_init_leaves_an_example_that_check_refuses_until_replaced(tmp_path, capsys,
                                                                   monkeypatch):
    monkeypatch.setenv("JIRA_API_TOKEN", "x")
    monkeypatch.chdir(tmp_path)
    assert main(["init", "programme"]) == 0
    out = capsys.readouterr().out
    assert "replace the example lesson in programme/releases/1.0.yaml, then run:" in out
    config = tmp_path / "programme" / "jirasync.yaml"
    assert main(["check", "--config", str(config)]) == 2
    out, err = capsys.readouterr()
    errors = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and "1.0.yaml:11: lessons[example-keep].title" in errors[0], errors
    assert "example `jirasync init` wrote" in errors[0]
    assert "online checks skipped" not in out          # none were asked for
    # --online with errors in the files: the Jira checks are skipped, and it says so.
    assert main(["check", "--online", "--config", str(config)]) == 2
    out, err = capsys.readouterr()
    assert out.splitlines()[-1] == ("online checks skipped: fix the errors below first, "
                                    "then run check --online again")
    assert "jira https://" not in out and len(err.splitlines()) == 1
    release = tmp_path / "programme" / "releases" / "1.0.yaml"
    release.write_text(release.read_text().replace(
        "Replace this with something that went well", "Cutover rehearsed twice"))
    assert main(["check", "--config", str(config)]) == 0
