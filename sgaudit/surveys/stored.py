"""The respondents an audit already holds: their codes and response keys, and the
marks a survey import sets on those it meets again.

A survey export downloaded again holds people imported before: they keep their
interview (found by the tool's response key, `respondents.response_keys`), new ones
get a fresh code, and each new interview keeps its key for the next download.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sgaudit.sheets.matching import key_series, tier_lookup
from sgaudit.store.models import Interview
from sgaudit.surveys.respondents import draw_codes


def stored_respondents(session: Session, audit_id: int) -> pd.DataFrame:
    """Every interview of the audit: code, tier, service_area, response_key."""
    rows = session.execute(
        select(
            Interview.code, Interview.tier, Interview.service_area, Interview.response_key
        ).where(Interview.audit_id == audit_id)
    ).all()
    return pd.DataFrame(
        rows, columns=["code", "tier", "service_area", "response_key"], dtype=object
    )


def respondent_codes(
    session: Session, audit_id: int, keys: pd.Series, tiers: pd.Series
) -> pd.Series:
    """The code of each row: its interview's when the key was imported before, else new."""
    existing = stored_respondents(session, audit_id)
    known = dict(zip(existing["response_key"], existing["code"], strict=True))
    codes = keys.map(known).astype(object)
    new = codes.isna()
    codes[new] = draw_codes(key_series(tiers[new]).map(tier_lookup()), set(existing["code"]))
    return codes


def remember_keys(session, audit_id, codes: pd.Series, keys: pd.Series, existing) -> None:
    """Store each new respondent's response key on its interview (one bulk UPDATE)."""
    new = ~keys.isin(set(existing["response_key"].dropna()))
    key_of = dict(zip(codes[new], keys[new], strict=True))
    if not key_of:
        return
    ids = session.execute(
        select(Interview.id, Interview.code).where(
            Interview.audit_id == audit_id, Interview.code.in_(list(key_of))
        )
    ).all()
    session.execute(update(Interview), [{"id": i, "response_key": key_of[code]} for i, code in ids])


def mark_consented_and_complete(session: Session, audit_id: int, codes: set[str]) -> None:
    """Respondents imported again: consented (their row answered yes, or submitted a
    survey without a consent question) and complete, as a new one is; one whose consent
    was withdrawn stays withdrawn."""
    if not codes:
        return
    session.execute(
        update(Interview)
        .where(
            Interview.audit_id == audit_id,
            Interview.code.in_(sorted(codes)),
            Interview.consent_withdrawn_at.is_(None),
        )
        .values(consent_confirmed=True, completed=True)
    )
