"""Where Cloud and Data Center differ for a capability, the gateway hides it behind one
method (``reread``, ``read_programme``, ...): no module of a ported capability (sync,
chase, reports, answers, publish) asks which Jira it talks to. Handing the configured
flavour to what opens a connection (``connect_wiki(..., flavour=c.flavour)``) is no test."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.test_layers import MODULES, PORTED, within

FLAVOURS = ("cloud", "datacenter")


def flavour_tests(path: Path) -> list[int]:
    """The lines of ``path`` that read a ``flavour`` other than as a keyword argument, or
    compare anything with "cloud" or "datacenter"."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    handed = {id(k.value) for node in ast.walk(tree) if isinstance(node, ast.Call)
              for k in node.keywords if k.arg == "flavour"}
    return sorted({node.lineno for node in ast.walk(tree)
                   if (_names_flavour(node) and id(node) not in handed)
                   or _compares_with_a_flavour(node)})


def _names_flavour(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "flavour") or \
        (isinstance(node, ast.Name) and node.id == "flavour")


def _compares_with_a_flavour(node: ast.AST) -> bool:
    return isinstance(node, ast.Compare) and any(
        isinstance(side, ast.Constant) and side.value in FLAVOURS
        for side in (node.left, *node.comparators))


@pytest.mark.parametrize("name", sorted(n for n in MODULES if any(within(n, c) for c in PORTED)))
def test_no_capability_asks_which_jira_it_talks_to(name):
    found = flavour_tests(MODULES[name])
    assert not found, (f"{name} tests the Jira's flavour (lines {found}): hide the "
                       "difference behind one gateway method (gateway/protocol.py)")


def test_the_flavour_check_can_fail(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("def f(jira, c, flavour):\n"
                      "    wiki = connect_wiki(c.url, flavour=c.flavour)\n"
                      "    if jira.flavour != 'cloud':\n"
                      "        pass\n"
                      "    cloud = flavour\n"
                      "    return 'datacenter' in (c.kind,) or wiki.x\n", encoding="utf-8")
    assert flavour_tests(module) == [3, 5, 6]
