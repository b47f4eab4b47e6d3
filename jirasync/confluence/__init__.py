"""The Confluence gateway: the only folder that talks to Confluence (Cloud: REST v2 for
pages and properties, v1 for labels, CQL search and attachments; Data Center:
``/rest/api/content``). It imports the gateway's transport (pacing, retries, errors; the
door of ``requests``), the shared errors and secret. This file imports nothing, so that publish's port, which
names the types, loads no client (``client.connect_wiki`` opens one, ``connect.open_wiki``
for a config: the top level's door, which no capability imports).

No client library: atlassian-python-api's Confluence class speaks v1 only and retries on
its own, bypassing the transport's rules; the dozen calls publish needs are written here.
"""
