"""The output door's two rules on their own: printable text, and no secret in any of the
encodings a server or a proxy might echo it back in — without masking ordinary words."""
from __future__ import annotations

import base64
import json
from urllib.parse import quote

import pytest

from jirasync import outward
from jirasync.secret import Secret, remember

TOKEN = "ATATT3xFfGF0Tq9zExampleTokenValue0123=ABCD"
PAT = "NjQ2NjE3ODk0NzkzOnPxExamplePat42"
USER = "pmo-bot@example.org"
BASIC = base64.b64encode(f"{USER}:{TOKEN}".encode()).decode()


@pytest.fixture(autouse=True)
def known():
    Secret(PAT, "test")                     # read from a token file or variable
    remember(TOKEN, user=USER)              # sent as Basic credentials


@pytest.mark.parametrize("text", [
    f"raw {TOKEN}", f"pat {PAT}", f"Authorization: Basic {BASIC}", f"basic {BASIC}",
    f'{{"auth": "{BASIC.replace("/", chr(92) + "/")}"}}', f"b64 {BASIC}",
    f"urlsafe {BASIC.replace('+', '-').replace('/', '_').rstrip('=')}",
    f"quoted {quote(TOKEN, safe='')}", f"user {USER}:{TOKEN}",
    f"b64 of the token {base64.b64encode(TOKEN.encode()).decode()}",
    "an unknown Atlassian token ATATT3xZZZZZZZZZZZZZZZZZZZZZZZZ",
    "Proxy-Authorization: Bearer abc", f"Bearer {PAT}",
], ids=lambda t: t.split()[0])
def test_a_secret_in_any_encoding_is_masked(text):
    shown = outward.text(text)
    assert "[redacted]" in shown
    for secret in (TOKEN, PAT, BASIC, BASIC.rstrip("="), f"{USER}:{TOKEN}"):
        assert secret not in shown


@pytest.mark.parametrize("text", [
    "Basic training for the release team", "Basic: the runbook",
    "DCR-1234 partner-communications-checklist", "https://jira.example.org/browse/DCR-12",
    "the authorization form was late",
])
def test_ordinary_words_are_kept(text):
    assert outward.text(text) == text


def test_jira_text_is_printable_in_every_form():
    hostile = "a\x1b]0;x\x07b\x00c\u202ed\r\x9be\ud800f\tg\nh"
    assert outward.text(hostile) == "a\ufffd]0;x\ufffdb\ufffdc\ufffdd\r\ufffde\ufffdf\tg\nh"
    assert outward.line(hostile).count("\r") == 0
    assert outward.file_text(hostile).count("\ufffd") == 6
    decoded = json.loads(outward.dumps({"name\x1b": [hostile]}))
    assert decoded == {"name\ufffd": [outward.text(hostile)]}
