"""The layering of STYLE.md, checked on every import in ``jirasync/``.

Four layers, imports pointing down: the pure core (the PMO's vocabulary and the rules,
no I/O) <- edges (each wraps one outside thing: files, Jira, templates, the terminal) <-
use-cases (sync, chase, check, reports, shared by the CLI and the daemon) <- entry points
(the CLI and the daemon, the only places that build real objects). Each outside library
comes in through one door. A new module is placed by the most specific entry of LAYERS
that names it or its folder; a module no entry names fails the test until it is placed.
"""
from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "jirasync"
ORDER = ("core", "edge", "use-case", "entry")
LAYERS = {
    # the pure core: the model and the rules
    "model": "core", "dates": "core", "errors": "core",
    "sync.plan": "core", "wanted": "core", "fingerprint": "core", "seen": "core",
    "infer": "core",
    "chase.reminders": "core", "review": "core", "escalation": "core", "records": "core",
    "chase.plan": "core", "check.lint": "core", "reports.figures": "core",
    "reports.programme": "core", "reports.assemble": "core", "netloc": "core",
    "reports.slides": "core", "reports.svgchart": "core", "reports.deck": "core",
    "reports.deckcontext": "core", "reports.decklists": "core", "reports.deckmeasures": "core",
    "reports.summary": "core", "reports.layout": "core",
    "reports.pages": "core", "reports.notes": "core", "reports.lessonsreport": "core",
    "service.timetable": "core", "service.health": "core", "lease_rules": "core",
    "schedule_words": "core", "notify.news": "core", "notify.slack": "core",
    "notify.teams": "core", "answers.words": "core",
    "answers.decide": "core", "bulk": "core", "journal": "core", "rung_index": "core",
    "json_values": "core",
    # edges: one outside thing each
    "config": "edge", "loading": "edge", "schema": "edge", "releases": "edge", "release_lessons": "edge",
    "render": "edge", "paths": "edge", "secret": "edge", "state": "edge",
    "state_lines": "edge", "property_file": "edge",
    "console": "edge", "stopping": "edge", "gateway": "edge", "sandbox": "edge",
    "chase.messages": "edge", "outward": "edge",
    "lease": "edge", "lease_types": "edge", "lease_runs": "edge", "parsed": "edge",
    "confluence": "edge", "confluence.types": "core",
    "publish.storage": "core", "publish.decide": "core", "publish.chart": "core",
    "publish.pages": "core", "publish.attachments": "core",
    # use-cases: compose the core and the edges
    "sync": "use-case", "chase": "use-case", "check": "use-case", "reports": "use-case",
    "jobs": "use-case", "notify": "use-case", "answers": "use-case", "publish": "use-case",
    "chase.index": "use-case",
    # entry points: the command line and the daemon
    "cli": "entry", "__main__": "entry", "commands": "entry", "service": "entry",
    "__init__": "entry",
}
# library -> the module or folder that is its one door
DOORS = {"jira": "gateway", "requests": "gateway", "urllib3": "gateway", "yaml": "loading",
         "jinja2": "render", "dateutil": "review",
         "prometheus_client": "service.metrics", "pptx": "reports.powerpoint"}
# The name pyproject.toml declares each of them by.
DISTRIBUTIONS = {"jira": "jira", "requests": "requests", "urllib3": "urllib3", "yaml": "pyyaml",
                 "jinja2": "jinja2", "dateutil": "python-dateutil",
                 "prometheus_client": "prometheus-client", "pptx": "python-pptx"}
