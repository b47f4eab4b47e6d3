"""What a run shows or keeps is printable and holds no secret, whatever Jira (or a proxy in
front of it) sends back: a credential echoed in an error body is masked on stderr, under
--json, in the journal, in the logs and on /healthz."""
from __future__ import annotations

import base64
import json
import urllib.request

import pytest

from jirasync.cli import main
from jirasync.service.health import health
from jirasync.service.http import Pages, serve
from jirasync.service.timetable import parse_schedule
from jirasync.state import StateDir
from tests.echo_proxy import EchoProxy
from tests.service.conftest import PROMPT_DAY, TOKENS

EMAIL = "pmo-bot@example.org"


@pytest.fixture
def proxied(site):
    """A site whose config reaches the sandbox through ``EchoProxy``."""
    proxies = []

    def make(**options):
        s = site(**options)
        proxy = EchoProxy(s.sb.url)
        proxies.append(proxy)
        s.config.write_text(s.config.read_text().replace(s.sb.url, proxy.url))
        return s
    yield make
    for proxy in proxies:
        proxy.close()


def secrets_of(site) -> list[str]:
    token = TOKENS[site.sb.flavour]
    out = [token]
    if site.sb.flavour == "cloud":
        out += [f"{EMAIL}:{token}", base64.b64encode(f"{EMAIL}:{token}".encode()).decode()]
    return out


def leaks(site, text: str) -> list[str]:
    return [s for s in secrets_of(site) if s in text] + \
        [c for c in ("\x1b", "\x07") if c in text]


@pytest.mark.over_http          # EchoProxy forwards to the sandbox over HTTP
def test_a_credential_echoed_in_an_error_is_masked_everywhere(proxied, once, capsys):
    s = proxied(schedule="  sync: every 15 minutes\n")
    code, err = once(s, PROMPT_DAY, "--json", "--log-format", "json")
    out = capsys.readouterr().out
    assert code == 1
    assert "seen headers" in err and "[redacted]" in err        # the reason is kept
    assert leaks(s, err) == [] and leaks(s, out) == []
    for line in err.splitlines():
        json.loads(line)
    journal = (s.root / "state" / "runs.jsonl").read_text(encoding="utf-8")
    assert leaks(s, journal) == []
    assert "[redacted]" in journal

    state = StateDir(s.root / "state")
    server = serve("127.0.0.1", 0, Pages(
        lambda: health({"sync": parse_schedule("every 15 minutes")}, state.last_runs(),
                       PROMPT_DAY), lambda: b"", "text/plain"))
    try:
        port = server.server_address[1]
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
        page = answer.value.read().decode()
    finally:
        server.shutdown()
        server.server_close()
    assert leaks(s, page) == [] and "last run failed" in page


@pytest.mark.over_http          # EchoProxy forwards to the sandbox over HTTP
def test_sync_by_hand_masks_the_echo_on_stderr_and_under_json(proxied, monkeypatch, capsys):
    s = proxied()
    monkeypatch.setenv("JIRASYNC_SERVICE_TOKEN", TOKENS[s.sb.flavour])
    for json_flag in ([], ["--json"]):
        code = main(["sync", "--config", str(s.config), *json_flag])
        out, err = capsys.readouterr()
        assert code == 1
        assert leaks(s, out + err) == [], (out + err)[-2000:]
        assert "[redacted]" in out + err


def test_an_ambiguous_owner_with_hostile_names_prints_no_escape(site, monkeypatch, capsys):
    from jirasync.sandbox.users import SandboxUser
    s = site()
    for n in range(3):
        s.sb.add_user(SandboxUser(f"5b10ac8d82e05b22cc7d4f0{n}", f"evil{n}",
                                  f"evil{n}@example.org",
                                  f"Evil\x1b]0;PWNED\x07\x1b[31m{n}\u202e\x00"))
    release = s.root / "releases" / "4.2.yaml"
    release.write_text(release.read_text().replace("owner: sam.jones@example.org",
                                                   "owner: evil"))
    monkeypatch.setenv("JIRASYNC_SERVICE_TOKEN", TOKENS[s.sb.flavour])
    for command in (["sync"], ["sync", "--json"], ["check", "--online"],
                    ["check", "--online", "--json"]):
        main([*command, "--config", str(s.config)])
        out, err = capsys.readouterr()
        assert "matches 3 Jira users" in out + err, command
        assert not [c for c in "\x1b\x07\x00\u202e" if c in out + err], command
