"""``jira.auth``: where the token comes from, read only when a command needs it, and the
file it is kept in checked for who else can read it."""
from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from jirasync.errors import ConfigError, Problem
from jirasync.schema import Section
from jirasync.secret import Secret, looks_like_token


@dataclass(frozen=True)
class Auth:
    type: str                      # basic (Cloud: email + API token) | pat (Data Center)
    email: str | None
    token_env: str | None
    token_file: Path | None
    where: Problem = field(repr=False, compare=False)   # file/line/key for messages

    def token(self, environ: Mapping[str, str] = os.environ) -> Secret:
        """The token, read now from the variable or file the config names."""
        if self.token_env:
            value = environ.get(self.token_env)
            if value is None or not value.strip():     # stripped: e.g. $(cat file)\n
                state = "is not set" if value is None else "is empty"
                raise ConfigError([self._problem(
                    f"environment variable {self.token_env} {state}; export it with "
                    "the Jira API token (Cloud) or personal access token (Data Center)")])
            return self._checked(value.strip(), f"${self.token_env}",
                                 f"environment variable {self.token_env}")
        path = self.token_path(environ)
        try:
            value = path.read_text(encoding="utf-8").strip()
        except IsADirectoryError:
            raise ConfigError([self._folder()]) from None
        except OSError as e:
            raise ConfigError([self._problem(
                f"cannot read token file {path}: {e.strerror}")]) from None
        except UnicodeDecodeError:
            raise ConfigError([self._problem(
                f"token file {path} is not text; it must hold only the token")]) \
                from None
        if not value:
            raise ConfigError([self._problem(f"token file {path} is empty")])
        return self._checked(value, str(path), f"token file {path}")

    def token_path(self, environ: Mapping[str, str] = os.environ) -> Path:
        """``token_file`` with its ``$VARIABLES`` read now: systemd's
        ``${CREDENTIALS_DIRECTORY}`` is set only inside the unit that loads the token."""
        text = str(self.token_file)
        if "$" not in text:
            return Path(text)
        for name in re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", text):
            if not environ.get(name):
                why = (" (systemd sets it for a unit with LoadCredential=; run the "
                       "command inside the unit, or give the token another way)"
                       if name == "CREDENTIALS_DIRECTORY" else "")
                raise ConfigError([self._problem(
                    f"token file {text} names ${name}, which is not set{why}")])
        return Path(re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?",
                           lambda m: environ[m.group(1)], text))

    def _checked(self, value: str, source: str, holder: str) -> Secret:
        """The token, unless it cannot be one. The message says where and what, never
        the token or the character itself."""
        why = ""
        if any(c in value for c in "\r\n"):
            why = "holds more than one line; it must hold only the token, on one line"
        elif not value.isascii() or not value.isprintable():
            at = next(i for i, c in enumerate(value) if not (c.isascii() and c.isprintable()))
            why = (f"holds a character no Jira token has (at position {at + 1}); copy the "
                   "token again, alone")
        if why:
            raise ConfigError([self._problem(f"the token in {holder} {why}")])
        return Secret(value, source)

    def exposed(self) -> Problem | None:
        """A token file other users can read: it gives them the bot's access to Jira. Or
        a token file that cannot be one: a folder, a device."""
        if self.token_file is None or os.name != "posix":
            return None
        try:
            path = self.token_path()
            info = path.stat()
        except (OSError, ConfigError):     # missing or unset: reading it says which
            return None
        if stat.S_ISDIR(info.st_mode):
            return self._folder()
        if not stat.S_ISREG(info.st_mode):
            return self._problem(f"token file {path} is not a regular file; "
                                 "put the token in a file of its own")
        if info.st_mode & 0o077 == 0 or _credential(path):
            return None
        if info.st_uid != os.geteuid():
            # Not ours to chmod (/etc/passwd, say): the token belongs in a file of our own.
            return self._problem(
                f"token file {path} can be read by other users and belongs to "
                "another user; put the token in a file of your own that only you can read "
                "(chmod 600) and name that file in token_file")
        return self._problem(f"token file {path} can be read by other users; "
                             f"run: chmod 600 {path}")

    def _folder(self) -> Problem:
        return self._problem(f"token file {self.token_file} is a folder; name the file "
                             "that holds the token")

    def refused(self, url: str) -> Problem:
        """Jira answered 401: the message names where the token came from."""
        holder = (f"environment variable {self.token_env}" if self.token_env
                  else f"token file {self.token_file}")
        if self.type == "pat":
            check = f"check the token: does {holder} hold a valid personal access token?"
        else:       # either may be wrong: a mistyped email is refused like a bad token
            check = (f"check the email and the token: is {self.email} the account, and "
                     f"does {holder} hold its API token?")
        return self._problem(f"Jira at {url} did not accept the credentials (401): {check}")

    def _problem(self, message: str) -> Problem:
        return Problem(self.where.file, self.where.line, self.where.key, message)


def _credential(path: Path) -> bool:
    """Whether ``path`` is systemd's copy of a credential for this unit: its folder is
    the unit's alone, and the file may show group bits that are an ACL's mask (systemd
    grants the unit's user read access by ACL where the file system has them)."""
    folder = os.environ.get("CREDENTIALS_DIRECTORY")
    return folder is not None and folder != "" \
        and path.resolve().parent == Path(folder).resolve()


# Keys a token is pasted under, in the config file itself.
PASTED = ("token", "api_token", "password", "pat", "secret")


def read_auth(s: Section | None, parent: Section) -> Auth:
    if s is None:
        return Auth("basic", None, None, None, Problem(parent.file, None, "jira.auth", ""))
    for name in PASTED:
        if name in s.doc:
            # Said once, with what to do: a token written here is known to whoever
            # reads the file, so moving it is not enough.
            s.fail(name, "a token never goes in this file: put it in an environment "
                         "variable and name it in token_env (or in a file named by "
                         "token_file), then revoke this token: it has been written down")
            s.suggested.add("token_env")
    s.only(("type", "email", "token_env", "token_file", *PASTED))
    kind = s.choice("type", ("basic", "pat"), default="basic")
    email = s.text("email")
    env, file = s.text("token_env"), s.text("token_file")
    if kind == "basic" and not email:
        s.fail("email", "is required with type basic (the bot account's email); "
                        "Data Center personal access tokens use type: pat")
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+", email):
        s.fail("email", f"'{email}' is not an email address (the bot account's login)")
    if kind == "pat" and email:
        s.fail("email", "is not used with type pat; remove it")
    if bool(env) == bool(file) and not (env is None and file is None
                                        and "token_env" in s.suggested):
        s.fail("token_env", "give exactly one of token_env (an environment variable name) "
                            "or token_file (a file holding the token)")
    if env and looks_like_token(env):
        s.fail("token_env", "looks like a token itself, not the name of an environment "
                            "variable: put the token in a variable (export JIRA_API_TOKEN=…) "
                            "and write that variable's name here; then revoke this token")
        env = None
    elif env and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", env):
        s.fail("token_env", f"'{env}' is not an environment variable name; put the "
                            "token in that variable, never in this file")
    base = Path(s.file).resolve().parent
    where_key = "token_env" if env or not file else "token_file"
    where = Problem(s.file, s.doc.line_of(where_key), s.key(where_key), "")
    # A path from a variable (``${CREDENTIALS_DIRECTORY}/jira-token``) is read when the
    # token is: the variable is set only where the token may be read.
    path = (Path(file) if file.startswith("$") else base / file) if file else None
    return Auth(kind, email, env, path, where)
