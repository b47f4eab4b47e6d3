"""jirasync deck RELEASE | --programme [--format html|md|pptx] [-o FILE] [--today DATE]"""
from __future__ import annotations

import argparse
from pathlib import Path

from jirasync.commands.base import Command, load, open_jira, shown
from jirasync.commands.reporting import one_release, today_of
from jirasync.console import Console
from jirasync.errors import UsageError
from jirasync.reports.deckjob import FORMATS, check_output, read_deck, render_deck
from jirasync.reports.output import EXTENSIONS, format_of, to_stdout, write_atomically
from jirasync.state import StateDir


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("release", nargs="?", metavar="RELEASE", help="the release id, e.g. 4.2")
    p.add_argument("--programme", action="store_true", help="all releases instead of one")
    p.add_argument("--format", choices=FORMATS,
                   help="html (default: one self-contained file), md (Marp) or pptx; "
                        "default: what -o's extension says")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write to FILE (atomically); default stdout (pptx needs -o)")
    p.add_argument("--today", metavar="DATE",
                   help="figures as of this date (YYYY-MM-DD); default today")


def run(args: argparse.Namespace, console: Console) -> int:
    release = one_release(args)
    output = Path(args.output) if args.output else None
    refuse_unwritable(output, args.format)
    fmt = format_of(output, args.format, formats=FORMATS, default="html")
    check_output(output, fmt)
    config = load(args)
    today = today_of(args, config)
    deck = read_deck(config, open_jira(config), release=release, today=today,
                     state=StateDir(config.state_dir))
    rendered = render_deck(deck, fmt, templates_dir=config.templates_dir,
                           pptx_template=config.deck.pptx_template)
    if output is None:
        to_stdout(rendered.text)
        return 0
    write_atomically(output, rendered.bytes())
    console.say(f"deck written to {shown(output)} ({len(deck.slides)} slides, {fmt})")
    console.emit({"ok": True, "file": str(output), "format": fmt,
                  "slides": len(deck.slides)})
    return 0


def refuse_unwritable(output: Path | None, given: str | None) -> None:
    """UsageError for a file the deck cannot fill: ``board.pdf`` held HTML and opened in
    no PDF reader. A name without an extension (``/dev/stdout``) takes the default, and an
    unknown one is allowed when ``--format`` says what to write; never ``.pdf``."""
    if output is None or not output.suffix:
        return
    suffix = output.suffix.lower()
    writes = "the deck writes .html, .md or .pptx"
    if suffix == ".pdf":
        html = output.with_suffix(".html")
        raise UsageError(f"-o {output}: {writes}, not PDF; write -o {html} and print it: "
                         f"chromium --headless --no-pdf-header-footer "
                         f"--print-to-pdf={output} {html} (docs/deck.md)")
    if given is None and suffix not in EXTENSIONS:
        raise UsageError(f"-o {output}: {writes}, not {suffix}; name the file .html, .md "
                         "or .pptx, or say which with --format")


COMMAND = Command("deck", "the end-of-release deck for the Working Group and the Programme "
                  "Board, from Jira (html, md or pptx)", arguments, run)
