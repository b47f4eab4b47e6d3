"""The PMO's channel: after chase, one message a day to a Teams and/or Slack webhook.
``news`` (what the day brings), ``slack`` and ``teams`` (the payloads, within each
service's limits) are pure; ``record`` keeps "sent for day D on channel C" in Jira;
``channel`` composes them and posts through ``jirasync.gateway.webhook`` (the one door
for webhook HTTP). May import the shared top level, the gateway and chase's result."""
