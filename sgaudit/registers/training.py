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

from sgaudit import printed
from sgaudit.registers.frameworks import Framework
from sgaudit.registers.mapping import RegisterSettings

REFRESHER_KINDS = ("course", "induction")
FAILED = {"refresher_status": "overdue", "induction_status": "missing", "cpd_status": "missing"}
PASSED = {
    "refresher_status": ("compliant",),
    "induction_status": ("completed", "completed_late"),
    "cpd_status": ("kept",),
}


def _minus(audit: pd.Timestamp, unit: str, amounts: np.ndarray) -> np.ndarray:
    """audit_date minus each amount (years or months; NaN for none) as calendar offsets,
    worked out once per distinct amount (a handful of periods, not rows)."""
    out = np.full(len(amounts), np.datetime64("NaT"), dtype="datetime64[ns]")
    for value in np.unique(amounts[~np.isnan(amounts)]):
        out[amounts == value] = (audit - pd.DateOffset(**{unit: int(value)})).to_datetime64()
    return out


def _plus_months(dates: pd.Series, months: np.ndarray) -> np.ndarray:
    """Each date plus its number of calendar months (NaN for none), per distinct number."""
    out = np.full(len(dates), np.datetime64("NaT"), dtype="datetime64[ns]")
    for value in np.unique(months[~np.isnan(months)]):
        hit = months == value
        out[hit] = (dates[hit] + pd.DateOffset(months=int(value))).to_numpy()
    return out


def _statuses(index: pd.Index, default: str, *rules: tuple[np.ndarray, str]) -> pd.Series:
    """A status column: `default`, then each (where, status) laid over it in turn (a
    later rule wins where two hold), as one column rather than one assignment per rule."""
    out = np.full(len(index), default, dtype=object)
    for where, status in rules:
        out[where] = status
    return pd.Series(out, index=index, dtype="str")


