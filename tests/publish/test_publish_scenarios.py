"""Publishing the Lessons Report to Confluence, on Cloud and Data Center: the pages a PMO
would find, and what a second run, a change, a rename, a person's page and a person's
edit do to them (the final state in the sandbox's Confluence)."""
from __future__ import annotations


def test_first_publish_creates_the_pages(site):
    result, _ = site.publish()
    assert not result.failed, result.failure()
    pages = site.ours()
    assert set(pages) == {"", "4.1", "4.2", "4.3"}
    assert all(o.verb == "created" for o in result.outcomes)
    programme = pages[""]
    for release, page in pages.items():
        assert page.version == 1
        if release:
            assert page.title == f"DCR release {release}: Lessons Report"
            assert {"lessons-report.pptx", "lessons-report.html"} <= set(page.attachments)
            assert f"pageId={page.id}" in programme.body or f"/pages/{page.id}" \
                in programme.body



RELEASE_4_2 = "DCR release 4.2: Lessons Report"
HOSTILE = ('<ac:structured-macro ac:name="html"><ac:plain-text-body><![CDATA[<script>'
           'alert(1)</script>]]></ac:plain-text-body></ac:structured-macro> & ]]> "quoted"')


def _writes(sb) -> int:
    return sum(1 for r in sb.requests if r.write)


def _action(sb, title: str) -> str:
    return next(i.key for i in sb.issues() if i.fields["summary"] == title)


def test_a_second_publish_with_nothing_changed_makes_no_write(site):
    site.publish()
    site.sb.reset_log()
    result, _ = site.publish()
    assert [o.verb for o in result.outcomes] == ["unchanged"] * 4
    assert _writes(site.sb) == 0
    assert all(p.version == 1 for p in site.ours().values())


def test_a_changed_action_updates_its_page_by_one_version(site):
    site.publish()
    key = _action(site.sb, "Ask each partner to confirm the switch-off in writing")
    site.sb.edit(key, summary="Ask each partner to confirm the switch-off by e-mail")
    try:
        site.publish("4.2")
        pages = site.ours()
        assert pages["4.2"].version == 2
        assert "confirm the switch-off by e-mail" in pages["4.2"].body
        assert pages["4.1"].version == pages["4.3"].version == 1
        # The programme page lists the action too: one version more, because it shows it.
        shows = "confirm the switch-off by e-mail" in pages[""].body
        assert pages[""].version == (2 if shows else 1)
        # Each attachment is a new version of itself, never a second file.
        assert sorted(a.version for a in pages["4.2"].attachments.values()) == [2, 2, 2]
        assert len(pages["4.2"].attachments) == 3
    finally:
        site.sb.edit(key, summary="Ask each partner to confirm the switch-off in writing")


def test_a_renamed_page_is_still_found(site):
    site.publish()
    page = site.ours()["4.2"]
    site.sb.confluence.edit(page.id, title="Release 4.2 — what we learnt")
    result, _ = site.publish()
    assert not result.failed, result.failure()
    after = site.ours()
    assert after["4.2"].id == page.id and after["4.2"].title == "Release 4.2 — what we learnt"
    assert site.sb.confluence.titled(RELEASE_4_2) is None     # no second page made
    assert len(site.sb.confluence.pages()) == len(after) + 2  # + home and parent


def test_a_same_titled_page_someone_else_made_is_left_alone_and_reported(site):
    theirs = site.sb.confluence.create(RELEASE_4_2, "<p>Our own notes on 4.2</p>")
    result, _ = site.publish()
    foreign = [o for o in result.outcomes if o.verb == "foreign"]
    assert [o.page for o in foreign] == ["release 4.2"] and theirs in foreign[0].detail
    assert result.failed
    page = site.sb.confluence.page(theirs)
    assert page.version == 1 and page.body == "<p>Our own notes on 4.2</p>"
    assert not page.properties and not page.labels and not page.attachments
    assert "4.2" not in site.ours() and {"4.1", "4.3", ""} <= set(site.ours())


def test_a_lost_create_answer_makes_no_duplicate(site):
    site.sb.faults.drop_after(("page-create",))
    first, _ = site.publish("4.2")
    assert first.outcomes[0].verb == "failed"
    second, _ = site.publish("4.2")
    assert second.outcomes[0].verb == "updated", second.outcomes[0]
    made = [p for p in site.sb.confluence.pages() if p.title == RELEASE_4_2]
    assert len(made) == 1 and made[0].properties["jirasync"].value["release"] == "4.2"
    assert len(made[0].attachments) == 3
    third, _ = site.publish("4.2")
    assert third.outcomes[0].verb == "unchanged"


def test_a_persons_edits_outside_the_owned_section_survive(site):
    site.publish()
    page = site.ours()["4.2"]
    mine = "<p>Board note: the PMO will chase partners weekly.</p>"
    site.sb.confluence.edit(page.id, body=mine + page.body + "<p>Signed off by the WG.</p>")
    again, _ = site.publish("4.2")
    assert again.outcomes[0].verb == "unchanged"          # their edit alone: nothing to do
    key = _action(site.sb, "Ask each partner to confirm the switch-off in writing")
    site.sb.edit(key, summary="Ask each partner to confirm the switch-off on paper")
    try:
        result, _ = site.publish("4.2")
        after = site.ours()["4.2"]
        assert result.outcomes[0].verb == "updated" and after.version == page.version + 2
        assert after.body.startswith(mine) and after.body.endswith("<p>Signed off by the WG.</p>")
        assert "switch-off on paper" in after.body
    finally:
        site.sb.edit(key, summary="Ask each partner to confirm the switch-off in writing")


