"""The command line: a thin skin over the use-cases. The only place that turns errors
into messages and exit codes (0 done; 1 Jira or runtime failure; 2 usage or input)."""
from __future__ import annotations

import argparse
import difflib
import logging
import sys
import traceback

from jirasync import __version__
from jirasync.commands import COMMANDS, chosen
from jirasync.commands.base import said
from jirasync.console import Console, silence
from jirasync.errors import InputError, JirasyncError
from jirasync.service import logs

EXIT_CODES = """exit codes:
  0  done
  1  Jira or runtime failure, or some items failed (the others were still done)
  2  usage, config or input error (nothing written)"""
EPILOG = EXIT_CODES + """

Start with `jirasync demo` (no account needed), `jirasync sandbox --data DIR` (a Jira to
practise on) or `jirasync init` (a starter project for your own Jira)."""


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """Every command's parser; given ``argv``, only the command it names gets its
    arguments (and so has its module imported): the others are listed with their help."""
    only = chosen(argv) if argv is not None else None
    parser = argparse.ArgumentParser(
        prog="jirasync", description="Runs a programme's lessons-learnt process on Jira.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"jirasync {__version__}")
    _add_globals(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common = argparse.ArgumentParser(add_help=False)
    _add_globals(common, argparse.SUPPRESS)
    no_config = argparse.ArgumentParser(add_help=False)
    _add_globals(no_config, argparse.SUPPRESS, config=False)
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.help, description=command.help,
                           epilog=EXIT_CODES,
                           formatter_class=argparse.RawDescriptionHelpFormatter,
                           parents=[common if command.uses_config else no_config])
        if argv is None or command.name == only:
            command.arguments(p)
        p.set_defaults(func=command.run, uses_config=command.uses_config)
    return parser


def _add_globals(parser: argparse.ArgumentParser, default: object, *,
                 config: bool = True) -> None:
    """Global options, accepted before or after the command."""
    def d(value: object) -> object:
        return argparse.SUPPRESS if default is argparse.SUPPRESS else value
    if config:
        parser.add_argument("--config", metavar="PATH", default=d(None),
                            help="config file (default: $JIRASYNC_CONFIG, else "
                                 "./jirasync.yaml)")
    parser.add_argument("-v", "--verbose", action="store_true", default=d(False),
                        help="more detail, and tracebacks on errors")
    parser.add_argument("-q", "--quiet", action="store_true", default=d(False),
                        help="only warnings and errors")
    parser.add_argument("--json", action="store_true", default=d(False),
                        help="machine-readable output on stdout")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    args, extra = parser.parse_known_args(argv)
    if extra:
        _unknown(parser, args.command, extra)
    if args.config and not args.uses_config:
        parser.error(f"{args.command} does not read a config file; leave out --config")
    console = Console(json=args.json, quiet=args.quiet, verbose=args.verbose)
    # What the library logs (a state file set aside, a cache that could not be written)
    # reaches stderr as "warning: ..." lines, through the same door as everything else.
    with logs.to_stderr("command", level=logging.INFO if args.verbose else logging.WARNING):
        return _run(args, console)


def _unknown(parser: argparse.ArgumentParser, command: str, extra: list[str]) -> None:
    """Exit 2 with one line naming the command and the first argument it does not take,
    with the closest of its own options: argparse's default prints the top-level usage,
    which says nothing of ``sync``'s ``--dry-run``."""
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    own: argparse.ArgumentParser = sub.choices[command]
    word = next((w for w in extra if w.startswith("-")), extra[0])
    if not word.startswith("-"):
        own.exit(2, f"{own.prog}: error: unexpected argument '{word}'; "
                    f"see jirasync {command} --help\n")
    flag = word.split("=", 1)[0]
    options = [o for o in own._option_string_actions if o.startswith("--")]
    close = difflib.get_close_matches(flag, options, n=1)
    hint = f"did you mean {close[0]}?" if close else f"see jirasync {command} --help"
    own.exit(2, f"{own.prog}: error: unknown option {flag}; {hint}\n")


def _run(args: argparse.Namespace, console: Console) -> int:
    try:
        code: int = args.func(args, console)     # the command's run, set by build_parser
        return code
    except BrokenPipeError:
        silence(sys.stdout)         # the reader went away (``| head``): end quietly
        return 0
    except InputError as e:
        console.fail([said(problem) for problem in e.problems])
        return e.exit_code
    except JirasyncError as e:
        if args.verbose:
            traceback.print_exc()
        console.fail([str(e)])
        return e.exit_code
    except KeyboardInterrupt:
        console.fail(["interrupted"])
        return 130
    except Exception as e:  # noqa: BLE001 - the last line of defence for the user
        if args.verbose:
            traceback.print_exc()
        hint = "" if args.verbose else " (run with -v for details)"
        console.fail([f"unexpected failure: {type(e).__name__}: {e}{hint}"])
        return 1

if __name__ == "__main__":
    sys.exit(main())
