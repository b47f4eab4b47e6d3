"""Whether a Jira address would carry the token in clear across a network."""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def in_clear(url: str) -> bool:
    """True for ``http://`` to anything but this machine (loopback: the sandbox, a tunnel)."""
    try:
        parts = urlsplit(url)
    except ValueError:           # a malformed address: reported as such elsewhere
        return False
    return parts.scheme.lower() == "http" and not on_this_machine(url)


def on_this_machine(url: str) -> bool:
    """Whether ``url`` names this machine (localhost or a loopback address)."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
