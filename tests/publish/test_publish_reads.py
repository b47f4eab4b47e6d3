"""What a publish reads, and what ``check --online`` tells of the space before one: a
no-change publish reads each page once on Cloud (its property comes with it), and a bot
that may only view the space is told so by ``check --online`` (Cloud), refused by
Confluence when it publishes (both flavours), and nothing is made."""
from __future__ import annotations

from jirasync.cli import main

BOT = "pmo-bot@example.org"


def _page_reads(sb) -> list[str]:
    """The page and property reads of the log (not the search, the space, the bot)."""
    return [r.path for r in sb.requests
            if r.method == "GET" and r.kind in ("wiki-page", "wiki-property")]


def test_a_no_change_publish_reads_each_page_once_on_cloud(site):
    site.publish()
    site.sb.reset_log()
    result, _wiki = site.publish()
    assert [o.verb for o in result.outcomes] == ["unchanged"] * 4
    reads = _page_reads(site.sb)
    ours = {p.id for p in site.ours().values()}
    read_ids = [path.split("/")[-1] for path in reads if "/propert" not in path]
    if site.sb.flavour == "cloud":      # include-properties: the page and its property
        assert sorted(read_ids) == sorted(ours) and len(reads) == 4
    else:                               # Data Center: the page, then its property
        assert len(reads) == 8 and sum("/property/" in p for p in reads) == 4


def test_a_page_with_many_properties_still_finds_ours(site):
    """Past the 50 properties a page read includes, jirasync's is asked for by key: the
    page is still ours (unchanged), not taken for a stranger's."""
    site.publish()
    page = site.ours()["4.3"]
    site.sb.confluence.add_properties(page.id, {f"app-{i:02}": i for i in range(60)})
    result, _ = site.publish("4.3")
    assert not result.failed, result.failure()
    assert {o.verb for o in result.outcomes} == {"unchanged"}
    assert site.sb.confluence.page(page.id).version == page.version


def test_check_online_says_a_view_only_bot_may_not_write(site, capsys):
    site.sb.confluence.view_only(BOT)
    try:
        code = main(["check", "--online", "--config", str(site.config.path)])
        captured = capsys.readouterr()
        if site.sb.flavour == "cloud":
            assert code == 2, captured.out
            assert "confluence.space" in captured.err
            assert "may not create page or create attachment in space PMO" in captured.err
        else:       # Data Center has no read of it: check says so and passes
            assert code == 0, captured.out
            assert "told by the first publish" in captured.out
        result, _ = site.publish()
        assert result.failed and not site.ours()    # Confluence refused every create
    finally:
        site.sb.confluence.view_only(BOT, False)
    code = main(["check", "--online", "--config", str(site.config.path)])
    out = capsys.readouterr().out
    assert code == 0, out
    if site.sb.flavour == "cloud":
        assert "space PMO: ok, the bot may add pages and attachments" in out


def test_the_label_search_reads_every_page_of_its_answer(site):
    """Past 50 pages the search goes on by its answer's next link: on Cloud by the opaque
    cursor (the contract has no ``start`` for it), on Data Center by ``start``."""
    wiki = site.publish()[1]
    space = wiki.space(site.sb.confluence.space)
    made = {site.sb.confluence.create(f"Notes {i}") for i in range(120)}
    for page_id in made:
        wiki.add_labels(page_id, ["team-notes"])
    found = wiki.labelled(space, "team-notes")
    assert {f.id for f in found} == made and len(found) == 120
    searches = [r for r in site.sb.requests if r.kind == "wiki-search"]
    assert len(searches) >= 3
