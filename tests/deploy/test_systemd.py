"""The systemd units as shipped: they run the program the README installs, as a dynamic
user with its state, its config and its token from systemd; ``systemd-analyze verify``
passes once the README's install is made (``.ci/run`` makes it); and a pass of
``run --once`` works the way the unit runs it."""
from __future__ import annotations

import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.deploy.recipes import (
    DEPLOY,
    ROOT,
    SERVICES,
    UNITS,
    parses,
    plain,
    readme_section,
    shell_lines,
    unit,
)
from tests.service.conftest import TOKENS, release_yaml

README = readme_section("systemd")
INSTALL = shell_lines(README)


def venv() -> Path:
    """Where the README installs jirasync (``python3 -m venv DIR && DIR/bin/pip ...``)."""
    (line,) = [c for c in INSTALL if "-m venv" in c]
    words = plain(line).split()
    return Path(words[words.index("venv") + 1])


def test_the_readme_installs_into_a_virtualenv_the_ci_installs_too():
    line = plain(next(c for c in INSTALL if "-m venv" in c))
    assert line == f"python3 -m venv {venv()} && {venv()}/bin/pip install ."
    ci = [plain(c) for c in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert line in ci, ".ci/run must make the README's install, so the units verify"


@pytest.mark.parametrize("name", SERVICES)
def test_each_unit_runs_the_installed_program_as_a_dynamic_user(name):
    u = unit(name)
    argv = shlex.split(u["ExecStart"][0])
    assert argv[0] == f"{venv()}/bin/jirasync"
    assert ("--once" in argv) is (name == "jirasync-once.service")
    parses(argv[1:])
    assert argv[argv.index("--config") + 1] == "/etc/jirasync/jirasync.yaml"
    for key, value in [("DynamicUser", "yes"), ("User", "jirasync"),
                       ("StateDirectory", "jirasync"), ("StateDirectoryMode", "0700"),
                       ("ConfigurationDirectory", "jirasync"),
                       ("LoadCredential", "jira-token:/etc/jirasync/token"),
                       ("WorkingDirectory", "/var/lib/jirasync"),
                       ("ProtectSystem", "strict"), ("NoNewPrivileges", "yes")]:
        assert u[key] == [value], key


def test_the_timer_starts_the_once_service():
    assert unit("jirasync.timer")["Unit"] == ["jirasync-once.service"]


def test_the_readme_puts_config_token_and_state_where_the_units_look():
    """The config readable by the dynamic user, the token root's alone (systemd hands the
    unit a copy), the config's paths the units' folders and credential."""
    assert "sudo install -d -m 0755 /etc/jirasync" in " ".join(INSTALL)
    assert "install -m 0644 jirasync.yaml /etc/jirasync/" in " ".join(INSTALL)
    assert "chmod -R a+rX,go-w /etc/jirasync/releases" in " ".join(INSTALL)
    token = next(c for c in INSTALL if "/etc/jirasync/token" in c)
    assert "-m 0600" in token
    credential, source = unit("jirasync.service")["LoadCredential"][0].split(":")
    assert source == "/etc/jirasync/token"
    assert f"`token_file: ${{CREDENTIALS_DIRECTORY}}/{credential}`" in README
    assert f"`state_dir: /var/lib/{unit('jirasync.service')['StateDirectory'][0]}`" in README
    assert "sudo install -m 0644 deploy/systemd/jirasync.service /etc/systemd/system/" \
        in INSTALL


def _verify_tool() -> str:
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze is not installed (apt-get install systemd; .ci/run does)")
    if not os.access(venv() / "bin" / "jirasync", os.X_OK):
        pytest.skip(f"the README's install has not been made here ({venv()}/bin/jirasync "
                    "is missing; .ci/run makes it): verify needs ExecStart's program")
    return tool


def test_systemd_analyze_verify_passes_on_the_units_as_shipped():
    tool = _verify_tool()
    done = subprocess.run([tool, "verify", "--man=no",
                           *(str(DEPLOY / "systemd" / n) for n in UNITS)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


def test_systemd_analyze_verify_fails_on_a_missing_program(tmp_path):
    """The verify above can fail: a unit naming a program not installed is refused."""
    tool = _verify_tool()
    for name in UNITS:
        text = (DEPLOY / "systemd" / name).read_text()
        (tmp_path / name).write_text(text.replace(str(venv()), "/nowhere/jirasync"))
    done = subprocess.run([tool, "verify", "--man=no", *(str(tmp_path / n) for n in UNITS)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "/nowhere/jirasync/bin/jirasync" in done.stderr


UID = 61234          # in systemd's range for dynamic users


class Unit:
    """The folders systemd makes for the unit, as the README installs them, under one
    temporary root: /etc/jirasync (0755, files 0644), the credentials folder (0500, the
    token 0400, the unit user's) and /var/lib/jirasync (0700, the unit user's). As root,
    the pass runs as an unprivileged user, as DynamicUser does."""

    def __init__(self, sb, top: Path, token_mode: int = 0o400):
        self.top, self.as_user = top, os.geteuid() == 0 and _others_can_run(sys.executable)
        self.etc, self.creds = top / "etc" / "jirasync", top / "credentials"
        self.state = top / "var" / "lib" / "jirasync"
        self.etc.mkdir(parents=True, mode=0o755)
        auth = "    email: pmo-bot@example.org\n" if sb.flavour == "cloud" else "    type: pat\n"
        config = (f"jira:\n  url: {sb.url}\n  auth:\n{auth}"
                  "    token_file: ${CREDENTIALS_DIRECTORY}/jira-token\n"
                  "  project: DCR\n  max_requests_per_s: 1000\n  max_retry_s: 5\n"
                  f"timezone: Europe/London\nstate_dir: {self.state}\n"
                  "people: {release_manager: jodie.crowfoot@example.org, "
                  "pmo_lead: pmo@example.org}\n"
                  "schedule: {sync: every 15 minutes}\n")
        self._file(self.etc / "jirasync.yaml", config, 0o644)
        (self.etc / "releases").mkdir(mode=0o755)
        self._file(self.etc / "releases" / "4.2.yaml", release_yaml(), 0o644)
        self.creds.mkdir(mode=0o700)
        self._file(self.creds / "jira-token", TOKENS[sb.flavour] + "\n", token_mode, own=True)
        self.creds.chmod(0o500)
        self.state.mkdir(parents=True, mode=0o700)
        for path in (self.creds, self.state):
            self._own(path)

    def _file(self, path: Path, text: str, mode: int, *, own: bool = False) -> None:
        path.write_text(text)
        path.chmod(mode)
        if own:
            self._own(path)

    def _own(self, path: Path) -> None:
        if self.as_user:
            os.chown(path, UID, UID)

    def run(self, *args: str, credentials: bool = True) -> subprocess.CompletedProcess:
        env = {"PATH": os.environ.get("PATH", ""), "HOME": str(self.state),
               "PYTHONPATH": str(ROOT)}
        if credentials:
            env["CREDENTIALS_DIRECTORY"] = str(self.creds)
        extra = {"user": UID, "group": UID, "extra_groups": []} if self.as_user else {}
        return subprocess.run([sys.executable, "-m", "jirasync", *args, "--config",
                               str(self.etc / "jirasync.yaml")], cwd=self.state, env=env,
                              capture_output=True, text=True, timeout=120, **extra)


def _others_can_run(program: str) -> bool:
    """Whether a user other than root can run ``program`` (a Python under /root, as
    pyenv installs it, cannot: then the pass runs as root, the rest unchanged)."""
    path = Path(os.path.realpath(program))
    return all(p.stat().st_mode & stat.S_IXOTH for p in (path, *path.parents))


@pytest.fixture
def unit_root():
    top = Path(tempfile.mkdtemp(prefix="jirasync-unit-"))
    top.chmod(0o755)            # pytest's tmp_path is root's alone: no other user gets in
    yield top
    shutil.rmtree(top)


@pytest.mark.over_http                  # jirasync runs in a child process
@pytest.mark.parametrize("token_mode", [0o400, 0o440], ids=["owner", "acl-mask"])
def test_a_pass_runs_as_the_unit_runs_it(sandbox, unit_root, token_mode):
    """systemd's copy of the token is 0400, or shows 0440 where an ACL grants the unit's
    user read access (the group bits are the ACL's mask): neither is refused."""
    u = Unit(sandbox, unit_root, token_mode)
    done = u.run("run", "--once")
    assert done.returncode == 0, done.stderr
    assert "sync ok in" in done.stderr
    assert len([i for i in sandbox.issues() if "ll-action" in i.labels]) == 2
    assert (u.state / "runs.jsonl").exists()
    if u.as_user:
        assert (u.state / "runs.jsonl").stat().st_uid == UID


@pytest.mark.over_http
def test_outside_the_unit_the_token_file_says_what_is_missing(sandbox, unit_root):
    u = Unit(sandbox, unit_root)
    done = u.run("check", "--online", credentials=False)
    assert done.returncode == 2
    (line,) = [ln for ln in done.stderr.splitlines() if ln.startswith("error:")]
    assert "CREDENTIALS_DIRECTORY" in line
    assert "jira.auth.token_file" in line and "LoadCredential=" in line


@pytest.mark.over_http
def test_a_token_file_others_can_read_is_still_refused_outside_the_credentials(
        sandbox, unit_root):
    u = Unit(sandbox, unit_root)
    config = u.etc / "jirasync.yaml"
    config.write_text(config.read_text().replace("${CREDENTIALS_DIRECTORY}", str(u.top)))
    (u.top / "jira-token").write_text(TOKENS[sandbox.flavour])
    (u.top / "jira-token").chmod(0o640)
    done = u.run("run", "--once")
    assert done.returncode == 1 and "can be read by other users; run: chmod 600" in done.stderr
