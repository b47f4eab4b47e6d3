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
    "notify.teams": "core", "answers.words": "core", "answers.record": "core",
    "answers.decide": "core", "bulk": "core", "rung_index": "core",
    # edges: one outside thing each
    "config": "edge", "loading": "edge", "schema": "edge", "releases": "edge", "release_lessons": "edge",
    "render": "edge", "paths": "edge", "secret": "edge", "state": "edge",
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


# Capabilities that never import another: what both need sits at the top (the identity
# inference, what the files want, the records in Jira), which neither owns.
APART = {"reports": ("sync",)}


def crossings(name: str, path: Path) -> list[str]:
    """The imports of module ``name`` (at ``path``) into a capability APART keeps it from."""
    kept_from = [c for place, others in APART.items() if within(name, place) for c in others]
    return sorted(m for m in imports(path)
                  if any(within(m.removeprefix("jirasync."), c) for c in kept_from))


@pytest.mark.parametrize("name", sorted(n for n in MODULES if any(within(n, c) for c in APART)))
def test_capabilities_kept_apart_never_import_each_other(name):
    found = crossings(name, MODULES[name])
    assert not found, f"{name} imports {', '.join(found)}: move what both need to the top"


def test_the_apart_check_can_fail(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("from jirasync.sync.observe import to_seen\nimport jirasync.sync\n"
                      "from jirasync.seen import to_seen\nfrom jirasync.syncing import x\n",
                      encoding="utf-8")
    assert crossings("reports.reader", module) == ["jirasync.sync", "jirasync.sync.observe"]
    assert crossings("chase.job", module) == []


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
# through it, never the gateway's concrete class nor the whole of ``Jira``.
PORTED = ("sync", "chase", "reports")
CONCRETE = {"jirasync.gateway": {"Gateway", "connect", "Jira"},
            "jirasync.gateway.client": None, "jirasync.gateway.protocol": {"Jira"},
            "jirasync.gateway.searching": None, "jirasync.gateway.transport": None}


def imported_names(path: Path) -> set[tuple[str, str | None]]:
    """(module, name) of every import; name None for ``import module``."""
    found: set[tuple[str, str | None]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.update((node.module, alias.name) for alias in node.names)
    return found


def concrete_imports(path: Path) -> list[str]:
    out = []
    for module, name in imported_names(path):
        if module not in CONCRETE:
            continue
        forbidden = CONCRETE[module]
        if forbidden is None or name in forbidden:
            out.append(f"{module}.{name}" if name else module)
    return sorted(out)


@pytest.mark.parametrize("name", sorted(n for n in MODULES
                                        if any(within(n, c) for c in PORTED)))
def test_a_capability_sees_jira_only_through_its_own_port(name):
    found = concrete_imports(MODULES[name])
    assert not found, f"{name} imports {', '.join(found)}: use {name.split('.')[0]}/port.py"


def test_the_port_check_can_fail(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("from jirasync.gateway import Gateway, JiraIssue\n"
                      "from jirasync.gateway.protocol import Jira, Search\n"
                      "import jirasync.gateway.client\n", encoding="utf-8")
    assert concrete_imports(module) == ["jirasync.gateway.Gateway", "jirasync.gateway.client",
                                        "jirasync.gateway.protocol.Jira"]


@pytest.mark.parametrize("capability", PORTED)
def test_each_ported_capability_has_its_port(capability):
    assert f"{capability}.port" in MODULES
