"""The deck written as a PowerPoint file, slide by slide (see the package's docstring)."""
from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import TYPE_CHECKING

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.oxml import serialize_part_xml
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.slide import CT_NotesSlide
from pptx.parts.slide import NotesSlidePart, SlidePart
from pptx.util import Emu, Inches

import jirasync.reports.layout as L
from jirasync.errors import UsageError
from jirasync.reports import pptxml as X
from jirasync.reports.pages import height
from jirasync.reports.powerpoint.parts import NS, ShapeIds, add_chart, append, linker
from jirasync.reports.pptxml import Run, Scale
from jirasync.reports.slides import Block, Bullets, Chart, Deck, Slide, Stats, Table

if TYPE_CHECKING:
    from collections.abc import Callable

    from pptx.oxml.shapes import ShapeElement
    from pptx.parts.slide import NotesMasterPart
    from pptx.presentation import Presentation as Pptx
    from pptx.slide import Slide as PptxSlide
    from pptx.slide import SlideLayout

    from jirasync.reports.pptxml import Linker

    Ids = Callable[[], int]
    At = tuple[float, float, float]       # left, top, width (slide units)


def deck_pptx(deck: Deck, *, template: Path | None = None) -> bytes:
    """The deck as .pptx bytes. ``template``: a .pptx whose layouts and theme are used."""
    prs = _open(template)
    slides = _Slides(prs)
    for number, page in enumerate(deck.slides, start=1):
        if page.section == "title":
            slide = _cover(slides, deck)
        else:
            slide = _content(slides, deck, page, number)
        if page.notes:
            slides.notes(slide, number, page.notes)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _open(template: Path | None) -> Pptx:
    if template is None:
        prs = Presentation()
        _widen(prs, Emu(12192000))             # PowerPoint's own 16:9: 13.333 in
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


def _widen(prs: Pptx, width: int) -> None:
    """python-pptx's default template is 4:3: made 16:9, with its master's and layouts'
    placeholders stretched to span the wider slide (a slide added in PowerPoint too)."""
    ratio = width / prs.slide_width
    prs.slide_width, prs.slide_height = Emu(width), Inches(7.5)
    for master in prs.slide_masters:
        for shapes in (master.shapes, *(layout.shapes for layout in master.slide_layouts)):
            for shape in shapes:
                if shape.left is not None and shape.width is not None:
                    shape.left, shape.width = Emu(int(shape.left * ratio)), \
                        Emu(int(shape.width * ratio))


def _layout(prs: Pptx, name: str, fallback: int) -> SlideLayout:
    for layout in prs.slide_layouts:
        if layout.name == name:
            return layout
    return prs.slide_layouts[min(fallback, len(prs.slide_layouts) - 1)]


class _Slides:
    """Adds slides to ``prs`` at a cost that does not grow with the deck: the layouts
    looked up once, and each layout's placeholders cloned once, then copied as XML."""

    def __init__(self, prs: Pptx) -> None:
        self.prs = prs
        # Every deck PowerPoint writes (and python-pptx's own) gives its slide size.
        assert prs.slide_width is not None and prs.slide_height is not None
        self.scale = Scale.of(prs.slide_width, prs.slide_height)
        self.layouts: dict[str, SlideLayout] = {}
        self.placeholders: dict[str, list[ShapeElement]] = {}
        self.master: NotesMasterPart | None = None    # the notes master, made when needed
        self.note_xml: str | None = None     # a notes page, its text to be replaced

    def add(self, name: str, fallback: int, *,
            keep: tuple[PP_PLACEHOLDER, ...] = (PP_PLACEHOLDER.TITLE,
                                               PP_PLACEHOLDER.CENTER_TITLE)
            ) -> tuple[PptxSlide, ShapeElement | None]:
        """A new slide on layout ``name`` with its title placeholder (and, on the cover,
        the subtitle), and that title's element (None when the layout has none)."""
        if name not in self.layouts:
            self.layouts[name] = _layout(self.prs, name, fallback)
        slide = _add_slide(self.prs, self.layouts[name])
        tree = slide.shapes._spTree
        if name not in self.placeholders:
            slide.shapes.clone_layout_placeholders(self.layouts[name])
            kept = [e for e in tree.iter_shape_elms() if e.ph_type in keep]
            for element in list(tree.iter_shape_elms()):
                if element not in kept:
                    tree.remove(element)
            self.placeholders[name] = [copy.deepcopy(e) for e in kept]
        else:
            for element in self.placeholders[name]:
                tree.append(copy.deepcopy(element))
        titles = [e for e in tree.iter_shape_elms() if e.ph_type in TITLES]
        return slide, (titles[0] if titles else None)

    def notes(self, slide: PptxSlide, number: int, lines: tuple[str, ...]) -> None:
        """``slide``'s speaker notes. python-pptx's ``notes_slide`` names the new part by
        searching every part of the package (quadratic: minutes for a long deck) and
        clones the notes master each time; the first notes page is made that way, the
        others from its XML with their own paragraphs."""
        if self.master is None:
            self.master = self.prs.part.notes_master_part
        partname = PackURI(f"/ppt/notesSlides/notesSlide{number}.xml")
        if self.note_xml is None:
            part = NotesSlidePart(partname, CT.PML_NOTES_SLIDE, self.prs.part.package,
                                  CT_NotesSlide.new())
            page = part.notes_slide
            page.clone_master_placeholders(self.master.notes_master)
            page.notes_text_frame.text = MARK
            self.note_xml = serialize_part_xml(part._element).decode("utf-8")
        xml = self.note_xml
        at = xml.index(MARK)
        start, end = xml.rindex("<a:p>", 0, at), xml.index("</a:p>", at) + len("</a:p>")
        paragraphs = "".join(f'<a:p><a:r><a:rPr lang="en-GB" dirty="0"/><a:t>'
                             f"{X.escape(line)}</a:t></a:r></a:p>" for line in lines)
        part = NotesSlidePart(partname, CT.PML_NOTES_SLIDE, self.prs.part.package,
                              parse_xml((xml[:start] + paragraphs + xml[end:]).encode("utf-8")))
        part.relate_to(self.master, RT.NOTES_MASTER)
        part.relate_to(slide.part, RT.SLIDE)
        slide.part.relate_to(part, RT.NOTES_SLIDE)


