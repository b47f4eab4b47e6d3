"""A plain HTTP session for another Atlassian product (Confluence) that goes through the
gateway's ``Transport``: ``requests`` stays behind this folder's door."""
from __future__ import annotations

import requests

from jirasync.secret import Secret, remember


def session(*, bearer: Secret | str | None = None, user: str | None = None,
            token: Secret | str | None = None) -> requests.Session:
    """A session sending a Data Center bearer token, or Cloud's e-mail and API token;
    certificates always verified; the secret masked wherever it is echoed."""
    s = requests.Session()
    s.verify = True
    if bearer is not None:
        value = bearer.reveal() if isinstance(bearer, Secret) else bearer
        remember(value)
        s.headers["Authorization"] = f"Bearer {value}"
    elif user and token is not None:
        value = token.reveal() if isinstance(token, Secret) else token
        remember(value)
        remember(value, user=user)
        s.auth = (user, value)
    s.headers["Accept"] = "application/json"
    return s
