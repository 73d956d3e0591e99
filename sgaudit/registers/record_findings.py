"""Records raise findings: a register weakness becomes a finding on its theme.

Three checks, each reading one indicator's rates after the small-group rules
(`Rate`, `protect_rates`) have blanked what may not be shown:

- `recruitment_dbs_information_risk_assessed`: DBS certificates that showed information
  without a risk assessment recorded;
- `recruitment_volunteer_parity`: volunteers fully checked at a lower rate than paid staff;
- `training_role_group_compliance`: role groups whose training falls short of their
  framework (one finding listing every group short of it).

When a finding is raised and how severe it is are settings in data (`record_findings` in
indicator_map.yaml, docs/registers.md "Record findings"). A rate that is hidden for
being small raises nothing, so a finding never prints a hidden count. Each finding is
of kind `records`, with a key `records:<theme>:<indicator>` that is the same at a
re-audit, so the auditors' analysis and recommendations stay attached to it.
"""

from __future__ import annotations

from sgaudit.analysis.findings import Finding
from sgaudit.registers.mapping import RecordRule, indicator_map
from sgaudit.registers.models import RegisterIndicators
from sgaudit.registers.rates import Rate

KIND = "records"
QUESTIONS: dict[str, tuple[str, ...]] = {
    "recruitment_dbs_information_risk_assessed": (
        "Who decides whether someone whose DBS certificate shows information may start, "
        "and where is that decision recorded?",
    ),
    "recruitment_volunteer_parity": (
        "Why are volunteers checked less fully than paid staff, when they work with the "
        "same people?",
    ),
    "training_role_group_compliance": (
        "How does the board know that each role group is trained to the framework, and "
        "what happens when a group falls behind?",
    ),
}


def _pct(rate: Rate) -> str:
    return f"{rate.percent:.0f}%"


def _share(rate: Rate) -> str:
    return f"{rate.count} of {rate.n} ({_pct(rate)})"


def _numbers(prefix: str, rate: Rate) -> dict[str, int | float | None]:
    return {f"{prefix}count": rate.count, f"{prefix}n": rate.n, f"{prefix}rate": rate.percent}


def _shown(rate: Rate) -> bool:
    """A rate whose count and head count may both be printed."""
    return rate.rate is not None and rate.count is not None and rate.n is not None


def _finding(indicator: str, severity: str, summary: str, evidence: dict) -> Finding:
    theme = next(iter(indicator_map().get(indicator).themes))
    return Finding(
        key=f"{KIND}:{theme}:{indicator}",
        kind=KIND,
        theme=theme,
        severity=severity,
        summary=summary,
        evidence={"indicator": indicator, **evidence},
        questions_to_consider=list(QUESTIONS.get(indicator, ())),
    )


def _dbs(ind: RegisterIndicators, rule: RecordRule) -> list[Finding]:
    r = ind.recruitment
    if r is None or not _shown(r.risk_assessed):
        return []
    rate = r.risk_assessed
    severity = rule.severity(rate.rate * 100)
    if severity is None:
        return []
    missing = rate.n - rate.count
    summary = (
        f"{missing} of the {rate.n} DBS certificates that showed information "
        f"{'has' if missing == 1 else 'have'} no risk assessment recorded (risk-assessed: "
        f"{_share(rate)})."
    )
    indicator = "recruitment_dbs_information_risk_assessed"
    return [_finding(indicator, severity, summary, {**_numbers("", rate), "without": missing})]


def _volunteers(ind: RegisterIndicators, rule: RecordRule) -> list[Finding]:
    r = ind.recruitment
    if r is None or r.paid_volunteer_gap_points is None:
        return []
    shares = {b.paid_or_volunteer: b.checks_complete for b in r.by_type}
    paid, volunteer = shares.get("paid"), shares.get("volunteer")
    if paid is None or volunteer is None or not (_shown(paid) and _shown(volunteer)):
        return []
    gap = r.paid_volunteer_gap_points
    severity = rule.severity(gap)
    if severity is None:
        return []
    summary = (
        f"Volunteers are fully checked less often than paid staff: {_share(volunteer)} "
        f"volunteers have every required check, against {_share(paid)} paid staff "
        f"(a gap of {gap:.0f} points)."
    )
    evidence = {
        **_numbers("volunteer_", volunteer),
        **_numbers("paid_", paid),
        "gap_points": gap,
    }
    return [_finding("recruitment_volunteer_parity", severity, summary, evidence)]


_RANK = {"high": 0, "medium": 1, "low": 2}


def _training(ind: RegisterIndicators, rule: RecordRule) -> list[Finding]:
    t = ind.training
    if t is None:
        return []
    short = []
    for row in t.by_role_group:
        if not _shown(row.compliance):
            continue  # hidden for being small (or to protect another hidden count)
        severity = rule.severity(row.compliance.rate * 100)
        if severity is not None:
            short.append((severity, row))
    if not short:
        return []
    short.sort(key=lambda sr: (sr[1].compliance.rate, sr[1].role_group))
    severity = min((s for s, _ in short), key=_RANK.__getitem__)
    groups = "; ".join(f"{row.group_name}, {_share(row.compliance)}" for _, row in short)
    many = len(short) > 1
    summary = (
        f"Training falls short of the framework in {len(short)} role "
        f"group{'s' if many else ''} (people meeting every check): {groups}."
    )
    evidence: dict = {"groups_short": ", ".join(row.role_group for _, row in short)}
    for _, row in short:
        evidence.update(_numbers(f"group_{row.role_group}_", row.compliance))
    return [_finding("training_role_group_compliance", severity, summary, evidence)]


RULES = {
    "recruitment_dbs_information_risk_assessed": _dbs,
    "recruitment_volunteer_parity": _volunteers,
    "training_role_group_compliance": _training,
}


def record_findings(indicators: RegisterIndicators) -> list[Finding]:
    """The `records` findings the registers raise, in the order of the rules."""
    found: list[Finding] = []
    for indicator, rule in indicator_map().record_findings.items():
        found += RULES[indicator](indicators, rule)
    return found
