"""The one door for webhook HTTP (the PMO's channel, ``jirasync.notify``): one POST of a
JSON payload to a Teams or Slack webhook, answered as a ``Delivery``, never an exception.

The address is a ``Secret``: it is revealed only to ``requests`` here. What comes back
says what happened in words of its own (status, Retry-After, a short reason): never the
exception's text, which names the address's path. Retrying is the caller's policy; this
makes one attempt and says whether the service can have taken the message.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import requests

from jirasync.gateway.failures import never_sent, retry_after_s
from jirasync.secret import Secret, redact

ANSWER_CHARS = 200      # of the answer's body kept for the message (Slack's error word)


@dataclass(frozen=True)
class Delivery:
    """One attempt's outcome. ``status`` 0: no answer. ``sent``: False when the request
    cannot have reached the service (the connection was never made); True otherwise,
    since a lost answer or a 5xx does not say the message was not taken."""

    status: int
    why: str = ""
    retry_after: float | None = None
    sent: bool = True

    @property
    def accepted(self) -> bool:
        return 200 <= self.status < 300


def post_json(url: Secret, payload: dict[str, Any], *, timeout_s: float = 30,
              session: requests.Session | None = None) -> Delivery:
    """POST ``payload`` (UTF-8 JSON) to the webhook at ``url``, once."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    http = session or requests.Session()
    try:
        response = http.post(url.reveal(), data=body, timeout=timeout_s,
                             headers={"Content-Type": "application/json; charset=utf-8"},
                             allow_redirects=False)
    except requests.exceptions.ConnectTimeout:
        return Delivery(0, "the connection timed out before it was made", sent=False)
    except requests.exceptions.SSLError:
        return Delivery(0, "the TLS handshake failed", sent=False)
    except requests.exceptions.ConnectionError as e:
        never = never_sent(e)
        return Delivery(0, "the connection was refused or the host not found" if never
                        else "the connection was lost before an answer", sent=not never)
    except requests.exceptions.Timeout:
        return Delivery(0, f"no answer within {timeout_s:g} s")
    except requests.exceptions.RequestException as e:
        return Delivery(0, f"the request failed ({type(e).__name__})")
    finally:
        if session is None:
            http.close()
    text = redact(" ".join(response.text.split())[:ANSWER_CHARS]) if response.text else ""
    return Delivery(response.status_code, text,
                    retry_after_s(response))


