"""compute_indicators: every register indicator as of an audit date, scored for triangulation."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from sgaudit import printed
from sgaudit.registers.casework import complaints_indicators, concerns_indicators
from sgaudit.registers.disclosure import protect_rates
from sgaudit.registers.frameworks import Framework
from sgaudit.registers.mapping import RegisterSettings, indicator_map, settings_from
from sgaudit.registers.models import (
    AreaCompliance,
    IndicatorScore,
    RegisterIndicators,
    RoleGroupCompliance,
    ThemeRecords,
    TrainingIndicators,
)
from sgaudit.registers.policies import policies_indicators
from sgaudit.registers.rates import Rate
from sgaudit.registers.recruitment import recruitment_indicators
from sgaudit.registers.schema import REGISTER_KINDS
from sgaudit.registers.training import compliance_tables, requirement_words, training_status


def _rate(row: Mapping, check: str) -> Rate:
    count, rate = row[f"{check}_count"], row[f"{check}_rate"]
    return Rate(
        n=int(row[f"{check}_n"]),
        count=None if pd.isna(count) else int(count),
        rate=None if pd.isna(rate) else float(rate),
        suppressed=bool(row[f"{check}_suppressed"]),
    )


def _missing(rate: Rate) -> int | None:
    return None if rate.count is None else rate.n - rate.count


def _group_row(
    row: Mapping, framework: Framework, settings: RegisterSettings, area: bool
) -> RoleGroupCompliance:
    rates = {c: _rate(row, c) for c in ("compliance", "refresher", "induction", "cpd_log")}
    return RoleGroupCompliance(
        role_group=str(row["role_group"]),
        group_name=str(row["group_name"]),
        service_area=str(row["service_area"]) if area else None,
        people=int(row["people"]),
        is_dsl_group=bool(row["is_dsl_group"]),
        requirement=requirement_words(framework, str(row["role_group"]), settings),
        refresher_overdue=_missing(rates["refresher"]),
        induction_missing=_missing(rates["induction"]),
        cpd_log_missing=_missing(rates["cpd_log"]),
        **rates,
    )


def training_indicators(
    training: pd.DataFrame, framework: Framework, audit_date, settings: RegisterSettings
) -> TrainingIndicators:
    status = training_status(training, framework, audit_date, settings)
    tables = compliance_tables(status, framework, settings)
    m = settings.suppression_min
    # the shares over everyone in the framework, on arrays (see `Rate.of_mask`)
    known = status["in_framework"].to_numpy(dtype=bool)
    dsl = known & status["is_dsl_group"].to_numpy(dtype=bool)
    checked = status["compliant"].notna().to_numpy()
    compliant = status["compliant"].to_numpy(dtype=bool, na_value=False)
    refresher, induction, cpd = (
        status[c].to_numpy(dtype=object)
        for c in ("refresher_status", "induction_status", "cpd_status")
    )
    role_group = status["role_group"].to_numpy(dtype=object)
    unset = known & (refresher == "not_set") & (induction == "not_set") & (cpd == "not_set")

    def share(good: np.ndarray, eligible: np.ndarray) -> Rate:
        return Rate.of(int((good & eligible).sum()), int(eligible.sum()), m)

    return TrainingIndicators(
        framework_id=framework.id,
        framework_title=framework.title,
        framework_version=framework.version,
        people=len(status),
        overall=share(compliant, known & checked),
        refresher=share(
            refresher == "compliant", known & np.isin(refresher, ("compliant", "overdue"))
        ),
        induction=share(
            np.isin(induction, ("completed", "completed_late")),
            known & np.isin(induction, ("completed", "completed_late", "missing")),
        ),
        cpd_log=share(cpd == "kept", known & np.isin(cpd, ("kept", "missing"))),
        by_role_group=tuple(
            _group_row(r, framework, settings, False)
            for r in tables["by_role_group"].to_dict("records")
        ),
        by_role_group_and_area=tuple(
            _group_row(r, framework, settings, True)
            for r in tables["by_role_group_and_area"].to_dict("records")
        ),
        by_service_area=tuple(
            AreaCompliance(
                service_area=str(r["service_area"]),
                people=int(r["people"]),
                compliance=_rate(r, "compliance"),
            )
            for r in tables["by_service_area"].to_dict("records")
        ),
        dsl_groups=framework.dsl_groups,
        dsl_compliance=share(compliant, dsl & checked),
        unknown_role_groups=tuple(sorted(set(role_group[~known]))),
        requirements_not_set=tuple(sorted(set(role_group[unset]))),
    )


def _share_words(rate: Rate, what: str, m: int) -> str:
    if rate.n is None:
        return f"{what}: not shown, as it would tell a count hidden for being small"
    if rate.n == 0:
        return f"{what}: nothing to measure in the register"
    if rate.rate is None:
        return f"{what}: only {rate.n} in the register (fewer than {m}), so no rate is shown"
    return f"{what}: {rate.count} of {rate.n} ({rate.percent:.0f}%)"


def _scores(ind: RegisterIndicators) -> list[IndicatorScore]:
    """One IndicatorScore per mapped indicator whose register was given."""
    m = ind.settings.suppression_min
    found: dict[str, tuple[float | None, int, str]] = {}
    if ind.training is not None:
        t = ind.training
        rows = [r for r in t.by_role_group if r.compliance.rate is not None]
        if rows:
            worst = min(rows, key=lambda r: (r.compliance.rate, r.role_group))
            found["training_role_group_compliance"] = (
                worst.compliance.rate,
                worst.compliance.n,
                _share_words(worst.compliance, f"{worst.group_name}, people meeting every check", m)
                + " - the lowest of the role groups",
            )
        else:
            found["training_role_group_compliance"] = (
                None,
                0,
                "No role group has enough people checked to show a rate",
            )
        for key, rate, what in (
            (
                "training_induction_completed",
                t.induction,
                "New starters past their induction window who have had induction",
            ),
            (
                "training_cpd_log_kept",
                t.cpd_log,
                "People expected to keep a CPD log with a recent entry",
            ),
            (
                "training_dsl_group_compliance",
                t.dsl_compliance,
                f"DSL role group ({', '.join(t.dsl_groups) or 'none named'}), people meeting every check",
            ),
        ):
            found[key] = (rate.rate, rate.n, _share_words(rate, what, m))
    if ind.recruitment is not None:
        r = ind.recruitment
        found["recruitment_checks_complete"] = (
            r.checks_complete.rate,
            r.checks_complete.n,
            _share_words(r.checks_complete, "People with every required check", m),
        )
        gap = r.paid_volunteer_gap_points
        shares = {b.paid_or_volunteer: b.checks_complete for b in r.by_type}
        if gap is None:
            words = "Paid staff and volunteers cannot both be compared (one group is missing or too small)"
        else:
            words = (
                f"Every required check: paid staff {shares['paid'].percent:.0f}%, volunteers "
                f"{shares['volunteer'].percent:.0f}% (a gap of {gap:.0f} points)"
            )
        found["recruitment_volunteer_parity"] = (
            None if gap is None else (100 - max(0.0, gap)) / 100,
            r.people,
            words,
        )
        found["recruitment_dbs_information_risk_assessed"] = (
            r.risk_assessed.rate,
            r.risk_assessed.n or 0,
            _share_words(
                r.risk_assessed, "DBS certificates showing information with a risk assessment", m
            ),
        )
    if ind.policies is not None:
        p = ind.policies
        for key, rate, what in (
            ("policies_in_date", p.in_date, "Policies within their review date"),
            ("policies_with_owner", p.with_owner, "Policies with a named owner"),
            (
                "policies_cross_referenced",
                p.cross_referenced,
                "Policies that link to other documents",
            ),
        ):
            found[key] = (rate.rate, rate.n, _share_words(rate, what, m))
    if ind.concerns is not None:
        c, s = ind.concerns, ind.settings
        for key, rate, what in (
            (
                "concerns_triaged_within_target",
                c.triaged_within_target,
                f"Concerns triaged within {printed.count(s.triage_target_days, 'day')}",
            ),
            (
                "concerns_referred_within_target",
                c.referred_within_target,
                f"Dated referrals made within {printed.count(s.referral_target_days, 'day')} "
                "of the concern",
            ),
            (
                "concerns_not_long_open",
                c.not_long_open,
                f"Concerns over {printed.count(s.long_open_days, 'day')} old closed within "
                f"{printed.count(s.long_open_days, 'day')}",
            ),
        ):
            found[key] = (rate.rate, rate.n, _share_words(rate, what, m))
    if ind.complaints is not None:
        k = ind.complaints
        for key, rate, what in (
            (
                "complaints_time_limits_met",
                k.time_limits_met,
                "Complaints and disclosures within time limits",
            ),
            (
                "complaints_feedback_given",
                k.feedback_given,
                "People told the outcome of what they raised",
            ),
            (
                "complaints_themes_recorded",
                k.themes_recorded,
                "Complaints and disclosures with a theme recorded",
            ),
        ):
            found[key] = (rate.rate, rate.n, _share_words(rate, what, m))

    out = []
    for d in indicator_map().indicators:
        if d.id not in found:
            continue
        value, n, detail = found[d.id]
        out.append(
            IndicatorScore(
                id=d.id,
                label=d.label,
                register_kind=d.register_kind,
                themes=d.themes,
                value=None if value is None else round(value, 4),
                score=None if value is None else round(value * 100, 1),
                n=n,
                detail=detail,
            )
        )
    return out


def _theme_records(scores: list[IndicatorScore], weak_score: float) -> list[ThemeRecords]:
    rows = [
        (theme, s.id, s.score, code)
        for s in scores
        for theme, codes in s.themes.items()
        for code in codes
    ]
    if not rows:
        return []
    frame = pd.DataFrame(rows, columns=["theme", "indicator", "score", "code"])
    scored = frame.dropna(subset=["score"])
    per_indicator = scored.drop_duplicates(["theme", "indicator"])
    means = per_indicator.groupby("theme")["score"].mean().round(1).to_dict()
    # each theme's indicators and weak codes in one pass (a few dozen rows), in table order
    indicators: dict[str, list[str]] = {}
    for theme, indicator in zip(per_indicator["theme"], per_indicator["indicator"], strict=True):
        indicators.setdefault(theme, []).append(indicator)
    weak: dict[str, list[str]] = {}
    for theme, score, code in zip(scored["theme"], scored["score"], scored["code"], strict=True):
        if score < weak_score:
            weak.setdefault(theme, []).append(code)
    return [
        ThemeRecords(
            theme=theme,
            records_score=None if theme not in means else float(means[theme]),
            indicators=tuple(indicators.get(theme, ())),
            weak_codes=tuple(dict.fromkeys(weak.get(theme, ()))),
        )
        for theme in dict.fromkeys(frame["theme"])
    ]


def compute_indicators(
    registers: Mapping[str, pd.DataFrame],
    framework: Framework | None,
    audit_date,
    settings: object = None,
) -> RegisterIndicators:
    """Every indicator from the registers given (any subset of REGISTER_KINDS), as of `audit_date`.

    `registers` maps kind -> the frame `read_register` / `records_to_frame` returns.
    `framework` is needed only for the training register. `settings` is a
    RegisterSettings, the question set's AnalysisSettings, or None for the defaults.
    """
    s = settings_from(settings)
    audit = pd.Timestamp(audit_date).normalize()
    unknown = sorted(set(registers) - set(REGISTER_KINDS))
    if unknown:
        raise ValueError(
            f"unknown register {'kind' if len(unknown) == 1 else 'kinds'}: {', '.join(unknown)}"
        )
    parts: dict = {}
    if "training" in registers:
        if framework is None:
            raise ValueError(
                "the training register needs a role-group framework to be checked against"
            )
        parts["training"] = training_indicators(registers["training"], framework, audit, s)
    if "recruitment" in registers:
        parts["recruitment"] = recruitment_indicators(registers["recruitment"], s)
    if "policies" in registers:
        parts["policies"] = policies_indicators(registers["policies"], audit, s)
    if "concerns" in registers:
        parts["concerns"] = concerns_indicators(registers["concerns"], audit, s)
    if "complaints" in registers:
        parts["complaints"] = complaints_indicators(registers["complaints"], audit, s)
    result = protect_rates(
        RegisterIndicators(
            audit_date=audit.date(),
            registers=tuple(k for k in REGISTER_KINDS if k in registers),
            settings=s,
            **parts,
        )
    )
    scores = _scores(result)
    return result.model_copy(
        update={"scores": tuple(scores), "themes": tuple(_theme_records(scores, s.weak_score))}
    )
