"""The concerns log and the complaints and whistleblowing log, as of an audit date.

Concerns raised after the audit date, and complaints received after it, are left out.
Days are calendar days between dates (raised on Monday, triaged on Tuesday = 1 day).
"""

from __future__ import annotations

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
from sgaudit.registers.rates import Rate, rate_from_row, rate_of, rates_by, rates_by_checks
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


def _stat(days: pd.Series, q: float) -> float | None:
    days = days.dropna()
    return None if days.empty else round(float(days.quantile(q)), 1)


def concern_checks(concerns: pd.DataFrame, audit_date, settings: RegisterSettings) -> pd.DataFrame:
    """Concerns raised by the audit date, with days to triage / referral and open-case facts."""
    audit = pd.Timestamp(audit_date).normalize()
    c = concerns[concerns["date_raised"] <= audit].copy()
    triaged = c["triage_date"].notna() & (c["triage_date"] <= audit)
    c["days_to_triage"] = (c["triage_date"] - c["date_raised"]).dt.days.where(triaged)
    age = (audit - c["date_raised"]).dt.days
    # eligible: triaged, or untriaged and already past the target
    c["triage_eligible"] = triaged | (age > settings.triage_target_days)
    c["triage_on_time"] = triaged & (c["days_to_triage"] <= settings.triage_target_days)
    referred = c["referral_made"].eq(True).fillna(False).astype(bool)
    dated = referred & c["referral_date"].notna() & (c["referral_date"] <= audit)
    c["days_to_referral"] = (c["referral_date"] - c["date_raised"]).dt.days.where(dated)
    c["referral_eligible"] = dated
    c["referral_on_time"] = dated & (c["days_to_referral"] <= settings.referral_target_days)
    closed = c["date_closed"].notna() & (c["date_closed"] <= audit)
    c["is_open"] = ~closed
    c["age_days"] = age
    c["old_enough"] = age > settings.long_open_days
    open_days = (c["date_closed"].where(closed, audit) - c["date_raised"]).dt.days
    c["closed_in_time"] = closed & (open_days <= settings.long_open_days)
    c["category_key"] = c["category"].str.strip().str.lower()
    return c


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
    open_ages = pd.cut(c.loc[c["is_open"], "age_days"], bins=edges, labels=labels, right=True)
    band_counts = open_ages.value_counts().reindex(labels, fill_value=0)
    areas = rates_by(c, ["service_area"], "triage_on_time", "triage_eligible", m)
    area_sizes = c.groupby("service_area").size()
    area_floors = areas.set_index("service_area")["n"].reindex(area_sizes.index).fillna(0)
    area_shown = dict(_published(area_sizes, m, area_floors))
    return ConcernsIndicators(
        concerns=len(c),
        open=int(c["is_open"].sum()),
        triage_days_median=_stat(c["days_to_triage"], 0.5),
        triage_days_p90=_stat(c["days_to_triage"], 0.9),
        triaged_within_target=Rate.of_mask(c["triage_on_time"], c["triage_eligible"], m),
        referrals=int(c["referral_made"].eq(True).fillna(False).sum()),
        referral_days_median=_stat(c["days_to_referral"], 0.5),
        referral_days_p90=_stat(c["days_to_referral"], 0.9),
        referred_within_target=Rate.of_mask(c["referral_on_time"], c["referral_eligible"], m),
        not_long_open=Rate.of_mask(c["closed_in_time"], c["old_enough"], m),
        open_by_age=tuple(
            # not suppressed: a count of open concerns by age says nothing about who
            BandCount(band=str(b), count=int(n))
            for b, n in band_counts.items()
        ),
        by_quarter=_quarter_counts(c, m),
        by_service_area=tuple(
            AreaConcerns(
                service_area=str(row["service_area"]),
                concerns=area_shown[row["service_area"]],
                triaged_within_target=rate_from_row(row),
            )
            for _, row in areas.iterrows()
            # areas whose counts cannot be shown safely are left out, rates and all
            if row["service_area"] in area_shown
        ),
    )


def complaints_indicators(
    complaints: pd.DataFrame, audit_date, settings: RegisterSettings
) -> ComplaintsIndicators:
    m = settings.suppression_min
    audit = pd.Timestamp(audit_date).normalize()
    c = complaints[complaints["date_received"] <= audit].assign(
        _known_time=lambda f: f["time_limits_met"].notna(),
        _time_met=lambda f: f["time_limits_met"].eq(True).fillna(False).astype(bool),
        _known_feedback=lambda f: f["feedback_given"].notna(),
        _feedback=lambda f: f["feedback_given"].eq(True).fillna(False).astype(bool),
        _themed=lambda f: f["theme"].notna(),
        _all=True,
        stage_key=lambda f: f["stage_reached"].str.strip().str.lower(),
        theme_key=lambda f: f["theme"].str.strip().str.lower(),
    )
    checks = {
        "time_limits_met": ("_time_met", "_known_time"),
        "feedback_given": ("_feedback", "_known_feedback"),
        "themes_recorded": ("_themed", "_all"),
    }
    per_type = rates_by_checks(c, ["type"], checks, m).set_index("type")
    received = c.groupby("type").size()
    stages = c.groupby(["type", "stage_key"]).size()
    themes = c["theme_key"].dropna().value_counts()
    themes = themes[themes >= m]
    return ComplaintsIndicators(
        received=len(c),
        time_limits_met=Rate.of_mask(c["_time_met"], c["_known_time"], m),
        feedback_given=Rate.of_mask(c["_feedback"], c["_known_feedback"], m),
        themes_recorded=Rate.of_mask(c["_themed"], None, m),
        by_type=tuple(
            ComplaintsByType(
                type=t,
                received=int(received[t]),
                **{k: rate_of(per_type.loc[t], k) for k in checks},
            )
            for t in COMPLAINT_TYPES
            if t in received.index
        ),
        stages=tuple(
            StageCount(type=t, stage_reached=s, count=n)
            for t in stages.index.unique(level="type")
            for s, n in _published(stages.xs(t, level="type"), m)
        ),
        recurring_themes=tuple(
            ThemeCount(theme=str(t), count=int(n))
            for t, n in themes.sort_index().sort_values(ascending=False, kind="stable").items()
        ),
    )
