"""The report's charts, drawn by matplotlib as inline SVG (text kept as text, so it stays sharp,
searchable and read by screen readers). Every series differs by more than colour — hatch, marker
or line style, plus direct labels — and the colours are Okabe-Ito, so the charts read in grey-scale
and for colour-blind readers."""

from __future__ import annotations

import io
import math
import re
import textwrap
from dataclasses import dataclass

import matplotlib
from matplotlib.figure import Figure  # not pyplot: no GUI backend, no global figure state
from matplotlib.ticker import FuncFormatter, MaxNLocator

from pipelines.export.labels import number, percent

# Okabe & Ito (2008), safe for the common colour-vision deficiencies.
BLUE, ORANGE, SKY, GREEN, YELLOW, VERMILLION, GREY = (
    "#0072B2", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#D55E00", "#999999")
# Predikat, best to worst, then the two kinds of "no predikat": dark to light and a hatch each,
# so the order reads without colour.
PREDIKAT_STYLE = [(BLUE, ""), (SKY, ".."), (YELLOW, "//"), (ORANGE, "\\\\"), (VERMILLION, "xx"),
                  (GREY, "--"), ("#DDDDDD", "")]
STATUS_STYLE = [(BLUE, ""), (ORANGE, "//"), ("#DDDDDD", "xx")]
LINE_STYLE = [(BLUE, "o", "-"), (VERMILLION, "s", "--"), (GREEN, "^", ":")]

_RC = {
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 9.5,
    "axes.titleweight": "bold",
    "hatch.linewidth": 0.6,
}
WIDTH = 7.2  # inches: the text width of an A4 page


def _svg(fig: Figure, chart_id: str) -> str:
    """The figure as an <svg> element to inline: ids salted per chart so two charts never share
    one, no date (the same data gives the same file)."""
    buffer = io.StringIO()
    with matplotlib.rc_context({**_RC, "svg.hashsalt": chart_id}):
        fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    return re.sub(r"<svg ", f'<svg role="img" aria-labelledby="{chart_id}-caption" ', svg, count=1)


def _figure(height: float) -> Figure:
    with matplotlib.rc_context(_RC):
        return Figure(figsize=(WIDTH, height), layout="constrained")


def horizontal_bars(chart_id: str, labels: list[str], values: list[int], styles, total_label: str) -> str:
    """One bar per category, top to bottom, each labelled with its count and share."""
    with matplotlib.rc_context(_RC):
        fig = _figure(0.25 * len(labels) + 0.6)
        ax = fig.subplots()
        total = sum(values) or 1
        positions = list(range(len(labels)))[::-1]
        for y, value, (colour, hatch) in zip(positions, values, styles):
            ax.barh(y, value, color=colour, hatch=hatch, edgecolor="#333333", linewidth=0.6)
            ax.annotate(f"{value} ({percent(value / total)})", (value, y), xytext=(4, 0),
                        textcoords="offset points", va="center")
        ax.set_yticks(positions, labels)
        ax.set_xlabel(total_label)
        ax.set_xlim(0, max(values + [1]) * 1.25)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        return _svg(fig, chart_id)


def stacked_bars(chart_id: str, categories: list[str], series: dict[str, list[int]], styles, xlabel: str) -> str:
    """One horizontal bar per category, split into the series (in the legend's order)."""
    with matplotlib.rc_context(_RC):
        fig = _figure(0.28 * len(categories) + 1.0)
        ax = fig.subplots()
        positions = list(range(len(categories)))[::-1]
        left = [0] * len(categories)
        for (name, values), (colour, hatch) in zip(series.items(), styles):
            ax.barh(positions, values, left=left, color=colour, hatch=hatch, edgecolor="#333333",
                    linewidth=0.6, label=name)
            left = [a + b for a, b in zip(left, values)]
        for y, total in zip(positions, left):
            ax.annotate(str(total), (total, y), xytext=(3, 0), textcoords="offset points", va="center",
                        fontsize=8)
        ax.set_yticks(positions, categories)
        ax.set_xlabel(xlabel)
        ax.set_xlim(0, max(left + [1]) * 1.1)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=len(series), frameon=False)
        return _svg(fig, chart_id)


