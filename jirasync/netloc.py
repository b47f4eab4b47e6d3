"""Whether a Jira address would carry the token in clear across a network."""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def in_clear(url: str) -> bool:
    """True for ``http://`` to anything but this machine (loopback: the sandbox, a tunnel)."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:           # a malformed address: reported as such elsewhere
        return False
    if parts.scheme.lower() != "http":
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True