MARK = "jirasync-notes-go-here"

TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)


def _add_slide(prs: Pptx, layout: SlideLayout) -> PptxSlide:
    """``prs.slides.add_slide(layout)`` without its two searches of every slide so far
    (the next slide id, an existing relationship): quadratic, they made a 3,000-slide
    programme deck take minutes. The deck only adds new slides, so it counts them. The
    caller adds the placeholders."""
    part, ids = prs.part, prs.slides._sldIdLst
    number = len(ids) + 1
    # (python-pptx leaves SlidePart.new and the chart data's methods unannotated)
    slide_part = SlidePart.new(  # type: ignore[no-untyped-call]
        PackURI(f"/ppt/slides/slide{number}.xml"), part.package, layout.part)
    rid = part.rels._add_relationship(RT.SLIDE, slide_part)
    ids._add_sldId(id=255 + number, rId=rid)
    slide: PptxSlide = slide_part.slide
    return slide


def _place(element: ShapeElement, box: X.Box, paragraphs: str, *, anchor: str = "b") -> None:
    """A placeholder moved to ``box`` (EMU) and given ``paragraphs``: the layout's own
    place is the template's, not necessarily inside a 16:9 slide."""
    xfrm = element.spPr.get_or_add_xfrm()
    xfrm.x, xfrm.y, xfrm.cx, xfrm.cy = box
    element.remove(element.txBody)
    element.append(parse_xml(f"<p:txBody {NS}>{X.body(paragraphs, anchor=anchor)}"
                             "</p:txBody>"))


def _cover(slides: _Slides, deck: Deck) -> PptxSlide:
    s = slides.scale
    slide, title = slides.add("Title Slide", 0, keep=TITLES)
    ids = ShapeIds(slide)
    size = L.cover_size(deck.title)
    heading = X.paragraph([Run(deck.title, size, bold=True, colour=X.ACCENT)], s)
    shapes = [X.textbox(ids(), s.box(L.MARGIN_X, 96, L.BODY_W, 44), X.paragraph(
        [Run("LESSONS REPORT", 24, colour=X.MUTED)], s))]
    if title is not None:
        _place(title, s.box(L.MARGIN_X, 150, L.BODY_W, 240), heading)
    else:
        shapes.append(X.textbox(ids(), s.box(L.MARGIN_X, 150, L.BODY_W, 240), heading,
                                anchor="b"))
    lines = [X.paragraph([Run(deck.subtitle, 30)], s, after=10),
             X.paragraph([Run(f"Figures from Jira as of {deck.as_of}", 22, colour=X.MUTED)],
                         s)]
    shapes.append(X.textbox(ids(), s.box(L.MARGIN_X, 410, L.BODY_W, 110), "".join(lines)))
    append(slide, shapes)
    for block in deck.slides[0].blocks:
        if isinstance(block, Bullets):
            append(slide, [_bullets(block, (L.MARGIN_X, 540, L.BODY_W), s, ids, size=22)])
    return slide