@dataclass
class Panel:
    title: str
    series: dict[str, list[float | None]]  # name -> one value per period (None: not published)
    axis: str = "number"  # number, or percent (fractions shown as percent)
    lines: tuple[tuple[float, str], ...] = ()  # thresholds: (value, label)
    # The axis always includes `base` (0 for counts and deductions: read from zero; None for rates
    # near their top) and spans at least `min_span`, so a change of a few tenths does not fill the
    # panel. Percent axes span at least 10 points, within 0-100 %.
    base: float | None = 0.0
    min_span: float = 0.0

    def __post_init__(self):
        if self.axis == "percent" and not self.min_span:
            self.min_span = 0.10


NO_DATA = "tidak ada data"


def y_range(panel: Panel) -> tuple[float, float] | None:
    """The panel's vertical range: data, thresholds and base, widened to min_span (around the
    data, or up from the base when the data sit on it), with a margin; None without data."""
    values = [float(v) for series in panel.series.values() for v in series if v is not None]
    if not values:
        return None
    points = values + [value for value, _ in panel.lines] + ([panel.base] if panel.base is not None else [])
    low, high = min(points), max(points)
    if high - low < panel.min_span:
        if panel.base is not None and low == panel.base:
            high = low + panel.min_span
        else:
            middle = (low + high) / 2
            low, high = middle - panel.min_span / 2, middle + panel.min_span / 2
    pad = (high - low) * 0.12 or 1.0
    low, high = low - (0 if low == panel.base else pad), high + pad
    if panel.axis == "percent":  # a fraction: stay within 0-100 %, keeping the span
        if high > 1.0:
            low, high = max(0.0, low - (high - 1.0)), 1.0
        if low < 0.0:
            low, high = 0.0, min(1.0, high - low)
    return low, high


def trend_panels(chart_id: str, periods: list[str], panels: list[Panel]) -> str:
    """Small multiples side by side, one per measure, over the same periods."""
    with matplotlib.rc_context(_RC):
        fig = _figure(2.1)
        axes = fig.subplots(1, len(panels), squeeze=False)[0]
        x = list(range(len(periods)))
        for ax, panel in zip(axes, panels):
            ax.set_title(textwrap.fill(panel.title, 30), loc="left")
            ax.set_xticks(x, periods, rotation=45, ha="right", fontsize=7.5)
            ax.set_xlim(-0.5, len(periods) - 0.5)
            limits = y_range(panel)
            if limits is None:  # an empty panel says so rather than showing bare axes
                ax.set_yticks([])
                ax.text(0.5, 0.5, NO_DATA, transform=ax.transAxes, ha="center", va="center", color="#333333")
                continue
            ax.set_ylim(*limits)
            ax.yaxis.set_major_formatter(_axis_formatter(ax, panel.axis))
            for rank, ((name, values), (colour, marker, style)) in enumerate(zip(panel.series.items(), LINE_STYLE)):
                points = [(i, float(v)) for i, v in zip(x, values) if v is not None]
                if not points:
                    continue
                ax.plot([p[0] for p in points], [p[1] for p in points], color=colour,
                        marker=marker, linestyle=style, label=name, markersize=4)
                for i, value in points:  # the values themselves, so the reading never rests on the slope
                    height = (value - limits[0]) / (limits[1] - limits[0])
                    above = height < 0.2 or (rank == 0 and height < 0.8)  # never off the panel
                    ax.annotate(_value_text(value, panel.axis), (i, value), xytext=(0, 5 if above else -10),
                                textcoords="offset points", ha="center", fontsize=6.5, color=colour)
            for value, label in panel.lines:
                ax.axhline(value, color="#555555", linestyle=(0, (4, 3)), linewidth=0.8)
                ax.annotate(label, (0, value), xycoords=("axes fraction", "data"), xytext=(2, 2),
                            textcoords="offset points", fontsize=7, color="#333333")
            if len(panel.series) > 1 and ax.get_legend_handles_labels()[0]:
                ax.legend(fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.42))
        return _svg(fig, chart_id)


def _value_text(value: float, axis: str) -> str:
    return percent(value, 1) if axis == "percent" else number(value, 2 if abs(value) < 10 else 1)


def _axis_formatter(ax, axis: str) -> FuncFormatter:
    """Tick labels with as many decimals as the visible range needs (99,2 % and 99,6 %, not 99 % twice)."""
    low, high = ax.get_ylim()
    span = (high - low) * (100 if axis == "percent" else 1)
    places = 0 if span >= 5 else 1 if span >= 0.5 else 2
    if axis == "percent":
        return FuncFormatter(lambda v, _: percent(v, places))
    return FuncFormatter(lambda v, _: number(v, places))


