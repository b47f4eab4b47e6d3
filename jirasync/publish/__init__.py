"""Publish: the Lessons Report as a Confluence page per release and a programme page
linking them (README "Publish", docs/publish.md). May import the model, the reports, the
lease and the Confluence gateway's types; the gateway itself is reached through ``port``."""
