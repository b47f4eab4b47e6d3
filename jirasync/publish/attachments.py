"""The files ``publish`` attaches to a page (``job.py`` uploads them): the deck as PPTX
and HTML and, when the deck has one, its trend chart as SVG."""
from __future__ import annotations

from collections.abc import Callable

from jirasync.publish.chart import chart_svg
from jirasync.publish.storage import CHART_FILE
from jirasync.reports.slides import Chart, Deck

MEDIA = {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
         "html": "text/html", "svg": "image/svg+xml"}


def _chart(deck: Deck) -> Chart | None:
    return next((b for s in deck.slides for b in s.blocks if isinstance(b, Chart)), None)


def file_count(deck: Deck) -> int:
    """How many files ``deck_files`` attaches, without rendering them."""
    return 2 + (_chart(deck) is not None)


def deck_files(render: Callable[[Deck, str], bytes]) -> Callable[[Deck], dict[str, bytes]]:
    """The files attached to a page: both decks and, when the deck has one, the chart."""
    def files(deck: Deck) -> dict[str, bytes]:
        out = {"lessons-report.pptx": render(deck, "pptx"),
               "lessons-report.html": render(deck, "html")}
        chart = _chart(deck)
        if chart is not None:
            out[CHART_FILE] = chart_svg(chart)
        return out
    return files
