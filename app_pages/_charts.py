"""Plotly figures for the pages. They draw what the analysis returns and nothing more.

A suppressed cell arrives with no score (the analysis never hands one out), is drawn
as an empty grey cell and labelled "suppressed", so no small group's number appears
on screen, in the hover text, or in a downloaded PNG.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from sgaudit import printed
from sgaudit.analysis import AuditAnalysis, ThemeResult
from sgaudit.vocab import TIER_SHORT_LABELS, TIERS, tier_label, tier_short_label

# One flat colour per RAG band (the set's own bands), weakest first. Every cell also
# carries its score and band as text, so the chart reads in greyscale and for
# colour-blind users.
BAND_COLOURS = {"red": "#e06666", "amber": "#f6c26b", "green": "#93c47d"}
FALLBACK_COLOURS = ["#e06666", "#f6c26b", "#93c47d", "#6fa8dc", "#8e7cc3"]
SUPPRESSED_TEXT = "suppressed"
# Short tier names for axes and columns: the vocabulary's, so every tier has one.
SHORT_TIER = TIER_SHORT_LABELS


def tiers_in(analysis: AuditAnalysis) -> list[str]:
    present = {c.tier for t in analysis.themes for c in t.by_tier}
    return [t for t in TIERS if t in present]


def theme_tier_heatmap(
    analysis: AuditAnalysis,
    themes: Sequence[tuple[str, str]] | None = None,
    asked: set[tuple[str, str]] | None = None,
) -> go.Figure:
    """Theme x tier scores; suppressed cells are None and annotated 'suppressed'.

    `themes` (id, title) and `asked` (theme, tier pairs the question set asks) make the
    grid show the whole thread from the start: cells nobody has answered yet read
    "no answers yet", cells the set never asks read "not asked".
    """
    results = {t.theme: t for t in analysis.themes}
    rows = list(themes) if themes is not None else [(t.theme, t.title) for t in analysis.themes]
    tiers = list(TIERS) if asked is not None else tiers_in(analysis)
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    annotations = []
    for row, (theme_id, _title) in enumerate(rows):
        result = results.get(theme_id)
        cells = {c.tier: c for c in result.by_tier} if result is not None else {}
        z_row, text_row = [], []
        for col, tier in enumerate(tiers):
            cell = cells.get(tier)
            if cell is None:
                z_row.append(None)
                text_row.append("")
                not_asked = asked is not None and (theme_id, tier) not in asked
                annotations.append(
                    _note(
                        col,
                        row,
                        "not asked" if not_asked or asked is None else "no answers yet",
                        "#9e9e9e",
                    )
                )
            elif cell.suppressed or cell.score is None:
                z_row.append(None)
                text_row.append("")
                label = SUPPRESSED_TEXT if cell.suppressed else "no scored answers"
                annotations.append(_note(col, row, label, "#616161"))
            else:
                z_row.append(round(cell.score, 1))
                text_row.append(f"{printed.score(cell.score)} {cell.rag or ''}".strip())
        z.append(z_row)
        text.append(text_row)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[tier_short_label(t) for t in tiers],
            y=[title for _id, title in rows],
            text=text,
            texttemplate="%{text}",
            hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
            colorscale=band_colourscale(analysis.settings),
            zmin=0,
            zmax=100,
            xgap=3,
            ygap=3,
            showscale=False,
            hoverongaps=False,
        )
    )
    fig.update_layout(
        annotations=annotations,
        height=120 + 38 * len(rows),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        plot_bgcolor="#eeeeee",
        xaxis={"side": "top", "showgrid": False},
        yaxis={"autorange": "reversed", "showgrid": False},
    )
    return fig


def band_colourscale(settings) -> list[list]:
    """A stepped plotly colour scale: each RAG band of the settings one flat colour."""
    bands = list(settings.rag_bands)
    scale = []
    for i, band in enumerate(bands):
        colour = BAND_COLOURS.get(band.label, FALLBACK_COLOURS[i % len(FALLBACK_COLOURS)])
        top = bands[i + 1].min if i + 1 < len(bands) else 100.0
        scale += [[band.min / 100.0, colour], [top / 100.0, colour]]
    return scale


def _note(x: int, y: int, text: str, colour: str) -> dict:
    return {
        "x": x,
        "y": y,
        "xref": "x",
        "yref": "y",
        "text": text,
        "showarrow": False,
        "font": {"size": 11, "color": colour},
    }


def golden_thread_chart(theme: ThemeResult, settings, by_area: bool = False) -> go.Figure:
    """A theme's score from service users up to the board; gaps where suppressed.

    The RAG bands of `settings` shade the background, so a fall from green at the top
    to amber or red on the front line reads at a glance.
    """
    fig = go.Figure()
    bands = list(settings.rag_bands)
    for i, band in enumerate(bands):
        top = bands[i + 1].min if i + 1 < len(bands) else 100.0
        colour = BAND_COLOURS.get(band.label, FALLBACK_COLOURS[i % len(FALLBACK_COLOURS)])
        fig.add_hrect(
            y0=band.min, y1=top, fillcolor=colour, opacity=0.15, line_width=0, layer="below"
        )
    present = [t for t in TIERS if any(c.tier == t for c in theme.by_tier)]
    x = [tier_short_label(t) for t in present]
    if by_area:
        areas = list(dict.fromkeys(c.service_area for c in theme.by_tier_area))
        for area in areas:
            cells = {c.tier: c for c in theme.by_tier_area if c.service_area == area}
            fig.add_trace(_line(x, present, cells, str(area)))
    else:
        cells = {c.tier: c for c in theme.by_tier}
        fig.add_trace(_line(x, present, cells, theme.title))
        for i, tier in enumerate(present):
            if cells[tier].suppressed:
                fig.add_annotation(
                    x=x[i],
                    y=5,
                    text=SUPPRESSED_TEXT,
                    showarrow=False,
                    font={"color": "#616161", "size": 11},
                )
    if theme.score is not None:
        fig.add_hline(
            y=theme.score,
            line_dash="dot",
            line_color="#757575",
            annotation_text=f"whole organisation {printed.score(theme.score)}",
            annotation_position="bottom right",
        )
    fig.update_layout(
        height=380,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        yaxis={"range": [0, 100], "title": "score (0-100)"},
        xaxis={"title": "ground → board", "categoryorder": "array", "categoryarray": x},
        legend={"orientation": "h", "y": -0.25},
        showlegend=by_area,
    )
    return fig


def _line(x: Sequence[str], tiers: Sequence[str], cells: dict, name: str) -> go.Scatter:
    y = [
        None if (c := cells.get(t)) is None or c.suppressed or c.score is None else c.score
        for t in tiers
    ]
    labels = [
        ""
        if (c := cells.get(t)) is None
        else SUPPRESSED_TEXT
        if c.suppressed
        else f"{printed.score(c.score)}"
        if c.score is not None
        else ""
        for t in tiers
    ]
    return go.Scatter(
        x=list(x),
        y=y,
        name=name,
        mode="lines+markers+text",
        text=labels,
        textposition="top center",
        connectgaps=False,
        hovertemplate="%{x}: %{text}<extra>" + name + "</extra>",
    )


def change_chart(rows: list[dict]) -> go.Figure:
    """Horizontal bars of score change per theme (rows: theme title, change, direction)."""
    colours = {
        "improved": "#1b7837",
        "worsened": "#c0392b",
        "unchanged": "#9e9e9e",
        "unsure": "#c8c8c8",
    }
    fig = go.Figure(
        go.Bar(
            x=[r["change"] for r in rows],
            y=[r["theme"] for r in rows],
            orientation="h",
            marker_color=[colours.get(r["direction"], "#9e9e9e") for r in rows],
            text=[f"{r['change']:+.0f}" for r in rows],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:+.1f} points<extra></extra>",
        )
    )
    fig.update_layout(
        height=120 + 34 * len(rows),
        margin={"l": 10, "r": 50, "t": 30, "b": 10},
        xaxis={"title": "change in score (points); green improved, red worsened", "zeroline": True},
        yaxis={"autorange": "reversed"},
    )
    return fig


def drawable_by_area(theme: ThemeResult) -> bool:
    """Whether the split-by-area chart has any point to draw: a tier x area group shown,
    with a score."""
    return any(not c.suppressed and c.score is not None for c in theme.by_tier_area)


def hidden_by_area(theme: ThemeResult, minimum: int) -> str:
    """What the split-by-area chart leaves out, in words ("" when it hides nothing):
    a hidden tier x area cell has no point to draw, so without this the chart simply
    looks empty there."""
    hidden: dict[str, list[str]] = {}
    heard: dict[str, int] = {}
    for c in theme.by_tier_area:
        heard[c.tier] = heard.get(c.tier, 0) + 1
        if c.suppressed:
            hidden.setdefault(c.tier, []).append(str(c.service_area))
    if not hidden:
        return ""
    parts = []
    for tier in [t for t in TIERS if t in hidden]:
        where = hidden[tier]
        every = len(where) > 1 and len(where) == heard[tier]
        parts.append(f"{tier_name(tier)} ({'every area' if every else ', '.join(where)})")
    return (
        f"Not drawn, to protect small groups: {'; '.join(parts)}. A group of fewer than "
        f"{minimum} people is hidden, and so is a group beside it wherever a total shown "
        "elsewhere (the area's, or the tier's) would give the small one away. The "
        "organisation-wide line (switch the split off) still shows every tier."
    )


def tier_name(tier: str) -> str:
    return tier_label(tier)


def theme_tier_table(
    analysis: AuditAnalysis,
    themes: Sequence[tuple[str, str]],
    asked: set[tuple[str, str]],
) -> list[dict[str, str]]:
    """The heat map as text, one row per theme and one column per tier: its text
    alternative, with the same words in the same cells (no number for a hidden cell)."""
    results = {t.theme: t for t in analysis.themes}
    rows = []
    for theme_id, title in themes:
        result = results.get(theme_id)
        cells = {c.tier: c for c in result.by_tier} if result is not None else {}
        row = {"theme": title}
        for tier in TIERS:
            cell = cells.get(tier)
            if cell is None:
                text = "not asked" if (theme_id, tier) not in asked else "no answers yet"
            elif cell.suppressed or cell.score is None:
                text = SUPPRESSED_TEXT if cell.suppressed else "no scored answers"
            else:
                text = f"{printed.score(cell.score)} {cell.rag or ''}".strip()
            row[tier_short_label(tier)] = text
        rows.append(row)
    return rows
