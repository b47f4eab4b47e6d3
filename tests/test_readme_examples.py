"""Every `$ jirasync ...` example in the README still runs, as the quick start would run it:
`init` in an empty folder, the others in order in a fresh `jirasync sandbox --data`
programme (a sandbox Jira served by its own process), each with the exit code the README
shows: 2 where the example's output is an `error:` line, else 0."""
from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest

from jirasync.cli import main
from tests.test_front_door import start_sandbox, stop

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
# Examples that serve until stopped, and the demo (tests/test_demo.py and test_docs.py run
# it): run --listen is the service, started and stopped by tests/service.
NOT_RUN_HERE = {"run", "demo", "sandbox"}


@dataclass(frozen=True)
class Example:
    line: str                 # as the README writes it, after "$ "
    argv: tuple[str, ...]     # after "jirasync"
    stdout_to: str | None     # "> FILE"
    exit_code: int

    @property
    def command(self) -> str:
        return self.argv[0]


def examples(text: str = README) -> list[Example]:
    """The README's `$ jirasync` lines in order, each with the exit code its output shows."""
    found = []
    for block in FENCE.findall(text):
        lines = block.splitlines()
        for n, line in enumerate(lines):
            if not line.startswith("$ jirasync "):
                continue
            output = []
            for after in lines[n + 1:]:
                if after.startswith("$ "):
                    break
                output.append(after)
            words = shlex.split(line[2:], comments=True)[1:]
            to = None
            if ">" in words:
                at = words.index(">")
                words, to = words[:at], words[at + 1]
            code = 2 if any(o.startswith("error:") for o in output) else 0
            found.append(Example(line[2:], tuple(words), to, code))
    return found


EXAMPLES = examples()


def test_the_readme_examples_are_found():
    commands = {e.command for e in EXAMPLES}
    assert {"init", "check", "sync", "chase", "status", "export", "agenda", "deck", "run",
            "demo"} <= commands
    refused = [e.line for e in EXAMPLES if e.exit_code == 2]
    assert refused == ["jirasync agenda --review 2026-12-02"]
    assert [e.stdout_to for e in EXAMPLES if e.stdout_to] == ["programme.md"]


def test_an_example_whose_output_is_an_error_expects_exit_2():
    text = "```\n$ jirasync sync --nope   # a comment\nerror: no such option\n```\n"
    assert examples(text) == [Example("jirasync sync --nope   # a comment",
                                      ("sync", "--nope"), None, 2)]


def _run(example: Example, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    code = main(list(example.argv))
    out, err = capsys.readouterr()
    assert code == example.exit_code, f"$ {example.line}\n{out}\n{err}"
    if example.stdout_to:
        (folder / example.stdout_to).write_text(out, encoding="utf-8")
        assert out.strip(), f"$ {example.line} printed nothing"


def test_init_runs_as_the_readme_shows(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (init,) = [e for e in EXAMPLES if e.command == "init"]
    _run(init, tmp_path, capsys)
    assert (tmp_path / init.argv[1] / "jirasync.yaml").is_file()


def test_every_example_runs_against_a_fresh_sandbox_programme(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("JIRASYNC_CONFIG", raising=False)
    proc, _ = start_sandbox("--data", "play", cwd=tmp_path)
    play = tmp_path / "play"
    ran = []
    try:
        monkeypatch.chdir(play)
        for example in EXAMPLES:
            if example.command in NOT_RUN_HERE | {"init"}:
                continue
            _run(example, play, capsys)
            ran.append(example.command)
    finally:
        os.chdir(tmp_path)
        code, err = stop(proc)
    assert code == 0, err
    assert ran.count("sync") == 2 and "deck" in ran and "agenda" in ran
    assert (play / "board-4.3.pptx").is_file() and (play / "programme.json").is_file()
    assert "\n---\n" in (play / "programme.md").read_text(encoding="utf-8")   # slides
