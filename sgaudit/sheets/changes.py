"""What an import would change in the store, worked out before anything is written.

A re-import must not destroy what was typed: a blank cell means "no change" (unless
the user asks for `--clear-blanks`), and every stored value that would change is
listed with its old and new value before it changes (note text is never copied: the
list says that a note changed). Pure: frames in, an `ImportPlan` out, no I/O; the
comparison is a few merges over the whole file, not a loop over answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

# Interview fields a re-import may change (tier and service area may not: the
# validation refuses a file that moves an interview).
INTERVIEW_CHANGEABLE: tuple[str, ...] = ("mode", "held_on", "auditor", "people")
ANSWER_FIELDS: tuple[str, ...] = ("answer", "note", "quotable")


@dataclass(frozen=True)
class Change:
    """One stored value an import changes."""

    interview_id: str
    question_id: str | None  # None for a field of the interview itself
    field: str
    old: Any
    new: Any

    def describe(self) -> str:
        where = f"interview {self.interview_id}" + (
            f", {self.question_id}" if self.question_id else ""
        )
        if self.field == "note":
            return f"{where}: note changed (text not shown)"
        if self.field == "removed":
            return f"{where}: answer '{self.old}' removed (blank answer and note, --clear-blanks)"
        return f"{where}: {self.field} '{_text(self.old)}' -> '{_text(self.new)}'"

    def to_log(self) -> dict[str, Any]:
        """The change-log form: old and new values, except a note's text."""
        out: dict[str, Any] = {"interview": self.interview_id, "field": self.field}
        if self.question_id:
            out["question"] = self.question_id
        if self.field == "note":
            out["changed"] = True
        else:
            out["old"], out["new"] = _text(self.old), _text(self.new)
        return out


def _text(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool | int | str):
        return value
    return str(value)


@dataclass(frozen=True)
class ImportPlan:
    """Everything an import writes, split by how it is written."""

    new_interviews: pd.DataFrame  # code, tier, service_area, mode, held_on, auditor, people
    interview_updates: pd.DataFrame  # id + INTERVIEW_CHANGEABLE (full new values)
    new_answers: pd.DataFrame  # interview_id (code), question_id, answer, note, quotable
    answer_updates: pd.DataFrame  # id, answer, note, quotable
    answer_deletes: list[int]
    matched_answers: int  # answers in the file that are already stored
    changes: list[Change] = field(default_factory=list)


def plan_import(
    rows: pd.DataFrame,
    interviews: pd.DataFrame,
    answers: pd.DataFrame,
    *,
    clear_blanks: bool = False,
) -> ImportPlan:
    """Compare validated rows with what is stored.

    `rows`: the validated answer rows (with `_given_<field>` flags per interview and
    `_quotable_blank`). `interviews`: stored id, code + INTERVIEW_CHANGEABLE.
    `answers`: stored id, code, question_id, answer, note, quotable.
    """
    changes: list[Change] = []
    firsts = rows.drop_duplicates("interview_id")
    known = firsts["interview_id"].isin(set(interviews["code"]))
    new_interviews = firsts.loc[
        ~known, ["interview_id", "tier", "service_area", "mode", "held_on", "auditor", "people"]
    ].rename(columns={"interview_id": "code"})

    # Interviews already stored: a field given in the file and different is a change.
    stored = firsts[known].merge(
        interviews, left_on="interview_id", right_on="code", suffixes=("", "_db")
    )
    changed_rows = pd.Series(False, index=stored.index)
    updated = stored[["id"]].copy()
    for name in INTERVIEW_CHANGEABLE:
        new, old = stored[name], stored[f"{name}_db"]
        given = stored[f"_given_{name}"].astype(bool)
        differs = given & ~_same(new, old)
        changed_rows |= differs
        updated[name] = new.where(differs, old).to_numpy()
        for code, o, n in zip(
            stored.loc[differs, "interview_id"],
            old[differs],
            new[differs],
            strict=True,
        ):
            changes.append(Change(code, None, name, o, n))
    interview_updates = updated[changed_rows.to_numpy()].reset_index(drop=True)

    # Answers: merged on (interview code, question id) with what is stored.
    merged = rows.merge(
        answers.rename(columns={"code": "interview_id"}),
        on=["interview_id", "question_id"],
        how="left",
        suffixes=("", "_db"),
        indicator=True,
    )
    exists = merged["_merge"].eq("both").to_numpy()
    fresh = merged[~exists]
    fresh = fresh[fresh["answer"].ne("") | fresh["note"].fillna("").ne("")]
    new_answers = fresh[["interview_id", "question_id", "answer", "note", "quotable"]]

    old = merged[exists]
    final = pd.DataFrame(index=old.index)
    for name in ANSWER_FIELDS:
        blank = old["_quotable_blank"].astype(bool) if name == "quotable" else old[name].eq("")
        keep = blank if not clear_blanks else pd.Series(False, index=old.index)
        final[name] = old[name].where(~keep, old[f"{name}_db"])
    final["quotable"] = final["quotable"].astype(bool)
    removed = final["answer"].eq("") & final["note"].eq("")
    differs = pd.Series(False, index=old.index)
    for name in ANSWER_FIELDS:
        field_differs = _differs(final[name], old[f"{name}_db"], name) & ~removed
        differs |= field_differs
        for code, qid, o, n in zip(
            old.loc[field_differs, "interview_id"],
            old.loc[field_differs, "question_id"],
            old.loc[field_differs, f"{name}_db"],
            final.loc[field_differs, name],
            strict=True,
        ):
            changes.append(Change(code, qid, name, o, n))
    for code, qid, o in zip(
        old.loc[removed, "interview_id"],
        old.loc[removed, "question_id"],
        old.loc[removed, "answer_db"],
        strict=True,
    ):
        changes.append(Change(code, qid, "removed", o, ""))
    answer_updates = final[differs].assign(id=old.loc[differs, "id"].astype("int64"))
    return ImportPlan(
        new_interviews=new_interviews.reset_index(drop=True),
        interview_updates=interview_updates,
        new_answers=new_answers.reset_index(drop=True),
        answer_updates=answer_updates.reset_index(drop=True),
        answer_deletes=[int(i) for i in old.loc[removed, "id"]],
        matched_answers=int(exists.sum()),
        changes=changes,
    )


def _same(new: pd.Series, old: pd.Series) -> pd.Series:
    """Equal values, with two missing values counted as equal (dates, auditors)."""
    both_missing = new.isna().to_numpy() & old.isna().to_numpy()
    a = new.astype(object).where(new.notna(), None).map(_text)
    b = old.astype(object).where(old.notna(), None).map(_text)
    return pd.Series((a.to_numpy() == b.to_numpy()) | both_missing, index=new.index)


def _differs(new: pd.Series, old: pd.Series, name: str) -> pd.Series:
    """Vectorised inequality of an answer field (a million answers: no Python loop)."""
    if name == "quotable":
        return pd.Series(
            new.astype(bool).to_numpy() != old.fillna(False).astype(bool).to_numpy(),
            index=new.index,
        )
    return pd.Series(
        new.fillna("").astype(str).to_numpy() != old.fillna("").astype(str).to_numpy(),
        index=new.index,
    )
