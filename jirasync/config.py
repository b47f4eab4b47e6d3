"""The config file (README "1. Configure"): every key, its default and its validation.

Found by ``--config``, else ``$JIRASYNC_CONFIG``, else ``./jirasync.yaml``. Relative paths
resolve against the config file's folder. Every problem is reported at once.
"""
from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from jirasync.chase.escalation import Ladder, Rung, misplaced
from jirasync.chase.review import ReviewCalendar, parse_time, parse_zone
from jirasync.errors import ConfigError, Problem
from jirasync.loading import load_file
from jirasync.model import Labels
from jirasync.netloc import in_clear
from jirasync.schedule_words import read_schedule
from jirasync.schema import Problems, Section, top
from jirasync.secret import Secret, looks_like_token

ISSUE_TYPES = {"release": "Epic", "lesson": "Task", "action": "Sub-task"}
LABELS = MappingProxyType(asdict(Labels()))     # the defaults, by config key
LADDER = ((0, ("owner",)), (14, ("owner", "release_manager")),
          (30, ("owner", "release_manager", "pmo_lead")))
SCHEDULE = {"sync": "every 15 minutes", "chase": "every day at 09:00"}


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
        kind = "personal access token" if self.type == "pat" else \
            f"API token of {self.email}"
        return self._problem(f"Jira at {url} did not accept the credentials (401): check "
                             f"that {holder} holds a valid {kind}")

    def _problem(self, message: str) -> Problem:
        return Problem(self.where.file, self.where.line, self.where.key, message)


@dataclass(frozen=True)
class JiraConfig:
    url: str
    flavour: str | None
    auth: Auth
    project: str
    issue_types: Mapping[str, str]
    labels: Mapping[str, str]
    fields: Mapping[str, object]
    timeout_s: float = 30
    max_requests_per_s: float = 10
    max_retry_s: float = 300
    allow_insecure_http: bool = False
    project_line: int | None = field(default=None, compare=False)   # for messages


@dataclass(frozen=True)
class ReviewConfig:
    calendar: ReviewCalendar
    reminder: str                  # comment | digest
    ladder: Ladder
    prompt_days_before: int = 7
    place: str = ""                # where the review meets, for the agenda
    escalation_grace_days: int = 7     # the owner hears first (SPEC §5)
    rule_line: int | None = field(default=None, compare=False)      # for messages


@dataclass(frozen=True)
class DeckConfig:
    pptx_template: Path | None = None     # the organisation's .pptx: its layouts and theme


@dataclass(frozen=True)
class Config:
    path: Path
    jira: JiraConfig
    releases_dir: Path
    templates_dir: Path | None
    state_dir: Path
    timezone: str
    review: ReviewConfig
    people: Mapping[str, str]
    schedule: Mapping[str, str]
    deck: DeckConfig = DeckConfig()


def find_config(option: str | None, environ: Mapping[str, str] = os.environ) -> Path:
    """Where the config is: --config, else $JIRASYNC_CONFIG, else ./jirasync.yaml."""
    for candidate in (option, environ.get("JIRASYNC_CONFIG")):
        if candidate:
            return Path(candidate)
    return Path("jirasync.yaml")


def load_config(path: Path) -> Config:
    """Read and validate the config; raise ConfigError listing every problem."""
    if not path.exists():
        raise ConfigError([Problem(str(path), None, "", "no config file here; write a "
                                   "starter project with `jirasync init`, or give --config "
                                   "PATH (or set JIRASYNC_CONFIG)")])
    problems = Problems()
    root = top(load_file(path), str(path), problems)
    config = _read_config(root, path, problems) if root else None
    if problems or config is None:
        raise ConfigError(problems)
    return config


def _read_config(root: Section, path: Path, problems: Problems) -> Config | None:
    root.only(("jira", "releases_dir", "templates_dir", "state_dir", "timezone", "review",
               "people", "schedule", "deck"))
    base = path.resolve().parent
    timezone = root.text("timezone", default="UTC")
    people = _read_people(root)
    jira = _read_jira(root.section("jira", required=True))
    review = _read_review(root.section("review"), timezone, people, root)
    schedule = _read_schedule(root.section("schedule"))
    releases = root.text("releases_dir", default="releases")
    templates = root.text("templates_dir")
    state = root.text("state_dir", default=".jirasync")
    if state and (base / state).exists() and not (base / state).is_dir():
        root.fail("state_dir", f"'{state}' is a file; give a folder (made if missing)")
    deck = _read_deck(root.section("deck"), base)
    if problems or jira is None or review is None:
        return None
    return Config(path=path.resolve(), jira=jira, releases_dir=base / releases,
                  templates_dir=base / templates if templates else None,
                  state_dir=base / state, timezone=timezone, review=review, people=people,
                  schedule=schedule, deck=deck)


