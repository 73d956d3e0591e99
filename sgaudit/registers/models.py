"""What the register indicators return: frozen pydantic models, JSON-ready.

Nothing here names a person: person-level statuses stay in `training_status` for the
auditors, and every rate below is blanked when its group is smaller than
`suppression_min` (see `Rate`).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from pydantic import BaseModel, ConfigDict

from sgaudit.registers.mapping import RegisterSettings
from sgaudit.registers.rates import Rate


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# ---- training ----------------------------------------------------------------------------
class RoleGroupCompliance(_Model):
    """One row of the training compliance table (a role group, or a group in one area)."""

    role_group: str
    group_name: str
    service_area: str | None = None  # None: the whole group across service areas
    people: int
    is_dsl_group: bool
    requirement: str  # the framework's rule in plain words, "not set" where it has none
    compliance: Rate  # people checked on anything who pass every check that applies
    refresher: Rate  # people in post a whole period with the hours
    induction: Rate  # recent starters past their window who have had induction
    cpd_log: Rate  # people expected to keep a CPD log with a recent entry
    refresher_overdue: int | None
    induction_missing: int | None
    cpd_log_missing: int | None


class AreaCompliance(_Model):
    service_area: str
    people: int
    compliance: Rate


class TrainingIndicators(_Model):
    framework_id: str
    framework_title: str
    framework_version: int
    people: int
    overall: Rate  # people checked on anything who pass every check that applies
    refresher: Rate  # pooled over role groups, as in RoleGroupCompliance
    induction: Rate
    cpd_log: Rate
    by_role_group: tuple[RoleGroupCompliance, ...]
    by_role_group_and_area: tuple[RoleGroupCompliance, ...]
    by_service_area: tuple[AreaCompliance, ...]
    dsl_groups: tuple[str, ...]
    dsl_compliance: Rate
    unknown_role_groups: tuple[str, ...]  # in the register, not in the framework
    requirements_not_set: tuple[str, ...]  # groups with people but nothing to check against


# ---- recruitment -------------------------------------------------------------------------
class RecruitmentByType(_Model):
    paid_or_volunteer: str
    people: int
    checks_complete: Rate
    dbs_level_met: Rate
    references_met: Rate
    outcome_cleared: Rate


class RecruitmentIndicators(_Model):
    people: int
    checks_complete: Rate
    by_type: tuple[RecruitmentByType, ...]
    paid_volunteer_gap_points: float | None  # paid minus volunteer share complete, in points
    dbs_information: Rate  # certificates that showed information, of all DBS checks
    risk_assessed: Rate  # of those, the ones with a risk assessment
    without_risk_assessment: int | None


# ---- policies ----------------------------------------------------------------------------
class PoliciesIndicators(_Model):
    documents: int
    in_date: Rate
    with_owner: Rate
    cross_referenced: Rate
    out_of_date: tuple[str, ...]
    without_owner: tuple[str, ...]
    without_links: tuple[str, ...]
    links_to_unknown: tuple[str, ...]  # documents linked to that the register does not hold


# ---- concerns ----------------------------------------------------------------------------
class BandCount(_Model):
    band: str
    count: int


class QuarterCount(_Model):
    quarter: str  # "2024-Q2"
    category: str
    count: int | None


class AreaConcerns(_Model):
    service_area: str
    concerns: int | None
    triaged_within_target: Rate


class ConcernsIndicators(_Model):
    concerns: int
    open: int
    triage_days_median: float | None
    triage_days_p90: float | None
    triaged_within_target: Rate
    referrals: int
    referral_days_median: float | None
    referral_days_p90: float | None
    referred_within_target: Rate
    not_long_open: Rate
    open_by_age: tuple[BandCount, ...]
    by_quarter: tuple[QuarterCount, ...]
    by_service_area: tuple[AreaConcerns, ...]


# ---- complaints and whistleblowing -------------------------------------------------------
class ComplaintsByType(_Model):
    type: str
    received: int
    time_limits_met: Rate
    feedback_given: Rate
    themes_recorded: Rate


class StageCount(_Model):
    type: str
    stage_reached: str
    count: int | None


class ThemeCount(_Model):
    theme: str
    count: int


class ComplaintsIndicators(_Model):
    received: int
    time_limits_met: Rate
    feedback_given: Rate
    themes_recorded: Rate
    by_type: tuple[ComplaintsByType, ...]
    stages: tuple[StageCount, ...]
    recurring_themes: tuple[ThemeCount, ...]  # themes recorded at least suppression_min times


# ---- triangulation -----------------------------------------------------------------------
class IndicatorScore(_Model):
    """One indicator as evidence: a share (higher is better) and its 0-100 records score."""

    id: str
    label: str
    register_kind: str
    themes: dict[str, tuple[str, ...]]  # theme -> weakness codes it evidences
    value: float | None  # 0-1; None when suppressed or nothing to measure
    score: float | None  # 0-100
    n: int
    detail: str  # the numbers in plain words


class ThemeRecords(_Model):
    theme: str
    records_score: float | None  # mean of its indicators' scores
    indicators: tuple[str, ...]  # ids of the indicators that scored
    weak_codes: tuple[str, ...]  # codes of indicators scoring below weak_score


class RegisterIndicators(_Model):
    """Everything the registers say as of the audit date; `to_json_dict()` for analyse JSON."""

    audit_date: dt.date
    registers: tuple[str, ...]  # the kinds that were given
    settings: RegisterSettings
    training: TrainingIndicators | None = None
    recruitment: RecruitmentIndicators | None = None
    policies: PoliciesIndicators | None = None
    concerns: ConcernsIndicators | None = None
    complaints: ComplaintsIndicators | None = None
    scores: tuple[IndicatorScore, ...] = ()
    themes: tuple[ThemeRecords, ...] = ()

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json")

    def score(self, indicator_id: str) -> IndicatorScore:
        for s in self.scores:
            if s.id == indicator_id:
                return s
        raise KeyError(indicator_id)

    def theme_records(self, theme: str) -> ThemeRecords | None:
        return next((t for t in self.themes if t.theme == theme), None)

    def records_scores_frame(self) -> pd.DataFrame:
        """theme, records_score (NaN when no indicator scored), indicators, weak_codes."""
        return pd.DataFrame(
            {
                "theme": [t.theme for t in self.themes],
                "records_score": [
                    float("nan") if t.records_score is None else t.records_score
                    for t in self.themes
                ],
                "indicators": [list(t.indicators) for t in self.themes],
                "weak_codes": [list(t.weak_codes) for t in self.themes],
            }
        )

    def training_table(self) -> list[dict]:
        """The training compliance table by role group, ready for a Word table.

        Columns: group, requirement, people, checked, compliant (e.g. "75%" or "-" when
        suppressed), refresher_overdue, induction_missing, cpd_log_missing.
        """
        if self.training is None:
            return []

        def show(value: int | float | None, percent: bool = False) -> str:
            if value is None:
                return "-"
            return f"{value:.0f}%" if percent else str(value)

        return [
            {
                "group": row.group_name,
                "requirement": row.requirement,
                "people": str(row.people),
                "checked": str(row.compliance.n),
                "compliant": show(row.compliance.percent, percent=True),
                "refresher_overdue": show(row.refresher_overdue),
                "induction_missing": show(row.induction_missing),
                "cpd_log_missing": show(row.cpd_log_missing),
            }
            for row in self.training.by_role_group
        ]
