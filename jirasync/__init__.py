"""jirasync: runs a programme's lessons-learnt process on Jira."""

__version__ = "0.1.0"
