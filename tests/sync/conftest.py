"""Builders for the sync scenarios: a programme folder whose config points at a
contract-checked sandbox Jira, release files written from small values, and views of
the final Jira state (issues by the identity stored on them).

Every run talks HTTP to the sandbox through a fresh gateway, as each CLI run or daemon
tick would. The gateway's clock is fake: retry waits and request pacing move it on
instead of sleeping.
"""
from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from jirasync.cli import main
from jirasync.config import load_config
from jirasync.gateway.connect import connect
from jirasync.sandbox import Sandbox
from jirasync.sandbox.catalog import EPIC_LINK
from jirasync.sandbox.model import IssueRecord
from jirasync.state import StateDir
from jirasync.sync.job import SyncResult, sync
from tests.helpers import FakeTime, write_programme

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
TOKEN_ENV = "JIRASYNC_SYNC_TOKEN"
TOKENS = {"cloud": "sandbox-token", "datacenter": "sandbox-pat"}
SAM, PRIYA, TOM = "sam.jones@example.org", "priya.shah@example.org", "tom.okafor@example.org"
JODIE = "jodie.crowfoot@example.org"
NAME = "DCR Release 4.2 — social care feeds"


@dataclass(frozen=True)
class Act:
    id: str
    title: str
    owner: str | None = SAM
    due: str | None = "2026-12-01"
    description: str = ""


@dataclass(frozen=True)
class Les:
    id: str
    title: str
    kind: str = "improve"
    description: str = ""
    theme: str | None = None
    raised_by: str | None = None
    actions: tuple[Act, ...] = ()


# The release most scenarios start from: 1 release issue, 2 lessons, 2 actions.
LESSONS = (
    Les("feeds-off", "Partners turned their feeds off late before the drop",
        description="Two partners were still sending messages\nwhen the environment "
                    "was dropped.",
        theme="Partner Comms", raised_by=JODIE,
        actions=(Act("checklist", "Add feed shutdown (T-5 days) to the drop checklist",
                     SAM, "2026-12-01"),
                 Act("contacts", "Keep an out-of-hours contact for every feed supplier",
                     PRIYA, "+6w", description="One named person per partner."))),
    Les("rehearsal", "Two data-migration rehearsals before go-live", kind="keep"),
)
IDENTITIES = {"4.2", "4.2/feeds-off", "4.2/feeds-off/checklist", "4.2/feeds-off/contacts",
              "4.2/rehearsal"}


def release_yaml(rid: str = "4.2", name: str = NAME, lessons=LESSONS,
                 live_date: str = "2026-10-14") -> str:
    """A release file (§2.2). Strings are JSON-quoted, which YAML reads as they are."""
    q = json.dumps
    out = [f"id: {q(rid)}", f"name: {q(name)}", f"live_date: {live_date}", "lessons:"]
    for les in lessons:
        out += [f"  - id: {les.id}", f"    kind: {les.kind}", f"    title: {q(les.title)}"]
        out += [f"    {k}: {q(v)}" for k, v in (("description", les.description),
                                                  ("theme", les.theme),
                                                  ("raised_by", les.raised_by)) if v]
        if les.actions:
            out.append("    actions:")
        for act in les.actions:
            out += [f"      - id: {act.id}", f"        title: {q(act.title)}"]
            out += [f"        {k}: {q(v)}" for k, v in (("owner", act.owner), ("due", act.due),
                                                        ("description", act.description))
                    if v]
    return "\n".join(out) + "\n"


def config_yaml(sb: Sandbox, extra: str = "") -> str:
    auth = ("  auth:\n    email: pmo-bot@example.org\n" if sb.flavour == "cloud"
            else "  auth:\n    type: pat\n")
    return (f"jira:\n  url: {sb.url}\n{auth}    token_env: {TOKEN_ENV}\n  project: DCR\n"
            f"  max_requests_per_s: 1000\n{extra}timezone: Europe/London\n"
            f"people:\n  release_manager: {JODIE}\n  pmo_lead: pmo@example.org\n")


