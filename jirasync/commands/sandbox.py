"""jirasync sandbox [--port N] [--flavour cloud|datacenter] [--data DIR]: the built-in
sandbox Jira, served until Ctrl-C, to practise on."""
from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import re
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

from jirasync.commands.base import Command, shown
from jirasync.console import Console
from jirasync.errors import UsageError
from jirasync.paths import sample_programme
from jirasync.sandbox import DEFAULT_USERS, Sandbox
from jirasync.sandbox.confluence import HOME_TITLE, SPACE_KEY
from jirasync.sandbox.confluence_api import CLOUD as CONFLUENCE_CLOUD
from jirasync.sandbox.confluence_api import DC as CONFLUENCE_DC
from jirasync.sandbox.persist import SavedSandboxError

PORT = 2990            # the port Atlassian's own development Jira listens on
EMAIL, TOKEN, PAT = "pmo-bot@example.org", "sandbox-token", "sandbox-pat"
SAVED = "sandbox-jira.json"
LOCK = "sandbox.lock"      # held while a sandbox serves the folder; names its address
# Not named like the token it holds: secrets are masked in every message, and a file
# called "sandbox-token" turned an error's path into ".../[redacted]".
TOKEN_FILE = "sandbox.token"
OLD_TOKEN_FILE = "sandbox-token"    # what earlier practice folders have: still read
SAVE_EVERY_S = 2.0
LOOK_EVERY_S = 0.1       # how soon a stop asked for is seen
HEADER = "# A programme to practise on, written by `jirasync sandbox --data`: it points at the"


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", type=int, default=PORT, metavar="N",
                   help=f"port on 127.0.0.1 (default: {PORT}; 0 picks a free one)")
    p.add_argument("--flavour", choices=("cloud", "datacenter"), default="cloud",
                   help="behave like Jira Cloud (default) or Jira Data Center")
    p.add_argument("--data", metavar="DIR",
                   help="keep the issues in DIR between restarts, and write a ready "
                        "jirasync.yaml and sample release files there")


def run(args: argparse.Namespace, console: Console) -> int:
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port; give 1024-65535, or 0 for any")
    data = Path(args.data).resolve() if args.data else None
    if data and data.exists() and not data.is_dir():
        raise UsageError(f"--data {args.data} is a file; give a folder (made if missing)")
    with _sole_server(data) as serving:
        sandbox = Sandbox(args.flavour, email=EMAIL, token=TOKEN, pat=PAT)
        restored = _restore(sandbox, data / SAVED) if data else 0
        try:
            url = sandbox.start(args.port)
        except OSError as e:
            raise UsageError(f"cannot listen on 127.0.0.1:{args.port} ({e.strerror}); "
                             "give another --port, or --port 0 for any free one") from None
        serving(url)
        try:
            with _stop_asked() as asked:
                _introduce(sandbox, url, data, restored, console)
                _serve(sandbox, data, asked)
        finally:
            sandbox.stop()
            if data:
                sandbox.save(data / SAVED)
    kept = f"; {len(sandbox.issues())} issues kept in {shown(data / SAVED)}" if data else ""
    console.progress(f"sandbox stopped{kept}")
    return 0


