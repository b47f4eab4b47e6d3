"""Reports: the programme as Jira holds it, read once (``reader``), its figures computed
purely (``figures``: those of README "7. Reports", each traced to issue keys), then laid
out (``status``, ``export``, ``agenda``). May import the shared top level, the gateway's data and the
pure chase and sync records; ``figures`` only the model, the reader's data and the
standard library."""
