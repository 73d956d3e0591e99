"""Localised or systemic: is a theme weak everywhere, or in a few named service areas?

Areas are compared on the *operational* tiers only (`scope_tiers`: people who use
services, front-line staff and managers by default; `scope_area_tiers` can name
other tiers for an area). The DSL, senior leaders and board speak for the whole
organisation, so a view they share is never read as "weaker in Central Services".

- **Localised**: an area against *all* the other areas on that theme, allowing for
  the area's general level: each respondent's theme score is taken relative to their
  own average over the themes they answered, so an area that is a little harsher on
  everything does not look weak on each theme.
- **An area weak on everything** is one finding about that area (`area_wide`): its
  respondents' average over all themes against everyone else's.
- **Systemic**: at least `systemic_share` of the assessed areas score below
  `weak_score`, and the theme's operational score is below `weak_score` clearly (its
  interval is below it), or it is at least `borderline_points` below `weak_score` and
  the same people rate it at least `systemic_own_level_points` below their other
  themes, clearly (`systemic_own_level`). Close calls, within `borderline_points` of
  the weak score or `borderline_share` of the share, are "worth exploring" rather than
  a finding.

An area is assessed on a theme when its operational respondents hold at least
`suppression_min` people and the people it has outside the operational tiers are
none or at least `suppression_min` (otherwise its operational score, set against its
shown total, would give the others' away).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sgaudit.analysis.codes import first_of_each, group_sums, labels, str_codes
from sgaudit.analysis.thread import COMPARISON_COLUMNS
from sgaudit.analysis.uncertainty import (
    MOMENTS,
    cell_moments,
    difference,
    moment_stats,
    one_sample,
    respondent_moments,
)
from sgaudit.questionnaire.settings import AnalysisSettings
from sgaudit.vocab import TIERS

SYSTEMIC = "systemic"
# the systemic question read a second way: the theme against the same people's other themes
SYSTEMIC_OWN_LEVEL = "systemic_beyond_own_level"
SYSTEMIC_KINDS: tuple[str, ...] = (SYSTEMIC, SYSTEMIC_OWN_LEVEL)  # both readings
LOCALISED = "localised"
AREA_WIDE = "area_wide"


def operational_mask(ti: pd.DataFrame, settings: AnalysisSettings) -> np.ndarray:
    """True for the rows whose tier counts for localised/systemic in their area."""
    tier, tiers = str_codes(ti["tier"])
    area, areas = str_codes(ti["service_area"])
    table = np.repeat(np.isin(tiers, list(settings.scope_tiers))[None, :], len(areas), axis=0)
    for name, own in settings.scope_area_tiers.items():
        table[areas == name] = np.isin(tiers, list(own))
    return table[area, tier]


def operational_respondents(ti: pd.DataFrame, settings: AnalysisSettings) -> pd.DataFrame:
    """Theme x interview rows of operational respondents with a score, plus centred scores.

    Adds m (the respondent's theme score), level (their average over the themes they
    answered), themes (how many) and centred: m - level, less the average of that for
    the respondent's tier on the theme (each tier is asked its own questions, so an
    area with more people who use services must not look different for that alone).
    """
    frame = ti[operational_mask(ti, settings) & (ti["weight"].to_numpy() > 0)]
    theme, themes = str_codes(frame["theme"])
    area, areas = str_codes(frame["service_area"])
    tier = str_codes(frame["tier"])[0]
    interview, interviews = pd.factorize(frame["interview_id"], sort=False)
    m = frame["weighted_sum"].to_numpy() / frame["weight"].to_numpy()
    # keys as an Index: an array key makes pandas look it up as a label first (and print it)
    level = pd.Series(m).groupby(pd.Index(interview), sort=False).transform("mean").to_numpy()
    relative = m - level
    cell = theme.astype(np.int64) * (len(TIERS) + 2) + tier + 1
    tier_mean = pd.Series(relative).groupby(pd.Index(cell), sort=False).transform("mean").to_numpy()
    return frame.assign(
        theme=labels(themes[:-1], theme).to_numpy(),
        service_area=labels(areas[:-1], area).to_numpy(),
        m=m,
        one=1.0,
        level=level,
        themes=np.bincount(interview, minlength=len(interviews))[interview],
        centred=relative - tier_mean,
    )


def _safe_areas(ti: pd.DataFrame, settings: AnalysisSettings) -> pd.DataFrame:
    """(theme, service_area) where the area's operational cell may be shown."""
    op = operational_mask(ti, settings)
    theme, themes = str_codes(ti["theme"])
    area, areas = str_codes(ti["service_area"])
    cell, first = pd.factorize(theme.astype(np.int64) * len(areas) + area + 1, sort=False)
    people = ti["people"].to_numpy()
    op_n = np.bincount(cell, np.where(op, people, 0), minlength=len(first))
    other = np.bincount(cell, np.where(op, 0, people), minlength=len(first))
    k = settings.suppression_min
    ok = (op_n >= k) & ((other == 0) | (other >= k))
    return pd.DataFrame(
        {
            "theme": labels(themes[:-1], first[ok] // len(areas)),
            "service_area": labels(areas[:-1], first[ok] % len(areas) - 1),
        }
    )


def _area_vs_rest(
    frame: pd.DataFrame, theme: np.ndarray, area: np.ndarray, y: str, w: str
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Moments of each area cell and of everyone else in its theme: (area, rest, cells).

    `theme` and `area` are integer codes per row (`theme` all 0 for one total over the
    themes). `cells` holds each area cell's theme * (areas + 1) + area + 1, cells in the
    order their first respondent appears.
    """
    n_a = int(area.max()) + 2 if len(area) else 1
    part, cells, _ = cell_moments(frame, theme.astype(np.int64) * n_a + area + 1, y, w)
    total, themes, _ = cell_moments(frame, theme.astype(np.int64), y, w)
    at = pd.Index(themes).get_indexer(cells // n_a)
    rest = pd.DataFrame(
        {c: total[c].to_numpy(dtype=float)[at] - part[c].to_numpy(dtype=float) for c in MOMENTS}
    )
    return part, rest, cells


def area_levels(ops: pd.DataFrame, ti: pd.DataFrame, settings: AnalysisSettings) -> pd.DataFrame:
    """Operational score and n of every assessed area per theme: theme, service_area, score, n."""
    m = respondent_moments(ops, ["theme", "service_area"], "weighted_sum", "weight")
    out = pd.concat([m[["theme", "service_area"]], moment_stats(m)], axis=1)
    out = out.merge(_safe_areas(ti, settings), on=["theme", "service_area"], how="inner")
    return out.rename(columns={"people": "n_people"})[
        ["theme", "service_area", "score", "n_people"]
    ]


def _pooled_prior(theme: np.ndarray, s: pd.DataFrame) -> np.ndarray:
    """Each cell's respondent variance pooled over the cells of its theme (code per cell)."""
    s2 = s["s2"].to_numpy(dtype=float)
    df = np.where(np.isfinite(s2), s["n"].to_numpy(dtype=float) - 1, 0.0)
    # per theme, spread back over its cells (a groupby transform's sums, `group_sums`)
    group, themes = pd.factorize(theme, sort=False)
    sums = group_sums(group, len(themes), {"num": np.nan_to_num(s2) * df, "den": df})
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums["num"][group] / sums["den"][group]


def localised_comparisons(
    ops: pd.DataFrame, ti: pd.DataFrame, settings: AnalysisSettings
) -> pd.DataFrame:
    """Each assessed area minus all other areas, per theme, allowing for the area's level:
    the candidates (`area_candidates`) whose plain scores are at least the threshold apart."""
    return localised_of(area_candidates(ops, ti, settings), settings)


def localised_of(candidates: pd.DataFrame, settings: AnalysisSettings) -> pd.DataFrame:
    """The candidates that are judged: the area at least `localised_gap_points` below the
    others in the plain scores too, so a finding never says "weaker" of an area that
    scores the same."""
    raw_gap = candidates["score_b"] - candidates["score_a"]
    return candidates[raw_gap >= settings.localised_gap_points].reset_index(drop=True)


def area_candidates(
    ops: pd.DataFrame, ti: pd.DataFrame, settings: AnalysisSettings
) -> pd.DataFrame:
    """Every area that may be shown, against all the others, per theme (allowing for the
    area's level); the judged ones are `localised_of` these, and the rest tell how far an
    area had to fall to show (`reach.area_reach`)."""
    frame = ops[ops["themes"] >= 2]
    if frame.empty:
        return pd.DataFrame(columns=list(COMPARISON_COLUMNS))
    theme, themes = str_codes(frame["theme"])
    area, areas = str_codes(frame["service_area"])
    n_a = int(area.max()) + 2
    part, rest, cells = _area_vs_rest(frame, theme, area, "centred", "one")
    raw_part, raw_rest, raw_cells = _area_vs_rest(frame, theme, area, "weighted_sum", "weight")
    sa, sr = moment_stats(part), moment_stats(rest)
    out = difference(sa, sr, prior=_pooled_prior(cells // n_a, sa))
    out["theme"] = themes[cells // n_a]
    out["area"] = areas[cells % n_a - 1]
    # The scores shown are the plain ones, not those relative to each area's level.
    raw = pd.Index(raw_cells).get_indexer(cells)
    found = raw >= 0
    out["score_a"] = np.where(found, moment_stats(raw_part)["score"].to_numpy()[raw], np.nan)
    out["score_b"] = np.where(found, moment_stats(raw_rest)["score"].to_numpy()[raw], np.nan)
    safe = _safe_areas(ti, settings)
    safe = set(zip(safe["theme"], safe["service_area"], strict=True))
    out = out[[(t, a) in safe for t, a in zip(out["theme"], out["area"], strict=True)]]
    out = out[out["n_b"] >= settings.suppression_min]
    return out.assign(
        kind=LOCALISED, tier="", base="", threshold=settings.localised_gap_points, sign=-1
    )[list(COMPARISON_COLUMNS)]


def area_wide_comparisons(
    ops: pd.DataFrame, ti: pd.DataFrame, settings: AnalysisSettings
) -> pd.DataFrame:
    """Each area's respondents' average over all themes minus everyone else's."""
    interview, interviews = pd.factorize(ops["interview_id"], sort=False)
    first = first_of_each(interview, len(interviews))
    per = ops.iloc[first][["people", "level"]].assign(one=1.0)
    area, areas = str_codes(ops["service_area"].iloc[first])
    if len(areas) - 1 < 2:
        return pd.DataFrame(columns=list(COMPARISON_COLUMNS))
    part, rest, cells = _area_vs_rest(per, np.zeros(len(per), np.int64), area, "level", "one")
    sa, sr = moment_stats(part), moment_stats(rest)
    prior = np.full(len(sa), np.nan)
    out = difference(sa, sr, prior=prior)
    out["area"] = areas[cells % (int(area.max()) + 2) - 1]
    safe = set(_safe_areas(ti, settings)["service_area"])
    out = out[[a in safe for a in out["area"]]]
    out = out[(out["n_a"] >= settings.suppression_min) & (out["n_b"] >= settings.suppression_min)]
    return out.assign(
        kind=AREA_WIDE,
        theme="",
        tier="",
        base="",
        threshold=settings.localised_gap_points,
        sign=-1,
    )[list(COMPARISON_COLUMNS)]


def systemic_comparisons(ops: pd.DataFrame, settings: AnalysisSettings) -> pd.DataFrame:
    """Each theme's operational score minus the weak score (negative: weak); and, where
    `systemic_own_level_points` is set, the same theme read against the people's own level
    (`systemic_own_level`), the second reading of the same question."""
    out = _each_theme(ops, "weighted_sum", "weight", settings.weak_score)
    plain = _systemic_rows(out[out["n_a"] >= settings.suppression_min], SYSTEMIC, 0.0)
    if settings.systemic_own_level_points <= 0 or plain.empty:
        return plain
    return pd.concat([plain, systemic_own_level(ops, plain, settings)], ignore_index=True)


def systemic_own_level(
    ops: pd.DataFrame, plain: pd.DataFrame, settings: AnalysisSettings
) -> pd.DataFrame:
    """Each theme against how the same people rate their other themes: `SYSTEMIC_OWN_LEVEL`.

    For each operational respondent who answered at least two themes, their score on the
    theme minus the average of their scores on the others; averaged over the theme's
    respondents. A generous or a harsh rater is so on every theme, so the person drops
    out of the difference (`own_level` does the same for the golden thread), and what is
    left is how much lower this theme sits than the rest in the same people's eyes. The
    scores shown are the plain reading's (the theme's operational score), so a finding
    still says how far below the weak score it is.
    """
    frame = ops[ops["themes"] >= 2]
    k = frame["themes"].to_numpy(dtype=float)
    m, level = frame["m"].to_numpy(dtype=float), frame["level"].to_numpy(dtype=float)
    out = _each_theme(frame.assign(own=m - (level * k - m) / (k - 1)), "own", "one", 0.0)
    out["score_a"] = out["theme"].map(dict(zip(plain["theme"], plain["score_a"], strict=True)))
    out = out[(out["n_a"] >= settings.suppression_min) & out["score_a"].notna()]
    return _systemic_rows(out, SYSTEMIC_OWN_LEVEL, settings.systemic_own_level_points)


def _each_theme(frame: pd.DataFrame, y: str, w: str, against: float) -> pd.DataFrame:
    """Each theme's score (y over w, its respondents') minus `against`, with its theme."""
    m = respondent_moments(frame, ["theme"], y, w)
    s = moment_stats(m)
    out = one_sample(s, against, prior=s["s2"].to_numpy())
    out["theme"] = m["theme"].to_numpy()
    return out


def _systemic_rows(out: pd.DataFrame, kind: str, threshold: float) -> pd.DataFrame:
    """A reading of the systemic question as comparison rows, with resp_a beside the
    comparisons' columns (the finding counts voices as the fieldwork guide does)."""
    return out.assign(kind=kind, tier="", base="", area="", threshold=threshold, sign=-1)[
        [*COMPARISON_COLUMNS, "resp_a"]
    ]
