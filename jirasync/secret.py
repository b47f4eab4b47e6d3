"""A secret value that never prints itself."""
from __future__ import annotations


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
