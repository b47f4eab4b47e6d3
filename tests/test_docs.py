"""The README and the help stay true: every command is documented and has help, the
quick-start commands are there, every relative link in the README and docs/ leads to a
file, and the installed package runs the demo from anywhere."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from jirasync.cli import build_parser
from jirasync.commands import COMMANDS

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [c.name for c in COMMANDS])
def test_every_command_has_help_and_is_in_the_readme(name, capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args([name, "--help"])
    assert exit_info.value.code == 0
    assert len(capsys.readouterr().out) > 100
    assert f"jirasync {name}" in README


def test_readme_opens_with_the_two_quick_start_commands():
    assert ".venv/bin/jirasync demo" in README
    assert ".venv/bin/python -m pytest" in README
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install --quiet '.[test]'" in ci and ".venv/bin/python -m pytest" in ci


DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def relative_links(text: str) -> list[str]:
    """The targets of a Markdown text's links and images that name a file here: not a web
    address, a mail address or an anchor of the same page; without their anchor."""
    targets = (m.group(1).split("#")[0] for m in LINK.finditer(text))
    return [t for t in targets if t and not re.match(r"[a-z][a-z0-9+.-]*:", t)]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_relative_link_leads_to_a_file(document):
    links = relative_links(document.read_text(encoding="utf-8"))
    missing = [t for t in links if not (document.parent / t).exists()]
    assert not missing, f"{document.relative_to(REPO)} links to missing {missing}"


def test_the_link_check_can_fail():
    assert relative_links("[a](docs/x.md#y) [b](https://x.org) [c](#top) ![d](p.png)") == [
        "docs/x.md", "p.png"]


def test_the_readme_is_a_short_front_door_that_links_its_depth():
    assert len(README.splitlines()) < 350
    for doc in ("choices.md", "measured.md", "layout.md", "operations.md"):
        assert f"(docs/{doc})" in README, doc


def test_every_config_key_in_the_example_is_documented_in_the_spec_order():
    example = (REPO / "config.example.yaml").read_text(encoding="utf-8")
    for key in ("url", "flavour", "token_env", "token_file", "issue_types", "labels",
                "fields", "timeout_s", "max_requests_per_s", "max_retry_s", "releases_dir",
                "templates_dir", "state_dir", "timezone", "rule", "prompt_days_before",
                "reminder", "escalation", "people", "schedule"):
        assert re.search(rf"^\s*#?\s*{key}:", example, re.MULTILINE), key


def installed_script() -> Path | None:
    script = Path(sys.executable).parent / "jirasync"
    return script if script.exists() else None


@pytest.mark.skipif(installed_script() is None, reason="jirasync is not installed here")
def test_installed_package_runs_the_demo_from_any_folder(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([str(installed_script()), "demo", "--out", "demo"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "sync again: 0 created, 0 updated" in done.stdout
    assert (tmp_path / "demo" / "releases" / "4.2.yaml").is_file()
