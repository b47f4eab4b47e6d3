"""jirasync run [--once] [--listen HOST:PORT] [--log-format text|json]"""
from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from jirasync.commands.base import Command, load, open_jira
from jirasync.config import existing_config
from jirasync.console import Console
from jirasync.service import logs
from jirasync.service.daemon import Outside, Service
from jirasync.service.http import Pages, parse_listen, serve
from jirasync.service.metrics import CONTENT_TYPE, Metrics
from jirasync.stopping import Interrupted, Stop, on_signals

if TYPE_CHECKING:
    from jirasync.config import Config
    from jirasync.gateway.protocol import Jira


def clock() -> datetime:
    return datetime.now(UTC)


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--once", action="store_true",
                   help="run each job due since its last run, then exit (cron, timers)")
    p.add_argument("--listen", metavar="HOST:PORT",
                   help="serve /healthz and /metrics here, e.g. 127.0.0.1:9090")
    p.add_argument("--log-format", choices=("text", "json"), default="text",
                   help="log lines on stderr as text (default) or JSON objects")


def run(args: argparse.Namespace, console: Console) -> int:
    load(args)                                   # a broken config stops here: exit 2
    listen = parse_listen(args.listen) if args.listen else None
    with logs.to_stderr(args.log_format, verbose=args.verbose) as _, \
            on_signals(Stop()) as stop:
        metrics, runs = Metrics(), []

        def journaled(entry: dict[str, Any]) -> None:
            metrics.observe(entry)
            if args.once:               # the daemon keeps none: the journal has them
                runs.append(entry)

        def connect(config: Config, stop: Stop) -> Jira:   # the token read is masked everywhere
            return open_jira(config, sleep=stop.sleep, clock=stop.clock)

        service = Service(existing_config(args.config),
                          Outside(connect, clock, journaled=journaled), stop)
        metrics.recall(service.state.last_runs().values())
        code = _serve(service, args.once, listen, metrics)
    console.emit({"ok": code == 0, "runs": runs})
    return code


def _serve(service: Service, once: bool, listen: tuple[str, int] | None,
           metrics: Metrics) -> int:
    server = serve(*listen, Pages(service.health, metrics.render, CONTENT_TYPE)) \
        if listen else None
    try:
        if once:
            return 0 if all(service.once()) else 1
        service.serve()
    except Interrupted:
        pass                     # stopped while reading Jira: nothing was half written
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
    return 0


COMMAND = Command("run", "the service: run the scheduled jobs (sync, chase, publish) as "
                  "they fall due; --once runs what is due and exits", arguments, run)
