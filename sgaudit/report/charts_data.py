"""What each chart shows and its alt text, decided before anything is drawn.

The values come from the report's score cells, so a suppressed or unasked tier is
`None`: it is not drawn, and its alt text says "suppressed" with no number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sgaudit import printed
from sgaudit.analysis.compare import Comparison
from sgaudit.report.context import ChartSeries, ThreadChart, ThreadPanel, ThreadRow
from sgaudit.report.words import TIER_SHORT
from sgaudit.vocab import TIERS, mid_sentence

THIS_AUDIT = "This audit"
LAST_AUDIT = "Last audit"


def previous_tier_scores(comparison: Comparison | None) -> dict[str, dict[str, int | None]]:
    """Theme -> tier -> the previous audit's score (None where it was suppressed)."""
    out: dict[str, dict[str, int | None]] = {}
    if comparison is None:
        return out
    for c in comparison.theme_changes:
        if c.tier is not None and c.service_area is None:
            out.setdefault(c.theme, {})[c.tier] = printed.score(c.old_score)
    return out


def _gaps(row: ThreadRow) -> list[str]:
    words = {
        "suppressed": "suppressed",
        "not_heard": "not heard",
        "not_asked": "not asked",
        "no_score": "no score",
    }
    return [words.get(row.tier[t].status, "") for t in TIERS]


def _values(row: ThreadRow) -> list[float | None]:
    return [float(row.tier[t].score) if row.tier[t].status == "scored" else None for t in TIERS]


def _shape(row: ThreadRow) -> str:
    scored = [(t, row.tier[t].number) for t in TIERS if row.tier[t].status == "scored"]
    if not scored:
        return f"{row.theme}: no tier can be shown"
    if len(scored) == 1:
        return f"{row.theme}: {mid_sentence(TIER_SHORT[scored[0][0]])} {scored[0][1]} only"
    low = min(scored, key=lambda ts: float(ts[1]))
    high = max(scored, key=lambda ts: float(ts[1]))
    return (
        f"{row.theme}: from {low[1]} ({mid_sentence(TIER_SHORT[low[0]])}) to "
        f"{high[1]} ({mid_sentence(TIER_SHORT[high[0]])})"
    )


def overview_chart(
    rows: Sequence[ThreadRow], previous: Mapping[str, Mapping[str, int | None]] | None = None
) -> ThreadChart | None:
    """Every theme's thread as small multiples (None when nothing can be drawn).

    With `previous` (theme -> tier -> last audit's score on the same questions), each
    panel also has the last audit's thread.
    """
    previous = previous or {}
    panels, drawn = [], []
    for r in rows:
        values = _values(r)
        if all(v is None for v in values):
            continue
        series = [ChartSeries(label=THIS_AUDIT, values=values)]
        before = previous.get(r.theme_id, {})
        last = [float(before[t]) if before.get(t) is not None else None for t in TIERS]
        if any(v is not None for v in last):
            series.append(ChartSeries(label=LAST_AUDIT, values=last))
        panels.append(ThreadPanel(title=r.theme, series=series, gaps=_gaps(r)))
        drawn.append(r)
    if not panels:
        return None
    compared = any(len(p.series) > 1 for p in panels)
    alt = (
        "Small line charts, one per theme, of the score (0 to 100) at each tier from people "
        "using services (left) up to the board (right)"
        + ("; a solid line for this audit and a dashed line for the last one" if compared else "")
        + ". The same scores are in the table above; suppressed groups are left out. Lowest "
        "and highest tier per theme in this audit: " + "; ".join(_shape(r) for r in drawn) + "."
    )
    return ThreadChart(
        id="thread",
        title="The golden thread: each theme's score at each tier, from people using services "
        "(Users) through front line, managers (Mgr), DSL team and senior leaders (Snr) to the "
        "board" + ("; this audit and the last" if compared else ""),
        alt_text=alt,
        categories=[TIER_SHORT[t] for t in TIERS],
        panels=panels,
    )
