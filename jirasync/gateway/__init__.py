"""The Jira gateway: the only folder that talks to Jira (the one door of ``jira``,
``requests`` and ``urllib3``); it imports only the shared errors, model and secret.

Consumers (sync, chase, check, reports, answers) are written against the roles of
``protocol`` and the dataclasses of ``types``; ``connect.connect`` gives the real
``client.Gateway``. How requests are paced, retried and turned into errors is in
``transport``; Jira's limits are in ``limits``. This file imports nothing, so that a port
importing the types loads neither the client nor the ``jira`` library.
"""
