"""A partnership's roll-up: each member organisation's latest final audit, theme by theme.

A safeguarding partnership reads its members side by side: which themes are weak in
many organisations, and which organisation is weak on which theme. The roll-up takes,
for each organisation the reader may see, its latest **final** audit (what the lead
auditor signed off and issued; a draft may still change) and gives each theme's
organisation-wide score and RAG as that audit's analysis published them: a theme whose
overall cell is hidden (too few people heard) stays hidden here, and no note, quote,
code or finding is read (a partnership analyst may see aggregates only,
`view_aggregates`). Where the organisation has an earlier final audit (the one the
latest re-audits, as its board report is compared, or else the final audit before it),
each theme also says how it changed since then, read as `sgaudit compare` reads it: on the
questions both audits asked, "better" or "worse" when the printed change is at least
the later audit's `change_points` and clear of chance given the people heard,
"unsure" when as large but not, otherwise "steady"; "not comparable" when either
side's score is hidden. Each audit read, the earlier ones too, is recorded in the
trail (`view_roll_up`).

The analyses run through `store.roll_up.analyse_audits`, on worker processes when asked.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy.orm import Session

from sgaudit import printed
from sgaudit.access.policy import VIEW_AGGREGATES, is_final
from sgaudit.analysis.compare import AS_PRINTED
from sgaudit.errors import SgauditError
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
    "previous_audit_id",
    "previous_start_date",
    "previous_score",
    "change",
    "direction",
)
HIDDEN = "hidden"  # a theme whose organisation-wide score is suppressed
RAG_ORDER = {"red": 0, "amber": 1, "green": 2}  # the weakest first
FIRST = "first final audit"  # an organisation with no earlier final audit to compare


@dataclass(frozen=True)
class RollUp:
    """The roll-up as rows (`ROLL_UP_COLUMNS`), `score`, `rag` and `people` None where the
    theme is hidden, the `previous_*`, `change` and `direction` None where the
    organisation has no earlier final audit; and the organisations seen with no final
    audit yet."""

    rows: pd.DataFrame
    organisations_without_final: list[str]

    @property
    def audits(self) -> int:
        return int(self.rows["audit_id"].nunique()) if len(self.rows) else 0

    @property
    def re_audited(self) -> int:
        """How many organisations have an earlier final audit to compare with."""
        return int(self.rows["previous_audit_id"].nunique()) if len(self.rows) else 0

    def wide(self, value: str = "cell") -> pd.DataFrame:
        """Organisations down, themes across (in the first audit's theme order): each
        cell the printed score with its RAG ("72 amber"), "hidden", or "not asked";
        `value="rag"`: the RAG alone, None where hidden or not asked; `value="since"`:
        the change since the earlier final audit ("+8 better", "\u22123 steady", "not
        comparable", or "first final audit"); `value="direction"`: `compare`'s direction
        alone (improved, worsened, unchanged, unsure, not_comparable)."""
        if self.rows.empty:
            return pd.DataFrame()
        rows = self.rows
        if value in PRINTED:  # a printed cell, made from its columns row by row
            made, columns = PRINTED[value]
            printed_cells = [made(*r) for r in zip(*(rows[c] for c in columns), strict=True)]
            rows = rows.assign(**{value: printed_cells})
        order = list(dict.fromkeys(rows["theme"]))
        wide = rows.pivot(index="organisation", columns="theme", values=value)
        wide = wide.reindex(index=list(dict.fromkeys(rows["organisation"])), columns=order)
        return wide.fillna("not asked") if value in ("cell", "since") else wide

    def by_theme(self) -> pd.DataFrame:
        """Per theme (in the first audit's order), across the partnership: how many
        organisations show it, how many at each RAG (red first), how many hide it, and
        the median of the scores shown; and, of the organisations with an earlier final
        audit, how many are better and how many worse on it since."""
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
        if self.re_audited:
            moved = self.rows.groupby(["theme", "direction"]).size()
            for direction in ("improved", "worsened"):
                word = AS_PRINTED[direction]
                out[f"{word} since"] = [int(moved.get((t, direction), 0)) for t in order]
        return out

    def csv(self) -> bytes:
        """The rows as CSV (UTF-8 with a byte-order mark, for spreadsheets), every text
        cell made safe from formula injection (organisation names are typed by people)."""
        # to one decimal, as the analysis's JSON writes scores (printed ones are whole)
        safe = self.rows.assign(
            score=self.rows["score"].astype(float).round(1),
            previous_score=self.rows["previous_score"].astype(float).round(1),
        )
        safe = safe.map(neutralise_formula)
        return safe.to_csv(index=False).encode("utf-8-sig")


def _cell(score: float | None, rag: str | None) -> str:
    """One organisation's theme as the roll-up prints it: "72 amber", or hidden."""
    if score is None or score != score:  # None, or NaN once in a frame
        return HIDDEN
    return f"{printed.score(score)} {rag}"


def _since(previous, change, direction) -> str:
    """One organisation's change on a theme as the roll-up prints it: "+8 better"."""
    if pd.isna(previous):
        return FIRST
    if pd.isna(change) or direction not in AS_PRINTED or direction == "not_comparable":
        return "not comparable"
    return printed.change_text(int(change), AS_PRINTED[direction]).lower()


#: `RollUp.wide`'s printed values: how each cell is made, and from which columns.
PRINTED = {
    "cell": (_cell, ("score", "rag")),
    "since": (_since, ("previous_audit_id", "change", "direction")),
}


@dataclass(frozen=True)
class Member:
    """One organisation's audit in a roll-up: what its rows say of it besides the scores
    (hashable, so a screen may cache the rows by it)."""

    audit_id: int
    organisation: str
    title: str
    start_date: date | None
    previous_id: int | None = None  # the organisation's final audit before this one
    previous_start_date: date | None = None

    @classmethod
    def of(cls, audit: Audit, previous: Audit | None = None) -> Member:
        return cls(
            audit.id,
            audit.organisation.name,
            audit.title,
            audit.start_date,
            None if previous is None else previous.id,
            None if previous is None else previous.start_date,
        )


def final_audits(session: Session) -> tuple[list[tuple[Audit, Audit | None]], list[str]]:
    """Each organisation's latest final audit the session's principal may see, with the
    final audit it is compared with (`_previous`; None for a first), in organisation order;
    and the organisations they may see with no final audit yet."""
    from sgaudit.store.audits import list_audits
    from sgaudit.store.organisations import list_organisations
    from sgaudit.store.scope import allowed

    finals: dict[int, list[Audit]] = {}
    for audit in list_audits(session):  # oldest first: the last of each is the latest
        if is_final(audit) and allowed(session, VIEW_AGGREGATES, audit):
            finals.setdefault(audit.organisation_id, []).append(audit)
    pairs = [(audits[-1], _previous(audits)) for audits in finals.values()]
    waiting = [org.name for org in list_organisations(session) if org.id not in finals]
    return pairs, waiting


def _previous(finals: list[Audit]) -> Audit | None:
    """The final audit the latest is compared with: the one it re-audits (its
    `previous_audit_id`, as its board report is compared) where that is final and may
    be seen, otherwise the final audit before it."""
    latest, earlier = finals[-1], finals[:-1]
    named = [a for a in earlier if a.id == latest.previous_audit_id]
    return named[0] if named else (earlier[-1] if earlier else None)


def members_read(session: Session) -> tuple[tuple[Member, ...], list[str]]:
    """The roll-up's members for the session's principal (`final_audits`), each audit
    to be read, the earlier ones too, recorded in the trail (`view_roll_up`), in one
    commit; and the organisations with no final audit yet."""
    from sgaudit.store.trail import record_reads

    pairs, waiting = final_audits(session)
    members = tuple(Member.of(a, before) for a, before in pairs)  # before the commit
    record_reads(session, "view_roll_up", [a for pair in pairs for a in pair if a is not None])
    return members, waiting


def roll_up(session: Session, url: str, workers: int = 1) -> RollUp:
    """The roll-up of what the session's principal may see (module docstring), each audit
    read recorded in the trail.

    `url` is the store's (the workers open their own sessions on it, for the same
    principal); `workers` processes analyse the audits (1: in this process).
    """
    from sgaudit.store.scope import principal_of

    members, waiting = members_read(session)
    return RollUp(roll_up_rows(url, members, principal_of(session), workers), waiting)


#: From this many members the app's roll-up shares the work among worker processes.
#: Below it, starting a worker (a fresh Python with pandas and the app's imports, about
#: 2 s) costs more than the 0.2-0.3 s each member takes in the page's own process.
WORKERS_FROM = 16
MAX_PAGE_WORKERS = 4


def page_workers(members: int) -> int:
    """Worker processes for the app's roll-up of `members` organisations (1: the page's
    own process). `SGAUDIT_ROLL_UP_WORKERS` sets it; otherwise the machine's cores, at
    most `MAX_PAGE_WORKERS`, from `WORKERS_FROM` members."""
    given = os.environ.get("SGAUDIT_ROLL_UP_WORKERS", "").strip()
    if given:
        if not given.isdigit() or int(given) < 1:
            raise SgauditError(
                f"SGAUDIT_ROLL_UP_WORKERS must be a whole number of 1 or more, not {given!r}"
            )
        return int(given)
    if members < WORKERS_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_PAGE_WORKERS))


def roll_up_rows(url: str, members: Sequence[Member], principal, workers: int = 1) -> pd.DataFrame:
    """The roll-up's rows (`ROLL_UP_COLUMNS`) of `members`, read for `principal`: each
    theme's organisation-wide score, RAG and people as the audit's analysis published
    them, None where hidden, and its change since the member's earlier final audit. A
    screen may cache these by the audits' revisions."""
    from sgaudit.store.roll_up import analyse_with_previous

    pairs = [(m.audit_id, m.previous_id) for m in members]
    rows = []
    for member, (result, changes) in zip(
        members, analyse_with_previous(url, pairs, principal, workers), strict=True
    ):
        for theme in result.themes:
            hidden = theme.suppressed or theme.score is None
            since = None if changes is None else changes.get(theme.theme)
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
                    "previous_audit_id": member.previous_id,
                    "previous_start_date": member.previous_start_date,
                    "previous_score": None if since is None else since.old_score,
                    "change": None if since is None else since.change,
                    "direction": (
                        None
                        if member.previous_id is None
                        else (since.direction if since is not None else "not_comparable")
                    ),
                }
            )
    frame = pd.DataFrame(rows, columns=list(ROLL_UP_COLUMNS))
    # whole numbers, blank where there is none (not 3.0 beside NaN)
    return frame.astype({"previous_audit_id": "Int64", "change": "Int64", "people": "Int64"})
