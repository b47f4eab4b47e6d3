"""The YAML door: reads a user's file into plain data that remembers its lines.

Scalars stay strings (except null): YAML 1.1 would read ``id: 4.10`` as 4.1 and
``no`` as False, and a PMO's release id or answer must arrive as written. Each field's
validator converts the text to the type it expects.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from jirasync.errors import InputError, Problem


class Doc(dict[str, object]):
    """A YAML mapping that remembers the line of the mapping and of each key."""

    def __init__(self, *args: object, file: str = "", line: int | None = None,
                 **kw: object) -> None:
        super().__init__(*args, **kw)
        self.file = file
        self.line = line
        self.lines: dict[str, int] = {}

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key, self.line)


class Seq(list[object]):
    """A YAML sequence that remembers the line of each item."""

    def __init__(self, *args: object, file: str = "", line: int | None = None) -> None:
        super().__init__(*args)
        self.file = file
        self.line = line
        self.lines: list[int] = []


class _Loader(yaml.SafeLoader):
    """The pure-Python loader: slow, but its error messages are the ones users see."""


# libyaml's C parser is about ten times faster; the same resolvers and constructors build
# the same data from it. Without libyaml every file goes through the Python loader.
if TYPE_CHECKING or yaml.__with_libyaml__:
    class _CLoader(yaml.CSafeLoader):
        name: str       # set per file, as the Python loader's reader has it

_FastLoader = _CLoader if yaml.__with_libyaml__ else None
_LOADERS: tuple[type[_Loader | _CLoader], ...] = \
    (_FastLoader, _Loader) if _FastLoader else (_Loader,)

# Only null (and the ``<<`` merge key) is implicit: everything else is read as the text
# the user wrote.
_IMPLICIT = ("tag:yaml.org,2002:null", "tag:yaml.org,2002:merge")
for _cls in _LOADERS:
    _cls.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag in _IMPLICIT]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def _construct_mapping(loader: _Loader | _CLoader, node: yaml.MappingNode) -> Doc:
    doc = Doc(file=loader.name, line=node.start_mark.line + 1)
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if isinstance(key, dict) and all(v is None for v in key.values()):
            raise _KeyProblem(line, "", "a value that starts with {{ or {% must be in "
                                        "quotes, e.g. name: \"{{ release.id }}\"")
        if not isinstance(key, str):
            raise _KeyProblem(line, str(key), "keys must be plain words")
        if key in doc:
            raise _KeyProblem(line, key, f"appears twice in the same block (first on line "
                                         f"{doc.lines[key]}); keep one")
        doc[key] = loader.construct_object(value_node, deep=True)
        doc.lines[key] = line
    return doc


def _construct_sequence(loader: _Loader | _CLoader, node: yaml.SequenceNode) -> Seq:
    seq = Seq(file=loader.name, line=node.start_mark.line + 1)
    for item in node.value:
        seq.append(loader.construct_object(item, deep=True))
        seq.lines.append(item.start_mark.line + 1)
    return seq


def _construct_tagged(loader: _Loader | _CLoader, node: yaml.Node) -> object:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    raise _KeyProblem(node.start_mark.line + 1, "",
                      f"the YAML tag {tag} is not used here; write the value as plain text")


for _cls in _LOADERS:
    _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    for _tag in ("bool", "int", "float", "timestamp", "binary", "set", "omap", "pairs"):
        _cls.add_constructor(f"tag:yaml.org,2002:{_tag}", _construct_tagged)
    _cls.add_constructor(None, _construct_tagged)      # !custom tags


class _KeyProblem(Exception):
    def __init__(self, line: int, key: str, message: str):
        super().__init__(message)
        self.line, self.key, self.message = line, key, message


def load_text(text: str, file: str) -> object:
    """Parse YAML text; raise InputError naming file and line on any syntax problem.

    The fast loader reads it; a file it refuses is read again by the Python loader, whose
    message (line and wording) is the one reported."""
    if _FastLoader is not None:
        try:
            loader = _FastLoader(text)
        except yaml.YAMLError:
            loader = None
        if loader is not None:
            loader.name = file
            try:
                return loader.get_single_data()
            except (_KeyProblem, yaml.YAMLError, RecursionError):
                pass
            finally:
                loader.dispose()
    return _load_slow(text, file)


def _load_slow(text: str, file: str) -> object:
    try:
        loader = _Loader(text)      # the reader refuses control characters right away
    except yaml.reader.ReaderError as e:
        raise InputError([_character_problem(e, text, file)]) from None
    loader.name = file
    problem = None
    try:
        return loader.get_single_data()
    except _KeyProblem as e:
        problem = Problem(file, e.line, e.key, e.message)
    except yaml.reader.ReaderError as e:
        problem = _character_problem(e, text, file)
    except yaml.MarkedYAMLError as e:
        problem = _syntax_problem(e, text, file)
    except yaml.YAMLError as e:
        problem = Problem(file, None, "", f"YAML syntax error: {e}")
    except RecursionError:
        problem = _nesting_problem(text, file)
    finally:
        loader.dispose()
    raise InputError([problem])


def _character_problem(e: yaml.reader.ReaderError, text: str, file: str) -> Problem:
    line = text[:e.position].count("\n") + 1
    name = " (NUL)" if e.character in (0, "\0") else ""
    code = e.character if isinstance(e.character, int) else ord(e.character)
    return Problem(file, line, "", f"the character U+{code:04X}{name} cannot be in a YAML "
                   "file; remove it (an editor or a copy from a binary file put it there)")


NESTING_LIMIT = 50


def _nesting_problem(text: str, file: str) -> Problem:
    """Where the lists and mappings nest deeper than anything a config or release needs."""
    depth, line = 0, 1
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > NESTING_LIMIT:
                    # The parser marks every event; the stubs allow None.
                    line = event.start_mark.line + 1 if event.start_mark else line
                    break
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass
    return Problem(file, line, "", f"lists or blocks are nested more than {NESTING_LIMIT} "
                   "levels deep here; a jirasync file needs only a few levels")


# PyYAML's words for a line indented more or less than its block allows.
INDENTATION = ("mapping values are not allowed here", "expected <block end>",
               "could not find expected ':'")


def _syntax_problem(e: yaml.MarkedYAMLError, text: str, file: str) -> Problem:
    mark = e.problem_mark
    # At the end of the file the useful place is where the unclosed thing began.
    if mark is None or (e.context_mark is not None and mark.index >= len(text.rstrip())):
        mark = e.context_mark or mark
    line = mark.line + 1 if mark else None
    message = f"YAML syntax error: {e.problem or e.context or 'not valid YAML'}"
    source = text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""
    if "{{" in source or "{%" in source:
        message += "; a value that starts with {{ or {% must be in quotes"
    elif "'\\t'" in (e.problem or ""):
        message += "; indent with spaces, not tabs"
    elif "another document" in (e.problem or ""):
        message += "; one file holds one release: remove the '---' line"
    elif any(jargon in (e.problem or "") for jargon in INDENTATION):
        message = ("YAML syntax error: the indentation is wrong here: keys of one block must start in the same "
                   "column, and a value holding ': ' must be in quotes")
    return Problem(file, line, "", message)


def load_file(path: Path) -> object:
    """Read and parse a YAML file; a missing or unreadable file is an InputError."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError([Problem(str(path), None, "", f"cannot read the file: {e.strerror}")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise InputError([Problem(str(path), line, "", f"byte 0x{data[e.start]:02x} is not "
                                  "UTF-8 text; save the file as UTF-8")]) from None
    return load_text(text, str(path))


def dump(data: object) -> str:
    """Write plain data as YAML (for files jirasync writes, e.g. the demo programme)."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
