"""Fuzz exactly-once (not a test): random SIGKILLs, lost state folders, Cloud's lagging
search, 429/5xx storms, lost answers, edits made in Jira, two hosts at once, and
escalations falling due as rehearsed days move the clock forwards and back, against the
sandbox Jira; then counts the harm.

    .venv/bin/python -m benchmarks.fuzz_exactly_once 300 [--seed N] [--only I]

Each iteration: a fresh sandbox (Cloud or Data Center), a small programme whose actions
fall due around today, two hosts (two state folders, one Jira), and a few random events:
a sync or chase on one host or both at once (each run maybe SIGKILLed after a random
request), where a chase mostly rehearses a later day for real (``--today D --yes``: the
ladder's rungs fall due as D moves on) and sometimes runs today again (the clock going
back; two hosts may straddle midnight), a deleted state folder, lag on or caught up, a
burst of 429s or 5xx, lost answers to writes, a person editing an issue or adding a
lesson by hand. Then the faults stop, the index catches up, and one host syncs and chases
once more, then chases the latest rehearsed day again; with ``--after-expiry`` it does so
as the first run after every lease has expired (30 minutes on: a lease a killed run left,
contested or not, no longer stands in the way). Harm is counted at the end:

- duplicates: issues beyond one per item; missing: items with no issue;
- repeated prompts: prompt comments or digests beyond one per action or owner and review
  cycle; skipped prompts: actions (owners) that got none (a prompt folded into an
  escalation comment counts), and were not reported ``unconfirmed`` (a digest a crash may
  have eaten is reported, by design, not resent);
- repeated escalations: escalation comments beyond one per action and ladder rung (the
  actions' due dates never move, so no rung may fire twice). ``escalations`` counts those
  sent, to show the runs reached the ladder.

An iteration that did harm prints its number and its events on stderr; each iteration
draws from its own seed, so ``--only I`` replays iteration I alone.
The last line is the summary the README quotes.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import re
import shutil
import sys
import tempfile
import textwrap
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from jirasync.cli import main
from jirasync.sandbox import Sandbox
from tests.processes import Child

TOKENS = {"cloud": "sandbox-token", "datacenter": "sandbox-pat"}
OWNERS = ("sam.jones@example.org", "priya.shah@example.org", "tom.okafor@example.org")
WRITE_KINDS = ("edit", "bulk-create", "create", "property", "notify", "comment",
               "project-property")


# Due dates around today: overdue past each rung of the default ladder (0, 14 and 30 days),
# or falling due as the iteration's rehearsed days move on by STEPS.
DUE_OFFSETS = (-45, -31, -16, -2, 0, 3, 13, 29)
STEPS = (1, 1, 2, 7, 14, 16)


def _on(day: int) -> str:
    return f"chase+{day}" if day else "chase"


def release_yaml(rid: str, lessons: int, actions: int, dues: list[date]) -> str:
    out = [f'id: "{rid}"', f"name: Release {rid}", "live_date: 2026-10-14", "lessons:"]
    for n in range(lessons):
        out += [f"  - id: l{n}", "    kind: improve", f"    title: Lesson {n} of {rid}"]
        if n < actions:
            out += ["    actions:", f"      - id: a{n}", f"        title: Action {n} of {rid}",
                    f"        owner: {OWNERS[n % len(OWNERS)]}", f"        due: {dues[n]}"]
    return "\n".join(out) + "\n"


def config_yaml(url: str, flavour: str, reminder: str) -> str:
    auth = "email: pmo-bot@example.org" if flavour == "cloud" else "type: pat"
    # A meeting every day at 23:59 UTC with a one-day window: today's cycle is open now.
    return textwrap.dedent(f"""\
        jira:
          url: {url}
          auth: {{{auth}, token_env: JIRASYNC_FUZZ_TOKEN}}
          project: DCR
          max_requests_per_s: 1000
          max_retry_s: 5
        timezone: UTC
        review: {{rule: "FREQ=DAILY", time: "23:59", prompt_days_before: 1,
                  reminder: {reminder}}}
        people: {{release_manager: jodie.crowfoot@example.org, pmo_lead: pmo@example.org}}
        """)


class Host:
    """One host: its own folder (config, release files, state folder)."""

    def __init__(self, root: Path, url: str, flavour: str, reminder: str, releases: dict):
        self.root = root
        (root / "releases").mkdir(parents=True)
        (root / "jirasync.yaml").write_text(config_yaml(url, flavour, reminder))
        for name, text in releases.items():
            (root / "releases" / name).write_text(text)

    def argv(self, job: str) -> list[str]:
        """``job`` is sync, chase, or ``chase+N``: a chase rehearsing today + N days."""
        name, _, days = job.partition("+")
        rehearse = ["--today", str(datetime.now(UTC).date() + timedelta(days=int(days))),
                    "--yes"] if days else []
        return ["-q", name, "--config", str(self.root / "jirasync.yaml"), *rehearse]

    def forget(self) -> None:
        shutil.rmtree(self.root / ".jirasync", ignore_errors=True)


class Fuzz:
    def __init__(self, seed: int, after_expiry: bool):
        self.seed, self.after_expiry = seed, after_expiry
        self.totals: Counter = Counter()
        self.events: list[str] = []

    def note(self, text: str) -> None:
        self.events.append(text)

    def iteration(self, workdir: Path, number: int) -> None:
        rng = self.rng = random.Random(f"{self.seed}/{number}")
        self.events = []
        self.day = 0                # the day the iteration's calendar has reached
        harm_before = sum(self.totals[k] for k in HARM)
        flavour = rng.choice(("cloud", "datacenter"))
        reminder = rng.choice(("comment", "digest"))
        os.environ["JIRASYNC_FUZZ_TOKEN"] = TOKENS[flavour]
        today = datetime.now(UTC).date()
        dues = [today + timedelta(days=rng.choice(DUE_OFFSETS)) for _ in range(4)]
        releases = {"r1.yaml": release_yaml("r1", 3, 2, dues[:2]),
                    "r2.yaml": release_yaml("r2", 2, 2, dues[2:])}
        with Sandbox(flavour) as sb:
            hosts = [Host(workdir / name, sb.url, flavour, reminder, releases)
                     for name in ("a", "b")]
            for _ in range(rng.randint(4, 10)):
                self.event(sb, hosts)
            self.settle(sb, hosts[0])
            self.count_harm(sb, reminder, hosts[0])
        self.totals["iterations"] += 1
        if sum(self.totals[k] for k in HARM) > harm_before:
            print(f"iteration {number} ({flavour}, {reminder}): " + "; ".join(self.events),
                  file=sys.stderr)
            if self.last_errors.strip():
                print(textwrap.indent(self.last_errors.strip(), "    "), file=sys.stderr)

    def event(self, sb: Sandbox, hosts: list[Host]) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.15:
            host = rng.choice(hosts)
            host.forget()
            self.note(f"host {host.root.name} forgets")
        elif roll < 0.25:
            on = rng.random() < 0.7
            sb.faults.search_lag(on=on)
            self.note(f"lag {'on' if on else 'off'}")
            if rng.random() < 0.3:
                sb.index_catch_up()
                self.note("index catches up")
        elif roll < 0.35:
            self.trouble(sb)
        elif roll < 0.45:
            self.person_edits(sb)
        else:
            job = "sync" if rng.random() < 0.3 else self.chase_day()
            both = rng.random() < 0.3
            jobs = [job, job]
            if both and job.startswith("chase") and rng.random() < 0.5:
                jobs[1] = _on(max(0, self.day + rng.choice((-1, 1))))   # either side of midnight
            self.run([(h, j) for h, j in zip(hosts if both else [rng.choice(hosts)], jobs)], sb)

    def chase_day(self) -> str:
        """A chase on the iteration's calendar: mostly a later day rehearsed for real (the
        ladder's rungs fall due as it moves on), sometimes today again (the clock going
        back, as on a host whose clock is behind)."""
        if self.rng.random() < 0.35:
            return "chase"
        self.day += self.rng.choice(STEPS)
        return _on(self.day)

    def trouble(self, sb: Sandbox) -> None:
        rng = self.rng
        kind = rng.choice(("429", "5xx", "lost"))
        if kind == "429":
            count = rng.randint(1, 6)
            sb.faults.rate_limit(count, retry_after=0)
            self.note(f"{count} x 429")
        elif kind == "5xx":
            status, count = rng.choice((500, 502, 503, 504)), rng.randint(1, 3)
            method = rng.choice(("GET", "POST", "PUT"))
            sb.faults.fail(status, count, method=method)
            self.note(f"{count} x {status} on {method}")
        else:
            what, count = rng.choice(WRITE_KINDS), rng.randint(1, 2)
            sb.faults.drop_after((what,), count)
            self.note(f"{count} lost answer(s) to {what}")

    def person_edits(self, sb: Sandbox) -> None:
        issues = sb.issues()
        if not issues or self.rng.random() < 0.3:
            parents = [i.key for i in issues if i.fields.get("issuetype", {}).get("name")
                       == "Epic"]
            if parents and sb.flavour == "cloud":
                sb.create_issue("Task", "A lesson someone added by hand",
                                parent=self.rng.choice(parents))
                self.note("a lesson added by hand")
            return
        issue = self.rng.choice(issues)
        sb.edit(issue.key, summary=f"{issue.fields.get('summary', '')} (edited)")
        self.note(f"{issue.key} edited by hand")

    def run(self, runs: list[tuple[Host, str]], sb: Sandbox) -> None:
        children = [Child(host.argv(job)) for host, job in runs]
        said = " and ".join(f"{job} on {host.root.name}" for host, job in runs)
        if self.rng.random() < 0.4:
            victim = self.rng.choice(children)
            after = self.rng.randint(1, 45)
            sb.faults.after_requests(after, victim.kill)
            self.totals["kills"] += 1
            said += f", {runs[children.index(victim)][0].root.name} killed after {after} requests"
        self.note(said)
        for child in children:
            child.go()
        for child in children:
            child.wait()
            self.totals["runs"] += 1
        sb.faults.after_requests(10**9, lambda: None)       # a kill not reached is off

    def settle(self, sb: Sandbox, host: Host) -> None:
        """Faults off, the index caught up: the last syncs and chases, on one host, today
        and then on the latest day the iteration's calendar reached."""
        if self.after_expiry:
            for name, value in sb.project_properties().items():
                if name.startswith("jirasync.lease.") and isinstance(value, dict) \
                        and "expires" in value:
                    sb.set_project_property(name, {**value, "expires": "2000-01-01T00:00+00:00"})
        sb.faults.clear()
        sb.faults.search_lag(on=False)
        sb.index_catch_up()
        said = io.StringIO()
        # Then the latest day the calendar reached, once more: back from today, no rung
        # that fired on that day may fire again.
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(said):
            for job in ("sync", "chase", "sync", "chase", _on(self.day)):
                main(host.argv(job))
                self.totals["runs"] += 1
        self.last_errors = said.getvalue()

    def count_harm(self, sb: Sandbox, reminder: str, host: Host) -> None:
        identities: Counter = Counter()
        for issue in sb.issues():
            data = issue.properties.get("jirasync")
            if isinstance(data, dict):
                identities["/".join(data[k] for k in ("release", "lesson", "action")
                                    if data.get(k))] += 1
        self.totals["duplicates"] += sum(n - 1 for n in identities.values() if n > 1)
        self.totals["missing"] += len(WANTED - set(identities))
        if WANTED - set(identities):
            print(f"missing {sorted(WANTED - set(identities))}", file=sys.stderr)
        actions = [i for i in sb.issues() if isinstance(i.properties.get("jirasync"), dict)
                   and i.properties["jirasync"].get("action")]
        rungs: Counter = Counter()
        for a in actions:
            for c in a.comments:
                if _escalation(c["body"]):
                    rungs[(a.key, _rung(c["body"]))] += 1
        self.totals["escalations"] += sum(rungs.values())
        self.totals["repeated escalations"] += sum(n - 1 for n in rungs.values() if n > 1)
        if any(n > 1 for n in rungs.values()):
            print(f"repeated escalations {sorted(k for k, n in rungs.items() if n > 1)}",
                  file=sys.stderr)
        if reminder == "comment":
            cycles = Counter((a.key, _meeting(c["body"])) for a in actions for c in a.comments
                             if not _escalation(c["body"]) and _meeting(c["body"]))
            repeated = sum(n - 1 for n in cycles.values() if n > 1)
            per = {a.key: sum(1 for c in a.comments if _meeting(c["body"])) for a in actions}
            recorded: set = set()
        else:
            field = "accountId" if sb.flavour == "cloud" else "name"
            owners = {a.fields["assignee"][field] for a in actions if a.fields.get("assignee")}
            got = Counter(r for n in sb.notifications for r in n["recipients"])
            per = {o: got.get(o, 0) for o in owners}
            sent = Counter((r, n["subject"]) for n in sb.notifications for r in n["recipients"])
            repeated = sum(n - 1 for n in sent.values() if n > 1)
            recorded = {entry.split(" ", 1)[1] for a in actions
                        for entry in (a.properties.get("jirasync.chase") or {}).get(
                            "digests", ())}
        self.totals["repeated prompts"] += repeated
        unsent = [who for who, n in per.items() if n == 0]
        # A digest recorded but not sent: a crash ate it; reported, by design never resent.
        self.totals["unconfirmed (reported)"] += sum(1 for who in unsent if who in recorded)
        self.totals["skipped prompts"] += sum(1 for who in unsent if who not in recorded)


