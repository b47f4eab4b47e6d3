"""A secret value that never prints itself."""
from __future__ import annotations

import base64
import re
from typing import NoReturn
from urllib.parse import quote


class Secret:
    """Holds a token. ``str``, ``repr`` and f-strings show only where it came from."""

    __slots__ = ("_value", "source")

    def __init__(self, value: str, source: str):
        self._value = value
        self.source = source
        remember(value)           # never shown back, whoever echoes it

    def reveal(self) -> str:
        """The token itself: only for the HTTP client, never for messages or logs."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret(from {self.source})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self.source)

    def __reduce__(self) -> NoReturn:
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


# --- Redaction: one rule for every text jirasync shows or keeps -------------------------
# The tokens this process has held, in each form a server or proxy could echo them back
# (raw, base64 alone or as ``user:token`` the way Basic auth sends it, percent-encoded),
# and anything shaped like a credential header, are replaced by MASK in errors, --json,
# the journal, logs, /healthz and /metrics (``jirasync.outward``).
MASK = "[redacted]"
MIN_SECRET = 8                # shorter values would mask ordinary words
_KNOWN: set[str] = set()
_HEADERS = re.compile(r"(?i)\b(authorization|proxy-authorization|cookie|set-cookie|x-api-key)"
                      r"(['\"]?\s*[:=]\s*['\"]?)[^,'\"\n}]*")
# A scheme and a credential: Basic's base64 of ``user:secret`` ("Basic training" is prose),
# or anything after Bearer.
_SCHEMES = re.compile(r"(?i)\b(bearer|basic)(\s+)([A-Za-z0-9._~+/=\\-]{8,})")
# Base64 (standard or URL-safe, a JSON-escaped slash allowed): decoded and checked for a
# known token, whatever the prefix it was encoded with.
_BASE64 = re.compile(r"(?:[A-Za-z0-9+_=-]|\\?/){16,}")
# Atlassian API tokens announce themselves; one this process never held is masked too.
_ATLASSIAN = re.compile(r"ATATT3x[A-Za-z0-9_=-]{16,}")


def remember(value: str, *, user: str | None = None) -> None:
    """Mask ``value`` (and, with ``user``, the Basic credentials ``user:value``) in every
    outward text from now on."""
    if not value or len(value) < MIN_SECRET:
        return
    forms = {value, quote(value, safe=""), _b64(value)}
    if user:
        forms |= {_b64(f"{user}:{value}"), quote(f"{user}:{value}", safe="")}
    for form in list(forms):
        forms |= {form.replace("/", "\\/"), form.rstrip("="),
                  form.replace("+", "-").replace("/", "_").rstrip("=")}
    _KNOWN.update(f for f in forms if len(f) >= MIN_SECRET)


def redact(text: str) -> str:
    """``text`` with every known token, credential header and encoded credential masked."""
    for secret in sorted(_KNOWN, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    text = _HEADERS.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
    text = _SCHEMES.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}"
                        if _credential(m.group(1), m.group(3)) else m.group(), text)
    text = _ATLASSIAN.sub(MASK, text)
    return _BASE64.sub(lambda m: MASK if _hides_a_secret(m.group()) else m.group(), text)


def _credential(scheme: str, value: str) -> bool:
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.replace("\\", "") + "==").decode("ascii")
        except ValueError:              # binascii.Error and UnicodeDecodeError are both
            return False
        return ":" in decoded and decoded.isprintable()
    return True         # "Bearer" before a long word is a token far more often than prose


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _hides_a_secret(word: str) -> bool:
    raw = word.replace("\\", "").replace("-", "+").replace("_", "/").rstrip("=")
    for start in range(4):          # the token may sit anywhere in what was encoded
        chunk = raw[start:]
        chunk = chunk[:len(chunk) - len(chunk) % 4]
        try:
            decoded = base64.b64decode(chunk + "=" * (-len(chunk) % 4)).decode("latin-1")
        except ValueError:
            continue
        if _ATLASSIAN.search(decoded) or any(s in decoded for s in _KNOWN if s.isprintable()
                                              and len(s) >= MIN_SECRET):
            return True
    return False