def _requirements(framework: Framework, role_groups: list) -> dict[str, np.ndarray]:
    """Each person's requirements from their role group's (NaN / None where the group is
    not in the framework or leaves the number unset), looked up in plain Python: a
    framework has a handful of groups and a register a few hundred people."""
    groups = {g.id: g for g in framework.groups}
    found = [groups.get(r) if isinstance(r, str) else None for r in role_groups]

    def number(value) -> float:
        return np.nan if value is None else float(value)

    return {
        "known": np.array([g is not None for g in found], dtype=bool),
        "hours": np.array([number(g and g.refresher.hours) for g in found], dtype=float),
        "period_years": np.array(
            [number(g and g.refresher.period_years) for g in found], dtype=float
        ),
        "induction_months": np.array(
            [number(g and g.induction.within_months) for g in found], dtype=float
        ),
        "cpd_expected": [None if g is None else g.cpd_log.expected for g in found],
        "cpd_months": np.array([number(g and g.cpd_log.within_months) for g in found], dtype=float),
        "is_dsl_group": np.array(
            [g is not None and g.id in framework.dsl_groups for g in found], dtype=bool
        ),
    }


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
    people = people[people["start_date"] <= audit].reset_index(drop=True)
    if len(people):  # the role group as the join with the framework's groups left it:
        people["role_group"] = people["role_group"].astype(object)  # (kept if empty)
    req = _requirements(framework, people["role_group"].tolist())
    known = req["known"]
    index = people.index

    records = training[training["date"].notna() & (training["date"] <= audit)]
    records = records[records["person_code"].isin(people["person_code"])]
    # each record's person as a position in `people` (every one is there, see above)
    person = pd.Index(people["person_code"]).get_indexer(records["person_code"])
    kinds = records["kind"].to_numpy(dtype=object, na_value=None)
    dates = records["date"].to_numpy().astype("datetime64[ns]")
    start = people["start_date"].to_numpy()

    # refresher hours in (audit - period, audit]
    window_start = _minus(audit, "years", req["period_years"])
    people["refresher_window_start"] = window_start
    in_window = np.isin(kinds, REFRESHER_KINDS) & (dates > window_start[person])
    hours = records.loc[in_window].groupby("person_code")["hours"].sum()
    people["refresher_hours"] = people["person_code"].map(hours).fillna(0).astype(float).round(6)
    required = req["hours"]
    people["refresher_hours_required"] = required
    refresher_set = ~np.isnan(required) & ~np.isnat(window_start)
    full_period = start <= window_start
    met = people["refresher_hours"].to_numpy() >= required
    unknown = ~known
    people["refresher_status"] = _statuses(
        index,
        "not_set",
        (refresher_set & ~full_period, "not_yet_due"),
        (refresher_set & full_period & met, "compliant"),
        (refresher_set & full_period & ~met, "overdue"),
        (unknown, "unknown_group"),
    )

    # induction within the window after starting
    first_induction = np.full(len(people), np.iinfo(np.int64).max, dtype=np.int64)
    inducted = kinds == "induction"
    np.minimum.at(first_induction, person[inducted], dates[inducted].view(np.int64))
    first_induction = np.where(
        first_induction == np.iinfo(np.int64).max, np.iinfo(np.int64).min, first_induction
    ).view("datetime64[ns]")  # the least is the earliest; none is NaT
    people["first_induction"] = first_induction
    deadline = _plus_months(people["start_date"], req["induction_months"])
    people["induction_deadline"] = deadline
    lookback = (audit - pd.DateOffset(years=settings.induction_lookback_years)).to_datetime64()
    recent = start > lookback
    window_set = ~np.isnan(req["induction_months"])
    done = ~np.isnat(first_induction)
    checked = window_set & recent
    on_time = first_induction <= deadline
    audit_ = audit.to_datetime64()
    people["induction_status"] = _statuses(
        index,
        "not_set",
        (window_set & ~recent, "not_applicable"),
        (checked & done & on_time, "completed"),
        (checked & done & ~on_time, "completed_late"),
        (checked & ~done & (audit_ <= deadline), "in_window"),
        (checked & ~done & (audit_ > deadline), "missing"),
        (unknown, "unknown_group"),
    )

    # CPD log: a CPD entry in the recent window
    cpd_months = req["cpd_months"]
    cpd_months = np.where(np.isnan(cpd_months), settings.cpd_log_default_months, cpd_months)
    cpd_start = _minus(audit, "months", cpd_months)
    cpd = (kinds == "cpd") & (dates > cpd_start[person])
    kept = np.zeros(len(people), dtype=bool)
    kept[person[cpd]] = True
    expected = req["cpd_expected"]
    is_expected = np.array([e is True for e in expected], dtype=bool)
    long_enough = start <= cpd_start
    people["cpd_status"] = _statuses(
        index,
        "not_set",
        (np.array([e is False for e in expected], dtype=bool), "not_expected"),
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
    people["is_dsl_group"] = req["is_dsl_group"]
    people["in_framework"] = known
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
        years = g.refresher.period_years
        parts.append(f"{g.refresher.hours:g} h refresher per {printed.count(years, 'year')}")
    if g.induction.within_months is not None:
        months = g.induction.within_months
        parts.append(f"induction within {printed.count(months, 'month')}")
    if g.cpd_log.expected:
        months = g.cpd_log.within_months or settings.cpd_log_default_months
        parts.append(f"CPD log (an entry in the last {printed.count(months, 'month')})")
    return "; ".join(parts) if parts else "not set"


CHECKS = ("compliance", "refresher", "induction", "cpd_log")


def _compliance_flags(status: pd.DataFrame) -> pd.DataFrame:
    """`status` with each check's good and eligible flags (see `_compliance_rows`)."""
    compliant = status["compliant"]
    refresher, induction, cpd = (
        status[c].to_numpy(dtype=object)
        for c in ("refresher_status", "induction_status", "cpd_status")
    )
    return status.assign(
        compliance_eligible=compliant.notna().to_numpy(),
        compliance_good=compliant.to_numpy(dtype=bool, na_value=False),
        refresher_eligible=np.isin(refresher, ("compliant", "overdue")),
        refresher_good=refresher == "compliant",
        induction_eligible=np.isin(induction, ("completed", "completed_late", "missing")),
        induction_good=np.isin(induction, ("completed", "completed_late")),
        cpd_log_eligible=np.isin(cpd, ("kept", "missing")),
        cpd_log_good=cpd == "kept",
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
    m = settings.suppression_min
    by_area = _compliance_rows(known, ["service_area"], m)  # in area order already
    return {
        "by_role_group": _in_framework_order(_compliance_rows(known, ["role_group"], m), framework),
        "by_role_group_and_area": _in_framework_order(
            _compliance_rows(known, ["role_group", "service_area"], m), framework
        ),
        "by_service_area": by_area.reset_index(drop=True),
    }


def _in_framework_order(rows: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """`rows` (in role group order, then area) with each group's name, place and DSL flag,
    in the framework's order of groups (then area). Every group of `rows` is in the
    framework: only people of its groups are counted."""
    groups = {
        g.id: (i, g.name, g.id in framework.dsl_groups) for i, g in enumerate(framework.groups)
    }
    found = [groups[r] for r in rows["role_group"]]
    rows["role_group"] = rows["role_group"].astype("str")  # as the framework's ids are
    rows.insert(1, "group_name", pd.array([g[1] for g in found], dtype="str"))
    rows.insert(2, "order", np.array([g[0] for g in found], dtype="int64"))
    rows.insert(3, "is_dsl_group", np.array([g[2] for g in found], dtype=bool))
    # a stable sort on the place keeps each group's areas in the order they came
    return rows.iloc[np.argsort(rows["order"].to_numpy(), kind="stable")].reset_index(drop=True)