def _read_jira(s: Section | None) -> JiraConfig | None:
    if s is None:
        return None
    s.only(("url", "flavour", "auth", "project", "issue_types", "labels", "fields",
            "timeout_s", "max_requests_per_s", "max_retry_s", "allow_insecure_http"))
    url = s.text("url", required=True)
    insecure = s.flag("allow_insecure_http", default=False)
    if url and "@" in url:        # user:password@host; never echoed: it holds a secret
        s.fail("url", "has a user name or password in it (before '@'); remove them: "
                      "the token goes in jira.auth")
    elif url and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", url):
        s.fail("url", f"'{url}' is not a web address like https://example.atlassian.net")
    elif url and in_clear(url) and not insecure:
        s.fail("url", f"{url} would send the token in clear over the network; use "
                      "https://, or set jira.allow_insecure_http: true if you must")
    elif url:
        _check_host(s, url)
    project = s.text("project", required=True)
    if project and not re.fullmatch(r"[A-Z][A-Z0-9_]{1,9}", project):
        s.fail("project", f"'{project}' is not a Jira project key (capitals, e.g. DCR)")
    labels = _read_names(s.section("labels"), LABELS, label=True)
    return JiraConfig(
        url=(url or "").rstrip("/"), project=project or "",
        project_line=s.doc.line_of("project"),
        flavour=s.choice("flavour", ("cloud", "datacenter"), default=None),
        auth=_read_auth(s.section("auth", required=True), s),
        issue_types=_read_names(s.section("issue_types"), ISSUE_TYPES),
        labels=labels, fields=_read_fields(s.section("fields")),
        timeout_s=s.number("timeout_s", default=30, minimum=1, maximum=600),
        max_requests_per_s=s.number("max_requests_per_s", default=10, minimum=0.1,
                                    maximum=1000),
        max_retry_s=s.number("max_retry_s", default=300, minimum=0, maximum=86400),
        allow_insecure_http=insecure)


def _check_host(s: Section, url: str) -> None:
    try:
        urlsplit(url).port  # noqa: B018 (reading .port validates it)
    except ValueError as e:
        why = ("its port must be a number from 1 to 65535" if "port" in str(e).lower()
               else "it has a '[' or ']' out of place (brackets only surround IPv6 "
                    "addresses)")
        s.fail("url", f"'{url}' is not a web address: {why}")


def _credential(path: Path) -> bool:
    """Whether ``path`` is systemd's copy of a credential for this unit: its folder is
    the unit's alone, and the file may show group bits that are an ACL's mask (systemd
    grants the unit's user read access by ACL where the file system has them)."""
    folder = os.environ.get("CREDENTIALS_DIRECTORY")
    return folder is not None and folder != "" \
        and path.resolve().parent == Path(folder).resolve()


def _read_auth(s: Section | None, parent: Section) -> Auth:
    if s is None:
        return Auth("basic", None, None, None, Problem(parent.file, None, "jira.auth", ""))
    s.only(("type", "email", "token_env", "token_file"))
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
    if bool(env) == bool(file):
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


LABEL_MAX = 255      # Jira refuses a longer label when the first issue is created


def _read_names(s: Section | None, defaults: Mapping[str, str], *,
                label: bool = False) -> Mapping[str, str]:
    if s is None:
        return MappingProxyType(dict(defaults))
    s.only(tuple(defaults))
    out: dict[str, str] = {}
    for name, default in defaults.items():
        value = s.text(name, default=default, required=name in s.doc)
        if value is None:
            value = default
        elif label and re.search(r'[\s"\\]', value):
            s.fail(name, f"'{value}': a label cannot contain spaces (Jira) or quotes and "
                         "backslashes (jirasync searches by label)")
        elif label and len(value.encode("utf-16-le")) // 2 > LABEL_MAX:
            s.fail(name, f"is {len(value)} characters; a Jira label holds at most {LABEL_MAX}")
        elif label and value in out.values():
            other = next(k for k, v in out.items() if v == value)
            s.fail(name, f"'{value}' is also the {other} label; each label must differ")
        out[name] = value
    return MappingProxyType(out)


def _read_fields(s: Section | None) -> Mapping[str, object]:
    return MappingProxyType(dict(s.doc)) if s is not None else MappingProxyType({})


def _read_people(root: Section) -> Mapping[str, str]:
    s = root.section("people")
    if s is None:
        return MappingProxyType({})
    return MappingProxyType({name: s.text(name, required=True) or "" for name in s.doc})


