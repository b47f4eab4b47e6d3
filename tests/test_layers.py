"""The layering of STYLE.md: the pure core imports only the model and the standard
library, and each outside library comes in through one door."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "jirasync"
CORE = ("model", "sync.plan", "sync.memory", "sync.wanted", "chase.reminders", "chase.review",
        "chase.escalation", "check.lint", "dates", "errors", "reports.programme",
        "reports.figures")
DOORS = {"jira": "gateway", "yaml": "loading", "jinja2": "render", "schedule": "daemon",
         "pptx": "reports.powerpoint"}


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)


@pytest.mark.parametrize("name", CORE)
def test_core_imports_only_the_model_and_the_standard_library(name):
    allowed = {f"jirasync.{m}" for m in CORE} | {"dateutil.rrule"}
    for module in imports(PACKAGE / f"{name.replace('.', '/')}.py"):
        top = module.split(".")[0]
        if top == "jirasync":
            assert module in allowed, f"{name} imports {module}"
        else:
            assert top in _stdlib() or module in allowed, f"{name} imports {module}"


@pytest.mark.parametrize("library,door", sorted(DOORS.items()))
def test_each_outside_library_has_one_door(library, door):
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        if any(m.split(".")[0] == library for m in imports(path)):
            assert name.startswith(f"jirasync.{door}"), f"{name} imports {library}"


def _stdlib() -> frozenset[str]:
    import sys
    return frozenset(sys.stdlib_module_names) | {"__future__"}
