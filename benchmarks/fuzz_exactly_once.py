"""Fuzz exactly-once (not a test): random SIGKILLs, lost state folders, Cloud's lagging
search, 429/5xx storms, lost answers, edits made in Jira and two hosts at once, against
the sandbox Jira; then counts the harm.

    .venv/bin/python -m benchmarks.fuzz_exactly_once 300 [--seed N] [--only I]

Each iteration: a fresh sandbox (Cloud or Data Center), a small programme, two hosts
(two state folders, one Jira), and a few random events: a sync or chase on one host or
both at once (each run maybe SIGKILLed after a random request), a deleted state folder,
lag on or caught up, a burst of 429s or 5xx, lost answers to writes, a person editing
an issue or adding a lesson by hand. Then the faults stop, the index catches up, and one
host syncs and chases once more; with ``--after-expiry`` it does so as the first run
after every lease has expired (30 minutes on: a lease a killed run left, contested or
not, no longer stands in the way). Harm is counted at the end:

- duplicates: issues beyond one per item; missing: items with no issue;
- repeated prompts: prompts (comment mode) or digests beyond one per action or owner in
  a cycle; skipped prompts: actions (owners) that got none in the last run's cycle, and
  were not reported ``unconfirmed`` (a digest a crash may have eaten is reported, by
  design, not resent);
- repeated escalations: escalation comments on the two actions that fall due three days
  into the run (one owned by the release manager herself) beyond one per rung fired and
  one "the owner hears first" message.

The chase runs' clock is the fuzz's own: each chase steps it forward (up to ten days, so
the rungs of 14 and 30 days fall due), back a few minutes across midnight (a second host
whose clock is behind), or rehearses a later day with ``--today DAY --yes``.

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
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jirasync.commands.chase as chase_command
from jirasync.cli import main
from jirasync.sandbox import Sandbox
from tests.processes import Child

TOKENS = {"cloud": "sandbox-token", "datacenter": "sandbox-pat"}
OWNERS = ("sam.jones@example.org", "priya.shah@example.org", "tom.okafor@example.org")
WRITE_KINDS = ("edit", "bulk-create", "create", "property", "notify", "comment",
               "project-property")


START = datetime(2026, 12, 2, 12, tzinfo=UTC)      # the fuzz clock's first reading
LATE = {"r1": "sam.jones@example.org", "r2": "jodie.crowfoot@example.org"}


def release_yaml(rid: str, lessons: int, actions: int) -> str:
    out = [f'id: "{rid}"', f"name: Release {rid}", "live_date: 2026-10-14", "lessons:"]
    for n in range(lessons):
        out += [f"  - id: l{n}", "    kind: improve", f"    title: Lesson {n} of {rid}"]
        if n < actions:
            out += ["    actions:", f"      - id: a{n}", f"        title: Action {n} of {rid}",
                    f"        owner: {OWNERS[n % len(OWNERS)]}", "        due: 2030-01-31"]
            if n == 0 and rid in LATE:       # falls due during the run: the ladder in play
                out += ["      - id: late", f"        title: Late action of {rid}",
                        f"        owner: {LATE[rid]}",
                        f"        due: {(START + timedelta(days=3)).date()}"]
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

    def argv(self, job: str, *more: str) -> list[str]:
        return ["-q", job, "--config", str(self.root / "jirasync.yaml"), *more]

    def forget(self) -> None:
        shutil.rmtree(self.root / ".jirasync", ignore_errors=True)


class Fuzz:
    def __init__(self, seed: int, after_expiry: bool):
        self.seed, self.after_expiry = seed, after_expiry
        self.totals: Counter = Counter()
        self.events: list[str] = []
        self.now = START
        # Every chase, in this process or a child forked from it, reads this clock.
        chase_command.real_now = lambda: self.now

    def note(self, text: str) -> None:
        self.events.append(text)

    def iteration(self, workdir: Path, number: int) -> None:
        rng = self.rng = random.Random(f"{self.seed}/{number}")
        self.events = []
        self.now = START
        harm_before = sum(self.totals[k] for k in HARM)
        flavour = rng.choice(("cloud", "datacenter"))
        reminder = rng.choice(("comment", "digest"))
        os.environ["JIRASYNC_FUZZ_TOKEN"] = TOKENS[flavour]
        releases = {"r1.yaml": release_yaml("r1", 3, 2), "r2.yaml": release_yaml("r2", 2, 2)}
        with Sandbox(flavour) as sb:
            hosts = [Host(workdir / name, sb.url, flavour, reminder, releases)
                     for name in ("a", "b")]
            for _ in range(rng.randint(3, 7)):
                self.event(sb, hosts)
            self.settle(sb, hosts[0])
            self.count_harm(sb, reminder)
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
            job = "sync" if rng.random() < 0.55 else "chase"
            both = rng.random() < 0.3
            more = self.step_clock() if job == "chase" else ()
            self.run([(h, job) for h in (hosts if both else [rng.choice(hosts)])], sb, more)

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

    def step_clock(self) -> tuple[str, ...]:
        """Move the chase clock: forward, back across midnight, or rehearse a later day
        (the clock stays; the run is ``--today DAY --yes``)."""
        rng, roll = self.rng, self.rng.random()
        if roll < 0.55:
            self.now += timedelta(days=rng.randint(0, 10), minutes=rng.randint(0, 600))
        elif roll < 0.8:
            midnight = self.now.replace(hour=0, minute=0, second=0, microsecond=0)
            self.now = midnight - timedelta(minutes=rng.randint(1, 5))
        else:
            day = (self.now + timedelta(days=rng.randint(1, 20))).date()
            self.note(f"clock {self.now:%m-%d %H:%M}, rehearsing {day}")
            return ("--today", day.isoformat(), "--yes")
        self.note(f"clock {self.now:%m-%d %H:%M}")
        return ()

    def run(self, runs: list[tuple[Host, str]], sb: Sandbox, more: tuple[str, ...] = ()
            ) -> None:
        children = [Child(host.argv(job, *more)) for host, job in runs]
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
        """Faults off, the index caught up: the last syncs and chases, on one host."""
        if self.after_expiry:
            for name, value in sb.project_properties().items():
                if name.startswith("jirasync.lease.") and isinstance(value, dict) \
                        and "expires" in value:
                    sb.set_project_property(name, {**value, "expires": "2000-01-01T00:00+00:00"})
        sb.faults.clear()
        sb.faults.search_lag(on=False)
        sb.index_catch_up()
        said = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(said):
            for job in ("sync", "chase", "sync", "chase"):
                main(host.argv(job))
                self.totals["runs"] += 1
        self.last_errors = said.getvalue()

    def count_harm(self, sb: Sandbox, reminder: str) -> None:
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
        late = [a for a in actions if a.properties["jirasync"]["action"] == "late"]
        self.count_escalations(late)
        # The last run's cycle: the next meeting, at 23:59 (UTC) every day.
        day = self.now.date() + timedelta(days=self.now.strftime("%H:%M") >= "23:59")
        last = day.isoformat()
        if reminder == "comment":
            per: Counter = Counter()
            for a in actions:
                if a in late:           # its prompts ride in its escalations
                    continue
                per.update((a.key, cycle) for c in a.comments
                           for cycle in re.findall(r"_Review of (\S+):", c["body"]))
            wanted = {(a.key, last) for a in actions if a not in late}
            recorded: set = set()
        else:
            field = "accountId" if sb.flavour == "cloud" else "name"
            owners = {a.fields["assignee"][field] for a in actions if a.fields.get("assignee")}
            per = Counter((r, _meeting(n["subject"])) for n in sb.notifications
                          for r in n["recipients"])
            wanted = {(o, last) for o in owners}
            recorded = {(cycle, who) for a in actions
                        for entry in (a.properties.get("jirasync.chase") or {}).get(
                            "digests", ())
                        for cycle, _, who in [entry.partition(" ")]}
            recorded = {(who, cycle) for cycle, who in recorded}
        self.totals["repeated prompts"] += sum(n - 1 for n in per.values() if n > 1)
        unsent = [sent for sent in wanted if per.get(sent, 0) == 0]
        # A digest recorded but not sent: a crash ate it; reported, by design never resent.
        self.totals["unconfirmed (reported)"] += sum(1 for who in unsent if who in recorded)
        self.totals["skipped prompts"] += sum(1 for who in unsent if who not in recorded)

    def count_escalations(self, late: list) -> None:
        """Escalation comments beyond one per rung the record says fired, and beyond one
        owner-first message (the record keeps who was told: it is never sent twice)."""
        for a in late:
            bodies = [c["body"] for c in a.comments if "lessons-learnt action is *overdue by"
                      in c["body"]]
            first = sum("Nobody else has been told yet" in b for b in bodies)
            rungs = set((a.properties.get("jirasync.chase") or {}).get("rungs", ()))
            self.totals["escalations"] += len(bodies)
            self.totals["repeated escalations"] += max(0, first - 1) + max(
                0, len(bodies) - first - len(rungs))


def _meeting(subject: str) -> str:
    """The cycle a digest is for, from its subject ('... before the review on Wednesday
    2 December 2026 at 23:59 (UTC)')."""
    found = re.search(r"before the review on \w+ (\d+ \w+ \d{4})", subject)
    return datetime.strptime(found.group(1), "%d %B %Y").date().isoformat() if found else ""


WANTED = ({"r1", "r2"} | {f"r1/l{n}" for n in range(3)} | {f"r2/l{n}" for n in range(2)}
          | {f"r1/l{n}/a{n}" for n in range(2)} | {f"r2/l{n}/a{n}" for n in range(2)}
          | {"r1/l0/late", "r2/l0/late"})


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


HARM = ("duplicates", "missing", "repeated prompts", "skipped prompts",
        "repeated escalations")
KEYS = ("iterations", "runs", "kills", "duplicates", "missing", "repeated prompts",
        "skipped prompts", "unconfirmed (reported)", "escalations", "repeated escalations")


def summary(totals: Counter) -> str:
    return ", ".join(f"{totals[k]} {k}" for k in KEYS)


if __name__ == "__main__":
    main_()
