"""The PowerPoint XML of the shapes a deck is made of (text boxes, bars, tables with links),
as strings: written in one go and parsed once a slide, they cost a fraction of
python-pptx's shape-by-shape and cell-by-cell API. Positions and sizes come in slide
units (``layout``) and a ``Scale`` turns them into EMU and points. Pure; ``powerpoint.py``
parses them."""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape as _escape

import jirasync.reports.layout as L
from jirasync.reports.slides import Cell, Link, Table

Linker = Callable[[str], str]             # a URL -> the slide's relationship id for it
Box = tuple[int, int, int, int]           # left, top, width, height (EMU)

TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"     # python-pptx's default style
INK, MUTED, ACCENT, ALERT, RULE = "14213D", "44506A", "1F4E79", "B00020", "C9D1DE"

# Characters XML 1.0 cannot hold: Jira accepts them in a summary, lxml refuses the slide.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def escape(text: str) -> str:
    """``text`` as XML character data: markup escaped, characters XML cannot hold blanked."""
    return _escape(NOT_XML.sub(" ", text))


@dataclass(frozen=True)
class Scale:
    """Slide units to EMU: ``unit`` EMU a unit, the 16:9 surface placed at (x, y) on a
    template's slide of any shape."""

    unit: float
    x: int = 0
    y: int = 0

    @classmethod
    def of(cls, width: int, height: int) -> Scale:
        unit = min(width / L.SLIDE_W, height / L.SLIDE_H)
        return cls(unit, int((width - unit * L.SLIDE_W) / 2),
                   int((height - unit * L.SLIDE_H) / 2))

    def box(self, left: float, top: float, width: float, height: float) -> Box:
        return (self.x + int(left * self.unit), self.y + int(top * self.unit),
                int(width * self.unit), int(height * self.unit))

    def emu(self, units: float) -> int:
        return int(units * self.unit)

    def size(self, units: float) -> int:
        """A type size in hundredths of a point (units are 1/96 inch at 9525 EMU)."""
        return max(100, round(units * 0.75 * self.unit / 9525 * 100))


@dataclass(frozen=True)
class Run:
    text: str
    size: float                       # slide units
    bold: bool = False
    italic: bool = False
    colour: str = INK
    url: str = ""


def paragraph(runs: list[Run], s: Scale, *, align: str = "l", link: Linker | None = None,
              after: float = 0) -> str:
    spacing = f'<a:spcAft><a:spcPts val="{int(after * 75 * s.unit / 9525)}"/></a:spcAft>' \
        if after else ""
    body = "".join(_run(r, s, link) for r in runs)
    return f'<a:p><a:pPr algn="{align}">{spacing}</a:pPr>{body}</a:p>'


def _run(r: Run, s: Scale, link: Linker | None) -> str:
    click = f'<a:hlinkClick r:id="{link(r.url)}"/>' if r.url and link else ""
    return (f'<a:r><a:rPr lang="en-GB" sz="{s.size(r.size)}" b="{int(r.bold)}" '
            f'i="{int(r.italic)}" dirty="0"><a:solidFill><a:srgbClr val="{r.colour}"/>'
            f"</a:solidFill>{click}</a:rPr><a:t>{escape(r.text)}</a:t></a:r>")


def body(paragraphs: str, *, anchor: str = "t", inset: int = 0) -> str:
    """A text body that wraps; PowerPoint shrinks it should an estimate ever fall short."""
    margins = f' lIns="{inset}" rIns="{inset}" tIns="{inset}" bIns="{inset}"'
    return (f'<a:bodyPr wrap="square" anchor="{anchor}"{margins}><a:normAutofit/></a:bodyPr>'
            f"<a:lstStyle/>{paragraphs}")


