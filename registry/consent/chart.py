"""An inline SVG bar chart of a daily rate with threshold lines, laid out here and drawn by
``templates/consent/_metrics.html``: no JavaScript, no network, readable without colour (the table beside it
carries the numbers)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 600, 120, 40, 18, 6


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    level: str
    label: str


@dataclass(frozen=True)
class Line:
    y: float
    label: str
    level: str


@dataclass
class Chart:
    title: str
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    #: x positions and texts of the day labels under the axis
    ticks: list[tuple[float, str]] = field(default_factory=list)
    baseline: float = HEIGHT - BOTTOM
    left: int = LEFT


def rate_chart(days: Sequence[Any], watch: float, act: float, *, title: str) -> Chart:
    """Bars per day (``.rate``, ``.level``, ``.day``) scaled so that the act threshold is always visible."""
    chart = Chart(title)
    top = max([act * 1.25] + [d.rate for d in days if d.rate is not None])
    plot_h = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / max(len(days), 1)

    def y(value: float) -> float:
        return round(HEIGHT - BOTTOM - plot_h * min(value, top) / top, 1)

    for i, d in enumerate(days):
        x = round(LEFT + i * slot + slot * 0.15, 1)
        if d.rate:
            chart.bars.append(Bar(x, y(d.rate), round(slot * 0.7, 1), round(HEIGHT - BOTTOM - y(d.rate), 1),
                                  d.level, f"{d.day:%b %d}: {d.rate:.1%} ({d.lost} of {d.audience})"))
        if i % 7 == 0 or i == len(days) - 1:
            chart.ticks.append((round(LEFT + i * slot + slot / 2, 1), f"{d.day:%b %d}"))
    chart.lines = [Line(y(watch), f"watch {watch:.0%}", "watch"), Line(y(act), f"act {act:.0%}", "act")]
    return chart
