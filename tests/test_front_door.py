"""The front door: `jirasync sandbox` to practise on, `jirasync init` to start, output that
behaves in a pipeline, progress on long runs, and help that tells the truth."""
from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import yaml

from jirasync.cli import build_parser, main
from jirasync.commands import COMMANDS
from jirasync.console import Console
from jirasync.sandbox import Sandbox

JIRASYNC = [sys.executable, "-m", "jirasync"]


# -- jirasync sandbox ----------------------------------------------------------------

def start_sandbox(*args: str, cwd: Path) -> tuple[subprocess.Popen, list[str]]:
    """Start `jirasync sandbox`, and read its introduction up to the Ctrl-C line."""
    proc = subprocess.Popen([*JIRASYNC, "sandbox", "--port", "0", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    while not lines or not lines[-1].startswith("Ctrl-C stops it"):
        line = proc.stdout.readline()
        assert line, proc.stderr.read()
        lines.append(line.rstrip("\n"))
    return proc, lines


def stop(proc: subprocess.Popen) -> tuple[int, str]:
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    return proc.returncode, err


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_sandbox_started_in_the_background_of_a_script_stops_on_a_signal(tmp_path, signum):
    """A script's `jirasync sandbox ... &` starts with SIGINT ignored; `kill -INT` (or a
    plain `kill`) must still stop it and keep its issues."""
    def background_of_a_script() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    proc = subprocess.Popen([*JIRASYNC, "sandbox", "--port", "0", "--data", "play"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            # PLW1509: the child only calls setsid
                            text=True, preexec_fn=background_of_a_script)  # noqa: PLW1509
    while not proc.stdout.readline().startswith("Ctrl-C stops it"):
        assert proc.poll() is None, proc.stderr.read()
    proc.send_signal(signum)
    try:
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "0 issues kept in play/sandbox-jira.json" in err
    assert (tmp_path / "play" / "sandbox-jira.json").is_file()


def run_in(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "JIRASYNC_CONFIG"}
    return subprocess.run([*JIRASYNC, *args], cwd=folder, capture_output=True, text=True,
                          env=env, timeout=120)


def test_sandbox_with_data_is_a_programme_to_sync_and_chase_that_survives_a_restart(
        tmp_path):
    proc, intro = start_sandbox("--data", "play", cwd=tmp_path)
    play = tmp_path / "play"
    try:
        assert intro[0].startswith("sandbox Jira (cloud) at http://127.0.0.1:")
        assert "credentials: email pmo-bot@example.org, API token sandbox-token" in intro
        synced = run_in(play, "sync")
        assert synced.returncode == 0, synced.stderr
        assert synced.stdout.splitlines()[-1] == "sync: 35 created, 0 updated"
        chased = run_in(play, "chase")
        assert chased.returncode == 0, chased.stderr
        assert chased.stdout.splitlines()[-1].startswith("chase: 8 open actions")
        # As Jira Cloud does: "`id` Returns only issue IDs".
        url = intro[0].split(" at ", 1)[1].split()[0].rstrip(",")
        answer = requests.post(f"{url}/rest/api/2/search/jql", auth=(
            "pmo-bot@example.org", "sandbox-token"), json={"jql": "project = DCR",
                                                           "fields": ["id"]}, timeout=30)
        issues = answer.json()["issues"]
        assert len(issues) == 35 and all(set(i) == {"id"} for i in issues)
    finally:
        code, err = stop(proc)
    assert code == 0 and "35 issues kept in play/sandbox-jira.json" in err
    assert oct((play / "sandbox.token").stat().st_mode & 0o777) == "0o600"
    assert oct((play / "sandbox-jira.json").stat().st_mode & 0o777) == "0o600"

    proc, intro = start_sandbox("--data", "play", cwd=tmp_path)
    try:
        assert "(35 issues restored)" in intro[0]
        again = run_in(play, "sync")
        assert again.stdout.splitlines()[-1] == "sync: 0 created, 0 updated, 35 unchanged"
    finally:
        stop(proc)


def test_a_second_sandbox_on_the_same_data_folder_is_refused_and_changes_nothing(tmp_path):
    proc, intro = start_sandbox("--data", "play", cwd=tmp_path)
    try:
        config = (tmp_path / "play" / "jirasync.yaml").read_text()
        second = run_in(tmp_path, "sandbox", "--port", "0", "--data", "play")
        url = intro[0].split(" at ")[1].split(",")[0]
        assert second.returncode == 2
        assert second.stderr.splitlines() == [
            (f"error: another `jirasync sandbox` already serves --data play (at {url}); use "
            "that one, stop it (Ctrl-C there), or give another --data folder")]
        assert (tmp_path / "play" / "jirasync.yaml").read_text() == config
    finally:
        stop(proc)


def test_sandbox_without_data_prints_a_config_section_for_data_center(tmp_path):
    proc, intro = start_sandbox("--flavour", "datacenter", cwd=tmp_path)
    try:
        url = intro[0].split(" at ")[1].split(",")[0]
        snippet = "\n".join(line[2:] for line in intro if line.startswith("  "))
        jira = yaml.safe_load(snippet)["jira"]
        assert jira == {"url": url, "auth": {"type": "pat", "token_env": "JIRA_API_TOKEN"},
                        "project": "DCR"}
        assert "credentials: personal access token sandbox-pat" in intro
    finally:
        code, _ = stop(proc)
    assert code == 0 and list(tmp_path.iterdir()) == []


def test_saved_issues_come_back_with_their_keys_comments_and_counters(tmp_path):
    with Sandbox() as first:
        epic = first.create_issue("Epic", "Lessons learnt: 4.2", labels=["lessons-learnt"])
        task = first.create_issue("Task", "A lesson", parent=epic, duedate="2026-12-01")
        first.add_comment(task, "a comment")
        first.delete(first.create_issue("Task", "gone"))
        first.save(tmp_path / "saved.json")
    with Sandbox() as second:
        assert second.restore(tmp_path / "saved.json") == 2
        restored = second.issue(task)
        assert restored.fields["duedate"] == "2026-12-01"
        assert restored.fields["parent"]["key"] == epic
        assert [c["body"] for c in restored.comments] == ["a comment"]
        assert second.create_issue("Task", "next") == "DCR-4"     # keys are never reused
    with Sandbox("datacenter") as other, pytest.raises(ValueError, match="cloud sandbox"):
        other.restore(tmp_path / "saved.json")


# -- jirasync init -------------------------------------------------------------------

def test_init_writes_a_project_that_checks_and_never_overwrites(tmp_path, capsys,
                                                                 monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["init", "lessons"]) == 0
    assert "wrote lessons/jirasync.yaml" in capsys.readouterr().out
    config = (tmp_path / "lessons" / "jirasync.yaml").read_text()
    assert "# jirasync.yaml — every key" in config               # the commented example
    assert ".jirasync/" in (tmp_path / "lessons" / ".gitignore").read_text()
    assert "extends: standard" in (tmp_path / "lessons" / "releases" / "1.0.yaml").read_text()

    # Its example lesson is an error until replaced: it must never reach Jira as written.
    assert main(["check", "--config", "lessons/jirasync.yaml"]) == 2
    assert "example `jirasync init` wrote" in capsys.readouterr().err
    release = tmp_path / "lessons" / "releases" / "1.0.yaml"
    release.write_text(release.read_text().replace("Replace this with something that went "
                                                   "well", "Two cutover rehearsals"))
    assert main(["check", "--config", "lessons/jirasync.yaml"]) == 0
    assert "release 1.0 (lessons/releases/1.0.yaml): ok" in capsys.readouterr().out

    before = config
    (tmp_path / "lessons" / ".gitignore").unlink()
    assert main(["init", "lessons"]) == 2
    assert "lessons/jirasync.yaml already exists" in capsys.readouterr().err
    assert (tmp_path / "lessons" / "jirasync.yaml").read_text() == before
    assert not (tmp_path / "lessons" / ".gitignore").exists()


def test_check_without_a_config_points_at_init(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JIRASYNC_CONFIG", raising=False)
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "jirasync.yaml" in err and "jirasync init" in err


@pytest.mark.parametrize("argv", [["sync"], ["status"], ["check"], ["run", "--once"]])
def test_a_missing_config_names_where_it_was_looked_for(argv, tmp_path, capsys,
                                                         monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JIRASYNC_CONFIG", raising=False)
    assert main(argv) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert f"no config file at {tmp_path / 'jirasync.yaml'};" in line
    assert "jirasync init" in line and "set JIRASYNC_CONFIG" in line


def test_run_from_the_releases_folder_names_the_programme_s_config(tmp_path, capsys,
                                                                    monkeypatch):
    (tmp_path / "jirasync.yaml").write_text("jira: {}\n", encoding="utf-8")
    (tmp_path / "releases").mkdir()
    monkeypatch.chdir(tmp_path / "releases")
    monkeypatch.delenv("JIRASYNC_CONFIG", raising=False)
    assert main(["status"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert f"the programme's is {tmp_path / 'jirasync.yaml'}: run from {tmp_path}" in line
    assert line.endswith("or give --config ../jirasync.yaml")


def test_a_missing_config_named_by_the_variable_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JIRASYNC_CONFIG", "/nope.yaml")
    assert main(["status"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert "no config file at /nope.yaml (named by $JIRASYNC_CONFIG)" in line
    assert "set JIRASYNC_CONFIG" not in line and "unset it" in line
    assert main(["status", "--config", "elsewhere/x.yaml"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert f"no config file at {tmp_path / 'elsewhere' / 'x.yaml'} (given by --config)" in line
    assert "JIRASYNC_CONFIG" not in line


def test_the_example_config_is_in_the_wheel():
    pyproject = (Path(__file__).parent.parent / "pyproject.toml").read_text()
    assert '"config.example.yaml" = "jirasync/config.example.yaml"' in pyproject


# -- pipes and progress --------------------------------------------------------------

def test_a_closed_pipe_ends_quietly(tmp_path):
    from tests.helpers import write_programme
    config = write_programme(tmp_path)
    read, write = os.pipe()
    os.close(read)                                  # the reader is gone before we start
    done = subprocess.run([*JIRASYNC, "check", "--config", str(config)], stdout=write,
                          stderr=subprocess.PIPE, text=True, timeout=60)
    os.close(write)
    assert done.returncode == 0 and "Error" not in done.stderr, done.stderr
    assert "BrokenPipe" not in done.stderr and "unexpected" not in done.stderr


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_in_a_log_is_a_line_every_few_seconds_with_the_rate():
    err, clock = io.StringIO(), FakeClock()
    meter = Console(err=err).meter(clock)
    for done in range(1, 301):
        clock.now += 0.1                            # 10 items a second, 30 s in all
        meter(f"sent {done} of 300 items")
    lines = err.getvalue().splitlines()
    assert lines[0] == "sent 1 of 300 items (10.0/s)"
    assert lines[-1] == "sent 300 of 300 items"
    assert 6 <= len(lines) <= 8                      # one every 5 s, not one per item


def test_progress_on_a_terminal_is_one_line_kept_up_to_date():
    class Terminal(io.StringIO):
        def isatty(self):
            return True
    err, clock = Terminal(), FakeClock()
    meter = Console(err=err).meter(clock)
    for done in range(1, 11):
        clock.now += 1
        meter(f"sent {done} of 10 items")
    text = err.getvalue()
    assert text.count("\n") == 1 and text.count("\r") == 10
    assert text.endswith("\rsent 10 of 10 items\x1b[K\n")


# -- help ----------------------------------------------------------------------------

def test_main_help_lists_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "exit codes:" in out and "2  usage, config or input error" in out


@pytest.mark.parametrize("name", [c.name for c in COMMANDS])
def test_each_command_help_lists_the_exit_codes_one_a_line(name, capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args([name, "--help"])
    out = capsys.readouterr().out
    assert "\n  0  done\n" in out and "\n  2  usage, config or input error" in out


@pytest.mark.parametrize("name", [c.name for c in COMMANDS if not c.uses_config])
def test_commands_that_read_no_config_neither_offer_nor_accept_it(name, capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args([name, "--help"])
    assert "--config" not in capsys.readouterr().out
    with pytest.raises(SystemExit) as caught:
        main(["--config", "x.yaml", name])
    assert caught.value.code == 2
    assert "does not read a config file" in capsys.readouterr().err


def test_every_option_in_help_is_accepted():
    """Each option a command's help offers parses (and, by the test above, is used)."""
    parser = build_parser()
    for command in COMMANDS:
        sub = parser._subparsers._group_actions[0].choices[command.name]
        for action in sub._actions:
            for flag in action.option_strings:
                if flag in ("-h", "--help"):
                    continue
                value = list(action.choices or ["1"])[:1]
                argv = [command.name, flag] + ([] if action.nargs == 0 else value)
                if command.name == "init":
                    argv.append("x")
                args = parser.parse_args(argv)
                assert args.command == command.name


@pytest.mark.over_http                  # a port really in use
def test_sandbox_port_in_use_is_one_line(capsys):
    with Sandbox() as busy:
        port = int(busy.url.rsplit(":", 1)[1])
        started = time.monotonic()
        assert main(["sandbox", "--port", str(port)]) == 2
        assert time.monotonic() - started < 10
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"cannot listen on 127.0.0.1:{port}" in err


@pytest.mark.parametrize("blocker", ["lessons", "lessons/releases", "dangling"])
def test_init_where_a_file_stands_for_a_folder_is_one_line_and_writes_nothing(
        blocker, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    if blocker == "dangling":
        (tmp_path / "lessons").symlink_to(tmp_path / "nowhere")
    else:
        (tmp_path / blocker).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / blocker).write_text("mine\n")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    assert main(["init", "lessons"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is a file, not a folder" in err, err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_sandbox_data_that_is_a_file_is_one_line_exit_2(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "play").write_text("mine\n")
    assert main(["sandbox", "--port", "0", "--data", "play"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--data play is a file" in err, err
    assert (tmp_path / "play").read_text() == "mine\n"


@pytest.mark.parametrize("argv,said", [
    (["sync", "--dryrun"], "sync: error: unknown option --dryrun; did you mean --dry-run?"),
    (["status", "--releese", "4.3"],
     "status: error: unknown option --releese; did you mean --release?"),
    (["chase", "--today=2026-11-20", "--dryrun"],
     "chase: error: unknown option --dryrun; did you mean --dry-run?"),
    (["sync", "--zzzz"], "sync: error: unknown option --zzzz; see jirasync sync --help"),
    (["sync", "4.3"], "sync: error: unexpected argument '4.3'; see jirasync sync --help"),
])
def test_a_mistyped_option_is_one_line_naming_the_command_and_the_closest(argv, said,
                                                                           capsys):
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert capsys.readouterr().err == f"jirasync {said}\n"


def test_an_unknown_command_still_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["synk"])
    assert caught.value.code == 2
    assert "invalid choice: 'synk'" in capsys.readouterr().err
