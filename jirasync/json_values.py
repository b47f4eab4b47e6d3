"""The two shapes of a JSON value at jirasync's edges, named once for every port.

``JSON`` is a value as Jira or Confluence gives it back (``json.loads`` makes one):
whoever reads it narrows it with ``isinstance`` before use, since a person may have put
anything there. ``ToJSON`` is a value jirasync sends: any mapping by strings or sequence
of such values, so that a ``dict[str, str]`` or a tuple is one without a copy
(``Mapping`` and ``Sequence`` are read-only, hence covariant; ``dict`` and ``list`` are
not, so a ``dict[str, str]`` is no ``dict[str, JSON]``)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeAlias

JSON: TypeAlias = dict[str, "JSON"] | list["JSON"] | str | int | float | bool | None
ToJSON: TypeAlias = Mapping[str, "ToJSON"] | Sequence["ToJSON"] | str | int | float | bool | None
