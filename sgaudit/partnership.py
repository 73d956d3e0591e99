"""A partnership's roll-up: each member organisation's latest final audit, theme by theme.

A safeguarding partnership reads its members side by side: which themes are weak in
many organisations, and which organisation is weak on which theme. The roll-up takes,
for each organisation the reader may see, its latest **final** audit (what the lead
auditor signed off and issued; a draft may still change) and gives each theme's
organisation-wide score and RAG as that audit's analysis published them: a theme whose
overall cell is hidden (too few people heard) stays hidden here, and no note, quote,
code or finding is read (a partnership analyst may see aggregates only,
`view_aggregates`). Each audit read is recorded in the trail (`view_roll_up`).

The analyses run through `store.roll_up.analyse_audits`, on worker processes when asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy.orm import Session

from sgaudit import printed
from sgaudit.access.policy import VIEW_AGGREGATES, is_final
from sgaudit.safe_csv import neutralise_formula

if TYPE_CHECKING:
    from sgaudit.store.models import Audit

#: The roll-up's rows: one per organisation x theme of its latest final audit.
ROLL_UP_COLUMNS: tuple[str, ...] = (
    "organisation",
    "audit_id",
    "audit",
    "start_date",
    "question_set",
    "theme_id",
    "theme",
    "score",
    "rag",
    "people",
)
HIDDEN = "hidden"  # a theme whose organisation-wide score is suppressed
RAG_ORDER = {"red": 0, "amber": 1, "green": 2}  # the weakest first


@dataclass(frozen=True)
class RollUp:
    """The roll-up as rows (`ROLL_UP_COLUMNS`), `score`, `rag` and `people` None where the
    theme is hidden; and the organisations seen with no final audit yet."""

    rows: pd.DataFrame
    organisations_without_final: list[str]

    @property
    def audits(self) -> int:
        return int(self.rows["audit_id"].nunique()) if len(self.rows) else 0

    def wide(self, value: str = "cell") -> pd.DataFrame:
        """Organisations down, themes across (in the first audit's theme order): each
        cell the printed score with its RAG ("72 amber"), "hidden", or "not asked";
        `value="rag"`: the RAG alone, None where hidden or not asked."""
        if self.rows.empty:
            return pd.DataFrame()
        rows = self.rows.assign(
            cell=[
                _cell(score, rag)
                for score, rag in zip(self.rows["score"], self.rows["rag"], strict=True)
            ]
        )
        order = list(dict.fromkeys(rows["theme"]))
        wide = rows.pivot(index="organisation", columns="theme", values=value)
        wide = wide.reindex(index=list(dict.fromkeys(rows["organisation"])), columns=order)
        return wide.fillna("not asked") if value == "cell" else wide

    def by_theme(self) -> pd.DataFrame:
        """Per theme (in the first audit's order), across the partnership: how many
        organisations show it, how many at each RAG (red first), how many hide it, and
        the median of the scores shown."""
        if self.rows.empty:
            return pd.DataFrame()
        shown = self.rows[self.rows["score"].notna()]
        order = list(dict.fromkeys(self.rows["theme"]))
        rags = sorted(shown["rag"].dropna().unique(), key=lambda r: (RAG_ORDER.get(r, 9), r))
        counts = pd.crosstab(shown["theme"], shown["rag"]).reindex(
            index=order, columns=rags, fill_value=0
        )
        hidden = self.rows[self.rows["score"].isna()].groupby("theme").size()
        out = pd.DataFrame(
            {
                "theme": order,
                "organisations": self.rows.groupby("theme").size().reindex(order).to_numpy(),
            }
        )
        for rag in rags:
            out[rag] = counts[rag].to_numpy()
        out[HIDDEN] = hidden.reindex(order, fill_value=0).to_numpy()
        medians = shown.groupby("theme")["score"].median().reindex(order)
        out["median score"] = [printed.score(m) if m == m else None for m in medians]
        return out

    def csv(self) -> bytes:
        """The rows as CSV (UTF-8 with a byte-order mark, for spreadsheets), every text
        cell made safe from formula injection (organisation names are typed by people)."""
        # to one decimal, as the analysis's JSON writes scores (printed ones are whole)
        safe = self.rows.assign(score=self.rows["score"].astype(float).round(1))
        safe = safe.map(neutralise_formula)
        return safe.to_csv(index=False).encode("utf-8-sig")


def _cell(score: float | None, rag: str | None) -> str:
    """One organisation's theme as the roll-up prints it: "72 amber", or hidden."""
    if score is None or score != score:  # None, or NaN once in a frame
        return HIDDEN
    return f"{printed.score(score)} {rag}"


@dataclass(frozen=True)
class Member:
    """One organisation's audit in a roll-up: what its rows say of it besides the scores
    (hashable, so a screen may cache the rows by it)."""

    audit_id: int
    organisation: str
    title: str
    start_date: date | None

    @classmethod
    def of(cls, audit: Audit) -> Member:
        return cls(audit.id, audit.organisation.name, audit.title, audit.start_date)


def latest_final_audits(session: Session) -> tuple[list[Audit], list[str]]:
    """Each organisation's latest final audit the session's principal may see, in
    organisation order; and the organisations they may see with no final audit yet."""
    from sgaudit.store.audits import list_audits
    from sgaudit.store.organisations import list_organisations
    from sgaudit.store.scope import allowed

    latest: dict[int, Audit] = {}
    for audit in list_audits(session):  # oldest first: the last of each is the latest
        if is_final(audit) and allowed(session, VIEW_AGGREGATES, audit):
            latest[audit.organisation_id] = audit
    waiting = [org.name for org in list_organisations(session) if org.id not in latest]
    return list(latest.values()), waiting


def roll_up(session: Session, url: str, workers: int = 1) -> RollUp:
    """The roll-up of what the session's principal may see (module docstring), each audit
    read recorded in the trail.

    `url` is the store's (the workers open their own sessions on it, for the same
    principal); `workers` processes analyse the audits (1: in this process).
    """
    from sgaudit.store.scope import principal_of
    from sgaudit.store.trail import record_reads

    audits, waiting = latest_final_audits(session)
    members = [Member.of(a) for a in audits]  # before the commit expires the audits
    record_reads(session, "view_roll_up", audits)
    return RollUp(roll_up_rows(url, members, principal_of(session), workers), waiting)


def roll_up_rows(url: str, members: Sequence[Member], principal, workers: int = 1) -> pd.DataFrame:
    """The roll-up's rows (`ROLL_UP_COLUMNS`) of `members`, read for `principal`: each
    theme's organisation-wide score, RAG and people as the audit's analysis published
    them, None where hidden. A screen may cache these by the audits' revisions."""
    from sgaudit.store.roll_up import analyse_audits

    ids = [m.audit_id for m in members]
    rows = []
    for member, (_, result) in zip(
        members, analyse_audits(url, ids, principal, workers), strict=True
    ):
        for theme in result.themes:
            hidden = theme.suppressed or theme.score is None
            rows.append(
                {
                    "organisation": member.organisation,
                    "audit_id": member.audit_id,
                    "audit": member.title,
                    "start_date": member.start_date,
                    "question_set": f"{result.question_set_id} v{result.question_set_version}",
                    "theme_id": theme.theme,
                    "theme": theme.title,
                    "score": None if hidden else float(theme.score),
                    "rag": None if hidden else theme.rag,
                    "people": None if hidden else theme.n,
                }
            )
    return pd.DataFrame(rows, columns=list(ROLL_UP_COLUMNS))
