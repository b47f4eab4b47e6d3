"""Reading user-written YAML into typed values, collecting every problem at once.

A ``Section`` is a mapping plus its dotted path (``jira.auth``); each reader returns the
converted value or a fallback and records a Problem naming file, line and key.
"""
from __future__ import annotations

import collections
import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, overload

from jirasync.dates import iso_date
from jirasync.errors import Problem
from jirasync.loading import Doc, Seq
from jirasync.secret import mask_tokens

_MISSING = object()
# What an id may be in a release file (a release's, a lesson's, an action's, a template's);
# a message names a list's item by such an id.
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class Problems(list[Problem]):
    """The problems found so far in one or more files."""

    def add(self, file: str, line: int | None, key: str, message: str) -> None:
        # A token pasted into the wrong key must not be printed back with the problem.
        self.append(Problem(file, line, key, mask_tokens(message)))


@dataclass
class Section:
    doc: Doc
    path: str
    problems: Problems
    # Keys an unknown key was taken for ("did you mean 'project'?"): that line already
    # says the key is missing, so it is not said a second time, at another line.
    suggested: set[str] = field(default_factory=set, repr=False)

    @property
    def file(self) -> str:
        return self.doc.file

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def fail(self, name: str, message: str) -> None:
        self.problems.add(self.file, self.doc.line_of(name), self.key(name), message)

    def only(self, known: tuple[str, ...]) -> None:
        """Report every key not in ``known``, with a suggestion when one is close."""
        for name in self.doc:
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else \
                    f"; known keys here: {', '.join(known)}"
                self.suggested.update(close)
                self.fail(name, f"unknown key{hint}")

    def raw(self, name: str, *, required: bool = False) -> object:
        value = self.doc.get(name)
        if value is None and required:
            if name in self.doc:
                self.fail(name, "is empty; give it a value")
            elif name not in self.suggested:
                self.problems.add(self.file, self.doc.line, self.key(name),
                                  "is required and missing")
        return value

    # With a str default the answer is always a str: the overloads say so to callers.
    @overload
    def text(self, name: str, *, required: bool = False, default: str) -> str: ...
    @overload
    def text(self, name: str, *, required: bool = False,
             default: None = None) -> str | None: ...

    def text(self, name: str, *, required: bool = False,
             default: str | None = None) -> str | None:
        value = self.raw(name, required=required)
        if value is None:
            return default
        if not isinstance(value, str):
            self.fail(name, "must be a single line of text, not a list or block")
            return default
        if required and not value.strip():
            self.fail(name, "is blank; give it a value")
            return default
        surrogate = re.search(r"[\ud800-\udfff]+", value)
        if surrogate:
            self.fail(name, _surrogate_message(surrogate.group()))
            return default
        return value

    @overload
    def choice(self, name: str, choices: tuple[str, ...], *, default: str,
               required: bool = False) -> str: ...
    @overload
    def choice(self, name: str, choices: tuple[str, ...], *, default: None,
               required: bool = False) -> str | None: ...

    def choice(self, name: str, choices: tuple[str, ...], *, default: str | None,
               required: bool = False) -> str | None:
        value = self.text(name, default=default, required=required)
        if value is not None and value not in choices:
            self.fail(name, f"'{value}' is not one of: {', '.join(choices)}")
            return default
        return value

    def flag(self, name: str, *, default: bool) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        word = str(value).strip().lower() if isinstance(value, str) else None
        if word not in ("true", "false"):
            self.fail(name, f"'{value}' must be true or false")
            return default
        return word == "true"

    # integer=True gives an int, and a number default gives a number, never None.
    @overload
    def number(self, name: str, *, default: int, minimum: float = 0,
               maximum: float = 1_000_000, integer: Literal[True]) -> int: ...
    @overload
    def number(self, name: str, *, default: None, minimum: float = 0,
               maximum: float = 1_000_000, integer: Literal[True]) -> int | None: ...
    @overload
    def number(self, name: str, *, default: float, minimum: float = 0,
               maximum: float = 1_000_000, integer: Literal[False] = False) -> float: ...
    @overload
    def number(self, name: str, *, default: None, minimum: float = 0,
               maximum: float = 1_000_000, integer: Literal[False] = False) -> float | None: ...

    def number(self, name: str, *, default: float | None, minimum: float = 0,
               maximum: float = 1_000_000, integer: bool = False) -> float | None:
        value = self.text(name)
        if value is None:
            return default
        pattern = r"-?\d{1,9}" if integer else r"-?\d{1,9}(\.\d+)?"
        if not re.fullmatch(pattern, value.strip()) or not minimum <= float(value) <= maximum:
            kind = "a whole number" if integer else "a number"
            self.fail(name, f"'{value}' must be {kind} from {minimum:g} to {maximum:g}")
            return default
        return int(value) if integer else float(value)

    def date(self, name: str, *, required: bool = False) -> date | None:
        value = self.text(name, required=required)
        if value is None:
            return None
        try:
            return iso_date(value)
        except ValueError as e:
            self.fail(name, str(e))
            return None

    def section(self, name: str, *, required: bool = False) -> Section | None:
        value = self.raw(name, required=required)
        if value is None:
            return None
        if not isinstance(value, Doc):
            self.fail(name, "must be a block of 'key: value' lines")
            return None
        return Section(value, self.key(name), self.problems)

    def items(self, name: str, *, by_id: bool = False) -> list[tuple[Section | None, int]]:
        """The list under ``name``: (section or None if the item is not a mapping, line).
        ``by_id``: the items are a release file's lessons or actions, whose ``id`` key names
        them; elsewhere an ``id`` is an unknown key, not a name."""
        value = self.raw(name)
        if value is None:
            return []
        if not isinstance(value, Seq):
            self.fail(name, "must be a list ('- ' items)")
            return []
        out: list[tuple[Section | None, int]] = []
        names = [_item_id(item) if by_id else None for item in value]
        shared = collections.Counter(names)
        for i, (item, line) in enumerate(zip(value, value.lines)):
            named = names[i] is not None and shared[names[i]] == 1
            path = f"{self.key(name)}[{names[i] if named else i}]"
            if isinstance(item, Doc):
                out.append((Section(item, path, self.problems), line))
            else:
                self.problems.add(self.file, line, path, "must be a block of 'key: value' lines")
                out.append((None, line))
        return out

    def strings(self, name: str, *, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = self.raw(name)
        if value is None:
            return default
        if isinstance(value, str):
            return (value,)
        if isinstance(value, Seq) and all(isinstance(v, str) for v in value):
            return tuple(v for v in value if isinstance(v, str))
        self.fail(name, "must be a word or a list of words")
        return default


def _item_id(item: object) -> str | None:
    """The id a message names a list's item by, where it has a plain one that no other
    item shares (the name the lint and the sync report use: ``lessons[feeds].actions[
    checklist]``); else the item is named by its place from 0. An id of digits alone names
    it by place too: ``lessons[2]`` must not be both the item whose id is 2 and the third."""
    name = item.get("id") if isinstance(item, Doc) else None
    if isinstance(name, str) and ID.fullmatch(name) and not name.isdigit():
        return name
    return None


def _surrogate_message(found: str) -> str:
    escapes = "".join(f"\\u{ord(c):04x}" for c in found)
    try:
        meant = f" ({found.encode('utf-16', 'surrogatepass').decode('utf-16')})"
    except UnicodeDecodeError:
        meant = ""
    return (f"holds the escape {escapes}, half-characters that JSON uses and YAML does not "
            f"join; write the character itself{meant} or \\U followed by 8 hex digits")


def top(doc: object, file: str, problems: Problems) -> Section | None:
    """The file's top-level mapping, or None (with a problem) if the file is not one."""
    if isinstance(doc, Doc):
        return Section(doc, "", problems)
    what = "empty" if doc is None else "not a block of 'key: value' lines"
    problems.add(file, None, "", f"the file is {what}")
    return None
