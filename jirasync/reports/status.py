"""``status``: what a PMO reads in ten seconds — per release, per owner, the overdue list
and the last run of each job — as one plain object (``--json``) and as aligned lines."""
from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date
from typing import Any

from jirasync.model import counted, printable
from jirasync.reports.answered import blocked_lines, extended_lines
from jirasync.reports.figures import Figures
from jirasync.reports.programme import ActionIssue

Paint = Callable[[str, str], str]      # (text, colour code) -> text to print
RED, GREEN, BOLD, RESET = "\033[31m", "\033[32m", "\033[1m", "\033[0m"


def status_data(figures: Figures, runs: Iterable[dict[str, Any]], *,
                project: str) -> dict[str, Any]:
    """Everything ``status`` shows, as one JSON-ready object."""
    return {
        "project": project, "today": figures.today.isoformat(),
        "releases": [{"release": f.release.release, "key": f.release.key,
                      "name": f.release.name, "live_date": _iso(f.release.live_date),
                      "lessons": f.lessons.total.value, "actions": f.actions.agreed.value,
                      "open": f.actions.open.value, "done": f.actions.done.value,
                      "overdue": f.actions.overdue.value}
                     for f in figures.releases],
        "owners": [{"owner": o.owner or "(unassigned)", "account": o.account,
                    "open": o.open.value, "overdue": o.overdue.value,
                    "overdue_keys": list(o.overdue.keys)}
                   for o in figures.actions.by_owner if o.open.value],
        "overdue": [{"key": r.key, "owner": r.owner, "due": _iso(r.due),
                     "days_overdue": r.days_overdue, "rung": r.rung, "title": r.title}
                    for r in figures.actions.overdue_rows()],
        "last_runs": last_runs(runs),
        "undated": list(figures.undated),
        "dated_from_files": list(figures.dated_from_files),
    }


def unconfirmed_digests(actions: Iterable[ActionIssue],
                        sent: Collection[str]) -> list[dict[str, Any]]:
    """Digests recorded in Jira but not known sent (``sent``: ``<key> <cycle> <owner>``
    the state folder saw Jira accept): a run stopped between recording and sending."""
    out = []
    for a in actions:
        for entry in a.chase.pending:
            if f"{a.key} {entry}" not in sent:
                cycle, _, owner = entry.partition(" ")
                name = a.owner.name if a.owner and a.owner.account == owner else owner
                out.append({"key": a.key, "cycle": cycle, "owner": name})
    return out


def unconfirmed_lines(rows: Sequence[dict[str, Any]]) -> list[str]:
    return ["", f"digests that may not have been sent ({len(rows)})"] + [
        f"  review {r['cycle']} to {r['owner']} (recorded on {r['key']}): a run stopped "
        "between recording and sending it; check with them" for r in rows] if rows else []


def last_runs(runs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The latest journal entry of each job, in job-name order."""
    latest: dict[str, dict[str, Any]] = {}
    for run in runs:
        if isinstance(run, dict) and run.get("job"):
            latest[str(run["job"])] = run
    return [{k: latest[job].get(k) for k in ("job", "started", "finished", "ok", "counts",
                                              "error", "interrupted")} for job in sorted(latest)]


def status_lines(data: dict[str, Any], *, colour: bool = False) -> list[str]:
    """The terminal form: aligned columns; colour only when asked (a terminal, no
    NO_COLOR)."""
    paint = (lambda text, code: f"{code}{text}{RESET}") if colour else (lambda text, code: text)
    out = [paint(f"{data['project']} lessons learnt, as of {data['today']}", BOLD), ""]
    out += blocked_lines(data, paint, BOLD)
    out += _table(["release", "live", "lessons", "actions", "open", "done", "overdue"],
                  [[r["release"], r["live_date"] or "?", r["lessons"], r["actions"], r["open"],
                    r["done"], r["overdue"]] for r in data["releases"]],
                  paint, highlight=6)
    out += [""] + _table(["owner", "open", "overdue"],
                         [[o["owner"], o["open"], o["overdue"]] for o in data["owners"]],
                         paint, highlight=2) if data["owners"] else ["", "no open actions"]
    if data["overdue"]:
        out += ["", paint(f"overdue ({len(data['overdue'])})", BOLD)]
        out += _table(["key", "days", "rung", "due", "owner", "title"],
                      [[r["key"], r["days_overdue"], _rung(r["rung"]), r["due"],
                        r["owner"] or "(unassigned)", _short(r["title"])]
                       for r in data["overdue"]], paint)
    else:
        out += ["", paint("nothing overdue", GREEN)]
    out += extended_lines(data)
    out += [""] + last_runs_lines(data["last_runs"], paint)
    if any(str(r["finished"] or r["started"] or "")[:10] > str(data["today"])
           for r in data["last_runs"]):
        # A report as of an earlier day (--today) beside runs journaled since: both are
        # true, on different clocks, and the reader is told which is which.
        out.append(f"(the last runs are the clock's; the figures above are as of "
                   f"{data['today']})")
    if data.get("dated_from_files"):
        out += ["", (f"release {', '.join(data['dated_from_files'])} dated from its release "
                    "file: the next sync records the live date in Jira")]
    if data["undated"]:
        out += ["", (f"could not date release {', '.join(data['undated'])}: no live date on "
                    "its release issue nor in a release file")]
    return out


def last_runs_lines(rows: Sequence[dict[str, Any]],
                    paint: Paint = lambda text, code: text) -> list[str]:
    """The last run of each job (``last_runs``), from the journal alone: ``status`` shows
    them even when Jira cannot be reached."""
    if not rows:
        return ["no runs journaled yet"]
    return _table(["job", "last run", "ok", "counts"],
                  [[r["job"], _stamp(r["finished"] or r["started"]),
                    "ok" if r["ok"] else "interrupted" if r["interrupted"] else "FAILED",
                    _counts(r["counts"]) if r["ok"] else (r["error"] or "")]
                   for r in rows], paint)


def _table(head: Sequence[str], body: Sequence[Sequence[object]], paint: Paint, *,
           highlight: int | None = None) -> list[str]:
    cells = [[printable(str(c)) for c in row] for row in [head, *body]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(head))]
    numeric = [all(str(r[i]).isdigit() for r in body) and body for i in range(len(head))]

    def line(row: Sequence[str]) -> str:
        parts = [c.rjust(w) if numeric[i] else c.ljust(w)
                 for i, (c, w) in enumerate(zip(row, widths))]
        if highlight is not None and row is not cells[0] and row[highlight] not in ("0", ""):
            parts[highlight] = paint(parts[highlight], RED)
        return "  ".join(parts).rstrip()
    return [line(row) for row in cells]


def _rung(rung: int | None) -> str:
    return "-" if rung is None else f"+{rung}d"


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _stamp(value: object) -> str:
    text = str(value or "")
    return text[:16].replace("T", " ") if text else "-"


def _counts(counts: object) -> str:
    if not isinstance(counts, dict):
        return ""
    return ", ".join(counted(v, k) for k, v in counts.items() if v) or "nothing to do"


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
