"""What chase asks of Jira, as its own port (the consumer owns the interface, as
jiralert's notifier does), made of the gateway's roles: it reads the open actions
(searches, reads by key, Data Center's property cache), edits them and writes their
records, and mentions and emails their owners; it keeps an index of its records in
project properties where a search returns none (chase/index.py); and what the answers it
reads first ask."""
from __future__ import annotations

from typing import Protocol

from jirasync.answers.port import AnswersJira
from jirasync.gateway.protocol import ProjectProperties


class ChaseJira(AnswersJira, ProjectProperties, Protocol):
    """Jira as chase sees it, on Cloud and Data Center alike: chase reads owners'
    answers first (jirasync/answers), so its port holds theirs."""
