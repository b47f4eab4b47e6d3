"""A release file's lessons and actions: a template's lessons first, a release lesson with
the same id overriding the keys it gives (actions merge the same way, by id), then the
release's own; every string rendered with Jinja over ``release`` and ``people`` and
checked (lengths, controls, owners, due dates), each problem named by file, line and key."""
from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

from jirasync.dates import is_relative, parse_due
from jirasync.errors import InputError
from jirasync.loading import load_file
from jirasync.model import KINDS, Action, Lesson, Where, jira_length, slug
from jirasync.paths import find_template, template_search_path
from jirasync.render import RenderError, TooCostly, render_text
from jirasync.schema import ID, Section, top

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
TITLE_MAX = 240
DESCRIPTION_MAX = 32000       # Jira allows 32,767; room is left for the "Raised by" line
LESSON_KEYS = ("id", "kind", "title", "description", "theme", "raised_by", "actions", "cause",
               "effect")
ACTION_KEYS = ("id", "title", "description", "owner", "due")
# How `jirasync init`'s release file starts its example texts: left as written, it would
# go to Jira (and to the board) as a lesson, so it is an error until replaced.
PLACEHOLDER = "Replace this with"
# What a release file's Jinja sees: ``release`` (id, name, live_date, slug) and ``people``.
Context = dict[str, dict[str, object]]


def read_template(s: Section, name: str, templates_dir: Path | None) -> list[Section] | None:
    """The lessons of release template ``name``; None when it cannot be read (the problem
    is added: not found, with the closest template's name, or the file's own)."""
    path = find_template(f"releases/{name}.yaml", templates_dir)
    if path is None:
        known = sorted({p.stem for folder in template_search_path(templates_dir)
                        for p in (folder / "releases").glob("*.yaml")})
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else \
            f"; templates there: {', '.join(known)}" if known else ""
        s.fail("extends", f"release template '{name}' not found in "
                          f"{templates_dir or 'templates_dir'}/releases or the packaged "
                          f"templates{hint}")
        return None
    try:
        doc = load_file(path)
    except InputError as e:
        s.problems.extend(e.problems)
        return None
    t = top(doc, str(path), s.problems)
    if t is None:
        return None
    t.only(("description", "lessons"))
    items = [item for item, _ in t.items("lessons", by_id=True) if item]
    check_unique(t, "lessons", items)
    return items


def merge_lessons(template: list[Section] | None, own: list[tuple[Section | None, int]],
                   context: Context, live: date | None) -> list[Lesson]:
    """``template`` None: the release extends one that could not be read. Its lessons'
    titles and kinds may be what the release's own lessons lack, so their absence is not
    reported: the one problem to fix is the template's name."""
    lenient = template is None
    template = template or []
    by_id = {_meets_by(item): [item] for item in template}
    order = list(by_id)
    template_ids = set(by_id)
    for item, _line in own:
        if item is None:
            continue
        lid = _meets_by(item)
        if lid not in by_id:
            by_id[lid] = []
            order.append(lid)
        by_id[lid].append(item)
    # A template lesson the release file does not list is a question it never answered.
    lessons = [_read_lesson(by_id[lid], context, live, lenient=lenient,
                            answered=len(by_id[lid]) > 1 or lid not in template_ids)
               for lid in order]
    return [lesson for lesson in lessons if lesson is not None]


def _meets_by(item: Section) -> object:
    """What a template's lesson and a release's meet by: their id. A lesson without a text
    id meets none (two lacking one are two lessons, each missing its id), and a list or a
    block, which ``_id`` reports, cannot be a dict's key."""
    lid = item.doc.get("id")
    return lid if isinstance(lid, str) else object()


def _read_lesson(layers: list[Section], context: Context, live: date | None, *,
                 answered: bool = True, lenient: bool = False) -> Lesson | None:
    values: dict[str, Any] = {}        # Lesson's keywords, of their several types
    for s in layers:
        s.only(LESSON_KEYS)
        values.update(_lesson_values(s, context))
    last = layers[-1]
    actions = _merge_actions(layers, context, live, lenient=lenient)
    for key in ("id",) if lenient else ("id", "kind", "title"):
        if not any(key in s.doc for s in layers):
            last.problems.add(last.file, last.doc.line, last.key(key), "is required and missing")
    if any(values.get(k) is None for k in ("id", "kind", "title")):
        return None
    return Lesson(actions=tuple(actions), where=Where(last.file, last.doc.line),
                  answered=answered, **values)


def _lesson_values(s: Section, context: Context) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "id" in s.doc:
        values["id"] = _id(s)
    if "kind" in s.doc:
        values["kind"] = s.choice("kind", KINDS, default=None, required=True)
    for key in ("title", "description", "theme", "raised_by", "cause", "effect"):
        if key in s.doc:
            values[key] = render_value(s, key, context,
                                  single_line=key not in ("description", "cause", "effect"),
                                  required=key == "title")
    theme = values.get("theme")
    if theme and not slug(theme):
        s.fail("theme", f"'{theme}' has no letter or digit to make its label theme-...; "
                        "use words")
        values["theme"] = None
    return {k: v for k, v in values.items() if v is not None or k in ("theme", "raised_by")}


