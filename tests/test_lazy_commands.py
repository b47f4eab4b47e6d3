"""Commands are imported when they run: ``jirasync --help`` and ``check`` load neither
the Jira client nor reports nor the sandbox, and each command is listed as its module
describes it."""
from __future__ import annotations

import subprocess
import sys
from importlib import import_module

import pytest

from jirasync.commands import COMMANDS


@pytest.mark.parametrize("command", COMMANDS, ids=[c.name for c in COMMANDS])
def test_each_command_is_listed_as_its_module_describes_it(command):
    module = import_module(f"jirasync.commands.{command.name}").COMMAND
    assert (module.name, module.help, module.uses_config) == \
        (command.name, command.help, command.uses_config)


@pytest.mark.parametrize("argv", [["--help"], ["check", "--help"], ["sync", "--help"]])
def test_help_imports_nothing_heavy(argv):
    script = ("import sys\nfrom jirasync.cli import main\n"
              f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jira', 'requests')"
              " or m.startswith(('jirasync.gateway', 'jirasync.reports', 'jirasync.sandbox',"
              " 'jirasync.sync.job', 'jirasync.chase.job'))), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    loaded = done.stderr.strip().splitlines()[-1]
    if argv[0] == "sync":          # its own arguments need its module, not the others'
        assert "jirasync.reports" not in loaded and "jirasync.sandbox" not in loaded
    else:
        assert loaded == "[]", loaded
    assert "usage: jirasync" in done.stdout
