"""deploy/: every recipe loads, asks for the hardening the README promises, and runs
only commands and options the CLI has. The systemd units pass ``systemd-analyze verify``."""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from jirasync.cli import build_parser

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
UNITS = ("jirasync.service", "jirasync-once.service", "jirasync.timer")


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


def manifests() -> list[dict]:
    return [doc for path in sorted((DEPLOY / "kubernetes").glob("*.yaml"))
            for doc in yaml.safe_load_all(path.read_text()) if doc]


def containers(doc: dict) -> list[dict]:
    spec = doc["spec"]
    pod = spec["jobTemplate"]["spec"]["template"]["spec"] if doc["kind"] == "CronJob" \
        else spec["template"]["spec"]
    return pod["containers"]


@pytest.mark.parametrize("name,once", [("jirasync.service", False),
                                       ("jirasync-once.service", True)])
def test_systemd_units_run_the_cli_hardened(name, once):
    u = unit(name)
    (command,) = u["ExecStart"]
    argv = shlex.split(command)
    assert argv[0].endswith("/jirasync") and ("--once" in argv) is once
    parses(argv[1:])
    for key, value in [("DynamicUser", "yes"), ("StateDirectory", "jirasync"),
                       ("ProtectSystem", "strict"), ("NoNewPrivileges", "yes")]:
        assert u[key] == [value], key
    assert u["LoadCredential"][0].startswith("jira-token:")


def test_the_timer_starts_the_once_service():
    assert unit("jirasync.timer")["Unit"] == ["jirasync-once.service"]


def test_kubernetes_manifests_run_the_cli():
    docs = {doc["kind"]: doc for doc in manifests()}
    assert set(docs) == {"CronJob", "Deployment"}
    cron, deployment = docs["CronJob"], docs["Deployment"]
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    for doc in docs.values():
        (box,) = containers(doc)
        parses(box["args"])
        assert box["env"][0]["valueFrom"]["secretKeyRef"]["name"] == "jirasync-token"
    assert "--once" in containers(cron)[0]["args"]
    pod = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert {"name": "state", "emptyDir": {}} in pod["volumes"]
    (box,) = containers(deployment)
    port = box["ports"][0]["containerPort"]
    assert box["args"][box["args"].index("--listen") + 1].endswith(f":{port}")
    for probe in ("livenessProbe", "readinessProbe"):
        assert box[probe]["httpGet"]["path"] == "/healthz"


def test_containerfile_runs_the_cli_as_a_non_root_user():
    text = (DEPLOY / "Containerfile").read_text()
    entry = json.loads(re.search(r"^ENTRYPOINT (.+)$", text, re.M).group(1))
    cmd = json.loads(re.search(r"^CMD (.+)$", text, re.M).group(1))
    assert entry == ["jirasync"] and cmd == ["run"]
    parses(cmd)
    user = re.findall(r"^USER (\S+)$", text, re.M)
    assert user and user[-1] not in ("root", "0")
    ignored = (DEPLOY.parent / ".dockerignore").read_text().split()
    for copied in re.findall(r"^COPY (.+) \S+$", text, re.M):
        for path in copied.split():
            assert path not in ignored, f"{path} is copied but .dockerignore leaves it out"


def _systemd_analyze() -> str | None:
    found = shutil.which("systemd-analyze")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    subprocess.run(["apt-get", "install", "-y", "-q", "systemd"], capture_output=True,
                   timeout=600, check=False)
    return shutil.which("systemd-analyze")


def test_systemd_analyze_verify_passes(tmp_path):
    tool = _systemd_analyze()
    if tool is None:
        pytest.skip("systemd-analyze is not installed and cannot be (needs root and apt-get)")
    jirasync = shutil.which("jirasync") or str(Path(sys.executable).parent / "jirasync")
    for name in UNITS:      # verify wants ExecStart's program to exist: this one's
        text = (DEPLOY / "systemd" / name).read_text()
        (tmp_path / name).write_text(text.replace("/usr/local/bin/jirasync", jirasync))
    done = subprocess.run([tool, "verify", "--man=no", *(str(tmp_path / n) for n in UNITS)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
