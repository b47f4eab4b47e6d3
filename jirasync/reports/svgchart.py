"""Grouped column chart geometry for the HTML deck: pure numbers the template draws as
inline SVG (no script, no library, nothing fetched)."""
from __future__ import annotations

import math
from dataclasses import dataclass

from jirasync.reports.slides import Chart

PALETTE = ("#1f4e79", "#c55a11", "#548235", "#7030a0")   # distinct in greyscale print too


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str          # "4.2 lessons identified: 7", the bar's tooltip
    value: str = ""     # written above the bar


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True)
class Label:
    x: float
    text: str


@dataclass(frozen=True)
class Plot:
    width: int
    height: int
    left: float
    bottom: float
    right: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    labels: tuple[Label, ...]
    legend: tuple[tuple[str, str], ...]     # (colour, series name)


def plot(chart: Chart, *, width: int = 620, height: int = 400) -> Plot:
    """Where each column goes: a y axis with round ticks, one group per category."""
    left, right, top, bottom = 56.0, width - 12.0, 30.0, height - 40.0
    step = _nice_step(max((v for s in chart.series for v in s.values), default=0) / 4)
    top_value = step * 4
    scale = (bottom - top) / top_value
    groups = max(len(chart.categories), 1)
    slot = (right - left) / groups
    bar_width = min(slot * 0.8 / max(len(chart.series), 1), 48.0)
    bars, labels = [], []
    for i, category in enumerate(chart.categories):
        start = left + i * slot + (slot - bar_width * len(chart.series)) / 2
        labels.append(Label(left + (i + 0.5) * slot, category))
        for j, series in enumerate(chart.series):
            value = series.values[i]
            bars.append(Bar(round(start + j * bar_width, 1), round(bottom - value * scale, 1),
                            round(bar_width - 2, 1), round(value * scale, 1),
                            PALETTE[j % len(PALETTE)], f"{category} {series.name}: {value:g}",
                            f"{value:g}"))
    ticks = tuple(Tick(round(bottom - t * scale, 1), f"{t:g}") for t in _ticks(top_value))
    legend = tuple((PALETTE[j % len(PALETTE)], s.name) for j, s in enumerate(chart.series))
    return Plot(width, height, left, bottom, right, tuple(bars), ticks,
                _thin(labels, slot), legend)


def _nice_step(value: float) -> float:
    """A whole, round tick step at least ``value``: 1, 2, 5, 10, 20, 50, ..."""
    if value <= 1:
        return 1.0
    magnitude: float = 10 ** math.floor(math.log10(value))    # int ** int is typed Any
    for step in (1, 2, 2.5, 3, 4, 5, 10):
        if value <= step * magnitude and float(step * magnitude).is_integer():
            return float(step * magnitude)
    return 10.0 * magnitude


def _ticks(top: float) -> list[float]:
    return [top * i / 4 for i in range(5)]


def _thin(labels: list[Label], slot: float) -> tuple[Label, ...]:
    """Every n-th category label when many releases would make them overlap."""
    every = max(1, math.ceil(56 / slot)) if slot > 0 else 1
    return tuple(label for i, label in enumerate(labels) if i % every == 0)
