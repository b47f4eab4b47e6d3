"""JQL tokens: words, quoted strings, operators and brackets, each with its position.

Also home of :class:`JqlError`, which every stage of the JQL engine raises.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from jirasync.errors import JirasyncError


class JqlError(JirasyncError):
    """A query the sandbox refuses, worded like Jira's ``errorMessages`` entries.

    ``messages`` holds every problem found (Jira reports them all at once); the
    exception's text is the first one, or all of them one per line.
    """

    def __init__(self, message: str, *more: str):
        self.messages = (message, *more)
        super().__init__("\n".join(self.messages))


@dataclass(frozen=True)
class Token:
    """One piece of a query: ``kind`` is word, string, op, ``(``, ``)``, ``,`` or end."""

    kind: str
    text: str
    pos: int


# Jira's lexer refuses these outside quotes; '&' and '|' are its symbolic AND/OR,
# which the sandbox does not accept, so they are refused the same way.
_RESERVED = frozenset("+.;?|*/%^$#@[]&")
_STOPS = frozenset("\"'(),=!<>~")
_OPERATORS = ("!=", "!~", "<=", ">=", "=", "<", ">", "~", "!")
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", '"': '"', "'": "'", "\\": "\\", " ": " "}
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")
# Words that would otherwise trip over a reserved character: the custom-field form
# cf[10014] and slash dates such as 2026/03/10.
_WHOLE_WORDS = (re.compile(r"cf\[\d+\]", re.IGNORECASE), re.compile(r"\d{4}/\d{1,2}/\d{1,2}"))


def syntax_error(text: str, pos: int, message: str) -> JqlError:
    """A parse error at ``pos``, with Jira's prefix and its 1-based line and character."""
    line = text.count("\n", 0, pos) + 1
    character = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return JqlError(f"Error in the JQL Query: {message} (line {line}, character {character})")


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens, ending with one ``end`` token; JqlError if it cannot."""
    tokens: list[Token] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos == len(text):
            tokens.append(Token("end", "", pos))
            return tokens
        token, pos = _next_token(text, pos)
        tokens.append(token)


def _next_token(text: str, pos: int) -> tuple[Token, int]:
    char = text[pos]
    if char in "(),":
        return Token(char, char, pos), pos + 1
    if char in "\"'":
        return _quoted(text, pos)
    for op in _OPERATORS:
        if text.startswith(op, pos):
            return Token("op", op, pos), pos + len(op)
    return _word(text, pos)


def _ends_word(text: str, pos: int) -> bool:
    return pos == len(text) or text[pos].isspace() or text[pos] in _STOPS


def _word(text: str, pos: int) -> tuple[Token, int]:
    for pattern in _WHOLE_WORDS:
        match = pattern.match(text, pos)
        if match and _ends_word(text, match.end()):
            return Token("word", match.group(), pos), match.end()
    chars, at = [], pos
    while not _ends_word(text, at):
        if text[at] == "\\":
            char, at = _escape(text, at)
            chars.append(char)
            continue
        if text[at] in _RESERVED:
            raise syntax_error(text, at, _reserved_message(text[at]))
        chars.append(text[at])
        at += 1
    return Token("word", "".join(chars), pos), at


def _reserved_message(char: str) -> str:
    return (f"The character '{char}' is a reserved JQL character. You must enclose it in "
            f"a string or use the escape '\\u{ord(char):04x}' instead.")


def _quoted(text: str, pos: int) -> tuple[Token, int]:
    chars: list[str] = []
    quote, at = text[pos], pos + 1
    while at < len(text):
        if text[at] == quote:
            return Token("string", "".join(chars), pos), at + 1
        if text[at] == "\\":
            char, at = _escape(text, at)
            chars.append(char)
            continue
        chars.append(text[at])
        at += 1
    raise syntax_error(text, pos, f"The quoted string '{text[pos + 1:]}' has not been "
                                  "completed.")


def _escape(text: str, pos: int) -> tuple[str, int]:
    code = text[pos + 1:pos + 2]
    if code and code in _ESCAPES:
        return _ESCAPES[code], pos + 2
    digits = text[pos + 2:pos + 6]
    if code == "u" and _HEX4.fullmatch(digits):
        return chr(int(digits, 16)), pos + 6
    raise syntax_error(text, pos, f"The escape sequence '{text[pos:pos + 2]}' is illegal; "
                                  "use \\t, \\n, \\r, \\\", \\', \\\\, \\<space> or \\uXXXX.")
