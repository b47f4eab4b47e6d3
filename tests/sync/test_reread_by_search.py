"""Before writing, sync reads again what it is about to change: on Cloud 50 issues per
search (their ids reconciled), never one read by key each; on Data Center an issue whose
property this run already read by key is not read twice. The writes still land, and a
person's edit is still kept."""
from __future__ import annotations

from tests.sync.conftest import Les, release_yaml, tree

MANY = 60      # more than one search's worth


def lessons(suffix: str = "") -> tuple[Les, ...]:
    return tuple(Les(f"l{n}", f"Lesson {n}{suffix}", description=f"What happened, {n}.")
                 for n in range(MANY))


def test_sixty_edits_are_read_again_in_searches_not_one_by_one(programme):
    programme.write(release_yaml(lessons=lessons()))
    assert programme.sync().count("created") == MANY + 1
    programme.write(release_yaml(lessons=lessons(" (reworded)")))
    programme.sb.reset_log()

    result = programme.sync()

    assert result.count("updated") == MANY and not result.failed
    issues = tree(programme.sb)
    assert all(issues[f"4.2/l{n}"].fields["summary"] == f"Lesson {n} (reworded)" for n in range(MANY))
    if programme.sb.flavour == "cloud":
        # the 3 reads past the highest key, no more; the 60 re-read by 2 searches
        assert programme.sb.count(kind="get") <= 3
        assert programme.sb.count(kind="search") <= 8
    else:
        # the cache held each written issue's property: read again by key before writing
        assert programme.sb.count(kind="get") <= MANY + 3


def test_issues_changed_in_jira_are_read_once_before_writing(programme):
    programme.write(release_yaml(lessons=lessons()))
    programme.sync()
    for n in range(10):
        programme.sb.edit(tree(programme.sb)[f"4.2/l{n}"].key, description=f"Theirs, {n}.")
    programme.write(release_yaml(lessons=[*(Les(f"l{n}", f"Lesson {n} (reworded)",
                                                description=f"What happened, {n}.")
                                            for n in range(10)), *lessons()[10:]]))
    programme.sb.reset_log()

    result = programme.sync()

    assert result.count("updated") == 10 and result.count("kept") == 10
    issues = tree(programme.sb)
    assert all(issues[f"4.2/l{n}"].fields["description"] == f"Theirs, {n}." for n in range(10))
    assert all(issues[f"4.2/l{n}"].fields["summary"] == f"Lesson {n} (reworded)" for n in range(10))
    # Cloud: none by key but the probe's; Data Center: each changed issue's property once
    assert programme.sb.count(kind="get") <= (3 if programme.sb.flavour == "cloud" else 10 + 3)
