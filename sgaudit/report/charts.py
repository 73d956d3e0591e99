"""Golden-thread charts drawn with matplotlib (Agg backend: no display, no browser).

Colours are from the Okabe-Ito palette, which people with the common forms of colour
blindness can tell apart; the two audits also differ by line style and marker shape,
and the RAG bands are labelled in words, so nothing depends on colour alone. A value
of `None` (a suppressed or unasked group) is never drawn.
"""

from __future__ import annotations

import io
import math
import textwrap

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from sgaudit.questionnaire.settings import AnalysisSettings  # noqa: E402
from sgaudit.report.context import ThreadChart, ThreadPanel  # noqa: E402
from sgaudit.report.words import OKABE_ITO, rag_fill, rag_title  # noqa: E402

CM = 1 / 2.54
DPI = 200
# Text sizes in points on paper: the figure is drawn at the width it is printed
# (`small_multiples(width_cm=...)`), so these are the sizes a board member reads.
# Nothing is smaller than MIN_PRINTED_PT.
MIN_PRINTED_PT = 8.0
TICK_PT = 8.0
TITLE_PT = 9.0
KEY_PT = 8.0
KEY_TITLE_PT = 9.0
COLUMNS = 3
PANEL_HEIGHT_CM = 4.4
SERIES_STYLES = (
    {"color": OKABE_ITO["blue"], "linestyle": "-", "marker": "o", "linewidth": 2.0},
    {"color": OKABE_ITO["reddish_purple"], "linestyle": "--", "marker": "s", "linewidth": 1.4},
)
# Axis labels, ground to board (the caption and the alt text spell them out).
TIER_LABELS = ("Users", "Front", "Mgr", "DSL", "Snr", "Board")
TITLE_WRAP = 24

plt.rcParams.update(
    {
        "font.family": "sans-serif",
        "font.sans-serif": ["Arial", "Liberation Sans", "DejaVu Sans"],
        "svg.fonttype": "none",
    }
)


def _bands(ax, settings: AnalysisSettings) -> None:
    bands = list(settings.rag_bands)
    labels = [b.label for b in bands]
    for i, band in enumerate(bands):
        top = bands[i + 1].min if i + 1 < len(bands) else 100
        ax.axhspan(
            band.min,
            top,
            color="#" + rag_fill(band.label, labels),
            alpha=0.45,
            linewidth=0,
            zorder=0,
        )


def _panel(ax, panel: ThreadPanel, settings: AnalysisSettings) -> None:
    _bands(ax, settings)
    x = list(range(len(TIER_LABELS)))
    for style, series in zip(SERIES_STYLES, panel.series, strict=False):
        y = [math.nan if v is None else v for v in series.values]
        ax.plot(x, y, label=series.label, markersize=4, zorder=3, **style)
    ax.set_xlim(-0.4, len(TIER_LABELS) - 0.6)
    ax.set_ylim(0, 100)
    ax.set_xticks(x)
    ax.set_xticklabels(TIER_LABELS, fontsize=TICK_PT)
    ax.set_yticks([0, 50, 100])
    ax.tick_params(axis="y", labelsize=TICK_PT, length=2, pad=1)
    ax.tick_params(axis="x", length=0, pad=2)
    # At a readable size the six labels are wider than their slots: every other one
    # sits a line lower, so none runs into the next.
    for i, tick in enumerate(ax.xaxis.get_major_ticks()):
        tick.set_pad(2 + (TICK_PT + 1) * (i % 2))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(
        textwrap.fill(panel.title, TITLE_WRAP),
        fontsize=TITLE_PT,
        loc="left",
        pad=3,
        linespacing=1.0,
    )


def _key(ax, chart: ThreadChart, settings: AnalysisSettings) -> None:
    """The empty last slot of the grid explains the lines and the bands."""
    ax.set_axis_off()
    handles = []
    for style, series in zip(
        SERIES_STYLES, chart.panels[0].series if chart.panels else [], strict=False
    ):
        handles.append(Line2D([], [], markersize=4, label=series.label, **style))
    labels = [b.label for b in settings.rag_bands]
    bands = list(settings.rag_bands)
    for i, band in enumerate(bands):
        top = int(bands[i + 1].min) - 1 if i + 1 < len(bands) else 100
        handles.append(
            Patch(
                facecolor="#" + rag_fill(band.label, labels),
                alpha=0.8,
                label=f"{rag_title(band.label)} {int(band.min)} to {top}",
            )
        )
    ax.legend(
        handles=handles,
        loc="center left",
        fontsize=KEY_PT,
        frameon=False,
        title="Key",
        title_fontsize=KEY_TITLE_PT,
        alignment="left",
    )


def _png(fig: Figure) -> io.BytesIO:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI)
    out.seek(0)
    return out


def thread_figure(chart: ThreadChart, settings: AnalysisSettings, width_cm: float) -> Figure:
    """Every theme's thread in a grid of small panels, three across, with a key.

    `width_cm` is the width the picture is printed at, so the font sizes above are
    the printed sizes.
    """
    cols = COLUMNS
    slots = len(chart.panels) + 1  # one for the key
    rows = max(1, math.ceil(slots / cols))
    height_cm = rows * PANEL_HEIGHT_CM
    fig, axes = plt.subplots(rows, cols, figsize=(width_cm * CM, height_cm * CM), squeeze=False)
    # Fixed margins: matplotlib's automatic layout costs more than the drawing.
    fig.subplots_adjust(
        left=0.06,
        right=0.97,
        bottom=1.0 / height_cm,
        top=1 - 1.0 / height_cm,
        wspace=0.22,
        hspace=1.05,
    )
    flat = list(axes.flat)
    for ax, panel in zip(flat, chart.panels, strict=False):
        _panel(ax, panel, settings)
    _key(flat[len(chart.panels)], chart, settings)
    for ax in flat[len(chart.panels) + 1 :]:
        ax.set_visible(False)
    return fig


def small_multiples(
    chart: ThreadChart, settings: AnalysisSettings, width_cm: float = 16.5
) -> io.BytesIO:
    """The golden-thread chart as a PNG, drawn at its printed width `width_cm`."""
    fig = thread_figure(chart, settings, width_cm)
    png = _png(fig)
    plt.close(fig)
    return png
