"""The policy register: out of date, without an owner, not linked to other documents.

A document is out of date when its review due date is before the audit date (due on
the audit date itself is still in date). With no `next_review_due`, it is due
`policy_review_years` after `last_reviewed`; with neither date it counts as out of date,
because nothing shows it was ever reviewed.
"""

from __future__ import annotations

import pandas as pd

from sgaudit.registers.mapping import RegisterSettings
from sgaudit.registers.models import PoliciesIndicators
from sgaudit.registers.rates import Rate


def policy_checks(policies: pd.DataFrame, audit_date, settings: RegisterSettings) -> pd.DataFrame:
    """The register with `review_due`, `in_date`, `has_owner`, `has_links`."""
    audit = pd.Timestamp(audit_date).normalize()
    due = policies["next_review_due"].fillna(
        policies["last_reviewed"] + pd.DateOffset(years=settings.policy_review_years)
    )
    return policies.assign(
        review_due=due,
        in_date=(due >= audit).fillna(False).astype(bool),
        has_owner=policies["owner"].notna(),
        has_links=policies["links_to"].map(len).gt(0),
    )


def policies_indicators(
    policies: pd.DataFrame, audit_date, settings: RegisterSettings
) -> PoliciesIndicators:
    m = settings.suppression_min
    checks = policy_checks(policies, audit_date, settings)
    titles = checks["document"].astype(str)
    linked = checks["links_to"].explode().dropna().astype(str).str.strip()
    known = set(titles.str.casefold())
    unknown = sorted({t for t in linked if t.casefold() not in known})
    return PoliciesIndicators(
        documents=len(checks),
        in_date=Rate.of_mask(checks["in_date"], None, m),
        with_owner=Rate.of_mask(checks["has_owner"], None, m),
        cross_referenced=Rate.of_mask(checks["has_links"], None, m),
        out_of_date=tuple(titles[~checks["in_date"]]),
        without_owner=tuple(titles[~checks["has_owner"]]),
        without_links=tuple(titles[~checks["has_links"]]),
        links_to_unknown=tuple(unknown),
    )