def _read_review(s: Section | None, timezone: str, people: Mapping[str, str],
                 root: Section) -> ReviewConfig | None:
    doc_section = s or Section(type(root.doc)(file=root.file, line=None), "review",
                               root.problems)
    doc_section.only(("rule", "time", "prompt_days_before", "reminder", "escalation",
                      "escalation_grace_days", "place"))
    days = doc_section.number("prompt_days_before", default=7, minimum=0, maximum=90,
                              integer=True)
    calendar = _calendar(doc_section, root, timezone, days)
    ladder = _read_ladder(doc_section, people)
    reminder = doc_section.choice("reminder", ("comment", "digest"), default="comment")
    grace = doc_section.number("escalation_grace_days", default=7, minimum=0, maximum=365,
                               integer=True)
    if calendar is None or ladder is None:
        return None
    return ReviewConfig(calendar=calendar, reminder=reminder, ladder=ladder,
                        prompt_days_before=days, escalation_grace_days=int(grace),
                        place=doc_section.text("place", default="") or "",
                        rule_line=doc_section.doc.line_of("rule"))


def _calendar(s: Section, root: Section, timezone: str, days: int) -> ReviewCalendar | None:
    """The review calendar; the timezone, the time and the rule each reported on its own."""
    rule = s.text("rule", default="FREQ=MONTHLY;BYDAY=1TU")
    time = s.text("time", default="10:00")
    ok = True
    for section, key, check in ((root, "timezone", lambda: parse_zone(timezone)),
                                (s, "time", lambda: parse_time(time)),
                                (s, "rule", lambda: ReviewCalendar(rule=rule, time="10:00",
                                                                   timezone="UTC"))):
        try:
            check()
        except ValueError as e:
            section.fail(key, str(e))
            ok = False
    if not ok:
        return None
    if days == 0 and parse_time(time).strftime("%H:%M") == "00:00":
        s.fail("prompt_days_before", "0 with a meeting at 00:00 leaves no time to prompt "
                                     "anyone; give 1 or more")
        return None
    return ReviewCalendar(rule=rule, time=time, timezone=timezone, prompt_days_before=days)


def _read_ladder(s: Section, people: Mapping[str, str]) -> Ladder | None:
    """Each rung's problems at the rung's own line; the default ladder needs its roles."""
    items = s.items("escalation")
    if not items:
        missing = sorted({w for _, n in LADDER for w in n} - {"owner"} - set(people))
        if missing:
            s.problems.add(s.file, s.doc.line or 1, s.key("escalation"),
                           f"the default ladder notifies {' and '.join(missing)}; add them "
                           "under people, or write your own review.escalation")
            return None
        return Ladder(tuple(Rung(d, n) for d, n in LADDER))
    rungs: list[Rung] = []
    lines: list[int | None] = []
    ok = True
    for item, _line in items:
        if item is None:
            ok = False
            continue
        item.only(("after_days", "notify"))
        days = item.number("after_days", default=None, minimum=0, maximum=3650, integer=True)
        notify = item.strings("notify")
        if not notify:
            item.fail("notify", "is required: 'owner' and/or role names from people")
        for who in notify:
            if who != "owner" and who not in people:
                item.fail("notify", f"'{who}' is neither 'owner' nor a role under people "
                                    f"({', '.join(people) or 'none defined'})")
        wrong = None if days is None else misplaced(days, [r.after_days for r in rungs])
        if days is None:
            if "after_days" not in item.doc:
                item.fail("after_days", "is required: days past the due date")
            ok = False
        elif wrong is not None and wrong[0] == "twice":
            item.fail("after_days", f"{days} is used twice (first on line {lines[wrong[1]]});"
                                    " give each rung its own number of days")
            ok = False
        elif wrong is not None:
            item.fail("after_days", f"{days} comes after {rungs[wrong[1]].after_days}; list "
                                    "the rungs in the order they fire")
            ok = False
        else:
            lines.append(item.doc.line_of("after_days"))
            rungs.append(Rung(days, notify))
        ok = ok and bool(notify)
    return Ladder(tuple(rungs)) if ok else None


def _read_deck(s: Section | None, base: Path) -> DeckConfig:
    if s is None:
        return DeckConfig()
    s.only(("pptx_template",))
    name = s.text("pptx_template")
    if not name:
        return DeckConfig()
    path = base / name
    if path.suffix.lower() != ".pptx" or not path.is_file():
        s.fail("pptx_template", f"{path} is not a .pptx file (save the template as a "
                                "PowerPoint presentation, .pptx)")
        return DeckConfig()
    return DeckConfig(pptx_template=path)


def _read_schedule(s: Section | None) -> Mapping[str, str]:
    if s is None:
        return MappingProxyType(dict(SCHEDULE))
    s.only(tuple(SCHEDULE))
    out = {}
    for job in s.doc:
        value = s.text(job)
        try:
            if value:
                out[job] = read_schedule(value).text
        except ValueError as e:
            s.fail(job, str(e))
    return MappingProxyType(out)
