"""The deck as a PowerPoint file: the one door to python-pptx. One slide per section
page on the template's "Title Only" layout, native (editable) charts, tables with links
to Jira. A user's own .pptx template brings the organisation's branding."""
from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape
from pathlib import Path

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls
from pptx.parts.slide import SlidePart
from pptx.util import Inches, Pt

from jirasync.errors import UsageError
from jirasync.reports.slides import Bullets, Chart, Deck, Link, Slide, Stats, Table

ACCENT = RGBColor(0x1F, 0x4E, 0x79)
ALERT = RGBColor(0xB0, 0x00, 0x20)
MARGIN = Inches(0.5)
CELL_MARGIN = int(Pt(3))
# Characters XML 1.0 cannot hold: Jira accepts them in a summary, lxml refuses the table.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def deck_pptx(deck: Deck, *, template: Path | None = None) -> bytes:
    """The deck as .pptx bytes. ``template``: a .pptx whose layouts and theme are used."""
    prs = _open(template)
    for slide in deck.slides:
        if slide.section == "title":
            _cover(prs, deck)
        else:
            _content(prs, slide)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _open(template: Path | None):
    if template is None:
        prs = Presentation()
        prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)   # 16:9
        return prs
    try:
        prs = Presentation(str(template))
    except Exception as e:  # noqa: BLE001 - python-pptx raises several kinds for a bad file
        raise UsageError(f"deck.pptx_template {template}: not a PowerPoint file "
                         f"({type(e).__name__})") from None
    for slide_id in list(prs.slides._sldIdLst):        # keep the theme, drop sample slides
        prs.part.drop_rel(slide_id.rId)
        prs.slides._sldIdLst.remove(slide_id)
    return prs


def _layout(prs, name: str, fallback: int):
    for layout in prs.slide_layouts:
        if layout.name == name:
            return layout
    return prs.slide_layouts[min(fallback, len(prs.slide_layouts) - 1)]


def _add_slide(prs, layout):
    """``prs.slides.add_slide(layout)`` without its two searches of every slide so far
    (the next slide id, an existing relationship): quadratic, they made a 3,000-slide
    programme deck take minutes. The deck only adds new slides, so it counts them."""
    part, ids = prs.part, prs.slides._sldIdLst
    number = len(ids) + 1
    slide_part = SlidePart.new(PackURI(f"/ppt/slides/slide{number}.xml"), part.package,
                               layout.part)
    rid = part.rels._add_relationship(RT.SLIDE, slide_part)
    slide = slide_part.slide
    slide.shapes.clone_layout_placeholders(layout)
    ids._add_sldId(id=255 + number, rId=rid)
    return slide


def _cover(prs, deck: Deck) -> None:
    slide = _add_slide(prs, _layout(prs, "Title Slide", 0))
    slide.shapes.title.text = deck.title
    if len(slide.placeholders) > 1:
        slide.placeholders[1].text = f"{deck.subtitle}\nFigures from Jira as of {deck.as_of}"


def _content(prs, page: Slide) -> None:
    slide = _add_slide(prs, _layout(prs, "Title Only", 5))
    if slide.shapes.title is not None:
        slide.shapes.title.text = page.heading
        _fit(slide.shapes.title.text_frame, 32)
    top = Inches(1.45)
    if page.lead:
        box = slide.shapes.add_textbox(MARGIN, top, prs.slide_width - 2 * MARGIN, Inches(0.45))
        box.text_frame.text = page.lead
        _fit(box.text_frame, 16, italic=True)
        top += Inches(0.5)
    area = (MARGIN, top, prs.slide_width - 2 * MARGIN, prs.slide_height - top - Inches(0.3))
    _blocks(slide, page.blocks, area)


