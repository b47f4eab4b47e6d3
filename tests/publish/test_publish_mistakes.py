"""Confluence mistakes name Confluence and the confluence: key to mend, never Jira's."""
from __future__ import annotations

import pytest

from jirasync.cli import main
from jirasync.config import ConfigError, load_config
from tests.helpers import CONFIG, write_programme


def _with_url(site, old: str, new: str):
    path = site.config.path
    text = path.read_text()
    path.write_text(text.replace(f"  url: {old}\n", f"  url: {new}\n"))
    return path, text


def test_nothing_listening_at_confluence_url_names_confluence_and_its_url(site, capsys):
    url = site.sb.confluence.url
    port = url.split(":")[2].split("/")[0]
    path, text = _with_url(site, url, url.replace(f":{port}", ":9"))
    try:
        code = main(["publish", "4.2", "--today", "2026-11-24", "--config", str(path)])
    finally:
        path.write_text(text)
    err = capsys.readouterr().err
    last = err.strip().splitlines()[-1]
    assert code == 1
    assert "could not reach Confluence" in last and "confluence.url" in last
    assert "Jira" not in err and "jira.url" not in err
    assert "retrying" not in err            # said at once, as for Jira's first request


def test_an_address_that_answers_404_says_to_check_confluence_url(site, capsys):
    url = site.sb.confluence.url
    # Cloud's ends in /wiki (pasted twice: /wiki/wiki); Data Center's anywhere
    path, text = _with_url(site, url, url + ("/wiki" if url.endswith("/wiki") else "/x"))
    try:
        code = main(["publish", "4.2", "--today", "2026-11-24", "--config", str(path)])
    finally:
        path.write_text(text)
    err = capsys.readouterr().err
    assert code == 1 and "404" in err and "check confluence.url" in err, err
    assert "Jira" not in err


@pytest.mark.parametrize("url", ["https://example.atlassian.net",
                                 "https://example.atlassian.net/wikk"])
def test_a_cloud_confluence_address_without_wiki_is_told_its_right_form(tmp_path, url):
    section = f"confluence:\n  url: {url}\n  space: PMO\n  parent_page: Lessons\n"
    with pytest.raises(ConfigError) as e:
        load_config(write_programme(tmp_path, config=CONFIG + section))
    (problem,) = e.value.problems
    assert "confluence.url: Confluence Cloud's address is the site's followed by /wiki: " \
           "https://example.atlassian.net/wiki" in str(problem)


def _with_line(site, old: str, new: str):
    path = site.config.path
    text = path.read_text()
    path.write_text(text.replace(old, new))
    return path, text


@pytest.mark.parametrize("old,new,said", [
    ("  space: PMO\n", "  space: PMX\n",
     "Confluence has no space PMX, or the bot cannot see it: check confluence.space"),
    ("parent_page: Lessons learnt", "parent_page: Nowhere",
     "has no page titled 'Nowhere': check confluence.parent_page"),
])
def test_a_space_or_parent_page_not_there_is_one_line_exit_2_and_writes_nothing(
        site, capsys, old, new, said):
    before = {p.id for p in site.sb.confluence.pages()}     # a fresh site: a first publish
    path, text = _with_line(site, old, new)
    try:
        code = main(["publish", "--programme", "--today", "2026-11-24", "--config", str(path)])
    finally:
        path.write_text(text)
    err = capsys.readouterr().err
    assert code == 2
    (line,) = err.strip().splitlines()
    assert said in line
    assert {p.id for p in site.sb.confluence.pages()} <= before


def test_a_dry_run_says_what_it_would_do_and_what_it_read(site, capsys):
    code = main(["publish", "--programme", "--dry-run", "--today", "2026-11-24",
                 "--config", str(site.config.path)])
    out = capsys.readouterr().out
    assert code == 0
    assert "to create  release 4.2" in out and "created  " not in out
    assert "a real run would report: 4 created, 0 updated (this dry run read Confluence " in out
