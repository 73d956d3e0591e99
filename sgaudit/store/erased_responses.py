"""Survey responses whose interviews were erased, so that a re-import leaves them out.

Erasing an interview deletes it and, with it, the survey tool's response id that a
re-import matches on; the next export of the same survey would then bring the person
back as a new respondent. So erasure keeps one thing per person: a SHA-256 hash of the
response id, held against the audit. It says nothing about the person or their
answers; a re-import compares each row's hashed id with it, and the audit's archive
carries the hashes (with those of people who withdrew consent, whom the archive leaves
out), so a restored audit keeps them out too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from sgaudit.store.models import ErasedResponse

if TYPE_CHECKING:  # pandas only where a survey is imported: `repo` stays light for the CLI
    import pandas as pd


def key_hash(response_key: str) -> str:
    return hashlib.sha256(f"sgaudit-erased-response:{response_key}".encode()).hexdigest()


def remember_erased(session: Session, audit_id: int, response_keys: Iterable[str | None]) -> None:
    """Keep the hash of each erased interview's response id (not committed here)."""
    remember_hashes(session, audit_id, [key_hash(k) for k in response_keys if k])


def remember_hashes(session: Session, audit_id: int, hashes: Iterable[str]) -> None:
    """Add hashes already made (from an archive) to the audit's list (not committed)."""
    known = erased_hashes(session, audit_id)
    for digest in dict.fromkeys(hashes):
        if digest not in known:
            session.add(ErasedResponse(audit_id=audit_id, key_hash=digest))
            known.add(digest)


def erased_rows(session: Session, audit_id: int, keys: pd.Series) -> pd.Series:
    """True for each response id in `keys` whose interview was erased from this audit."""
    import pandas as pd

    known = erased_hashes(session, audit_id)
    if not known:
        return pd.Series(False, index=keys.index)
    return keys.astype(str).map(lambda k: key_hash(k) in known).astype(bool)


def erased_hashes(session: Session, audit_id: int) -> set[str]:
    """The hashes of the response ids erased from this audit."""
    rows = session.scalars(
        select(ErasedResponse.key_hash).where(ErasedResponse.audit_id == audit_id)
    )
    return set(rows)