class Programme:
    """A PMO's folder (config + release files) and the sandbox Jira it syncs to."""

    def __init__(self, sb: Sandbox, root: Path):
        self.sb, self.root = sb, root
        self.time = FakeTime()
        self.config_path = write_programme(root, config=config_yaml(sb), releases={})
        self.write(release_yaml())

    @property
    def releases(self) -> Path:
        return self.root / "releases"

    def write(self, text: str, name: str = "4.2.yaml") -> None:
        (self.releases / name).write_text(text, encoding="utf-8")

    def lessons(self, *lessons: Les) -> None:
        """Rewrite release 4.2 with these lessons."""
        self.write(release_yaml(lessons=lessons))

    def gateway(self):
        return connect(self.sb.url, auth_type="basic" if self.sb.flavour == "cloud" else "pat",
                       email="pmo-bot@example.org", token=TOKENS[self.sb.flavour],
                       project="DCR", max_requests_per_s=1000, sleep=self.time.sleep,
                       clock=self.time.clock, rng=lambda: 0.5)

    def sync(self, *, only=(), dry_run: bool = False, force: bool = False,
             now: datetime = NOW, jira=None, full: bool = False) -> SyncResult:
        """One run, on ``jira`` if given (opened before a fault is set), else a new gateway."""
        config = load_config(self.config_path)
        return sync(config, jira or self.gateway(), state=StateDir(config.state_dir),
                    only=only, dry_run=dry_run, force=force, now=now, progress=lambda text: None,
                    full=full)

    def forget_state(self) -> None:
        """The state folder is lost (a new host, a wiped disk)."""
        shutil.rmtree(self.root / ".jirasync", ignore_errors=True)

    def key(self, identity: str) -> str:
        return tree(self.sb)[identity].key


@pytest.fixture
def programme(sandbox, tmp_path) -> Programme:
    """Release 4.2 (``LESSONS``) and a sandbox of each flavour, nothing synced yet."""
    return Programme(sandbox, tmp_path)


@pytest.fixture
def cli(programme, monkeypatch, capsys):
    """Run ``jirasync`` against the programme's sandbox: (exit code, stdout, stderr)."""
    monkeypatch.setenv(TOKEN_ENV, TOKENS[programme.sb.flavour])

    def run(*args: str) -> tuple[int, str, str]:
        code = main([*args, "--config", str(programme.config_path)])
        out, err = capsys.readouterr()
        return code, out, err
    run.programme = programme
    return run


@pytest.fixture
def synced(programme) -> Programme:
    """``programme`` after its first sync, with the sandbox's request log cleared."""
    result = programme.sync()
    assert result.count("created") == len(IDENTITIES) and not result.failed, result
    programme.sb.reset_log()
    return programme


# -- the final Jira state ------------------------------------------------------------

def identity_of(record: IssueRecord) -> str | None:
    """The identity jirasync stored on the issue, read straight from the property."""
    data = record.properties.get("jirasync")
    if not isinstance(data, dict):
        return None
    return "/".join(data[k] for k in ("release", "lesson", "action") if data.get(k))


def copies(sb: Sandbox) -> Counter:
    """How many issues carry each identity: every value must be 1."""
    return Counter(i for i in map(identity_of, sb.issues()) if i is not None)


def tree(sb: Sandbox) -> dict[str, IssueRecord]:
    """Managed issues by identity; fails if any identity is on two issues."""
    dupes = {i: n for i, n in copies(sb).items() if n > 1}
    assert not dupes, f"duplicated issues: {dupes}"
    return {identity_of(r): r for r in sb.issues() if identity_of(r) is not None}


def parent_key(record: IssueRecord) -> str | None:
    """The parent as a user sees it: sub-task parent, Cloud parent or DC Epic Link."""
    parent = record.fields.get("parent")
    return parent["key"] if parent else record.fields.get(EPIC_LINK)


def snapshot(sb: Sandbox) -> dict[str, dict]:
    """Every issue's fields and properties, minus what any edit stamps. Related issues
    are reduced to their keys: Jira echoes their summaries in ``parent`` and ``subtasks``."""
    def own(name, value):
        if name == "parent" and value:
            return value["key"]
        if name == "subtasks":
            return [s["key"] for s in value]
        return value
    return {r.key: {**{k: own(k, v) for k, v in r.fields.items()
                       if k not in ("updated", "lastViewed")},
                    "properties": r.properties} for r in sb.issues()}


def changes(before: dict[str, dict], after: dict[str, dict]) -> dict[str, set[str]]:
    """Which fields (and properties) of which issues differ between two snapshots."""
    out = {}
    for key in before.keys() | after.keys():
        old, new = before.get(key, {}), after.get(key, {})
        diff = {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}
        if diff:
            out[key] = diff
    return out
