"""How alike two auditors score the same interviews: agreement, kappa, alpha, moderation.

Pure: takes the double-scored pairs and the question set's frames, returns frames.

    scored_pairs(pairs, questions, scale_points) -> one row per item with positions
    agreement_by_theme(scored) -> per theme and overall: agreement, kappa, alpha
    moderation_candidates(scored, min_points=2) -> items two or more scale points apart

An item is one question of one double-scored interview. Each auditor's answer is
placed on its scale as a position (0 = weakest point), so "two scale points apart"
means two steps on that question's own scale. "Don't know", "not applicable", text
answers and a missing answer carry no position: the pair is incomplete.

The statistics come from well-kept packages rather than by hand:
- percentage agreement: share of complete pairs with the same answer;
- weighted Cohen's kappa (scikit-learn, quadratic weights) on complete pairs. Themes
  mix scales of different lengths, so every position is put on one common grid
  (0..G, G the least common multiple of the scales' steps) and the full grid is passed
  as the labels: the quadratic weight of two answers is then the squared difference of
  their places on the 0-100 scale, the same on every scale, and a scale point neither
  auditor used still counts as part of the scale;
- Krippendorff's alpha (the `krippendorff` package, ordinal) on every item, pairs with a
  missing rating included, and for any number of raters.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

PAIR_COLUMNS: tuple[str, ...] = ("interview_id", "question_id", "first", "second")
OVERALL = "overall"
# Krippendorff's own reading of alpha (Content Analysis, 2004): 0.800 and above, data
# to rely on; from 0.667, for tentative conclusions only; below, not to be relied on.
RELIABLE_ALPHA = 0.8
TENTATIVE_ALPHA = 0.667

READING_NOTE = (
    "Reading of alpha: 0.80 or more, the two auditors score the theme alike (strong); "
    "0.67 to 0.80, alike enough for tentative conclusions; below 0.67, compare notes on "
    "the theme's questions before relying on its scores. A theme of few items gives a "
    "rough figure."
)


def alpha_reading(alpha: float | None) -> str:
    """What an alpha says of the two auditors on a theme, in words: strong (0.80 or more),
    tentative (0.67 up to 0.80), low (below: talk the theme's questions through before
    relying on its scores), or not measurable."""
    if alpha is None or not math.isfinite(alpha):
        return "not measurable"
    if alpha >= RELIABLE_ALPHA:
        return "strong"
    return "tentative" if alpha >= TENTATIVE_ALPHA else "low: compare notes"


def scored_pairs(
    pairs: pd.DataFrame, questions: pd.DataFrame, scale_points: pd.DataFrame
) -> pd.DataFrame:
    """Each item with its theme, scale, both positions, steps of its scale and grid places.

    Columns added: theme, scale, steps (k-1), first_pos, second_pos (float, NaN when no
    position), complete, agree, difference (in scale points), first_grid, second_grid.
    """
    scored = scale_points[scale_points["kind"] == "scored"]
    steps = scored.groupby("scale")["answer"].count().sub(1).rename("steps")
    pos = scored.merge(steps, left_on="scale", right_index=True)
    pos = pos.assign(pos=(pos["score"] / 100 * pos["steps"]).round())[["scale", "answer", "pos"]]
    out = pairs[list(PAIR_COLUMNS)].merge(
        questions[["question_id", "theme", "scale"]], on="question_id", how="left"
    )
    out = out.merge(steps, left_on="scale", right_index=True, how="left")
    for who in ("first", "second"):
        out = out.merge(
            pos.rename(columns={"answer": who, "pos": f"{who}_pos"}), on=["scale", who], how="left"
        )
    out["complete"] = out["first_pos"].notna() & out["second_pos"].notna()
    out["agree"] = out["complete"] & (out["first"] == out["second"])
    out["difference"] = (out["first_pos"] - out["second_pos"]).abs()
    grid = common_grid(out["steps"])
    factor = grid / out["steps"]
    out["first_grid"] = (out["first_pos"] * factor).round()
    out["second_grid"] = (out["second_pos"] * factor).round()
    out.attrs["grid"] = grid
    return out


def common_grid(steps: pd.Series) -> int:
    """The least common multiple of the scales' steps (1 when there are none)."""
    values = [int(s) for s in pd.unique(steps.dropna()) if s > 0]
    return math.lcm(*values) if values else 1


