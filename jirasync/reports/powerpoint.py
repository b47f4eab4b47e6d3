"""The deck as a PowerPoint file: the one door to python-pptx. One slide per section
page on the template's "Title Only" layout, native (editable) charts, tables with links
to Jira. A user's own .pptx template brings the organisation's branding."""
from __future__ import annotations

import copy
import io
from pathlib import Path

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls
from pptx.parts.slide import SlidePart
from pptx.util import Inches, Pt

from jirasync.errors import UsageError
from jirasync.reports import pptxml
from jirasync.reports.slides import Bullets, Chart, Deck, Slide, Stats, Table

ACCENT = RGBColor(0x1F, 0x4E, 0x79)
ALERT = RGBColor(0xB0, 0x00, 0x20)
MARGIN = Inches(0.5)


def deck_pptx(deck: Deck, *, template: Path | None = None) -> bytes:
    """The deck as .pptx bytes. ``template``: a .pptx whose layouts and theme are used."""
    prs = _open(template)
    slides = _Slides(prs)
    for slide in deck.slides:
        if slide.section == "title":
            _cover(slides, deck)
        else:
            _content(slides, slide)
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


class _Slides:
    """Adds slides to ``prs`` at a cost that does not grow with the deck: the layouts
    looked up once, and each layout's placeholders cloned once, then copied as XML."""

    def __init__(self, prs):
        self.prs = prs
        self.width, self.height = prs.slide_width, prs.slide_height
        self.layouts: dict[str, object] = {}
        self.placeholders: dict[str, list] = {}

    def add(self, name: str, fallback: int):
        """A new slide on layout ``name`` with its placeholders, and its title's element
        (None when the layout has no title)."""
        if name not in self.layouts:
            self.layouts[name] = _layout(self.prs, name, fallback)
        slide = _add_slide(self.prs, self.layouts[name])
        tree = slide.shapes._spTree
        if name not in self.placeholders:
            slide.shapes.clone_layout_placeholders(self.layouts[name])
            self.placeholders[name] = [copy.deepcopy(e) for e in tree.iter_shape_elms()]
        else:
            for element in self.placeholders[name]:
                tree.append(copy.deepcopy(element))
        titles = [e for e in tree.iter_shape_elms() if e.ph_type in TITLES]
        return slide, (titles[0] if titles else None)


TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)


def _add_slide(prs, layout):
    """``prs.slides.add_slide(layout)`` without its two searches of every slide so far
    (the next slide id, an existing relationship): quadratic, they made a 3,000-slide
    programme deck take minutes. The deck only adds new slides, so it counts them. The
    caller adds the placeholders."""
    part, ids = prs.part, prs.slides._sldIdLst
    number = len(ids) + 1
    slide_part = SlidePart.new(PackURI(f"/ppt/slides/slide{number}.xml"), part.package,
                               layout.part)
    rid = part.rels._add_relationship(RT.SLIDE, slide_part)
    ids._add_sldId(id=255 + number, rId=rid)
    return slide_part.slide


def _cover(slides: _Slides, deck: Deck) -> None:
    slide, _ = slides.add("Title Slide", 0)
    slide.shapes.title.text = deck.title
    if len(slide.placeholders) > 1:
        slide.placeholders[1].text = f"{deck.subtitle}\nFigures from Jira as of {deck.as_of}"


def _content(slides: _Slides, page: Slide) -> None:
    slide, title = slides.add("Title Only", 5)
    if len(page.blocks) == 1 and isinstance(page.blocks[0], Table) and page.blocks[0].rows:
        _table_slide(slide, title, page, slides.width, slides.height)
        return
    if title is not None:
        slide.shapes.title.text = page.heading
        _fit(slide.shapes.title.text_frame, 32)
    top = Inches(1.45)
    if page.lead:
        box = slide.shapes.add_textbox(MARGIN, top, slides.width - 2 * MARGIN, Inches(0.45))
        box.text_frame.text = page.lead
        _fit(box.text_frame, 16, italic=True)
        top += Inches(0.5)
    area = (MARGIN, top, slides.width - 2 * MARGIN, slides.height - top - Inches(0.3))
    _blocks(slide, page.blocks, area)


def _table_slide(slide, title, page: Slide, width: int, height: int) -> None:
    """A slide that is one table (most of a long deck: the continuation slides) written
    as XML in one go, laid out as ``_content`` lays it out through python-pptx."""
    tree = slide.shapes._spTree
    ids = iter(range(tree.max_shape_id + 1, 10**6))
    if title is not None:
        title.remove(title.txBody)
        title.append(parse_xml(f"<p:txBody {nsdecls('a', 'p')}>"
                               f"{pptxml.text_body(page.heading, 32, italic=False)}</p:txBody>"))
    top, shapes = Inches(1.45), []
    if page.lead:
        shapes.append(pptxml.textbox(next(ids), (MARGIN, top, width - 2 * MARGIN,
                                               Inches(0.45)), page.lead))
        top += Inches(0.5)
    area = (MARGIN, top, width - 2 * MARGIN, height - top - Inches(0.3))
    shapes.append(pptxml.table(next(ids), page.blocks[0], area, _linker(slide)))
    for element in parse_xml(f"<p:spTree {nsdecls('a', 'p', 'r')}>{''.join(shapes)}"
                             "</p:spTree>"):
        tree.append(element)


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




def _table(slide, block: Table, area) -> None:
    left, top, width, height = area
    if not block.rows:
        frame = slide.shapes.add_textbox(left, top, width, Inches(0.6)).text_frame
        frame.text = block.empty
        _fit(frame, 18)
        return
    rows, row = len(block.rows) + 1, pptxml.DENSE_ROW if block.dense else pptxml.ROW
    table = slide.shapes.add_table(1, len(block.columns), left, top, width,
                                   min(height, row * rows)).table
    if block.dense:
        for column, w in zip(table.columns, pptxml.widths(block, width)):
            column.width = w
    # The rows as XML in one go: python-pptx's cell-by-cell API is a hundred times slower,
    # and a programme deck has thousands of cells.
    link = _linker(slide)
    size = 11 if block.dense else 13
    header = pptxml.row(block.columns, size + 1, bold=True, link=link, height=row)
    body = "".join(pptxml.row(r, size, link=link, height=row) for r in block.rows)
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
