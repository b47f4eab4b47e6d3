"""Sync: release files -> Jira, planned then applied. The wanted state (``wanted``), what
Jira holds (``observe``), the pure three-way planner (``plan``, ``memory``), the one
applier (``apply``) and the use-case (``job``). May import the shared top level and the
gateway's data, seeing Jira through ``port``; the pure modules (``plan``, ``memory``, ``wanted``) only the model."""
