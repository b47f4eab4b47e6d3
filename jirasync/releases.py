"""Release files and release templates (README "2. Write a release file") read into
``Release`` values.

A release file may ``extend`` a template: the template's lessons come first, a release
lesson with the same id overrides the keys it gives (actions merge the same way, by id),
then the release's own lessons follow. String fields may use Jinja over ``release`` and
``people``. A file with any problem is reported and never read as an empty release.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jirasync.errors import InputError, Problem
from jirasync.loading import load_file
from jirasync.model import Release, Where, slug
from jirasync.records import RELEASE_TITLE
from jirasync.release_lessons import (
    Context,
    check_unique,
    merge_lessons,
    read_template,
    render_value,
)
from jirasync.render import time_budget
from jirasync.schema import ID, Problems, Section, top

NAME_MAX = 255 - len(RELEASE_TITLE)      # the release issue's summary is "Lessons learnt: <name>"
MEASURE_MAX = 200             # characters of a measure's name or value


@dataclass(frozen=True)
class Programme:
    """Every release file read: the good ones, and the problems of the broken ones."""

    releases: tuple[Release, ...] = ()
    broken: Mapping[str, tuple[Problem, ...]] = field(default_factory=dict)

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Each problem once: a broken template is named once, not once per release."""
        return tuple(dict.fromkeys(p for ps in self.broken.values() for p in ps))


def load_programme(releases_dir: Path, templates_dir: Path | None,
                   people: Mapping[str, str] | None = None, *,
                   read: Callable[[Path], Release] | None = None) -> Programme:
    """Read every ``*.yaml`` in ``releases_dir``; a broken file never hides the others.
    ``read`` reads one file (default ``load_release``; sync's keeps unchanged ones)."""
    if not releases_dir.is_dir():
        problem = Problem(str(releases_dir), None, "releases_dir",
                          "folder not found; create it and add one YAML file per release")
        return Programme(broken={str(releases_dir): (problem,)})
    releases: list[Release] = []
    broken: dict[str, tuple[Problem, ...]] = {}
    seen: dict[str, tuple[str, str]] = {}
    for path in release_files(releases_dir):
        try:
            release = read(path) if read else load_release(path, templates_dir, people or {})
        except InputError as e:
            broken[str(path)] = e.problems
            continue
        if slug(release.id) in seen:
            other_id, other = seen[slug(release.id)]
            same = "is also used by" if other_id == release.id else \
                f"gives the same label as '{other_id}' in"
            broken[str(path)] = (Problem(str(path), _line_of(release.where, "id"), "id",
                                         f"release id '{release.id}' {same} {other}; "
                                         "ids must be unique"),)
            continue
        seen[slug(release.id)] = (release.id, str(path))
        releases.append(release)
    return Programme(tuple(releases), broken)


def release_files(releases_dir: Path) -> list[Path]:
    """The release files: ``*.yaml`` and ``*.yml``, not hidden ones (editor backups, locks)."""
    return [p for p in sorted(releases_dir.glob("*.yaml")) + sorted(releases_dir.glob("*.yml"))
            if not p.name.startswith(".")]


def load_release(path: Path, templates_dir: Path | None,
                 people: Mapping[str, str]) -> Release:
    """Read one release file (and the template it extends); InputError on any problem."""
    problems = Problems()
    root = top(load_file(path), str(path), problems)
    with time_budget():             # one budget for the whole file's Jinja
        release = _read_release(root, templates_dir, people, problems) if root else None
    if problems or release is None:
        raise InputError(problems)
    return release


def _read_release(s: Section, templates_dir: Path | None, people: Mapping[str, str],
                  problems: Problems) -> Release | None:
    s.only(("id", "name", "description", "live_date", "extends", "lessons", "measures"))
    rid, live = s.text("id", required=True), s.date("live_date", required=True)
    if rid is not None and not ID.fullmatch(rid):
        s.fail("id", f"'{rid}' must be letters, digits, '.', '_' or '-' (e.g. \"4.2\")")
    context: Context = {"release": {"id": rid, "name": s.text("name"), "live_date": live,
                           "slug": rid}, "people": dict(people)}
    name = render_value(s, "name", context, required=True, limit=NAME_MAX)
    context["release"]["name"] = name
    extends = s.text("extends")
    template: list[Section] | None = []      # None: named, but not to be read
    if extends is not None and not ID.fullmatch(extends):
        s.fail("extends", f"'{extends}' must be a template's name, e.g. standard")
        extends, template = None, None
    elif extends:
        template = read_template(s, extends, templates_dir)
    lessons = merge_lessons(template, s.items("lessons", by_id=True), context, live)
    check_unique(s, "lessons", [item for item, _ in s.items("lessons", by_id=True) if item])
    measures = _measures(s)
    if problems or rid is None or name is None or live is None:
        return None
    return Release(id=rid, name=name, live_date=live, lessons=tuple(lessons), extends=extends,
                   where=Where(s.file, s.doc.line, tuple(s.doc.lines.items())),
                   measures=measures)


def _line_of(where: Where | None, key: str) -> int | None:
    return where.line_of(key) if where else None


def _measures(s: Section) -> tuple[tuple[str, str], ...]:
    """``measures:``, a block of ``name: value`` lines (planned_live: 2026-11-11,
    defects: 14...): each value a number, date or line of text, kept as written."""
    block = s.section("measures")
    if block is None:
        return ()
    out = []
    for name in block.doc:
        value = block.doc.get(name)
        if value is None or isinstance(value, (list, dict)):     # loading's Seq and Doc too
            block.fail(name, "must be a number, a date or one line of text")
            continue
        text = str(value).strip() if not isinstance(value, bool) else \
            ("yes" if value else "no")
        if "\n" in text or len(text) > MEASURE_MAX or len(str(name)) > MEASURE_MAX:
            block.fail(name, f"must be one line of at most {MEASURE_MAX} characters")
            continue
        out.append((str(name), text))
    return tuple(out)


def check_template(path: Path, people: Mapping[str, str]) -> tuple[Problem, ...]:
    """Every problem in a release template, read as if a sample release extended it."""
    problems = Problems()
    try:
        t = top(load_file(path), str(path), problems)
    except InputError as e:
        return e.problems
    if t is not None:
        t.only(("description", "lessons"))
        items = [item for item, _ in t.items("lessons", by_id=True) if item]
        check_unique(t, "lessons", items)
        live = date(2000, 1, 1)
        context: Context = {"release": {"id": "0.0", "name": "Sample release", "live_date": live,
                               "slug": "0-0"}, "people": dict(people)}
        with time_budget():
            merge_lessons(items, [], context, live)
    return tuple(problems)
