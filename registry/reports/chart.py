"""Geometry of the program report's SVG chart, computed here so the template only draws (no script, no
external reference: WeasyPrint renders inline SVG)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LEVEL_COLORS = {"ok": "#4a7fb0", "watch": "#d49a00", "act": "#b3261e", "none": "#9aa7b4"}


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    y: float
    w: float
    h: float
    color: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Threshold:
    x: float
    label: str
    color: str


@dataclass(frozen=True)
class BarChart:
    title: str
    note: str
    width: float
    height: float
    left: float
    top: float
    bottom: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    thresholds: tuple[Threshold, ...]


def rate_bars(items: Sequence[tuple[str, float | None, str]], *, watch: float, act: float, title: str,
              note: str = "", width: float = 500, row: float = 13) -> BarChart:
    """Horizontal bars of rates (``(label, rate, level)``), on a scale that always shows the act threshold."""
    left, top, right = 110.0, 14.0, 40.0
    height = top + row * max(1, len(items)) + 14
    bottom = height - 14
    peak = max([act * 1.3] + [r for _, r, _ in items if r is not None])
    span = width - left - right

    def x(rate: float) -> float:
        return round(span * rate / peak, 2)

    bars = tuple(Bar(label=label[:22], value="no audience" if rate is None else f"{rate * 100:.2f} %",
                     y=round(top + i * row + 2, 2), w=x(rate or 0.0), h=row - 4, color=LEVEL_COLORS[level])
                 for i, (label, rate, level) in enumerate(items))
    step = _step(peak)
    ticks = tuple(Tick(round(left + x(v), 2), f"{v * 100:g} %") for v in _range(step, peak))
    thresholds = (Threshold(round(left + x(watch), 2), f"watch {watch * 100:g} %", LEVEL_COLORS["watch"]),
                  Threshold(round(left + x(act), 2), f"act {act * 100:g} %", LEVEL_COLORS["act"]))
    return BarChart(title=title, note=note, width=width, height=round(height, 2), left=left, top=top,
                    bottom=round(bottom, 2), bars=bars, ticks=ticks, thresholds=thresholds)


def _step(peak: float) -> float:
    for step in (0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5):
        if peak / step <= 8:
            return step
    return 1.0


def _range(step: float, peak: float) -> list[float]:
    values, v = [], 0.0
    while v <= peak + 1e-9:
        values.append(round(v, 6))
        v += step
    return values