def test_an_edit_inside_the_owned_section_is_a_conflict_kept_unless_forced(site):
    site.publish()
    page = site.ours()["4.2"]
    edited = page.body.replace("Executive summary", "Executive summary (edited by Jodie)")
    site.sb.confluence.edit(page.id, body=edited)
    result, _ = site.publish("4.2")
    assert result.outcomes[0].verb == "conflict" and result.failed
    assert site.ours()["4.2"].body == edited
    forced, _ = site.publish("4.2", force=True)
    assert forced.outcomes[0].verb == "updated"
    assert "edited by Jodie" not in site.ours()["4.2"].body


def test_hostile_summaries_are_text_on_the_page(site):
    key = site.lived.hand_made                     # a lesson typed by hand in 4.3
    before = site.sb.issue(key).fields["summary"]
    site.sb.edit(key, summary=HOSTILE)
    try:
        site.publish("4.3")
        body = site.ours()["4.3"].body
        assert 'ac:name="html"' not in body and "<script" not in body and "CDATA" not in body
        assert "&lt;ac:structured-macro…" in body       # cut at a word, escaped
        import requests
        shown = requests.get(site.sb.confluence.address(site.ours()["4.3"].id)).text
        assert "<script" not in shown.replace("&lt;script", "")
    finally:
        site.sb.edit(key, summary=before)


def test_a_dry_run_writes_nothing(site):
    site.sb.reset_log()
    result, _ = site.publish(dry_run=True)
    assert [o.verb for o in result.outcomes] == ["created"] * 4
    assert _writes(site.sb) == 0 and not site.ours()


def test_check_online_probes_confluence(site, capsys):
    from jirasync.cli import main
    code = main(["check", "--online", "--config", str(site.config.path)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "space PMO: ok" in out and "parent page 'Lessons learnt': ok" in out
    assert "credentials ok (the bot is PMO Bot)" in out     # its name, not an account id
    path = site.config.path
    text = path.read_text()
    path.write_text(text.replace("parent_page: Lessons learnt", "parent_page: Nowhere"))
    try:
        code = main(["check", "--online", "--config", str(path)])
        err = capsys.readouterr().err
        assert code == 2 and "confluence.parent_page" in err and "'Nowhere'" in err
    finally:
        path.write_text(text)


def test_the_lease_is_taken_only_to_write(site):
    from jirasync.lease import JiraLease
    lease = JiraLease(site.lived.jira(), "publish")
    site.publish(lease=lease)
    assert any(k.startswith("jirasync.lease.publish") for k in site.sb.project_properties())
    site.sb.reset_log()
    result, _ = site.publish(lease=JiraLease(site.lived.jira(), "publish"))
    assert [o.verb for o in result.outcomes] == ["unchanged"] * 4
    assert _writes(site.sb) == 0              # neither Confluence nor the lease in Jira


def test_the_sandbox_keeps_its_confluence_in_its_saved_file(site, tmp_path):
    from jirasync.sandbox import Sandbox
    site.publish("4.2")
    saved = tmp_path / "sandbox.json"
    site.sb.save(saved)
    again = Sandbox(site.sb.flavour)
    again.restore(saved)
    page = again.confluence.titled(RELEASE_4_2)
    assert page is not None and page.properties["jirasync"].value["release"] == "4.2"
    assert len(page.attachments) == 3


def test_the_command_prints_each_page_and_exits_by_what_happened(site, capsys):
    from jirasync.cli import main
    path = str(site.config.path)
    code = main(["publish", "--programme", "--today", "2026-11-24", "--config", path])
    out = capsys.readouterr().out
    assert code == 0 and "publish: 4 created, 0 updated" in out
    assert out.count("3 files attached") == 4 and "/pages/" in out
    site.sb.confluence.edit(site.ours()["4.2"].id, title="Renamed")
    site.sb.confluence.create(RELEASE_4_2, "<p>someone else's</p>")
    code = main(["publish", "4.2", "--today", "2026-11-24", "--config", path])
    captured = capsys.readouterr()
    assert code == 0 and "unchanged  release 4.2" in captured.out
    journal = (site.config.state_dir / "runs.jsonl").read_text().splitlines()
    assert '"job": "publish"' in journal[-1] and "confluence_requests" in journal[-1]


def test_publish_without_a_confluence_section_is_one_line_and_exit_2(site, tmp_path, capsys):
    from jirasync.cli import main
    text = site.config.path.read_text()
    bare = tmp_path / "jirasync.yaml"
    bare.write_text(text[:text.index("confluence:")].replace(
        "releases_dir: releases", f"releases_dir: {site.lived.root / 'releases'}"))
    (tmp_path / "token").write_text((site.lived.root / "token").read_text())
    code = main(["publish", "4.2", "--config", str(bare)])
    err = capsys.readouterr().err
    assert code == 2 and "publish needs a confluence: section" in err
    assert len(err.strip().splitlines()) == 1
