"""Owners answer a reminder in a Jira comment (README "Owners answer in Jira",
docs/answers.md): ``words`` reads a comment's first line, ``record`` is what an action
keeps of its answers (issue property ``jirasync.answers``), ``decide`` says what an answer
does (pure), ``job`` finds the answers since the last run and carries them out."""
