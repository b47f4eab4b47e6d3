"""``/healthz`` (README "8. Run it as a service"): healthy while the last run of every
scheduled job is ok and no older than twice its interval. Pure: the journal's last runs and
``now`` come in."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jirasync.service.timetable import Schedule


@dataclass(frozen=True)
class Health:
    ok: bool
    jobs: Mapping[str, Mapping[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "jobs": {job: dict(v) for job, v in self.jobs.items()}}


def health(schedules: Mapping[str, Schedule], last_runs: Mapping[str, Mapping[str, Any]],
           now: datetime) -> Health:
    """Each scheduled job judged on its last journaled run, with the reason when unhealthy."""
    jobs = {job: _judge(schedule, last_runs.get(job), now) for job, schedule in schedules.items()}
    return Health(all(j["ok"] for j in jobs.values()), jobs)


def _judge(schedule: Schedule, run: Mapping[str, Any] | None, now: datetime) -> dict[str, Any]:
    if run is None:
        return {"ok": False, "reason": "has not run yet", "schedule": schedule.text}
    started = datetime.fromisoformat(str(run["started"]))
    age = (now - started).total_seconds()
    out = {"ok": True, "last_started": run["started"], "last_ok": bool(run.get("ok")),
           "age_seconds": round(age), "schedule": schedule.text}
    if not run.get("ok"):
        out.update(ok=False, reason=f"last run failed: {run.get('error') or 'see the journal'}")
    elif age > 2 * schedule.period.total_seconds():
        out.update(ok=False, reason=f"last run is older than twice its interval "
                                    f"({round(age)} s > 2 x {schedule.period})")
    return out
