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

