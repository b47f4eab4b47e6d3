"""What the deploy tests read: the recipes in ``deploy/``, the install steps for them
(docs/operations.md, which the README links), and ``.ci/run``."""
from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from jirasync.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = ("jirasync.service", "jirasync-once.service", "jirasync.timer")
SERVICES = ("jirasync.service", "jirasync-once.service")


def parses(args: list[str]) -> None:
    """The CLI accepts ``args`` (argparse exits 2 on an unknown command or option)."""
    build_parser().parse_args(args)


def unit(name: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in (DEPLOY / "systemd" / name).read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            out.setdefault(key.strip(), []).append(value.strip())
    return out


def manifests() -> dict[str, dict]:
    """The Kubernetes manifests by kind."""
    docs = [doc for path in sorted((DEPLOY / "kubernetes").glob("*.yaml"))
            for doc in yaml.safe_load_all(path.read_text()) if doc]
    return {doc["kind"]: doc for doc in docs}


def pod(doc: dict) -> dict:
    spec = doc["spec"]
    return spec["jobTemplate"]["spec"]["template"]["spec"] if doc["kind"] == "CronJob" \
        else spec["template"]["spec"]


def containerfile() -> dict[str, list[str]]:
    """The Containerfile's instructions, each with its arguments, in order."""
    out: dict[str, list[str]] = {}
    for line in (DEPLOY / "Containerfile").read_text().splitlines():
        if line and not line.startswith(("#", " ")):
            word, _, rest = line.partition(" ")
            out.setdefault(word, []).append(rest.strip())
    return out


def exec_form(text: str) -> list[str]:
    return json.loads(text)


def readme_section(title: str) -> str:
    """The install steps' text (the README links them, in docs/operations.md) from the bold
    paragraph opening with ``title`` to the next one."""
    text = (ROOT / "docs" / "operations.md").read_text()
    start = text.index(f"**{title}")
    ends = [i for i in (text.find("\n**", start + 2), text.find("\n#", start)) if i > 0]
    return text[start:min(ends, default=len(text))]


def shell_lines(section: str) -> list[str]:
    """The commands of the section's ``sh`` blocks."""
    blocks = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def plain(command: str) -> str:
    """A command without ``sudo`` and pip's ``--quiet``: the same step, however run."""
    return " ".join(w for w in command.split() if w not in ("sudo", "$sudo", "--quiet", "-q"))
