"""``notify:``: the PMO's channel (docs/channel.md). A Microsoft Teams Workflows webhook
and/or a Slack incoming webhook hear the day's news after chase. A webhook's address is
a secret (whoever holds it can post to the channel): the config names the environment
variable or the file that holds it, never the address, and it is read only when a
message is about to be posted."""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from jirasync.errors import ConfigError, Problem
from jirasync.schema import Section
from jirasync.secret import Secret, looks_like_token, remember

CHANNELS = ("teams", "slack")
NAMES = {"teams": "Microsoft Teams", "slack": "Slack"}
# A list longer than this is cut short in the message, with a link to the rest in Jira.
ITEMS = 15


@dataclass(frozen=True)
class Webhook:
    """Where one channel's webhook address is kept: an environment variable or a file."""

    channel: str                   # teams | slack
    env: str | None
    file: Path | None
    where: Problem = field(repr=False, compare=False)

    @property
    def name(self) -> str:
        return NAMES[self.channel]

    def url(self, environ: Mapping[str, str] = os.environ) -> Secret:
        """The address, read now; ConfigError (never showing it) when it is missing or
        cannot be a webhook's."""
        if self.env:
            value = (environ.get(self.env) or "").strip()
            holder = f"environment variable {self.env}"
            if not value:
                raise ConfigError([self._problem(f"{holder} is not set or empty; export it "
                                                 f"with the {self.name} webhook's address")])
        else:
            holder = f"webhook file {self.file}"
            try:
                value = Path(str(self.file)).read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError) as e:
                why = "not text" if isinstance(e, UnicodeDecodeError) else e.strerror or str(e)
                raise ConfigError([self._problem(f"cannot read {holder}: {why}")]) from None
        secret = Secret(value, holder)
        # Errors may name the address without its scheme and host: masked in that form too.
        parts = urlsplit(value)
        remember(parts.path + (f"?{parts.query}" if parts.query else ""))
        remember(parts.query)
        if not _address(value):
            raise ConfigError([self._problem(
                f"{holder} does not hold a webhook address (https://…, on one line); the "
                "value is not shown")])
        return secret

    def _problem(self, message: str) -> Problem:
        return Problem(self.where.file, self.where.line, self.where.key, message)


def _address(value: str) -> bool:
    if any(c.isspace() for c in value) or not value.isprintable():
        return False
    parts = urlsplit(value)
    # Plain http only on this machine (the sandbox): anything else would send the
    # address, and the day's news, in clear.
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    return bool(parts.hostname) and (parts.scheme == "https" or
                                     (parts.scheme == "http" and local))


@dataclass(frozen=True)
class NotifyConfig:
    webhooks: tuple[Webhook, ...] = ()
    items: int = ITEMS             # at most this many actions listed per part


def read_notify(s: Section | None, base: Path) -> NotifyConfig:
    if s is None:
        return NotifyConfig()
    keys = tuple(f"{c}_webhook_{k}" for c in CHANNELS for k in ("env", "file"))
    s.only((*keys, "items"))
    hooks = [hook for c in CHANNELS if (hook := _webhook(s, c, base)) is not None]
    # A misspelt channel key is already said, with the right spelling: not again here.
    if not hooks and not any(k in s.doc for k in keys) and not s.suggested & set(keys):
        s.problems.add(s.file, s.doc.line, s.path, "names no channel; give teams_webhook_env "
                       "(or _file) and/or slack_webhook_env (or _file), or remove notify:")
    items = s.number("items", default=ITEMS, minimum=1, maximum=40, integer=True)
    return NotifyConfig(tuple(hooks), int(items or ITEMS))


def _webhook(s: Section, channel: str, base: Path) -> Webhook | None:
    env_key, file_key = f"{channel}_webhook_env", f"{channel}_webhook_file"
    env, file = s.text(env_key), s.text(file_key)
    if not env and not file:
        return None
    if env and file:
        s.fail(env_key, f"give one of {env_key} or {file_key}, not both")
        return None
    if env and (looks_like_token(env) or "://" in env):
        s.fail(env_key, "looks like the webhook's address itself, not the name of an "
                        "environment variable: put the address in a variable and write its "
                        "name here; then make a new webhook, since this one was exposed")
        return None
    if env and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", env):
        s.fail(env_key, f"'{env}' is not an environment variable name")
        return None
    if file and "://" in file:
        s.fail(file_key, "looks like the webhook's address itself, not a file: put the "
                         "address in a file only you can read and name that file here; then "
                         "make a new webhook, since this one was exposed")
        return None
    key = env_key if env else file_key
    where = Problem(s.file, s.doc.line_of(key), s.key(key), "")
    return Webhook(channel, env, base / file if file else None, where)
