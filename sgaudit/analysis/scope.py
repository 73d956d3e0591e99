"""Localised or systemic: is a weak theme weak everywhere, or in a few named areas?

Only unsuppressed service-area scores count ("assessed" areas). Per theme:

- **systemic** when at least 2 areas are assessed and the share of them scoring below
  `weak_score` is at least `systemic_share`;
- otherwise **localised** when some weak areas score at least `localised_gap_points`
  below the average of the areas that are not weak, and those named areas are at
  most half of the assessed areas (so with two areas, one can be localised);
- otherwise neither. A uniformly strong audit has no weak area, so it gets neither.

With only one assessed area there is nothing to compare, so scope is not classified;
a weak theme still shows in its score and RAG.
"""

from __future__ import annotations

import pandas as pd

from sgaudit.questionnaire.models import AnalysisSettings

SYSTEMIC = "systemic"
LOCALISED = "localised"

SCOPE_COLUMNS: tuple[str, ...] = (
    "theme",
    "scope",
    "areas_assessed",
    "weak_areas",
    "weak_share",
    "localised_areas",
    "localised_scores",
    "localised_mean",
    "others_mean",
    "gap",
)


def classify_scope(by_area: pd.DataFrame, settings: AnalysisSettings) -> pd.DataFrame:
    """One row per theme with at least one assessed area (from `theme_scores_by_area`).

    Columns: theme, scope ('systemic' | 'localised' | None), areas_assessed, weak_areas
    (list, weakest first), weak_share, localised_areas (named areas, weakest first),
    localised_scores, localised_mean, others_mean (average of the areas that are not
    weak), gap (others_mean - localised_mean).
    """
    frame = by_area[~by_area["suppressed"] & by_area["score"].notna()].copy()
    frame["theme"] = frame["theme"].astype(str)
    frame["service_area"] = frame["service_area"].astype(str)
    frame = frame.sort_values(["score", "service_area"], kind="stable")
    rows = []
    for theme, areas in frame.groupby("theme", sort=False):
        rows.append(_classify_one(theme, areas, settings))
    order = {t: i for i, t in enumerate(dict.fromkeys(by_area["theme"].astype(str)))}
    rows.sort(key=lambda r: order.get(r["theme"], len(order)))
    return pd.DataFrame(rows, columns=list(SCOPE_COLUMNS))


def _classify_one(theme: str, areas: pd.DataFrame, settings: AnalysisSettings) -> dict:
    assessed = len(areas)
    weak = areas[areas["score"] < settings.weak_score]
    strong = areas[areas["score"] >= settings.weak_score]
    share = len(weak) / assessed
    row = {
        "theme": theme,
        "scope": None,
        "areas_assessed": assessed,
        "weak_areas": weak["service_area"].tolist(),
        "weak_share": share,
        "localised_areas": [],
        "localised_scores": [],
        "localised_mean": None,
        "others_mean": None,
        "gap": None,
    }
    if assessed < 2:
        return row
    if share >= settings.systemic_share:
        row["scope"] = SYSTEMIC
        return row
    if strong.empty or weak.empty:
        return row
    others_mean = float(strong["score"].mean())
    named = weak[weak["score"] <= others_mean - settings.localised_gap_points + 1e-9]
    if 1 <= len(named) <= assessed / 2:
        named_mean = float(named["score"].mean())
        row.update(
            scope=LOCALISED,
            localised_areas=named["service_area"].tolist(),
            localised_scores=[float(s) for s in named["score"]],
            localised_mean=named_mean,
            others_mean=others_mean,
            gap=others_mean - named_mean,
        )
    return row
