"""Training compliance against a role-group framework, as of an audit date.

Boundaries (docs/registers.md, "Training compliance", says the same in plain words):

- Refresher period: the `period_years` ending on the audit date, i.e. learning dated
  after `audit_date - period_years` and on or before `audit_date`. A record dated
  exactly `period_years` before the audit date belongs to the previous period and does
  not count. Hours are summed over course and induction records (CPD log entries are
  learning outside training and do not count) and compared with `>=` after rounding to
  6 decimals: exactly 24.0 of 24 hours is compliant.
- A person is checked for refresher hours once they have been in post a whole period:
  `start_date <= audit_date - period_years`. Newer people are "not_yet_due".
- Induction: the deadline is `start_date + within_months` calendar months (pandas
  DateOffset, so 31 August + 6 months is 28/29 February). With no induction record,
  a person is "in_window" up to and including the deadline day and "missing" from the
  day after. Checked only for people who started within `induction_lookback_years`.
- CPD log: "kept" when there is a CPD record in the `within_months` (or
  `cpd_log_default_months`) ending on the audit date; checked once a person has been
  in post that long.
- Records dated after the audit date are ignored everywhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sgaudit.registers.frameworks import Framework
from sgaudit.registers.mapping import RegisterSettings

REFRESHER_KINDS = ("course", "induction")
FAILED = {"refresher_status": "overdue", "induction_status": "missing", "cpd_status": "missing"}
PASSED = {
    "refresher_status": ("compliant",),
    "induction_status": ("completed", "completed_late"),
    "cpd_status": ("kept",),
}


def _minus(audit: pd.Timestamp, unit: str, amounts: pd.Series) -> pd.Series:
    """audit_date minus each amount (years or months) as calendar offsets, vectorised per distinct value."""
    out = pd.Series(pd.NaT, index=amounts.index, dtype="datetime64[ns]")
    for value in amounts.dropna().unique():  # a handful of distinct periods, not rows
        out[amounts == value] = audit - pd.DateOffset(**{unit: int(value)})
    return out


def _plus_months(dates: pd.Series, months: pd.Series) -> pd.Series:
    out = pd.Series(pd.NaT, index=dates.index, dtype="datetime64[ns]")
    for value in months.dropna().unique():
        hit = months == value
        out[hit] = dates[hit] + pd.DateOffset(months=int(value))
    return out


def _statuses(default: str, *rules: tuple[pd.Series, str]) -> pd.Series:
    """A status column: `default`, then each (where, status) laid over it in turn (a
    later rule wins where two hold), as one column rather than one assignment per rule."""
    index = rules[0][0].index
    out = np.full(len(index), default, dtype=object)
    for where, status in rules:
        out[where.to_numpy(dtype=bool, na_value=False)] = status
    return pd.Series(out, index=index, dtype="str")


def training_status(
    training: pd.DataFrame, framework: Framework, audit_date, settings: RegisterSettings
) -> pd.DataFrame:
    """One row per person with hours in their refresher period and the status of each check.

    Person-level: for the auditors and the raw store only; anything shown further goes
    through `compliance_table`, which applies small-group suppression.
    Statuses - refresher: compliant | overdue | not_yet_due | not_set;
    induction: completed | completed_late | in_window | missing | not_applicable | not_set;
    cpd: kept | missing | not_yet_due | not_expected | not_set; all "unknown_group" when
    the person's role group is not in the framework. `compliant` is NA when nothing
    about the person could be checked.
    """
    audit = pd.Timestamp(audit_date).normalize()
    people = (
        training.groupby("person_code", sort=True)[["role_group", "service_area", "start_date"]]
        .first()
        .reset_index()
    )
    people = people[people["start_date"] <= audit]
    req = framework.requirements_frame().rename(
        columns={"refresher_hours": "refresher_hours_required"}
    )
    people = people.merge(req, on="role_group", how="left", indicator=True)
    known = people.pop("_merge").eq("both")

    records = training[training["date"].notna() & (training["date"] <= audit)]
    records = records[records["person_code"].isin(people["person_code"])]

    # refresher hours in (audit - period, audit]
    window_start = _minus(audit, "years", people["refresher_period_years"].astype("Float64"))
    people["refresher_window_start"] = window_start
    start_of = pd.Series(window_start.to_numpy(), index=people["person_code"])
    in_window = records["kind"].isin(REFRESHER_KINDS) & (
        records["date"] > start_of.reindex(records["person_code"]).to_numpy()
    )
    hours = records.loc[in_window].groupby("person_code")["hours"].sum()
    people["refresher_hours"] = people["person_code"].map(hours).fillna(0).astype(float).round(6)
    people["refresher_hours_required"] = people["refresher_hours_required"].astype(float)
    refresher_set = people["refresher_hours_required"].notna() & window_start.notna()
    full_period = people["start_date"] <= window_start
    met = people["refresher_hours"] >= people["refresher_hours_required"]
    unknown = ~known
    people["refresher_status"] = _statuses(
        "not_set",
        (refresher_set & ~full_period, "not_yet_due"),
        (refresher_set & full_period & met, "compliant"),
        (refresher_set & full_period & ~met, "overdue"),
        (unknown, "unknown_group"),
    )

    # induction within the window after starting
    first_induction = (
        records.loc[records["kind"].eq("induction")].groupby("person_code")["date"].min()
    )
    # reindex, not map: mapping through an empty datetime Series fails in pandas 3
    people["first_induction"] = first_induction.reindex(people["person_code"]).to_numpy()
    people["induction_deadline"] = _plus_months(
        people["start_date"], people["induction_within_months"].astype("Float64")
    )
    lookback = audit - pd.DateOffset(years=settings.induction_lookback_years)
    recent = people["start_date"] > lookback
    window_set = people["induction_within_months"].notna()
    done = people["first_induction"].notna()
    checked = window_set & recent
    on_time = people["first_induction"] <= people["induction_deadline"]
    people["induction_status"] = _statuses(
        "not_set",
        (window_set & ~recent, "not_applicable"),
        (checked & done & on_time, "completed"),
        (checked & done & ~on_time, "completed_late"),
        (checked & ~done & (audit <= people["induction_deadline"]), "in_window"),
        (checked & ~done & (audit > people["induction_deadline"]), "missing"),
        (unknown, "unknown_group"),
    )

    # CPD log: a CPD entry in the recent window
    cpd_months = (
        people["cpd_within_months"].astype("Float64").fillna(settings.cpd_log_default_months)
    )
    cpd_start = _minus(audit, "months", cpd_months)
    cpd_records = records.loc[records["kind"].eq("cpd")]
    cpd_start_of = pd.Series(cpd_start.to_numpy(), index=people["person_code"])
    recent_cpd = cpd_records["date"] > cpd_start_of.reindex(cpd_records["person_code"]).to_numpy()
    kept = people["person_code"].isin(cpd_records.loc[recent_cpd, "person_code"])
    expected = people["cpd_expected"]
    is_expected = expected.eq(True).fillna(False)
    long_enough = people["start_date"] <= cpd_start
    people["cpd_status"] = _statuses(
        "not_set",
        (expected.eq(False).fillna(False), "not_expected"),
        (is_expected & ~long_enough, "not_yet_due"),
        (is_expected & long_enough & kept, "kept"),
        (is_expected & long_enough & ~kept, "missing"),
        (unknown, "unknown_group"),
    )

    # failed where any check failed, else passed where any passed, else not known (NA)
    statuses = {c: people[c].to_numpy(dtype=object) for c in FAILED}
    failed = np.logical_or.reduce([statuses[c] == v for c, v in FAILED.items()])
    passed = np.logical_or.reduce([np.isin(statuses[c], PASSED[c]) for c in FAILED])
    people["compliant"] = pd.arrays.BooleanArray(passed & ~failed, ~(passed | failed))
    people["is_dsl_group"] = people["is_dsl_group"].fillna(False).astype(bool)
    people["in_framework"] = known.to_numpy()
    columns = [
        "person_code", "role_group", "service_area", "start_date", "in_framework", "is_dsl_group",
        "refresher_window_start", "refresher_hours", "refresher_hours_required", "refresher_status",
        "first_induction", "induction_deadline", "induction_status", "cpd_status", "compliant",
    ]  # fmt: skip
    return people[columns].reset_index(drop=True)


def requirement_words(framework: Framework, group_id: str, settings: RegisterSettings) -> str:
    g = framework.group(group_id)
    parts = []
    if g.refresher.is_set:
        parts.append(f"{g.refresher.hours:g} h refresher per {g.refresher.period_years} years")
    if g.induction.within_months is not None:
        months = g.induction.within_months
        parts.append(f"induction within {months} month{'' if months == 1 else 's'}")
    if g.cpd_log.expected:
        months = g.cpd_log.within_months or settings.cpd_log_default_months
        parts.append(f"CPD log (an entry in the last {months} months)")
    return "; ".join(parts) if parts else "not set"


CHECKS = ("compliance", "refresher", "induction", "cpd_log")


def _compliance_flags(status: pd.DataFrame) -> pd.DataFrame:
    """`status` with each check's good and eligible flags (see `_compliance_rows`)."""
    return status.assign(
        compliance_eligible=status["compliant"].notna(),
        compliance_good=status["compliant"].fillna(False).astype(bool),
        refresher_eligible=status["refresher_status"].isin(("compliant", "overdue")),
        refresher_good=status["refresher_status"].eq("compliant"),
        induction_eligible=status["induction_status"].isin(
            ("completed", "completed_late", "missing")
        ),
        induction_good=status["induction_status"].isin(("completed", "completed_late")),
        cpd_log_eligible=status["cpd_status"].isin(("kept", "missing")),
        cpd_log_good=status["cpd_status"].eq("kept"),
    )


