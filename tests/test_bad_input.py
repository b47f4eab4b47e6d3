"""Every bad input a newcomer or an adversary tried: one line naming where (file:line, key)
and what to do, exit 2, and not one request that writes to Jira."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest

from jirasync.cli import main
from tests.helpers import RELEASE, closed_port, write_programme

ENV = "JIRASYNC_TEST_TOKEN"
TOKEN = "sandbox-token"


def config_text(url: str, *, auth: str = f"    token_env: {ENV}\n", extra: str = "") -> str:
    return (f"jira:\n  url: {url}\n  auth:\n    email: pmo-bot@example.org\n{auth}"
            f"  project: DCR\n{extra}timezone: Europe/London\n"
            "people:\n  release_manager: jodie.crowfoot@example.org\n"
            "  pmo_lead: pmo@example.org\n")


def release_with(**lines: str) -> str:
    """The standard release with some lines replaced (old text -> new text)."""
    text = RELEASE
    for old, new in lines.values():
        assert old in text
        text = text.replace(old, new)
    return text


TITLE = "title: Partners turned their feeds off late before the drop"


@dataclass(frozen=True)
class Case:
    argv: tuple[str, ...]
    fragments: tuple[str, ...]
    url: str | None = None                   # None: the sandbox's
    auth: str = f"    token_env: {ENV}\n"
    extra: str = ""                          # config lines after the jira section
    config: str | None = None                # the whole config text instead
    releases: dict[str, str | bytes] = field(default_factory=dict)
    token: str | None = TOKEN                # the variable's value; None: unset
    token_file: tuple[str, int] | None = None   # (content, mode)
    also_out: tuple[str, ...] = ()           # fragments of stdout (what was still reported)
    code: int = 2
    lines: int = 1                           # lines on stderr (--strict adds its verdict)


def rule(text: str) -> str:
    return f'review:\n  rule: "{text}"\n'


EXTENDS = "live_date: 2026-10-14\n"
INIT_EXAMPLE = "title: Replace this with something that went well"
# Template lessons answered by id: their titles and kinds come from the template.
ANSWERED = "".join(f"  - id: {lid}\n    kind: improve\n" if n % 2 else f"  - id: {lid}\n"
                   for n, lid in enumerate(("partner-feeds-off", "delivery-charter",
                                            "skeleton-plan", "partner-comms",
                                            "previous-lessons")))

CASES = {
    "init-example-left-in-place": Case(
        ("check",), ("4.2.yaml:7", "lessons[feeds-off].title", "example `jirasync init` wrote",
                     "write the real text"),
        releases={"4.2.yaml": release_with(t=(TITLE, INIT_EXAMPLE))}),
    "init-example-left-in-place-sync": Case(
        ("sync",), ("4.2.yaml:7", "lessons[feeds-off].title", "example `jirasync init` wrote"),
        releases={"4.2.yaml": release_with(t=(TITLE, INIT_EXAMPLE))}),
    "init-example-in-an-action": Case(
        ("check",), ("4.2.yaml:", "lessons[feeds-off].actions[feeds-checklist].title", "example `jirasync init`"),
        releases={"4.2.yaml": release_with(t=("title: Add feed shutdown",
                                              "title: Replace this with what will be done;"))}),
    "template-lessons-not-answered": Case(
        ("check",), ("4.2.yaml:4", "extends",
                     "7 lessons of template 'standard' not answered", "list each under lessons"),
        code=0,
        releases={"4.2.yaml": release_with(e=(EXTENDS, EXTENDS + "extends: standard\n"))}),
    "template-lessons-not-answered-strict": Case(
        ("check", "--strict"), ("4.2.yaml:4", "extends", "not answered"), lines=2,
        releases={"4.2.yaml": release_with(e=(EXTENDS, EXTENDS + "extends: standard\n"))}),
    "extends-a-mistyped-template": Case(
        ("check",), ("4.2.yaml:4", "extends", "release template 'standrad' not found",
                     "did you mean 'standard'?"),
        releases={"4.2.yaml": release_with(e=(EXTENDS, EXTENDS + "extends: standrad\n"),
                                           a=("lessons:\n", "lessons:\n" + ANSWERED))}),
    "extends-a-mistyped-template-sync": Case(
        ("sync",), ("4.2.yaml:4", "release template 'standrad' not found",
                    "did you mean 'standard'?"),
        releases={"4.2.yaml": release_with(e=(EXTENDS, EXTENDS + "extends: standrad\n"),
                                           a=("lessons:\n", "lessons:\n" + ANSWERED))}),
    "extends-no-template-near": Case(
        ("check",), ("4.2.yaml:4", "release template 'retro' not found",
                     "templates there: standard"),
        releases={"4.2.yaml": release_with(e=(EXTENDS, EXTENDS + "extends: retro\n"),
                                           a=("lessons:\n", "lessons:\n" + ANSWERED))}),
    "extends-not-a-name": Case(
        ("check",), ("4.2.yaml:4", "extends", "must be a template's name"),
        releases={"4.2.yaml": release_with(e=(EXTENDS, EXTENDS + "extends: the standard\n"),
                                           a=("lessons:\n", "lessons:\n" + ANSWERED))}),
    "extends-right-but-a-lesson-untitled": Case(
        ("check",), ("4.2.yaml:", "lessons[mine].title", "is required and missing"),
        releases={"4.2.yaml": release_with(
            e=(EXTENDS, EXTENDS + "extends: standard\n"),
            a=("lessons:\n", "lessons:\n" + ANSWERED + "  - id: mine\n    kind: keep\n"))}),
    "nul-byte-in-a-release-file": Case(
        ("check",), ("bad.yaml:2", "NUL", "remove"),
        releases={"bad.yaml": b'id: "9"\nname: a\x00b\nlive_date: 2026-10-14\n'},
        also_out=("release 4.2 (", "ok")),
    "nesting-a-thousand-deep": Case(
        ("check",), ("deep.yaml:1", "nested", "levels"),
        releases={"deep.yaml": "lessons: " + "[" * 1000 + "]" * 1000 + "\n"},
        also_out=("release 4.2 (",)),
    "json-surrogate-escapes": Case(
        ("check",), ("4.2.yaml:7", "lessons[feeds-off].title", "\\ud83d",
                     "write the character itself"),
        releases={"4.2.yaml": release_with(t=(TITLE, 'title: "Launch \\ud83d\\ude80 late"'))}),
    "title-with-carriage-return": Case(
        ("check",), ("4.2.yaml:7", "lessons[feeds-off].title", "line break"),
        releases={"4.2.yaml": release_with(t=(TITLE, 'title: "Partners\\rturned off"'))}),
    "rule-byday-99tu": Case(
        ("check",), ("jirasync.yaml:", "review.rule", "99TU"),
        extra=rule("FREQ=MONTHLY;BYDAY=99TU")),
    "rule-huge-interval": Case(
        ("check",), ("jirasync.yaml:", "review.rule", "no meeting in the next two years"),
        extra=rule("FREQ=MONTHLY;INTERVAL=999999999")),
    "rule-with-a-newline": Case(
        ("check",), ("jirasync.yaml:", "review.rule", "line break"),
        extra='review:\n  rule: "FREQ=MONTHLY;\\nBYDAY=1TU"\n'),
    "rule-bymonthday-0": Case(
        ("check",), ("jirasync.yaml:", "review.rule", "BYMONTHDAY=0"),
        extra=rule("FREQ=MONTHLY;BYMONTHDAY=0")),
    "rule-every-day": Case(
        ("check",), ("jirasync.yaml:", "review.rule", "every day"),
        extra=rule("FREQ=DAILY")),
    "today-year-1": Case(("chase", "--today", "0001-01-01"), ("--today", "0001-01-01")),
    "today-year-9999": Case(("chase", "--today", "9999-12-31"), ("--today", "9999-12-31")),
    "url-bad-port": Case(("sync",), ("jirasync.yaml:2", "jira.url", "port"),
                         url="https://jira.example.org:99999"),
    "url-bracket": Case(("sync",), ("jirasync.yaml:2", "jira.url"),
                        url="https://[jira.example.org"),
    "token-not-latin-1": Case(("sync",), ("jira.auth.token_env", ENV, "character"),
                              token="tøken—€"),
    "token-inner-newline": Case(("sync",), ("jira.auth.token_env", ENV, "line"),
                                token="abc\ndef"),
    "token-empty": Case(("sync",), ("jira.auth.token_env", ENV, "is empty"), token=""),
    "token-unset": Case(("sync",), ("jira.auth.token_env", ENV, "is not set"), token=None),
    # Exit 1: Jira's refusal of a well-formed config (a token revoked since yesterday).
    "token-wrong": Case(("sync",), ("jirasync.yaml:5", "jira.auth.token_env", ENV, "401",
                                    "did not accept"), token="not-the-token"),
    "token-file-readable-by-others": Case(
        ("sync",), ("jira.auth.token_file", "chmod 600"),
        auth="    token_file: token.txt\n", token_file=(TOKEN, 0o644)),
    "label-over-255": Case(
        ("check",), ("jirasync.yaml:8", "jira.labels.all", "255"),
        extra="  labels:\n    all: " + "x" * 256 + "\n"),
    "state-dir-is-a-file": Case(
        ("sync",), ("jirasync.yaml:", "state_dir", "is a file"),
        extra="state_dir: releases/4.2.yaml\n"),
    "deck-to-pdf": Case(
        ("deck", "4.2", "-o", "board.pdf"),
        ("-o board.pdf", ".html, .md or .pptx", "not PDF", "--print-to-pdf=board.pdf",
         "board.html", "docs/deck.md")),
    "deck-to-pdf-with-format": Case(
        ("deck", "4.2", "--format", "html", "-o", "board.pdf"), ("-o board.pdf", "not PDF")),
    "deck-to-an-unknown-extension": Case(
        ("deck", "4.2", "-o", "board.txt"),
        ("-o board.txt", ".html, .md or .pptx", "not .txt", "--format")),
    "yaml-indentation": Case(
        ("check",), ("jirasync.yaml:3", "indent"),
        config="jira:\n  url: https://x.example.org\n   auth:\n    email: a@b.org\n"),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_input_is_one_line_exit_2_nothing_written(case, tmp_path, capsys, monkeypatch,
                                                      sandbox_cloud):
    url = case.url or sandbox_cloud.url
    config = case.config or config_text(url, auth=case.auth, extra=case.extra)
    path = write_programme(tmp_path, config=config)
    for name, text in case.releases.items():
        target = tmp_path / "releases" / name
        target.write_bytes(text if isinstance(text, bytes) else text.encode())
    if case.token_file:
        (tmp_path / "token.txt").write_text(case.token_file[0])
        os.chmod(tmp_path / "token.txt", case.token_file[1])
    if case.token is None:
        monkeypatch.delenv(ENV, raising=False)
    else:
        monkeypatch.setenv(ENV, case.token)
    monkeypatch.chdir(tmp_path)

    code = main([*case.argv, "--config", str(path)])

    out, err = capsys.readouterr()
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == case.code, err
    assert len(lines) == case.lines, err
    for fragment in case.fragments:
        assert fragment in lines[0], lines[0]
    for fragment in case.also_out:
        assert fragment in out, out
    assert "unexpected failure" not in err
    assert sandbox_cloud.count(write=True) == 0
    assert not list(tmp_path.glob("board*")), "a refused -o writes no file"


def test_nothing_listening_is_one_line(tmp_path, capsys, caplog, monkeypatch):
    path = write_programme(tmp_path, config=config_text(f"http://127.0.0.1:{closed_port()}"))
    monkeypatch.setenv(ENV, TOKEN)
    code = main(["sync", "--config", str(path)])
    err = capsys.readouterr().err
    assert code == 1                     # Jira unreachable is a runtime failure (SPEC §4)
    assert err.count("\n") == 1 and not caplog.records, (err, caplog.records)
    assert "could not reach Jira" in err and "jira.url" in err
    assert "is `jirasync sandbox` running?" in err       # a loopback address: the sandbox


def test_verbose_does_not_ask_to_run_with_verbose(tmp_path, capsys, monkeypatch):
    import jirasync.commands.check as check_command

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")
    monkeypatch.setattr(check_command, "check", broken)
    assert main(["check", "-v", "--config", str(write_programme(tmp_path))]) == 1
    err = capsys.readouterr().err
    assert "unexpected failure: RuntimeError: a bug" in err
    assert "run with -v" not in err
    assert main(["check", "--config", str(write_programme(tmp_path))]) == 1
    assert "run with -v for details" in capsys.readouterr().err


@pytest.mark.parametrize("url", ["https://pmo:s3cret-pw@jira.example.org",
                                 "https://pmo:s3cret-pw@jira.example.org:99999",
                                 "https://pmo:s3cret/pw@jira.example.org",
                                 "https://pmo:s3cret-pw@jira example.org"])
@pytest.mark.parametrize("argv", [("check",), ("check", "--online"), ("sync",), ("status",)])
def test_credentials_in_the_url_are_refused_and_never_printed(url, argv, tmp_path, capsys,
                                                              monkeypatch):
    path = write_programme(tmp_path, config=config_text(url))
    monkeypatch.setenv(ENV, TOKEN)
    code = main([*argv, "--config", str(path)])
    out, err = capsys.readouterr()
    assert code == 2, err
    assert err.count("\n") == 1 and "jirasync.yaml:2" in err and "jira.url" in err, err
    assert "s3cret" not in out + err
    assert not (tmp_path / ".jirasync").exists()


@pytest.mark.parametrize("email", ["pmo-bot@example.org", "pmo.bot@example.org"],
                         ids=["token-wrong", "email-wrong"])
def test_a_refused_sign_in_names_the_token_file_and_both_to_check(email, tmp_path, capsys,
                                                                   sandbox_cloud):
    """The sandbox's token file is not named like the token it holds, so the masking of
    secrets leaves its path readable; and either the email or the token may be wrong."""
    from jirasync.commands.sandbox import write_programme as practice_folder
    config = practice_folder(tmp_path / "x", sandbox_cloud.url, pat=False)
    token = tmp_path / "x" / "sandbox.token"
    assert token.read_text() == f"{TOKEN}\n"
    text = config.read_text().replace("email: pmo-bot@example.org", f"email: {email}")
    config.write_text(text)
    if email == "pmo-bot@example.org":
        token.write_text("not-the-token\n")
    code = main(["sync", "--config", str(config)])
    [line] = capsys.readouterr().err.splitlines()
    assert code == 2
    assert f"token file {token}" in line and "[redacted]" not in line, line
    assert f"check the email and the token: is {email} the account" in line, line
    assert sandbox_cloud.count(write=True) == 0


def test_a_practice_folder_with_the_old_token_file_keeps_it(tmp_path, sandbox_cloud):
    from jirasync.commands.sandbox import write_programme as practice_folder
    play = tmp_path / "play"
    play.mkdir()
    (play / "sandbox-token").write_text(f"{TOKEN}\n")
    os.chmod(play / "sandbox-token", 0o600)
    config = practice_folder(play, sandbox_cloud.url, pat=False)
    assert "token_file: sandbox-token" in config.read_text()
    assert not (play / "sandbox.token").exists()
    assert main(["sync", "--config", str(config)]) == 0
