"""A token never travels in clear: http:// to another host is refused unless the config
says so, and certificates are always verified."""
from __future__ import annotations

import pytest

from jirasync.cli import main
from jirasync.config import load_config
from jirasync.errors import ConfigError
from jirasync.gateway.connect import connect
from tests.helpers import CONFIG, files_under, write_programme

REMOTE = CONFIG.replace("https://example.atlassian.net", "http://jira.example.org")


@pytest.mark.parametrize("command", [["sync"], ["chase"], ["check"], ["sync", "--dry-run"]])
def test_plain_http_to_a_remote_host_is_refused(tmp_path, capsys, monkeypatch, command):
    monkeypatch.setenv("JIRASYNC_TEST_TOKEN", "x")
    config = write_programme(tmp_path, config=REMOTE)
    before = files_under(tmp_path)
    code = main([*command, "--config", str(config)])
    err = capsys.readouterr().err
    assert code == 2
    assert "jirasync.yaml:2: jira.url:" in err and "allow_insecure_http" in err
    assert files_under(tmp_path) == before


def test_plain_http_is_allowed_when_the_config_says_so(tmp_path):
    text = REMOTE.replace("  project: DCR", "  project: DCR\n  allow_insecure_http: true")
    assert load_config(write_programme(tmp_path, config=text)).jira.allow_insecure_http


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://localhost", "http://[::1]:9"])
def test_loopback_http_needs_no_permission(tmp_path, url):
    text = CONFIG.replace("https://example.atlassian.net", url)
    assert load_config(write_programme(tmp_path, config=text)).jira.url == url


def test_allow_insecure_http_must_be_true_or_false(tmp_path):
    text = REMOTE.replace("  project: DCR", "  project: DCR\n  allow_insecure_http: yes please")
    with pytest.raises(ConfigError) as info:
        load_config(write_programme(tmp_path, config=text))
    assert "jira.allow_insecure_http" in str(info.value)


def test_the_gateway_refuses_plain_http_to_a_remote_host_itself():
    with pytest.raises(ValueError, match="in clear"):
        connect("http://jira.example.org", email="a@b.c", token="t")


def test_certificates_are_verified(sandbox_dc, monkeypatch):
    monkeypatch.setenv("CURL_CA_BUNDLE", "")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "")
    gw = connect(sandbox_dc.url, auth_type="pat", token="sandbox-pat")
    assert gw._t.session.verify is True     # requests checks certificates