# Declared in pyproject.toml for a capability not written yet: while nothing imports them
# there is no door to check.
NOT_USED_YET: set[str] = set()


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def module_name(path: Path) -> str:
    """``jirasync/sync/plan.py`` -> ``sync.plan``; a package is named by its folder."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if len(parts) > 1 and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def within(name: str, place: str) -> bool:
    return name == place or name.startswith(place + ".")


def layer(name: str) -> str | None:
    places = [p for p in LAYERS if within(name, p)]
    return LAYERS[max(places, key=len)] if places else None


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_has_a_layer(name):
    assert layer(name) is not None, f"jirasync.{name}: place it (or its folder) in LAYERS"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_down(name):
    mine = ORDER.index(layer(name) or "entry")
    for module in imports(MODULES[name]):
        if module == "jirasync" or not module.startswith("jirasync."):
            continue
        target = module.removeprefix("jirasync.")
        theirs = layer(target)
        assert theirs is not None, f"{name} imports {module}, which has no layer"
        assert ORDER.index(theirs) <= mine, \
            f"{name} ({layer(name)}) imports {module} ({theirs}): imports point down"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if layer(n) == "core"))
def test_core_imports_only_the_core_and_the_standard_library(name):
    for module in imports(MODULES[name]):
        top = module.split(".")[0]
        if top == "jirasync":
            continue      # the core's own modules: test_imports_point_down
        door = DOORS.get(top)
        assert top in _stdlib() or (door and within(name, door)), f"{name} imports {module}"


@pytest.mark.parametrize("library,door", sorted(DOORS.items()))
def test_each_outside_library_has_one_door(library, door):
    users = sorted(n for n, path in MODULES.items()
                   if any(m.split(".")[0] == library for m in imports(path)))
    if not users and library in NOT_USED_YET:
        pytest.skip(f"nothing imports {library} yet; its door will be {door}")
    assert users, f"nothing imports {library}: remove it from the dependencies and DOORS"
    strays = [n for n in users if not within(n, door)]
    assert not strays, f"{library} comes in only through {door}, not {', '.join(strays)}"


# The capability folders, each with the folders it may import: what one needs of another
# flows one way (chase reads the owners' answers first, publish publishes the reports'
# decks, the channel tells what chase did, check lints chase's texts). What two need alike
# (the identity inference, what the files want, the records in Jira) sits at the top,
# which imports no capability; the entry points (the CLI, the daemon) import any.
CAPABILITIES: dict[str, set[str]] = {
    "sync": set(), "reports": set(), "answers": set(), "chase": {"answers"},
    "publish": {"reports"}, "notify": {"chase"}, "check": {"chase"},
}
# The sandbox checks a channel's payloads with the channel's own checks (notify.slack,
# notify.teams): a stand-in for Slack and Teams, not a part jirasync runs on.
ANY_CAPABILITY = ("sandbox",)


def capability(name: str) -> str | None:
    return next((c for c in CAPABILITIES if within(name, c)), None)


def crossings(name: str, path: Path) -> list[str]:
    """The imports of module ``name`` (at ``path``) into a capability folder it may not
    import: one CAPABILITIES does not list for its own folder, any for the top level."""
    mine = capability(name)
    if mine is None and (layer(name) == "entry" or any(within(name, a) for a in ANY_CAPABILITY)):
        return []
    allowed = CAPABILITIES.get(mine, set()) if mine else set()
    out = []
    for module in imports(path):
        theirs = capability(module.removeprefix("jirasync.")) \
            if module.startswith("jirasync.") else None
        if theirs is not None and theirs != mine and theirs not in allowed:
            out.append(module)
    return sorted(out)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_capability_folders_import_only_those_they_may(name):
    found = crossings(name, MODULES[name])
    assert not found, (f"{name} imports {', '.join(found)}: move what both need to the top, "
                       "or allow it in CAPABILITIES")


def test_the_crossing_check_can_fail(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("from jirasync.sync.observe import to_seen\nimport jirasync.chase\n"
                      "from jirasync.seen import to_seen\nfrom jirasync.syncing import x\n"
                      "from jirasync.answers.carry import Found\n", encoding="utf-8")
    assert crossings("reports.reader", module) == ["jirasync.answers.carry", "jirasync.chase",
                                                   "jirasync.sync.observe"]
    assert crossings("chase.job", module) == ["jirasync.sync.observe"]
    assert crossings("records", module) == ["jirasync.answers.carry", "jirasync.chase",
                                            "jirasync.sync.observe"]
    assert crossings("commands.run", module) == []


def in_a_cycle(graph: dict[str, set[str]]) -> list[str]:
    """The folders of ``graph`` left once those that import none left are taken away,
    again and again: those on a cycle, and those that import one."""
    left = {c: set(needs) for c, needs in graph.items()}
    while free := [c for c, needs in left.items() if not needs & left.keys()]:
        for c in free:
            del left[c]
    return sorted(left)


def test_the_capability_folders_import_one_way():
    assert not in_a_cycle(CAPABILITIES), f"a cycle among {in_a_cycle(CAPABILITIES)}"
    assert all(needs <= CAPABILITIES.keys() for needs in CAPABILITIES.values())
    assert all(c in MODULES for c in CAPABILITIES), "a capability folder is gone"


def test_the_cycle_check_can_fail():
    assert in_a_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}) == \
        ["a", "b", "c", "d"]


def private_imports(path: Path) -> list[str]:
    """The names starting with ``_`` one of jirasync's modules imports from another (a
    dunder such as ``__version__`` aside): a name another module needs is public."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.level or
                                                 (node.module or "").startswith("jirasync")):
            found += [f"{'.' * node.level}{node.module or ''}.{alias.name}"
                      for alias in node.names
                      if alias.name.startswith("_") and not alias.name.startswith("__")]
    return sorted(found)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_imports_another_modules_private_names(name):
    found = private_imports(MODULES[name])
    assert not found, f"{name} imports {', '.join(found)}: make it public or move it"