@dataclass
class FunnelPoint:
    label: str
    n: int  # size: employees in the denominator
    events: int  # how many of them have the measured outcome

    @property
    def rate(self) -> float:
        return self.events / self.n


def funnel_limits(mean: float, n: int, z: float) -> tuple[float, float]:
    """Normal approximation of the binomial control limits around the city mean for size n."""
    spread = z * math.sqrt(mean * (1 - mean) / n)
    return max(0.0, mean - spread), min(1.0, mean + spread)


Z95, Z998 = 1.96, 3.09


def funnel_plot(chart_id: str, points: list[FunnelPoint], ylabel: str) -> str:
    """Each unit's rate against its size, with the city mean and 95 % / 99.8 % control limits:
    a small unit far from the mean may be noise, a point outside the funnel is worth a look."""
    mean = sum(p.events for p in points) / sum(p.n for p in points)
    with matplotlib.rc_context(_RC):
        fig = _figure(4.0)
        ax = fig.subplots()
        top = max(p.n for p in points)
        sizes = [max(1, round(1 + (top * 1.05 - 1) * i / 200)) for i in range(201)]
        for z, style, name in ((Z95, (0, (4, 3)), "batas kendali 95 % (±1,96 simpangan baku)"),
                               (Z998, (0, (1, 2)), "batas kendali 99,8 % (±3,09 simpangan baku)")):
            limits = [funnel_limits(mean, n, z) for n in sizes]
            ax.plot(sizes, [lo for lo, _ in limits], color="#333333", linestyle=style, linewidth=0.9, label=name)
            ax.plot(sizes, [hi for _, hi in limits], color="#333333", linestyle=style, linewidth=0.9)
        ax.axhline(mean, color=BLUE, linewidth=1.2, label=f"rata-rata kota {percent(mean)}")
        inside = [p for p in points if _within(p, mean, Z998)]
        outside = [p for p in points if not _within(p, mean, Z998)]
        ax.scatter([p.n for p in inside], [p.rate for p in inside], marker="o", s=28, color=SKY,
                   edgecolor="#000000", linewidth=0.7, label="unit di dalam batas", zorder=3)
        if outside:
            ax.scatter([p.n for p in outside], [p.rate for p in outside], marker="^", s=46, color=VERMILLION,
                       edgecolor="#000000", linewidth=0.7, label="unit di luar batas 99,8 %", zorder=3)
        for p in points:  # named where it matters; the table under the plot lists every unit
            if not _within(p, mean, Z95):
                ax.annotate(p.label, (p.n, p.rate), xytext=(4, 3), textcoords="offset points", fontsize=7.5)
        ax.set_xlabel("ukuran unit (pegawai dalam penyebut)")
        ax.set_ylabel(ylabel)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: percent(v, 0)))
        ax.set_xlim(0, top * 1.08)
        ax.set_ylim(0, min(1.0, max([p.rate for p in points] + [funnel_limits(mean, 1, Z95)[1] / 2]) * 1.15 + 0.02))
        # The legend below the plot, never over a unit: what each line and marker means.
        ax.legend(fontsize=7.5, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2,
                  title="Di dalam corong: beda dari rata-rata masih wajar karena kebetulan", title_fontsize=7.5)
        return _svg(fig, chart_id)


def _within(point: FunnelPoint, mean: float, z: float) -> bool:
    low, high = funnel_limits(mean, point.n, z)
    return low <= point.rate <= high


def positions(points: list[FunnelPoint]) -> list[tuple[FunnelPoint, str]]:
    """Every unit with where it falls (inside the limits, or outside which, above or below the
    mean), highest rate first, for the table under the plot."""
    mean = sum(p.events for p in points) / sum(p.n for p in points)
    result = []
    for point in sorted(points, key=lambda p: (-p.rate, p.label)):
        where = "di dalam batas"
        for z, level in ((Z998, "di luar batas 99,8 %"), (Z95, "di luar batas 95 %")):
            if not _within(point, mean, z):
                where = f"{level}, {'di atas' if point.rate > mean else 'di bawah'} rata-rata kota"
                break
        result.append((point, where))
    return result