def textbox(shape_id: int, box: Box, paragraphs: str, *, anchor: str = "t", line: str = "",
            fill: str = "", inset: int = 0) -> str:
    left, top, width, height = box
    outline = f'<a:ln w="19050"><a:solidFill><a:srgbClr val="{line}"/></a:solidFill></a:ln>' \
        if line else ""
    filled = f'<a:solidFill><a:srgbClr val="{fill}"/></a:solidFill>' if fill else "<a:noFill/>"
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="TextBox {shape_id}"/>'
            '<p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm>'
            f'<a:off x="{left}" y="{top}"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{filled}{outline}</p:spPr>'
            f"<p:txBody>{body(paragraphs, anchor=anchor, inset=inset)}</p:txBody></p:sp>")


def bar(shape_id: int, box: Box, colour: str) -> str:
    """A filled rectangle (the rule under a title, an indicator's accent)."""
    left, top, width, height = box
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="Bar {shape_id}"/>'
            '<p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm>'
            f'<a:off x="{left}" y="{top}"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr '
            f'val="{colour}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr></p:sp>')


def table(shape_id: int, block: Table, at: tuple[float, float, float], s: Scale,
          link: Callable[[str], str]) -> str:
    """``block`` (laid out by ``layout``) at (left, top, width) slide units."""
    left, top, width = at
    widths = [s.emu(w * width / sum(block.widths)) for w in block.widths]
    x, y, _, _ = s.box(left, top, width, 0)
    grid = "".join(f'<a:gridCol w="{w}"/>' for w in widths)
    # A row's height in the file is its least (one line): PowerPoint and LibreOffice grow
    # it to the lines its text takes, which the layout counted (roomily) to cut the pages.
    one = s.emu(2 * (L.DENSE_PAD_Y if block.dense else L.PAD_Y) + block.size * L.LINE)
    rows = row(block.columns, block, one, s, link=link, bold=True) + "".join(
        row(r, block, one, s, link=link) for r in block.rows)
    return (f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" '
            f'name="Table {shape_id}"/><p:cNvGraphicFramePr><a:graphicFrameLocks '
            'noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr><p:xfrm>'
            f'<a:off x="{x}" y="{y}"/><a:ext cx="{sum(widths)}" '
            f'cy="{s.emu(sum(block.heights))}"/></p:xfrm><a:graphic>'
            '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table">'
            f'<a:tbl><a:tblPr firstRow="1" bandRow="1"><a:tableStyleId>{TABLE_STYLE}'
            f"</a:tableStyleId></a:tblPr><a:tblGrid>{grid}</a:tblGrid>{rows}</a:tbl>"
            "</a:graphicData></a:graphic></p:graphicFrame>")


def row(values: Sequence[Cell], block: Table, height: int, s: Scale, *, link: Linker,
        bold: bool = False) -> str:
    pad_y = L.DENSE_PAD_Y if block.dense else L.PAD_Y
    margins = (f'marL="{s.emu(L.PAD_X)}" marR="{s.emu(L.PAD_X)}" marT="{s.emu(pad_y)}" '
               f'marB="{s.emu(pad_y)}"')
    size = s.size(block.size)
    cells = "".join(cell(v, size, link=link, bold=bold, margins=margins,
                         align="r" if n in block.numeric else "l")
                    for n, v in enumerate(values))
    return f'<a:tr h="{height}">{cells}</a:tr>'


def cell(value: Cell, size: int, *, link: Linker, bold: bool, margins: str, align: str) -> str:
    parts = value if isinstance(value, tuple) else (value,)
    runs = []
    for n, part in enumerate(parts):
        text = escape(str(part) + (", " if n < len(parts) - 1 else ""))
        url = part.url if isinstance(part, Link) else ""
        click = f'<a:hlinkClick r:id="{link(url)}"/>' if url else ""
        runs.append(f'<a:r><a:rPr lang="en-GB" sz="{size}" b="{int(bold)}" dirty="0">'
                    f"{click}</a:rPr><a:t>{text}</a:t></a:r>")
    return (f'<a:tc><a:txBody><a:bodyPr/><a:lstStyle/><a:p><a:pPr algn="{align}"/>'
            f'{"".join(runs)}</a:p></a:txBody><a:tcPr {margins}/></a:tc>')
