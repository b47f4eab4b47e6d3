"""Release files read once: each file's parse is kept in the state folder (``parsed.json``)
under a digest of what it was read from (the file's bytes, every template, the config's
people and jirasync's version), so a run reads again only the files that changed. Parsing
YAML and rendering templates was a third of a no-change re-sync's CPU. It is only a cache:
an entry that does not match, or does not read back, is parsed again."""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from jirasync import __version__
from jirasync.bulk import paused_gc
from jirasync.model import Action, Lesson, Release, Where
from jirasync.paths import template_search_path
from jirasync.releases import Programme, load_programme, load_release
from jirasync.state import StateDir

FILE = "parsed.json"
VERSION = 1


def load_programme_kept(releases_dir: Path, templates_dir: Path | None,
                        people: Mapping[str, str], state: StateDir) -> Programme:
    """``load_programme``, each unchanged file taken from the state folder."""
    context = _context(templates_dir, people)
    data = state.read_json(FILE)
    kept = data.get("files", {}) if isinstance(data, dict) and data.get("v") == VERSION \
        and data.get("context") == context else {}
    now: dict[str, dict[str, Any]] = {}

    def read(path: Path) -> Release:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        entry = kept.get(str(path))
        if isinstance(entry, dict) and entry.get("digest") == digest:
            try:
                release = _release_from(entry["release"])
                now[str(path)] = entry
                return release
            except (KeyError, TypeError, ValueError):
                pass
        release = load_release(path, templates_dir, people)
        now[str(path)] = {"digest": digest, "release": _release_json(release)}
        return release

    with paused_gc():
        programme = load_programme(releases_dir, templates_dir, people, read=read)
    # A state folder that is something else (a dangling link, a file) is the run's to
    # report, in one line: the cache just is not kept.
    if now != kept and (state.path.is_dir() or not os.path.lexists(state.path)):
        state.write_json(FILE, {"v": VERSION, "context": context, "files": now})
    return programme


def _context(templates_dir: Path | None, people: Mapping[str, str]) -> str:
    """What every file's parse also depends on: the templates, people and version."""
    h = hashlib.sha256(json.dumps([__version__, sorted(people.items())]).encode())
    for folder in template_search_path(templates_dir):      # the packaged ones too
        releases = folder / "releases"
        if releases.is_dir():
            for path in sorted(p for p in releases.rglob("*") if p.is_file()):
                h.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _where(where: Where | None) -> Any:
    return None if where is None else [where.file, where.line, [list(k) for k in where.keys]]


def _where_from(data: Any) -> Where | None:
    if data is None:
        return None
    file, line, keys = data
    return Where(str(file), line, tuple((str(k), int(n)) for k, n in keys))


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _release_json(r: Release) -> dict[str, Any]:
    return {"id": r.id, "name": r.name, "live_date": r.live_date.isoformat(),
            "extends": r.extends, "where": _where(r.where),
            "measures": [list(m) for m in r.measures],
            "lessons": [{"id": lesson.id, "kind": lesson.kind, "title": lesson.title,
                         "description": lesson.description, "theme": lesson.theme,
                         "raised_by": lesson.raised_by, "where": _where(lesson.where),
                         "answered": lesson.answered, "cause": lesson.cause,
                         "effect": lesson.effect,
                         "actions": [{"id": a.id, "title": a.title,
                                      "description": a.description, "owner": a.owner,
                                      "due": a.due.isoformat() if a.due else None,
                                      "where": _where(a.where)} for a in lesson.actions]}
                        for lesson in r.lessons]}


def _release_from(d: dict[str, Any]) -> Release:
    lessons = tuple(
        Lesson(id=le["id"], kind=le["kind"], title=le["title"], description=le["description"],
               theme=le["theme"], raised_by=le["raised_by"], where=_where_from(le["where"]),
               answered=bool(le["answered"]), cause=le["cause"], effect=le["effect"],
               actions=tuple(Action(id=a["id"], title=a["title"], description=a["description"],
                                    owner=a["owner"], due=_day(a["due"]),
                                    where=_where_from(a["where"])) for a in le["actions"]))
        for le in d["lessons"])
    live = _day(d["live_date"])
    if live is None:
        raise ValueError("no live date")
    return Release(id=d["id"], name=d["name"], live_date=live, lessons=lessons,
                   extends=d["extends"], where=_where_from(d["where"]),
                   measures=tuple((str(k), str(v)) for k, v in d["measures"]))
