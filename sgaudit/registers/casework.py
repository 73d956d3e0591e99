"""The concerns log and the complaints and whistleblowing log, as of an audit date.

Concerns raised after the audit date, and complaints received after it, are left out.
Days are calendar days between dates (raised on Monday, triaged on Tuesday = 1 day).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from sgaudit.registers.count_disclosure import protect_line
from sgaudit.registers.mapping import RegisterSettings
from sgaudit.registers.models import (
    AreaConcerns,
    BandCount,
    ComplaintsByType,
    ComplaintsIndicators,
    ConcernsIndicators,
    QuarterCount,
    StageCount,
    ThemeCount,
)
from sgaudit.registers.rates import Rate, rate_at, rates_by_checks
from sgaudit.registers.schema import COMPLAINT_TYPES


def _published(counts: pd.Series, m: int, floors: pd.Series | None = None) -> list:
    """(label, count as published) of one line of counts; no rows for a line that cannot
    be made safe (see `count_disclosure`)."""
    shown = protect_line(counts.tolist(), m, None if floors is None else floors.tolist())
    return [] if shown is None else list(zip(counts.index, shown, strict=True))


ALL_CATEGORIES = "all categories"


def _quarter_counts(c: pd.DataFrame, m: int) -> tuple[QuarterCount, ...]:
    """Concerns by quarter and category; when that line cannot be shown safely (every
    cell small, as in a small organisation's log), concerns by quarter alone, categories
    pooled. Only one of the two lines is ever published, so they cannot be differenced."""
    quarter = c["date_raised"].dt.to_period("Q").astype(str).str.replace("Q", "-Q", regex=False)
    by_category = c.assign(quarter=quarter).groupby(["quarter", "category_key"]).size()
    shown = _published(by_category, m)
    if shown or by_category.empty:
        return tuple(QuarterCount(quarter=q, category=cat, count=n) for (q, cat), n in shown)
    by_quarter = c.assign(quarter=quarter).groupby("quarter").size()
    return tuple(
        QuarterCount(quarter=q, category=ALL_CATEGORIES, count=n)
        for q, n in _published(by_quarter, m)
    )


def _stat(days: np.ndarray, q: float) -> float | None:
    """The q-quantile of the days given (NaN: none), as pandas' `Series.quantile` gives it
    (numpy's linear percentile at q x 100), to one decimal; None when there are none."""
    days = days[~np.isnan(days)]
    return None if not len(days) else round(float(np.percentile(days, q * 100.0)), 1)


def _days(later: np.ndarray, earlier: np.ndarray) -> np.ndarray:
    """Whole calendar days from `earlier` to `later` (`.dt.days`), NaN where either is blank."""
    return np.floor((later - earlier) / np.timedelta64(1, "D"))


def _dates(column: pd.Series) -> np.ndarray:
    return column.to_numpy().astype("datetime64[ns]")


def concern_checks(concerns: pd.DataFrame, audit_date, settings: RegisterSettings) -> pd.DataFrame:
    """Concerns raised by the audit date, with days to triage / referral and open-case facts.

    Worked out on numpy arrays (a log of a few hundred concerns: pandas' own steps would
    cost more than the arithmetic). Days are whole calendar days, NaN where not known.
    """
    audit = pd.Timestamp(audit_date).normalize()
    c = concerns[concerns["date_raised"] <= audit]
    day = audit.to_datetime64()
    raised, triage = _dates(c["date_raised"]), _dates(c["triage_date"])
    referral, closed_on = _dates(c["referral_date"]), _dates(c["date_closed"])
    triaged = ~np.isnat(triage) & (triage <= day)
    days_to_triage = np.where(triaged, _days(triage, raised), np.nan)
    age = _days(np.full(len(raised), day, dtype="datetime64[ns]"), raised).astype("int64")
    referred = c["referral_made"].eq(True).to_numpy(dtype=bool, na_value=False)
    dated = referred & ~np.isnat(referral) & (referral <= day)
    days_to_referral = np.where(dated, _days(referral, raised), np.nan)
    closed = ~np.isnat(closed_on) & (closed_on <= day)
    open_days = _days(np.where(closed, closed_on, day), raised)
    return c.assign(
        days_to_triage=days_to_triage,
        # eligible: triaged, or untriaged and already past the target
        triage_eligible=triaged | (age > settings.triage_target_days),
        triage_on_time=triaged & (days_to_triage <= settings.triage_target_days),
        days_to_referral=days_to_referral,
        referral_eligible=dated,
        referral_on_time=dated & (days_to_referral <= settings.referral_target_days),
        is_open=~closed,
        age_days=age,
        old_enough=age > settings.long_open_days,
        closed_in_time=closed & (open_days <= settings.long_open_days),
        category_key=c["category"].str.strip().str.lower(),
    )


def _age_bands(bands: tuple[int, ...]) -> tuple[list[float], list[str]]:
    edges = [-1, *bands, np.inf]
    labels = [f"0-{bands[0]} days"]
    labels += [f"{lo + 1}-{hi} days" for lo, hi in zip(bands, bands[1:], strict=False)]
    labels.append(f"over {bands[-1]} days")
    return edges, labels


def concerns_indicators(
    concerns: pd.DataFrame, audit_date, settings: RegisterSettings
) -> ConcernsIndicators:
    m = settings.suppression_min
    c = concern_checks(concerns, audit_date, settings)
    edges, labels = _age_bands(settings.open_age_bands)
    # an age goes in the band (edges[i], edges[i + 1]], as pd.cut(right=True) puts it
    open_ages = c["age_days"].to_numpy()[c["is_open"].to_numpy()]
    band = np.searchsorted(np.asarray(edges, dtype=float), open_ages, side="left") - 1
    band_counts = np.bincount(band, minlength=len(labels))
    areas = rates_by_checks(
        c, ["service_area"], {"triage": ("triage_on_time", "triage_eligible")}, m
    )  # areas with a concern, in area order; a concern with no area is in no area's row
    area_names = [str(a) for a in areas["service_area"]]
    area_shown = dict(
        zip(
            area_names,
            protect_line(areas["people"].tolist(), m, areas["triage_n"].tolist()) or (),
            strict=False,
        )
    )
    triaged_days, referral_days = c["days_to_triage"].to_numpy(), c["days_to_referral"].to_numpy()
    return ConcernsIndicators(
        concerns=len(c),
        open=int(c["is_open"].sum()),
        triage_days_median=_stat(triaged_days, 0.5),
        triage_days_p90=_stat(triaged_days, 0.9),
        triaged_within_target=Rate.of_mask(c["triage_on_time"], c["triage_eligible"], m),
        referrals=int(c["referral_made"].eq(True).to_numpy(dtype=bool, na_value=False).sum()),
        referral_days_median=_stat(referral_days, 0.5),
        referral_days_p90=_stat(referral_days, 0.9),
        referred_within_target=Rate.of_mask(c["referral_on_time"], c["referral_eligible"], m),
        not_long_open=Rate.of_mask(c["closed_in_time"], c["old_enough"], m),
        open_by_age=tuple(
            # not suppressed: a count of open concerns by age says nothing about who
            BandCount(band=label, count=int(n))
            for label, n in zip(labels, band_counts, strict=True)
        ),
        by_quarter=_quarter_counts(c, m),
        by_service_area=tuple(
            AreaConcerns(
                service_area=area,
                concerns=area_shown[area],
                triaged_within_target=rate_at(areas, i, "triage"),
            )
            for i, area in enumerate(area_names)
            # areas whose counts cannot be shown safely are left out, rates and all
            if area in area_shown
        ),
    )


def _flag(column: pd.Series) -> np.ndarray:
    """True where the cell is True (a blank is not)."""
    return column.eq(True).to_numpy(dtype=bool, na_value=False)


def complaints_indicators(
    complaints: pd.DataFrame, audit_date, settings: RegisterSettings
) -> ComplaintsIndicators:
    m = settings.suppression_min
    audit = pd.Timestamp(audit_date).normalize()
    c = complaints[complaints["date_received"] <= audit]
    c = c.assign(
        _known_time=c["time_limits_met"].notna().to_numpy(),
        _time_met=_flag(c["time_limits_met"]),
        _known_feedback=c["feedback_given"].notna().to_numpy(),
        _feedback=_flag(c["feedback_given"]),
        _themed=c["theme"].notna().to_numpy(),
        _all=True,
    )
    checks = {
        "time_limits_met": ("_time_met", "_known_time"),
        "feedback_given": ("_feedback", "_known_feedback"),
        "themes_recorded": ("_themed", "_all"),
    }
    per_type = rates_by_checks(c, ["type"], checks, m)
    where = {str(t): i for i, t in enumerate(per_type["type"])}
    # stages per type and recurring themes, counted in plain Python (a few hundred rows):
    # types and stages in sorted order, blank keys left out, as pandas' grouping gives them
    stage_keys = _keys(c["stage_reached"])
    stages: dict[str, Counter] = {}
    for t, stage in zip(c["type"].tolist(), stage_keys, strict=True):
        if isinstance(t, str) and stage is not None:
            stages.setdefault(t, Counter())[stage] += 1
    themes = Counter(t for t in _keys(c["theme"]) if t is not None)
    return ComplaintsIndicators(
        received=len(c),
        time_limits_met=Rate.of_mask(c["_time_met"], c["_known_time"], m),
        feedback_given=Rate.of_mask(c["_feedback"], c["_known_feedback"], m),
        themes_recorded=Rate.of_mask(c["_themed"], None, m),
        by_type=tuple(
            ComplaintsByType(
                type=t,
                received=int(per_type["people"].to_numpy()[where[t]]),
                **{k: rate_at(per_type, where[t], k) for k in checks},
            )
            for t in COMPLAINT_TYPES
            if t in where
        ),
        stages=tuple(
            StageCount(type=t, stage_reached=s, count=n)
            for t in sorted(stages)
            for s, n in _published_counts(stages[t], m)
        ),
        recurring_themes=tuple(
            ThemeCount(theme=theme, count=n)
            # most first, then by theme (pandas' stable sort after sorting by theme)
            for theme, n in sorted(themes.items(), key=lambda kv: (-kv[1], kv[0]))
            if n >= m
        ),
    )


def _keys(column: pd.Series) -> list[str | None]:
    """A text column as keys to count by: trimmed, lower case, None where blank."""
    return [v.strip().lower() if isinstance(v, str) else None for v in column.tolist()]


def _published_counts(counts: Counter, m: int) -> list:
    """(label, count as published) of one line of counts in label order (see `_published`)."""
    labels = sorted(counts)
    shown = protect_line([counts[label] for label in labels], m)
    return [] if shown is None else list(zip(labels, shown, strict=True))
