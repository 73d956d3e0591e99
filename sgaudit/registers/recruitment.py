"""Recruitment checks: who has every required check, paid against volunteers, blemished DBS.

A person has every required check when all of these hold:
- the DBS level held is at least the level the role needs (`dbs_level_required`, or the
  `required_dbs_level` setting when blank) and, unless none is needed, the DBS is dated;
- at least `required_references` references were received;
- the check outcome is `cleared`;
- if the DBS certificate showed information, a risk assessment was done.
"""

from __future__ import annotations

import pandas as pd

from sgaudit.registers.mapping import RegisterSettings
from sgaudit.registers.models import RecruitmentByType, RecruitmentIndicators
from sgaudit.registers.rates import Rate, rate_of, rates_by_checks
from sgaudit.registers.schema import DBS_LEVELS, PAID_OR_VOLUNTEER

_RANK = {level: i for i, level in enumerate(DBS_LEVELS)}
BY_TYPE = ("checks_complete", "dbs_level_met", "references_met", "outcome_cleared")


def recruitment_checks(recruitment: pd.DataFrame, settings: RegisterSettings) -> pd.DataFrame:
    """The register with one boolean column per check and `checks_complete`."""
    required = recruitment["dbs_level_required"].fillna(settings.required_dbs_level)
    required_rank = required.map(_RANK).astype(int)
    held_rank = recruitment["dbs_level"].map(_RANK).astype(int)
    dated = recruitment["dbs_date"].notna() | required_rank.eq(0)
    disclosed = recruitment["dbs_information_disclosed"].fillna(False).astype(bool)
    assessed = recruitment["risk_assessment_done"].fillna(False).astype(bool)
    out = recruitment.assign(
        dbs_level_met=(held_rank >= required_rank) & dated,
        references_met=recruitment["references_received"].fillna(0) >= settings.required_references,
        outcome_cleared=recruitment["check_outcome"].eq("cleared").fillna(False).astype(bool),
        disclosed=disclosed,
        risk_assessed=disclosed & assessed,
        dbs_checked=held_rank > 0,
    )
    out["checks_complete"] = (
        out["dbs_level_met"]
        & out["references_met"]
        & out["outcome_cleared"]
        & (~disclosed | assessed)
    )
    return out


def recruitment_indicators(
    recruitment: pd.DataFrame, settings: RegisterSettings
) -> RecruitmentIndicators:
    m = settings.suppression_min
    checks = recruitment_checks(recruitment, settings).assign(_all=True)
    by_type = []
    per_type = rates_by_checks(
        checks, ["paid_or_volunteer"], {check: (check, "_all") for check in BY_TYPE}, m
    ).set_index("paid_or_volunteer")
    for kind in PAID_OR_VOLUNTEER:
        if kind not in per_type.index:
            continue
        row = per_type.loc[kind]
        by_type.append(
            RecruitmentByType(
                paid_or_volunteer=kind,
                people=int(row["people"]),
                **{check: rate_of(row, check) for check in BY_TYPE},
            )
        )
    shares = {t.paid_or_volunteer: t.checks_complete.rate for t in by_type}
    gap = None
    if shares.get("paid") is not None and shares.get("volunteer") is not None:
        gap = round((shares["paid"] - shares["volunteer"]) * 100, 1)
    risk_assessed = Rate.of_mask(checks["risk_assessed"], checks["disclosed"], m)
    return RecruitmentIndicators(
        people=len(checks),
        checks_complete=Rate.of_mask(checks["checks_complete"], None, m),
        by_type=tuple(by_type),
        paid_volunteer_gap_points=gap,
        dbs_information=Rate.of_mask(checks["disclosed"], checks["dbs_checked"], m),
        risk_assessed=risk_assessed,
        without_risk_assessment=None
        if risk_assessed.count is None
        else risk_assessed.n - risk_assessed.count,
    )
