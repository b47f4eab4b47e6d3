"""``answers:`` in the config: defaults, the programme's own words, and each mistake at its
file, line and key."""
from __future__ import annotations

import pytest

from jirasync.answers.words import read
from jirasync.config import load_config
from jirasync.errors import ConfigError
from tests.helpers import write_programme
from tests.test_config import CONFIG


def test_defaults_read_english_answers(tmp_path):
    config = load_config(write_programme(tmp_path, config=CONFIG))
    assert config.answers.enabled and config.answers.look_back_days == 7
    assert config.jira.labels["blocked"] == "ll-blocked"
    said = read("EXTEND TO 2027-01-05: waiting", config.answers.words)
    assert said is not None and said.kind == "extend" and said.text == "waiting"


def test_a_programme_gives_its_own_words(tmp_path):
    text = CONFIG + "answers:\n  words:\n    done: [Erledigt]\n"
    config = load_config(write_programme(tmp_path, config=text))
    assert read("erledigt - alles gut", config.answers.words).kind == "done"
    assert read("done", config.answers.words) is None
    assert read("blocked: x", config.answers.words).kind == "blocked"   # others kept


@pytest.mark.parametrize("section, expected", [
    ("answers:\n  words:\n    done: [stuck]\n",
     "jirasync.yaml:13: answers.words.done: 'stuck' is also a word for blocked"),
    ("answers:\n  look_back_days: 400\n",
     "jirasync.yaml:12: answers.look_back_days: '400' must be a whole number from 1 to 90"),
    ("answers:\n  wordz: {}\n", "jirasync.yaml:12: answers.wordz: unknown key"),
    ("answers:\n  words:\n    finished: [x]\n", "answers.words.finished: unknown key"),
])
def test_each_mistake_is_named_with_file_line_and_key(tmp_path, section, expected):
    with pytest.raises(ConfigError) as info:
        load_config(write_programme(tmp_path, config=CONFIG + section))
    found = [str(p) for p in info.value.problems]
    assert any(expected in line for line in found), found