def _label_index(values: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Each value's position in `labels` (-1 for a value not among them)."""
    order = np.argsort(labels, kind="stable")
    ordered = labels[order]
    pos = np.clip(np.searchsorted(ordered, values), 0, len(labels) - 1)
    return np.where(ordered[pos] == values, order[pos], -1)


def weighted_kappa(first: np.ndarray, second: np.ndarray, labels: list[int]) -> float | None:
    """Cohen's kappa with quadratic weights; None when it is undefined (no pairs, or no
    variation at all so that chance agreement is complete).

    Worked out as scikit-learn's `cohen_kappa_score(first, second, labels=labels,
    weights="quadratic")` does it, step for step (the same number to the last bit; a
    test holds them together), without importing scikit-learn, which takes seconds.
    Pairs with a value outside `labels` are left out, as there.
    """
    first, second = np.asarray(first), np.asarray(second)
    if len(first) == 0 or not labels:
        return None
    codes = np.asarray(labels)
    a, b = _label_index(first, codes), _label_index(second, codes)
    keep = (a >= 0) & (b >= 0)
    if not (a >= 0).any():
        return None  # no label of `labels` among the first scores: undefined
    n = len(codes)
    confusion = np.zeros((n, n), dtype=np.int64)
    np.add.at(confusion, (a[keep], b[keep]), 1)
    confusion = confusion.astype(np.float64)
    sum0, sum1 = confusion.sum(axis=0), confusion.sum(axis=1)
    total = sum0.sum()
    if total == 0:
        return None
    expected = np.outer(sum0, sum1) / total
    w = np.zeros((n, n), dtype=np.float64) + np.arange(n)
    w = (w - w.T) ** 2
    denominator = np.sum(w * expected)
    if denominator == 0:
        return None
    value = 1 - np.sum(w * confusion) / denominator
    return float(value) if np.isfinite(value) else None


def ordinal_alpha(reliability: np.ndarray, value_domain: list[int]) -> float | None:
    """Krippendorff's alpha, ordinal; `reliability` is raters x items with NaN for missing.
    None when fewer than two values are pairable or all values are the same."""
    import krippendorff

    pairable = (np.isfinite(reliability).sum(axis=0) >= 2).sum()
    if pairable == 0 or len(np.unique(reliability[np.isfinite(reliability)])) < 2:
        return None
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        value = krippendorff.alpha(
            reliability_data=reliability,
            level_of_measurement="ordinal",
            value_domain=value_domain,
        )
    return float(value) if np.isfinite(value) else None


def _theme_row(group: pd.DataFrame, labels: list[int]) -> dict:
    complete = group[group["complete"]]
    reliability = group[["first_grid", "second_grid"]].to_numpy(dtype=float).T
    return {
        "items": len(group),
        "complete_pairs": len(complete),
        "percent_agreement": (round(100 * complete["agree"].mean(), 1) if len(complete) else None),
        "kappa": weighted_kappa(
            complete["first_grid"].astype(int).to_numpy(),
            complete["second_grid"].astype(int).to_numpy(),
            labels,
        ),
        "alpha": ordinal_alpha(reliability, labels),
        "two_or_more_apart": int((group["difference"] >= 2).sum()),
    }


def agreement_by_theme(scored: pd.DataFrame, theme_order: list[str] | None = None) -> pd.DataFrame:
    """Per theme (in `theme_order`) and overall (last row, theme 'overall').

    Columns: theme, items, complete_pairs, percent_agreement, kappa, alpha,
    two_or_more_apart. A statistic that cannot be computed is None.
    """
    columns = [
        "theme",
        "items",
        "complete_pairs",
        "percent_agreement",
        "kappa",
        "alpha",
        "two_or_more_apart",
    ]
    if scored.empty:
        return pd.DataFrame(columns=columns)
    labels = list(range(int(scored.attrs.get("grid", common_grid(scored["steps"]))) + 1))
    themes = [
        t
        for t in (theme_order or sorted(scored["theme"].dropna().unique()))
        if t in set(scored["theme"])
    ]
    rows = [{"theme": t, **_theme_row(scored[scored["theme"] == t], labels)} for t in themes]
    rows.append({"theme": OVERALL, **_theme_row(scored, labels)})
    return pd.DataFrame(rows, columns=columns)


def moderation_candidates(scored: pd.DataFrame, min_points: int = 2) -> pd.DataFrame:
    """Items where the two auditors are `min_points` or more points apart on the scale."""
    return scored[scored["difference"] >= min_points].reset_index(drop=True)
