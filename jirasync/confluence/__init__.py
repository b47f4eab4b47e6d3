"""The Confluence gateway: the only folder that talks to Confluence (Cloud: REST v2 for
pages and properties, v1 for labels, CQL search and attachments; Data Center:
``/rest/api/content``). It imports the gateway's transport (pacing, retries, errors; the
door of ``requests``), the shared errors and secret.

No client library: atlassian-python-api's Confluence class speaks v1 only and retries on
its own, bypassing the transport's rules; the dozen calls publish needs are written here.
"""
from __future__ import annotations

from jirasync.confluence.client import ConfluenceError, Wiki, connect_wiki
from jirasync.confluence.types import Found, Page, Property, Space

__all__ = ["ConfluenceError", "Found", "Page", "Property", "Space", "Wiki", "connect_wiki"]
