"""The trend chart as a standalone SVG file to attach to a page: the HTML deck's drawing
(``reports.svgchart``), with its styles and legend inside, every text escaped. SVG, not
PNG: it needs no drawing library, stays sharp at any zoom, and Confluence shows an
attached SVG in an image macro."""
from __future__ import annotations

from html import escape

from jirasync.model import printable
from jirasync.reports.slides import Chart
from jirasync.reports.svgchart import plot


def _t(value: object) -> str:
    return escape(printable(str(value)), quote=True)


def chart_svg(chart: Chart) -> bytes:
    p = plot(chart)
    legend_y = p.height - 8
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {p.width} '
              f'{p.height + 24}" width="{p.width}" height="{p.height + 24}" '
              'font-family="sans-serif" font-size="12">'), f"<title>{_t(chart.title)}</title>",
             '<rect width="100%" height="100%" fill="#ffffff"/>']
    for t in p.ticks:
        parts.append(f'<line x1="{p.left}" x2="{p.right}" y1="{t.y}" y2="{t.y}" '
                     f'stroke="#dfe1e6"/><text x="{p.left - 8}" y="{t.y + 4}" '
                     f'text-anchor="end" fill="#5e6c84">{_t(t.text)}</text>')
    for bar in p.bars:
        parts.append(f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" '
                     f'height="{bar.height}" fill="{bar.colour}"><title>{_t(bar.label)}'
                     "</title></rect>")
        if bar.width >= 18:
            parts.append(f'<text x="{bar.x + bar.width / 2}" y="{bar.y - 4}" '
                         f'text-anchor="middle" fill="#172b4d">{_t(bar.value)}</text>')
    parts.append(f'<line x1="{p.left}" x2="{p.right}" y1="{p.bottom}" y2="{p.bottom}" '
                 'stroke="#5e6c84"/>')
    for label in p.labels:
        parts.append(f'<text x="{label.x}" y="{p.bottom + 20}" text-anchor="middle" '
                     f'fill="#172b4d">{_t(label.text)}</text>')
    x = p.left
    for colour, name in p.legend:
        parts.append(f'<rect x="{x}" y="{legend_y + 14}" width="12" height="12" '
                     f'fill="{colour}"/><text x="{x + 16}" y="{legend_y + 24}" '
                     f'fill="#172b4d">{_t(name)}</text>')
        x += 28 + 7 * len(name)
    parts.append("</svg>")
    return "\n".join(parts).encode("utf-8")