def _blocks(slide, blocks, area) -> None:
    """Side by side when there are two (indicators beside a table), else stacked."""
    left, top, width, height = area
    if len(blocks) > 1 and all(isinstance(b, Stats) for b in blocks):     # side by side
        each = (width - Inches(0.3) * (len(blocks) - 1)) // len(blocks)
        for n, block in enumerate(blocks):
            _block(slide, block, (left + n * (each + Inches(0.3)), top, each, height),
                   stacked=True)
        return
    if len(blocks) == 2 and isinstance(blocks[0], (Stats, Bullets)):
        first = int(width * 0.38)
        _block(slide, blocks[0], (left, top, first - Inches(0.2), height), stacked=True)
        _block(slide, blocks[1], (left + first, top, width - first, height))
        return
    for block in blocks:
        _block(slide, block, (left, top, width, height // len(blocks)))
        top += height // len(blocks)


def _block(slide, block, area, *, stacked: bool = False) -> None:
    if isinstance(block, Table):
        _table(slide, block, area)
    elif isinstance(block, Bullets):
        _bullets(slide, block, area)
    elif isinstance(block, Stats):
        _stats(slide, block, area, stacked=stacked)
    elif isinstance(block, Chart):
        _chart(slide, block, area)


def _fit(frame, size: int, *, italic: bool = False, bold: bool = False, colour=None) -> None:
    """Word-wrapped, shrunk on overflow by PowerPoint itself, at a size that fits the
    lines the deck puts there."""
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size, run.font.italic, run.font.bold = Pt(size), italic, bold
            if colour is not None:
                run.font.color.rgb = colour


def _bullets(slide, block: Bullets, area) -> None:
    left, top, width, height = area
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    size = 20 if sum(len(i) for i in block.items) < 600 else 16
    for n, item in enumerate(block.items):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        paragraph.text = f"• {item}"
        paragraph.space_after = Pt(10)
    _fit(frame, size)


ROW = Inches(0.42)


def _table(slide, block: Table, area) -> None:
    left, top, width, height = area
    if not block.rows:
        frame = slide.shapes.add_textbox(left, top, width, Inches(0.6)).text_frame
        frame.text = block.empty
        _fit(frame, 18)
        return
    rows = len(block.rows) + 1
    table = slide.shapes.add_table(1, len(block.columns), left, top, width,
                                   min(height, ROW * rows)).table
    # The rows as XML in one go: python-pptx's cell-by-cell API is a hundred times slower,
    # and a programme deck has thousands of cells.
    link = _linker(slide)
    header = _row(block.columns, 14, bold=True, link=link)
    body = "".join(_row(row, 13, link=link) for row in block.rows)
    tbl = table._tbl
    tbl.remove(tbl.tr_lst[0])
    for tr in parse_xml(f"<a:tbl {nsdecls('a', 'r')}>{header}{body}</a:tbl>"):
        tbl.append(tr)


def _linker(slide):
    """The relationship id of a link to ``url`` from this slide, made once per address.
    The links are new to the slide, so the public relate_to's search of every existing
    relationship (quadratic on an appendix slide of 80 links) is skipped."""
    ids: dict[str, str] = {}
    rels = slide.part.rels

    def rid(url: str) -> str:
        if url not in ids:
            ids[url] = rels._add_relationship(RT.HYPERLINK, url, is_external=True)
        return ids[url]
    return rid


def _row(values, size: int, *, link, bold: bool = False) -> str:
    cells = "".join(_cell_xml(v, size, link=link, bold=bold) for v in values)
    return f'<a:tr h="{int(ROW)}">{cells}</a:tr>'


def _cell_xml(value, size: int, *, link, bold: bool) -> str:
    parts = value if isinstance(value, tuple) else (value,)
    runs = []
    for n, part in enumerate(parts):
        text = escape(NOT_XML.sub(" ", str(part) + (", " if n < len(parts) - 1 else "")))
        url = part.url if isinstance(part, Link) else ""
        click = f'<a:hlinkClick r:id="{link(url)}"/>' if url else ""
        runs.append(f'<a:r><a:rPr lang="en-GB" sz="{size * 100}" b="{int(bold)}" dirty="0">'
                    f"{click}</a:rPr><a:t>{text}</a:t></a:r>")
    return (f'<a:tc><a:txBody><a:bodyPr/><a:lstStyle/><a:p>{"".join(runs)}</a:p></a:txBody>'
            f'<a:tcPr marT="{CELL_MARGIN}" marB="{CELL_MARGIN}"/></a:tc>')


def _stats(slide, block: Stats, area, *, stacked: bool) -> None:
    left, top, width, height = area
    if block.caption:
        frame = slide.shapes.add_textbox(left, top, width, Inches(0.4)).text_frame
        frame.text = block.caption
        _fit(frame, 16, bold=True)
        top, height = top + Inches(0.45), height - Inches(0.45)
    per_row = 1 if stacked else min(len(block.items), 5)
    rows = -(-len(block.items) // per_row)
    w = (width - Inches(0.2) * (per_row - 1)) // per_row
    h = min(Inches(1.9), (height - Inches(0.15) * (rows - 1)) // rows)
    for n, stat in enumerate(block.items):
        x = left + (n % per_row) * (w + Inches(0.2))
        y = top + (n // per_row) * (h + Inches(0.15))
        frame = slide.shapes.add_textbox(x, y, w, h).text_frame
        frame.text = stat.value
        _fit(frame, 36 if not stacked else 28, bold=True,
             colour=ALERT if stat.alert else ACCENT)
        label = frame.add_paragraph()
        label.text = stat.label + (f": {stat.detail}" if stat.detail else "")
        for run in label.runs:
            run.font.size = Pt(14 if not stacked else 13)


def _chart(slide, block: Chart, area) -> None:
    left, top, width, height = area
    data = CategoryChartData()
    data.categories = list(block.categories)
    for series in block.series:
        data.add_series(series.name, list(series.values))
    chart_width = int(width * 0.62)
    chart = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, left, top, chart_width,
                                   height, data).chart
    chart.has_title = True
    chart.chart_title.text_frame.text = block.title
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    _table(slide, block.table(), (left + chart_width + Inches(0.2), top,
                                  width - chart_width - Inches(0.2), height))
