"""``/metrics`` in the Prometheus text format: the one door to ``prometheus_client``.

Counters and gauges in base units with few labels (the naming guide), in one registry
owned by the daemon, fed from the journal entries of its runs, so the journal and the
metrics cannot disagree.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

CONTENT_TYPE = CONTENT_TYPE_LATEST
NOT_REQUESTS = ("retries", "rate-limited")       # gateway stats that are not requests
SENT = {"prompt": "prompt", "digest": "digest"}


class Metrics:
    def __init__(self, jobs: tuple[str, ...] = ("sync", "chase")) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.runs = Counter("jirasync_job_runs", "Job runs, finished or not.", ["job"], registry=r)
        self.failures = Counter("jirasync_job_failures", "Job runs that were not ok.",
                                ["job"], registry=r)
        self.last_success = Gauge("jirasync_job_last_success_timestamp_seconds",
                                  "When the last ok run of the job started (Unix time).",
                                  ["job"], registry=r)
        self.duration = Gauge("jirasync_job_last_duration_seconds",
                              "How long the job's last run took.", ["job"], registry=r)
        self.issues = Counter("jirasync_issues", "Issues written by sync, by what was done.",
                              ["action"], registry=r)
        self.prompts = Counter("jirasync_prompts_sent", "Prompts sent (comments or digests).",
                               ["kind"], registry=r)
        self.escalations = Counter("jirasync_escalations_sent", "Escalation rungs sent.",
                                   registry=r)
        self.requests = Counter("jirasync_jira_requests", "HTTP requests made to Jira.",
                                registry=r)
        self.retries = Counter("jirasync_jira_retries", "Jira requests retried.", registry=r)
        self.rate_limited = Counter("jirasync_jira_rate_limited",
                                    "Jira answers 429 Too Many Requests.", registry=r)
        self.confluence = Counter("jirasync_confluence_requests",
                                  "HTTP requests made to Confluence (publish).", registry=r)
        for job in jobs:        # every series exists from the start, at zero
            self.runs.labels(job)
            self.failures.labels(job)
        for action in ("created", "updated"):
            self.issues.labels(action)
        for kind in SENT:
            self.prompts.labels(kind)

    def observe(self, entry: Mapping[str, Any]) -> None:
        """Count one journal entry."""
        job, counts = str(entry["job"]), entry.get("counts") or {}
        self.runs.labels(job).inc()
        if entry.get("ok"):
            started = datetime.fromisoformat(str(entry["started"]))
            self.last_success.labels(job).set(started.timestamp())
        else:
            self.failures.labels(job).inc()
        self.duration.labels(job).set(float(entry.get("seconds") or 0))
        for action in ("created", "updated"):
            self.issues.labels(action).inc(counts.get(action, 0) if job == "sync" else 0)
        if job == "chase":
            for kind in SENT:
                self.prompts.labels(kind).inc(counts.get(kind, 0))
            self.escalations.inc(counts.get("escalation", 0))
        stats = entry.get("requests") or {}
        self.requests.inc(sum(v for k, v in stats.items() if k not in NOT_REQUESTS))
        self.retries.inc(stats.get("retries", 0))
        self.rate_limited.inc(stats.get("rate-limited", 0))
        wiki = entry.get("confluence_requests") or {}
        self.confluence.inc(sum(v for k, v in wiki.items() if k not in NOT_REQUESTS))

    def recall(self, runs: Iterable[Mapping[str, Any]]) -> None:
        """Set the gauges from the journal's earlier runs (oldest first), so that an alert
        on the time since the last success has data from the first scrape after a
        restart. Counters start at zero, as Prometheus expects of a new process."""
        for entry in runs:
            job = str(entry.get("job"))
            if entry.get("ok") and entry.get("started"):
                started = datetime.fromisoformat(str(entry["started"]))
                self.last_success.labels(job).set(started.timestamp())
            if entry.get("seconds") is not None:
                self.duration.labels(job).set(float(entry["seconds"]))

    def render(self) -> bytes:
        return generate_latest(self.registry)
