"""Recruitment checks: who has every required check, paid against volunteers, blemished DBS.

A person has every required check when all of these hold:
- the DBS level held is at least the level the role needs (`dbs_level_required`, or the
  `required_dbs_level` setting when blank) and, unless none is needed, the DBS is dated;
- at least `required_references` references were received;
- the check outcome is `cleared`;
- if the DBS certificate showed information, a risk assessment was done.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sgaudit.registers.mapping import RegisterSettings
from sgaudit.registers.models import RecruitmentByType, RecruitmentIndicators
from sgaudit.registers.rates import Rate, rate_at, rates_by_checks
from sgaudit.registers.schema import DBS_LEVELS, PAID_OR_VOLUNTEER

_RANK = {level: i for i, level in enumerate(DBS_LEVELS)}
BY_TYPE = ("checks_complete", "dbs_level_met", "references_met", "outcome_cleared")


def _true(column: pd.Series) -> np.ndarray:
    """True where the cell is True (a blank is not)."""
    return column.to_numpy(dtype=bool, na_value=False)


def recruitment_checks(recruitment: pd.DataFrame, settings: RegisterSettings) -> pd.DataFrame:
    """The register with one boolean column per check and `checks_complete`."""
    required = recruitment["dbs_level_required"].fillna(settings.required_dbs_level)
    required_rank = required.map(_RANK).astype(int).to_numpy()
    held_rank = recruitment["dbs_level"].map(_RANK).astype(int).to_numpy()
    dated = recruitment["dbs_date"].notna().to_numpy() | (required_rank == 0)
    disclosed = _true(recruitment["dbs_information_disclosed"])
    assessed = _true(recruitment["risk_assessment_done"])
    dbs_level_met = (held_rank >= required_rank) & dated
    references_met = (
        recruitment["references_received"].fillna(0).to_numpy() >= settings.required_references
    )
    outcome_cleared = (
        recruitment["check_outcome"].eq("cleared").to_numpy(dtype=bool, na_value=False)
    )
    return recruitment.assign(
        dbs_level_met=dbs_level_met,
        references_met=references_met,
        outcome_cleared=outcome_cleared,
        disclosed=disclosed,
        risk_assessed=disclosed & assessed,
        dbs_checked=held_rank > 0,
        checks_complete=dbs_level_met & references_met & outcome_cleared & (~disclosed | assessed),
    )


def recruitment_indicators(
    recruitment: pd.DataFrame, settings: RegisterSettings
) -> RecruitmentIndicators:
    m = settings.suppression_min
    checks = recruitment_checks(recruitment, settings).assign(_all=True)
    per_type = rates_by_checks(
        checks, ["paid_or_volunteer"], {check: (check, "_all") for check in BY_TYPE}, m
    )
    where = {str(kind): i for i, kind in enumerate(per_type["paid_or_volunteer"])}
    by_type = [
        RecruitmentByType(
            paid_or_volunteer=kind,
            people=int(per_type["people"].to_numpy()[where[kind]]),
            **{check: rate_at(per_type, where[kind], check) for check in BY_TYPE},
        )
        for kind in PAID_OR_VOLUNTEER
        if kind in where
    ]
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
