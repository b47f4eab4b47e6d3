"""Owners answer a reminder in a Jira comment (README "Owners answer in Jira",
docs/answers.md): ``words`` reads a comment's first line, ``decide`` says what an answer
does (pure), ``job`` finds the answers since the last run and ``carry`` carries them out.
What an action keeps of its answers (issue property ``jirasync.answers``) is
``records.AnswersRecord``, which the reports read too. Imports the shared top level and
sees Jira through ``port``."""