@contextlib.contextmanager
def _sole_server(data: Path | None) -> Iterator[Callable[[str], None]]:
    """One sandbox per --data folder: a second would point the folder's config at itself
    and save over the first's issues. Yields how to note the address it serves."""
    if data is None:
        yield lambda url: None
        return
    data.mkdir(parents=True, exist_ok=True)
    fd = os.open(data / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            there = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
            raise UsageError(f"another `jirasync sandbox` already serves --data "
                             f"{shown(data)} (at {there}); use that one, stop it (Ctrl-C "
                             "there), or give another --data folder") from None

        def serving(url: str) -> None:
            os.ftruncate(fd, 0)
            os.pwrite(fd, url.encode(), 0)
        yield serving
    finally:
        os.close(fd)


def _restore(sandbox: Sandbox, saved: Path) -> int:
    if not saved.exists():
        return 0
    try:
        return sandbox.restore(saved)
    except SavedSandboxError as e:
        raise UsageError(str(e)) from None


def _serve(sandbox: Sandbox, data: Path | None, asked: Callable[[], bool]) -> None:
    """Serve until asked to stop, saving the issues every few seconds when they changed."""
    saved_at, save_at = None, time.monotonic() + SAVE_EVERY_S
    while not asked():
        time.sleep(LOOK_EVERY_S)
        if data and time.monotonic() >= save_at:
            generation = sandbox.generation
            if generation != saved_at:
                sandbox.save(data / SAVED)
                saved_at = generation
            save_at = time.monotonic() + SAVE_EVERY_S


@contextlib.contextmanager
def _stop_asked() -> Iterator[Callable[[], bool]]:
    """SIGINT and SIGTERM both ask the sandbox to stop, from before the introduction says
    Ctrl-C stops it: a shell script's `... &` starts its children with SIGINT ignored, so
    `kill -INT` would otherwise do nothing, and a plain `kill` would skip the last save.
    The handler only notes the signal. Raising KeyboardInterrupt from it instead, as Python
    does for Ctrl-C, cuts whatever the main thread is doing at that instant: inside
    ``threading.Event.wait`` it can release a lock twice and end the sandbox with a
    RuntimeError instead of its last save."""
    asked = False

    def note(signum: int, frame: FrameType | None) -> None:
        nonlocal asked
        asked = True

    before = {s: signal.signal(s, note) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield lambda: asked
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def _introduce(sandbox: Sandbox, url: str, data: Path | None, restored: int,
               console: Console) -> None:
    pat = sandbox.flavour == "datacenter"
    console.say(f"sandbox Jira ({sandbox.flavour}) at {url}, project DCR "
                f"({restored} issues restored)" if data else
                f"sandbox Jira ({sandbox.flavour}) at {url}, project DCR")
    console.say(f"credentials: personal access token {PAT}" if pat else
                f"credentials: email {EMAIL}, API token {TOKEN}")
    others = ", ".join(u.email for u in DEFAULT_USERS if u.email != EMAIL)
    console.say(f"users: {others}" + ("" if pat else " (each signs in with the API token too, "
                                      "to answer as an owner: docs/answers.md)"))
    side = sandbox.confluence       # publish's Confluence, beside the Jira
    console.say(f"confluence: {side.url} (space {side.space}, parent page "
                f"{side.parent_title!r}); pages readable in a browser")
    if data is not None:
        config = write_programme(data, url, pat=pat)
        where = shown(config.parent)
        console.say(f"programme: {shown(config)} points at it; in another terminal run:")
        console.say(f"  cd {where}")
        console.say("  jirasync sync")
        console.say("  jirasync chase")
    else:
        console.say("config: put this jira section in your jirasync.yaml and run "
                    f"export JIRA_API_TOKEN={PAT if pat else TOKEN}")
        for line in jira_section(url, pat=pat, token="token_env: JIRA_API_TOKEN"):
            console.say(f"  {line}")
    console.say(f"PMO's channel (notify:): webhooks {url}/webhooks/teams/ANY-ID and "
                f"{url}/webhooks/slack/ANY-ID; {url}/webhooks lists what they received")
    console.say("Ctrl-C stops it" + (f"; the issues stay in {shown(data / SAVED)}"
                                     if data else " (and forgets the issues: give --data DIR "
                                     "to keep them)"))
    console.emit({"url": url, "flavour": sandbox.flavour, "project": "DCR",
                  "config": str(data / "jirasync.yaml") if data else None})


def jira_section(url: str, *, pat: bool, token: str) -> list[str]:
    auth = ["    type: pat"] if pat else [f"    email: {EMAIL}"]
    return ["jira:", f"  url: {url}", "  auth:", *auth, f"    {token}", "  project: DCR"]


def confluence_section(url: str, *, pat: bool, token: str) -> list[str]:
    """The ``confluence:`` section for the Confluence the sandbox serves beside its Jira
    (Cloud: Jira's site and token by default; Data Center names its own, the same token)."""
    auth = ["  auth:", "    type: pat", f"    {token}"] if pat else []
    return ["confluence:", f"  url: {url}{CONFLUENCE_DC if pat else CONFLUENCE_CLOUD}",
            f"  space: {SPACE_KEY}", f"  parent_page: {HOME_TITLE}", *auth]


def _point_at(config: Path, url: str) -> None:
    """Our config's addresses (Jira's, and Confluence's beside it) moved to ``url``."""
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    config.write_text("".join(re.sub(r"^(  url: )https?://[^/\s]+", lambda m: m.group(1) + url,
                                     line) for line in lines), encoding="utf-8")


def write_programme(data: Path, url: str, *, pat: bool) -> Path:
    """A ready programme in ``data``: a config pointing at the sandbox, a token file and
    the sample release files. A config already there is the user's: it is left alone."""
    data.mkdir(parents=True, exist_ok=True)
    config = data / "jirasync.yaml"
    name = OLD_TOKEN_FILE if (data / OLD_TOKEN_FILE).is_file() and \
        not (data / TOKEN_FILE).exists() else TOKEN_FILE
    token = data / name
    if not token.exists():
        fd = os.open(token, os.O_WRONLY | os.O_CREAT, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write((PAT if pat else TOKEN) + "\n")
    if not config.exists():
        sample = (sample_programme() / "jirasync.yaml").read_text(encoding="utf-8")
        rest = sample[sample.index("releases_dir:"):]
        head = [HEADER, ("# sandbox Jira, and follows it to the port it runs on. See "
                "config.example.yaml (or `jirasync init`)"), "# for every key."]
        lines = jira_section(url, pat=pat, token=f"token_file: {name}") + [
            "  max_requests_per_s: 1000       # this machine's sandbox; a Jira's default is 10"]
        wiki = confluence_section(url, pat=pat, token=f"token_file: {name}")
        config.write_text("\n".join(head + lines) + "\n" + rest.rstrip("\n") + "\n"
                          + "\n".join(wiki) + "\n", encoding="utf-8")
    elif config.read_text(encoding="utf-8").startswith(HEADER):
        _point_at(config, url)          # ours: follow the sandbox to its new port
    elif url not in config.read_text(encoding="utf-8"):
        raise UsageError(f"{shown(config)} does not point at this sandbox ({url}); start it "
                         "with the --port that file names, or use another --data folder")
    if not (data / "releases").exists():
        shutil.copytree(sample_programme() / "releases", data / "releases")
    return config


COMMAND = Command("sandbox", "serve the built-in sandbox Jira until Ctrl-C, to practise on",
                  arguments, run, uses_config=False)
