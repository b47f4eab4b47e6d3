"""The PowerPoint XML of the shapes a long deck repeats (a text box, a table with links),
as strings: written in one go and parsed once a slide, they cost a fraction of
python-pptx's shape-by-shape and cell-by-cell API. Pure; ``powerpoint.py`` parses them."""
from __future__ import annotations

from collections.abc import Callable
from xml.sax.saxutils import escape

from jirasync.reports.slides import Link, Table

EMU_PER_INCH = 914400
ROW = int(0.42 * EMU_PER_INCH)
DENSE_ROW = int(0.32 * EMU_PER_INCH)  # a one-line row of keys at 11 points (the appendix)
CELL_MARGIN = 38100                   # 3 points
TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"     # python-pptx's default style


def text_body(text: str, size: int, *, italic: bool) -> str:
    return (f'<a:bodyPr wrap="square"><a:normAutofit/></a:bodyPr><a:lstStyle/><a:p><a:r>'
            f'<a:rPr sz="{size * 100}" i="{int(italic)}" b="0"/><a:t>{escape(text)}</a:t>'
            "</a:r></a:p>")


def textbox(shape_id: int, box, text: str) -> str:
    left, top, width, height = box
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="TextBox {shape_id - 1}"/>'
            '<p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm>'
            f'<a:off x="{left}" y="{top}"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr>'
            f"<p:txBody>{text_body(text, 16, italic=True)}</p:txBody></p:sp>")


def table(shape_id: int, block: Table, area: tuple[int, int, int, int],
          link: Callable[[str], str]) -> str:
    left, top, width, height = area
    height_ = DENSE_ROW if block.dense else ROW
    cy, size = min(height, height_ * (len(block.rows) + 1)), 11 if block.dense else 13
    grid = "".join(f'<a:gridCol w="{w}"/>' for w in widths(block, width))
    rows = row(block.columns, size + 1, bold=True, link=link, height=height_) + "".join(
        row(r, size, link=link, height=height_) for r in block.rows)
    return (f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" '
            f'name="Table {shape_id - 1}"/><p:cNvGraphicFramePr><a:graphicFrameLocks '
            'noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr><p:xfrm>'
            f'<a:off x="{left}" y="{top}"/><a:ext cx="{width}" cy="{cy}"/></p:xfrm><a:graphic>'
            '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table">'
            f'<a:tbl><a:tblPr firstRow="1" bandRow="1"><a:tableStyleId>{TABLE_STYLE}'
            f"</a:tableStyleId></a:tblPr><a:tblGrid>{grid}</a:tblGrid>{rows}</a:tbl>"
            "</a:graphicData></a:graphic></p:graphicFrame>")


def widths(block: Table, width: int) -> list[int]:
    """Even columns (as python-pptx makes them); a dense table of keys: figure and count
    narrow, the line of keys wide."""
    if block.dense and len(block.columns) == 3:
        narrow = [int(width * 0.2), int(width * 0.08)]
        return [*narrow, width - sum(narrow)]
    cols = len(block.columns)
    return [width // cols] * (cols - 1) + [width - (cols - 1) * (width // cols)]


def row(values, size: int, *, link, height: int, bold: bool = False) -> str:
    cells = "".join(cell(v, size, link=link, bold=bold) for v in values)
    return f'<a:tr h="{int(height)}">{cells}</a:tr>'


def cell(value, size: int, *, link, bold: bool) -> str:
    parts = value if isinstance(value, tuple) else (value,)
    runs = []
    for n, part in enumerate(parts):
        text = escape(str(part) + (", " if n < len(parts) - 1 else ""))
        url = part.url if isinstance(part, Link) else ""
        click = f'<a:hlinkClick r:id="{link(url)}"/>' if url else ""
        runs.append(f'<a:r><a:rPr lang="en-GB" sz="{size * 100}" b="{int(bold)}" dirty="0">'
                    f"{click}</a:rPr><a:t>{text}</a:t></a:r>")
    return (f'<a:tc><a:txBody><a:bodyPr/><a:lstStyle/><a:p>{"".join(runs)}</a:p></a:txBody>'
            f'<a:tcPr marT="{CELL_MARGIN}" marB="{CELL_MARGIN}"/></a:tc>')