def test_the_private_import_check_can_fail(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("from jirasync.reports.figures.carried import _by_release, open_on\n"
                      "from .api_meta import _project\nfrom jirasync import __version__\n"
                      "from pptx.opc.package import _Relationships\n", encoding="utf-8")
    assert private_imports(module) == [".api_meta._project",
                                       "jirasync.reports.figures.carried._by_release"]


def test_every_door_is_placed():
    for library, door in DOORS.items():
        assert layer(door) is not None, f"the door of {library}, {door}, has no layer"


def _stdlib() -> frozenset[str]:
    return frozenset(sys.stdlib_module_names) | {"__future__"}


def test_every_imported_library_is_declared_and_every_declared_one_has_a_door():
    """An import of a library pyproject does not declare works only where it happens to be
    installed; a declared library nothing imports (``schedule``, once) is a pin for nothing."""
    outside = {m.split(".")[0] for path in MODULES.values() for m in imports(path)} \
        - _stdlib() - {"jirasync"}
    assert outside <= set(DOORS), f"no door for {sorted(outside - set(DOORS))}: add to DOORS"
    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    declared = {re.split(r"[\s<>=!~;\[]", d, maxsplit=1)[0].lower()
                for d in project["project"]["dependencies"]}
    assert declared == {DISTRIBUTIONS[library] for library in DOORS}


# The capabilities that own a port of their own (sync/port.py ...): they see Jira only
# through it, so they may import of the gateway its data (``types``), Jira's documented
# limits (``limits``) and the roles their ports are made of (``protocol`` but its whole
# ``Jira``), nothing else: no client, no transport, no reading of Jira's answers.
PORTED = ("sync", "chase", "reports", "answers", "publish")
SEEN: dict[str, set[str | None] | None] = {"jirasync.gateway.types": None, "jirasync.gateway.limits": None,
        "jirasync.gateway.protocol": {"Jira", None}}      # None: ``import`` of the whole
# No capability at all may import the gateways' concrete classes nor what opens them, Jira's
# or Confluence's: the top level opens them (the commands, the service) and hands each
# capability its port, even an import inside a function (as ``ast.walk`` finds them).
CONCRETE = ("jirasync.gateway.client", "jirasync.gateway.connect",
            "jirasync.confluence.client", "jirasync.confluence.connect")


def imported_names(path: Path) -> set[tuple[str, str | None]]:
    """(module, name) of every import; name None for ``import module``."""
    found: set[tuple[str, str | None]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.update((node.module, alias.name) for alias in node.names)
    return found


def gateway_imports(path: Path, *, ported: bool) -> list[str]:
    """The gateways' modules and names ``path`` may not import: CONCRETE (``from
    jirasync.confluence import client`` too), and for a ported capability anything of the
    Jira gateway SEEN does not allow."""
    out = []
    for module, name in imported_names(path):
        whole = f"{module}.{name}" if name else module
        concrete = any(within(m, c) for m in (module, whole) for c in CONCRETE)
        unseen = within(module, "jirasync.gateway") and (name == "Gateway" or (
            ported and (module not in SEEN or name in (SEEN[module] or ()))))
        if concrete or unseen:
            out.append(whole)
    return sorted(out)


@pytest.mark.parametrize("name", sorted(n for n in MODULES if capability(n)))
def test_a_capability_sees_jira_only_through_its_own_port(name):
    ported = any(within(name, c) for c in PORTED)
    found = gateway_imports(MODULES[name], ported=ported)
    where = f"use {name.split('.')[0]}/port.py" if ported else "use gateway/protocol.py"
    assert not found, f"{name} imports {', '.join(found)}: {where}"


def test_the_port_check_can_fail(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("from jirasync.gateway.types import JiraIssue\n"
                      "from jirasync.gateway.protocol import Jira, Search\n"
                      "from jirasync.gateway.workflow import comment_page\n"
                      "from jirasync.gateway.limits import BULK_LIMIT\n"
                      "from jirasync.gateway.client import Gateway\n"
                      "import jirasync.gateway.connect\n", encoding="utf-8")
    assert gateway_imports(module, ported=True) == [
        "jirasync.gateway.client.Gateway", "jirasync.gateway.connect",
        "jirasync.gateway.protocol.Jira", "jirasync.gateway.workflow.comment_page"]
    assert gateway_imports(module, ported=False) == [
        "jirasync.gateway.client.Gateway", "jirasync.gateway.connect"]


def test_the_port_check_finds_confluence_opened_inside_a_function(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("from jirasync.confluence.types import Page\n"
                      "def open_it(config):\n"
                      "    from jirasync.confluence.client import connect_wiki\n"
                      "    return connect_wiki(config)\n"
                      "def open_that(config):\n"
                      "    from jirasync.confluence import connect\n"
                      "    import jirasync.confluence.client as wiki\n"
                      "    return connect.open_wiki(config), wiki\n", encoding="utf-8")
    expected = ["jirasync.confluence.client", "jirasync.confluence.client.connect_wiki",
                "jirasync.confluence.connect"]
    assert gateway_imports(module, ported=True) == expected
    assert gateway_imports(module, ported=False) == expected


@pytest.mark.parametrize("capability", PORTED)
def test_each_ported_capability_has_its_port(capability):
    assert f"{capability}.port" in MODULES


# What a port may not load when imported: the clients and the library behind them. A port
# names types; importing it for a fake (tests, a dry run) opens nothing.
CLIENTS = ("jirasync.gateway.client", "jirasync.confluence.client", "jira")


def loaded_by(module: str) -> list[str]:
    """The CLIENTS in ``sys.modules`` once a fresh interpreter has imported ``module``."""
    code = (f"import sys, {module}\n"
            f"print(' '.join(m for m in {CLIENTS!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=PACKAGE.parent)
    return done.stdout.split()


@pytest.mark.parametrize("port", sorted(n for n in MODULES if n.endswith(".port")))
def test_importing_a_port_loads_no_client(port):
    found = loaded_by(f"jirasync.{port}")
    assert not found, f"importing jirasync.{port} loads {', '.join(found)}"


def test_the_client_check_can_fail():
    assert loaded_by("jirasync.gateway.connect") == ["jirasync.gateway.client", "jira"]
    assert "jirasync.confluence.client" in loaded_by("jirasync.confluence.connect")