def _content(slides: _Slides, deck: Deck, page: Slide, number: int) -> PptxSlide:
    s = slides.scale
    slide, title = slides.add("Title Only", 5)
    ids = ShapeIds(slide)
    size = L.heading_size(page.heading)
    heading = X.paragraph([Run(page.heading, size, bold=True, colour=X.ACCENT)], s)
    box = s.box(L.MARGIN_X, L.TITLE_TOP, L.BODY_W, L.TITLE_H)
    shapes = []
    if title is not None:
        _place(title, box, heading)
    else:
        shapes.append(X.textbox(ids(), box, heading, anchor="b"))
    if page.lead:
        lead = L.heading_size(page.lead, size=L.LEAD_SIZE, smallest=16, bold=False)
        shapes.append(X.textbox(ids(), s.box(L.MARGIN_X, L.LEAD_TOP, L.BODY_W, L.LEAD_H + 8),
                                X.paragraph([Run(page.lead, lead, italic=True,
                                                 colour=X.MUTED)], s)))
    shapes.append(X.bar(ids(), s.box(L.MARGIN_X, L.RULE_Y, L.BODY_W, 4), X.ACCENT))
    shapes.append(X.textbox(ids(), s.box(L.MARGIN_X, L.SLIDE_H - 44, L.BODY_W, 32), X.paragraph(
        [Run(f"{deck.title}    {number} / {len(deck.slides)}", 16, colour=X.MUTED)], s,
        align="r")))
    link, charts, top = linker(slide), [], float(L.BODY_TOP)
    for block in page.blocks:
        if isinstance(block, Chart):
            charts.append((block, top))
            top += height(block) + L.GAP
            continue
        shapes += _block(block, top, s, link, ids)
        top += height(block) + L.GAP
    append(slide, shapes)
    for block, at in charts:
        add_chart(slide, block, at, s, link)
    return slide


def _block(block: Block, top: float, s: Scale, link: Linker, ids: Ids) -> list[str]:
    at = (L.MARGIN_X, top, L.BODY_W)
    if isinstance(block, Table):
        if not block.rows:
            return [X.textbox(ids(), s.box(L.MARGIN_X, top, L.BODY_W, 40),
                              X.paragraph([Run(block.empty, 24, colour=X.MUTED)], s))]
        return [X.table(ids(), block, at, s, link)]
    if isinstance(block, Bullets):
        return [_bullets(block, at, s, ids)]
    if isinstance(block, Stats):
        return _stats(block, at, s, ids)
    return []


def _bullets(block: Bullets, at: At, s: Scale, ids: Ids, *, size: float = L.BULLET_SIZE) -> str:
    left, top, width = at
    tall = sum(L.bullets_height(block.items, width, size))
    text = "".join(X.paragraph([Run(f"•  {item}", size)], s, after=L.BULLET_GAP)
                   for item in block.items)
    return X.textbox(ids(), s.box(left, top, width, tall), text)


def _stats(block: Stats, at: At, s: Scale, ids: Ids) -> list[str]:
    left, top, width = at
    shapes = []
    if block.caption:
        shapes.append(X.textbox(ids(), s.box(left, top, width, L.CAPTION_SIZE * L.LINE + 4),
                                X.paragraph([Run(block.caption, L.CAPTION_SIZE, bold=True,
                                                 colour=X.MUTED)], s)))
        top += L.CAPTION_SIZE * L.LINE + 8
    tall = L.stats_height(block.items, width, caption=False)
    each = (width - L.STAT_GAP * (len(block.items) - 1)) / len(block.items)
    for n, stat in enumerate(block.items):
        x = left + n * (each + L.STAT_GAP)
        colour = X.ALERT if stat.alert else X.ACCENT
        text = X.paragraph([Run(stat.value, L.STAT_VALUE, bold=True, colour=colour)], s) + \
            X.paragraph([Run(stat.label, L.STAT_LABEL, bold=True)], s)
        if stat.detail:
            text += X.paragraph([Run(stat.detail, L.STAT_DETAIL, colour=X.MUTED)], s)
        shapes.append(X.textbox(ids(), s.box(x, top, each, tall), text, line=X.RULE,
                                inset=s.emu(L.STAT_PAD)))
        shapes.append(X.bar(ids(), s.box(x, top, 8, tall), colour))
    return shapes