def _compliance_rows(status: pd.DataFrame, by: list[str], suppression_min: int) -> pd.DataFrame:
    """Per group of `by`: people, and n/count/rate for compliance and each check
    (suppressed). `status` is `_compliance_flags(training_status(...))`."""
    from sgaudit.registers.rates import rates_by_checks

    checks = {check: (f"{check}_good", f"{check}_eligible") for check in CHECKS}
    return rates_by_checks(status, by, checks, suppression_min)


def compliance_tables(
    status: pd.DataFrame, framework: Framework, settings: RegisterSettings
) -> dict[str, pd.DataFrame]:
    """The suppressed compliance tables: 'by_role_group', 'by_role_group_and_area', 'by_service_area'."""
    known = _compliance_flags(status[status["in_framework"]])  # once for the three tables
    order = framework.requirements_frame()[["role_group", "group_name", "order", "is_dsl_group"]]
    m = settings.suppression_min
    by_group = order.merge(_compliance_rows(known, ["role_group"], m), on="role_group")
    by_group_area = order.merge(
        _compliance_rows(known, ["role_group", "service_area"], m), on="role_group"
    ).sort_values(["order", "service_area"])
    by_area = _compliance_rows(known, ["service_area"], m).sort_values("service_area")
    return {
        "by_role_group": by_group.sort_values("order").reset_index(drop=True),
        "by_role_group_and_area": by_group_area.reset_index(drop=True),
        "by_service_area": by_area.reset_index(drop=True),
    }