def _merge_actions(layers: list[Section], context: Context, live: date | None, *,
                   lenient: bool = False) -> list[Action]:
    merged: dict[str | None, dict[str, Any]] = {}
    titled: set[str | None] = set()          # ids given a title in some layer (maybe a broken one)
    for s in layers:
        items = [item for item, _ in s.items("actions", by_id=True) if item]
        check_unique(s, "actions", items)
        for item in items:
            item.only(ACTION_KEYS)
            aid = _id(item)
            values = merged.setdefault(aid, {})
            values.update(_action_values(item, context, live))
            values["where"] = Where(item.file, item.doc.line, tuple(item.doc.lines.items()))
            values["key"] = item.key("title")
            if "title" in item.doc:
                titled.add(aid)
    actions = []
    for aid, values in merged.items():
        key = values.pop("key", "")
        if aid is None or values.get("title") is None:
            if aid is not None and aid not in titled and not lenient:
                w = values["where"]
                layers[-1].problems.add(w.file, w.line, key, "is required and missing")
            continue
        actions.append(Action(id=aid, **values))
    return actions


def _action_values(s: Section, context: Context, live: date | None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in ("title", "description", "owner"):
        if key in s.doc:
            values[key] = render_value(s, key, context, single_line=key != "description",
                                  required=key == "title")
    owner = values.get("owner")
    if owner and "@" in owner and not EMAIL.fullmatch(owner):
        s.fail("owner", f"'{owner}' is not an email address; name the owner by email, by "
                        "Jira account id (Cloud) or by username (Data Center)")
    if "due" in s.doc:
        text = render_value(s, "due", context)
        try:
            values["due"] = parse_due(text, live) if text else None
        except ValueError as e:
            if live is not None or not is_relative(text or ""):   # else live_date's own problem
                s.fail("due", str(e))
    return {k: v for k, v in values.items() if v is not None or k in ("owner", "due")}


def _id(s: Section) -> str | None:
    value = s.text("id", required=True)
    if value is not None and not ID.fullmatch(value):
        s.fail("id", f"'{value}' must be letters, digits, '.', '_' or '-', at most 64")
        return None
    return value


def render_value(s: Section, key: str, context: Context, *, required: bool = False,
            single_line: bool = True, limit: int = TITLE_MAX) -> str | None:
    text = s.text(key, required=required)
    if text is None:
        return None
    try:
        value = render_text(text, context)
    except RenderError as e:
        if isinstance(e, TooCostly) and e.repeat:
            return None
        hint = "" if "undefined" not in str(e) else "; names here: release.id, release.name, " \
            f"release.live_date, release.slug, people.<role> ({', '.join(context['people'])})" \
            "; for Jira's {{monospace}} write {% raw %}{{monospace}}{% endraw %}"
        s.fail(key, f"{e}{hint}")
        return None
    value = value.strip() if single_line else value.rstrip()
    if required and not value:
        s.fail(key, "is blank once rendered; give it a value")
        return None
    if value.startswith(PLACEHOLDER):
        s.fail(key, f"'{value.splitlines()[0]}' is the example `jirasync init` wrote; write "
                    "the real text, or delete the example")
        return None
    control = _control(value, single_line)
    if control:
        s.fail(key, f"must be a single line (it holds a {control}); Jira refuses it in a "
                    "summary: remove it" if single_line else f"holds a {control}; remove it")
    elif single_line and jira_length(value) > limit:
        s.fail(key, f"is {jira_length(value)} characters as Jira counts them (an emoji is "
                    f"two); at most {limit} fit a Jira summary here")
    elif not single_line and jira_length(value) > DESCRIPTION_MAX:
        s.fail(key, f"is {jira_length(value)} characters; Jira keeps at most "
                    f"{DESCRIPTION_MAX} here: shorten it or link to a document")
    return value


def _control(value: str, single_line: bool) -> str:
    """The first character Jira refuses in this field, named, or ''."""
    for char in value:
        if char in "\n\r\u2028\u2029\x85" and single_line:
            return "line break"
        if unicodedata.category(char) == "Cc" and char not in "\t\n\r":
            return f"control character U+{ord(char):04X}"
    return ""


def check_unique(s: Section, name: str, items: list[Section]) -> None:
    seen: dict[str, int | None] = {}
    for item in items:
        value = item.doc.get("id")
        if not isinstance(value, str):
            continue
        if value in seen:
            item.fail("id", f"'{value}' is used twice in {s.key(name)} (first on line "
                            f"{seen[value]}); ids must be unique")
        seen.setdefault(value, item.doc.line_of("id"))
