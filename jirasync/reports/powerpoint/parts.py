"""Parts of a PowerPoint slide written as XML text: its shapes appended in one go with
their ids, its links to Jira as relationships, and a native (editable) chart."""
from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as _escape

from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import _Relationships
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls
from pptx.util import Pt

import jirasync.reports.layout as L
from jirasync.reports import pptxml as X
from jirasync.reports.pages import height
from jirasync.reports.pptxml import Scale
from jirasync.reports.slides import Chart

if TYPE_CHECKING:
    from pptx.slide import Slide as PptxSlide

    from jirasync.reports.pptxml import Linker

NS = nsdecls("a", "p", "r")


def append(slide: PptxSlide, shapes: list[str]) -> None:
    """Shapes given as XML, each numbered by ``ShapeIds`` when it was written."""
    tree = slide.shapes._spTree
    for element in parse_xml(f"<p:spTree {NS}>{''.join(shapes)}</p:spTree>"):
        tree.append(element)


class ShapeIds:
    """Shape ids a slide has not used yet (PowerPoint repairs a file with two alike)."""

    def __init__(self, slide: PptxSlide) -> None:
        self.next = slide.shapes._spTree.max_shape_id + 1

    def __call__(self) -> int:
        self.next += 1
        return self.next - 1


class Links(_Relationships):
    """A slide's relationships written as text in one go: python-pptx builds each one as
    an XML element parsed from a string, and a long deck has tens of thousands of links
    to Jira (a third of the time it took to save)."""

    @property
    def xml(self) -> bytes:
        def number(rid: str) -> int:
            return int(rid[3:]) if rid.startswith("rId") and rid[3:].isdigit() else 0
        rows = []
        for rid in sorted(self.keys(), key=number):
            rel = self[rid]
            mode = ' TargetMode="External"' if rel.is_external else ""
            rows.append(f'<Relationship Id="{rid}" Type="{rel.reltype}" '
                        f'Target="{_escape(rel.target_ref, QUOTE)}"{mode}/>')
        return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                f'relationships">{"".join(rows)}</Relationships>').encode()


QUOTE = {'"': "&quot;"}


def linker(slide: PptxSlide) -> Linker:
    """The relationship id of a link to ``url`` from this slide, made once per address.
    The links are new to the slide, so the public relate_to's search of every existing
    relationship (quadratic on an appendix slide of 80 links) is skipped."""
    ids: dict[str, str] = {}
    rels = slide.part.rels
    rels.__class__ = Links

    def rid(url: str) -> str:
        if url not in ids:
            ids[url] = rels._add_relationship(RT.HYPERLINK, url, is_external=True)
        return ids[url]
    return rid


def add_chart(slide: PptxSlide, block: Chart, top: float, s: Scale, link: Linker) -> None:
    data = CategoryChartData()  # type: ignore[no-untyped-call]
    data.categories = list(block.categories)
    for series in block.series:
        data.add_series(series.name, list(series.values))  # type: ignore[no-untyped-call]
    wide = L.BODY_W * L.CHART_SHARE
    tall = height(block)
    # python-pptx annotates add_chart as taking Lengths and ChartData and returning the
    # Chart; it takes any int and CategoryChartData, and returns the frame holding the chart.
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        *s.box(L.MARGIN_X, top, wide, tall), data)  # type: ignore[arg-type]
    chart = frame.chart  # type: ignore[attr-defined]
    chart.has_title = True
    chart.chart_title.text_frame.text = block.title
    chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(s.size(20) / 100)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(s.size(18) / 100)
    side = (L.MARGIN_X + wide + 32, top, L.BODY_W - wide - 32)
    if block.table().rows:
        append(slide, [X.table(ShapeIds(slide)(), block.table(), side, s, link)])