# The comments people see: an escalation says how far past its due date the action is,
# and above rung 0 the ladder step; a prompt (and an escalation) names the meeting.
_MEETING = re.compile(r"[A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4} at \d\d:\d\d")


def _escalation(body: str) -> bool:
    return "past its due date" in body or "ladder step" in body or "Escalated to" in body


def _rung(body: str) -> int:
    found = re.search(r"ladder step: (\d+)", body)
    return int(found.group(1)) if found else 0


def _meeting(body: str) -> str | None:
    found = _MEETING.search(body)
    return found.group() if found else None


WANTED = ({"r1", "r2"} | {f"r1/l{n}" for n in range(3)} | {f"r2/l{n}" for n in range(2)}
          | {f"r1/l{n}/a{n}" for n in range(2)} | {f"r2/l{n}/a{n}" for n in range(2)})


def main_(argv: list[str] | None = None) -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("iterations", type=int)
    args.add_argument("--seed", type=int, default=1)
    args.add_argument("--after-expiry", action="store_true",
                      help="make the last runs the first after every lease expired")
    args.add_argument("--only", type=int, metavar="I", help="replay iteration I alone")
    opts = args.parse_args(argv)
    fuzz = Fuzz(opts.seed, opts.after_expiry)
    started = datetime.now(UTC)
    numbers = [opts.only] if opts.only is not None else range(opts.iterations)
    with tempfile.TemporaryDirectory() as tmp:
        for n in numbers:
            fuzz.iteration(Path(tmp) / str(n), n)
            if (n + 1) % 25 == 0:
                print(summary(fuzz.totals), flush=True)
    seconds = (datetime.now(UTC) - started).total_seconds()
    when = ", last runs after lease expiry" if opts.after_expiry else ""
    print(f"{summary(fuzz.totals)} ({seconds:.0f} s, seed {opts.seed}{when})")


HARM = ("duplicates", "missing", "repeated prompts", "skipped prompts", "repeated escalations")
KEYS = ("iterations", "runs", "kills", "escalations", "duplicates", "missing",
        "repeated prompts", "skipped prompts", "repeated escalations", "unconfirmed (reported)")


def summary(totals: Counter) -> str:
    return ", ".join(f"{totals[k]} {k}" for k in KEYS)


if __name__ == "__main__":
    main_()
