"""Jira text on a terminal or in a Markdown file: shown, never obeyed.

A summary may hold an escape sequence (``ESC ]0;…``: the terminal retitles, hides or
recolours text, or writes the clipboard) or a right-to-left override that reorders the
line around it. Each such character is shown as U+FFFD instead; tabs become spaces."""
from __future__ import annotations

import re

# C0 and C1 controls but line breaks (the callers fold those), and the bidi embeddings,
# overrides and isolates.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def shown(text: str) -> str:
    return CONTROLS.sub("\ufffd", text.replace("\t", " "))
