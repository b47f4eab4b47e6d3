"""A secret value that never prints itself."""
from __future__ import annotations

import re


class Secret:
    """Holds a token. ``str``, ``repr`` and f-strings show only where it came from."""

    __slots__ = ("_value", "source")

    def __init__(self, value: str, source: str):
        self._value = value
        self.source = source

    def reveal(self) -> str:
        """The token itself: only for the HTTP client, never for messages or logs."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret(from {self.source})"

    __str__ = __repr__

    def __eq__(self, other) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self.source)

    def __reduce__(self):
        raise TypeError("a Secret cannot be pickled")


# Atlassian API tokens (ATATT3x…, or 24 mixed characters), Data Center personal access
# tokens (base64): long runs of mixed letters and digits. Names people give variables,
# files, projects and hosts are words: upper-case, or lower-case, with few digits.
_WORDS = re.compile(r"[A-Za-z0-9+/=_.\-]{20,}")


def looks_like_token(text: str) -> bool:
    """Whether ``text`` could be a token pasted by mistake (never print it then)."""
    return any(_token_like(m.group()) for m in _WORDS.finditer(text or ""))


def _token_like(word: str) -> bool:
    letters_digits = re.sub(r"[^A-Za-z0-9]", "", word)
    if len(letters_digits) < 20 or word.startswith(("/", ".", "~")):
        return False
    kinds = sum(bool(re.search(p, word)) for p in ("[a-z]", "[A-Z]", "[0-9]"))
    return kinds == 3


def mask_tokens(text: str) -> str:
    """``text`` with anything that looks like a token replaced by a note saying so."""
    return _WORDS.sub(lambda m: "(a value that looks like a token, not repeated here)"
                      if _token_like(m.group()) else m.group(), text)
