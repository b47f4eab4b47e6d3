"""End to end: a `jirasync sync` whose search Jira answers in a shape jirasync does not
understand stops with one line naming the request and what was missing (exit 1), writes
nothing after it, and is journaled as failed. The sandbox answers everything else; the
one broken answer is mocked with ``responses`` in front of it."""
from __future__ import annotations

import json

import pytest
import responses

from jirasync.cli import main
from jirasync.config import load_config
from jirasync.state import StateDir
from tests.helpers import write_programme
from tests.sync.conftest import LESSONS, TOKEN_ENV, TOKENS, config_yaml, release_yaml, snapshot

# What the broken search answers, by flavour (Cloud's /search/jql, Data Center's /search).
BROKEN = {
    "cloud": ("search/jql", {"json": {"issues": [{"id": "10001", "fields": {}}],
                                      "isLast": True}},
              "Jira answered the search without issues[0].key; nothing was written after it"),
    "datacenter": ("search", {"body": "<html><body>Maintenance</body></html>",
                              "content_type": "text/html"},
                   ("Jira answered the search without a JSON body (it sent an HTML page; is "
                    "jira.url ({url}) the address of Jira itself?); nothing was written after "
                    "it")),
}


@pytest.fixture
def sync(sandbox, tmp_path, monkeypatch, capsys):
    """``jirasync sync`` against the sandbox: (exit code, stdout, stderr)."""
    monkeypatch.setenv(TOKEN_ENV, TOKENS[sandbox.flavour])
    config = write_programme(tmp_path, config=config_yaml(sandbox),
                             releases={"4.2.yaml": release_yaml()})

    def run() -> tuple[int, str, str]:
        code = main(["sync", "--config", str(config)])
        out, err = capsys.readouterr()
        return code, out, err
    run.sandbox, run.root, run.config = sandbox, tmp_path, config
    return run


def test_a_search_answer_not_understood_stops_the_sync_before_any_write(sync):
    sb = sync.sandbox
    code, _, err = sync()
    assert code == 0, err
    before = snapshot(sb)
    # A change the next sync would write, were it to get that far.
    (sync.root / "releases" / "4.2.yaml").write_text(
        release_yaml(lessons=(LESSONS[0], LESSONS[1].__class__(
            LESSONS[1].id, "Three rehearsals, not two", kind="keep"))), encoding="utf-8")
    assert sync.sandbox.count(write=True) > 0
    path, answer, message = BROKEN[sb.flavour]
    sb.reset_log()
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        rsps.add_passthru(sb.url)
        rsps.add(responses.POST, f"{sb.url}/rest/api/2/{path}", **answer)
        code, out, err = sync()
    assert code == 1
    assert err.splitlines() == [f"error: {message.format(url=sb.url)}"]
    assert "unexpected failure" not in out + err
    assert snapshot(sb) == before
    assert [(r.method, r.path) for r in sb.requests if r.write] == []     # no write at all
    last = StateDir(load_config(sync.config).state_dir).runs()[-1]
    assert (last["job"], last["ok"], last["aborted"]) == ("sync", False, True)
    assert last["error"] == message.format(url=sb.url)
    json.dumps(last)        # the journal entry is plain JSON
