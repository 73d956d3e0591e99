"""The checks of an archive's answers, a batch at a time, column by column.

Each batch of answers (`sgaudit.archive_responses`) is checked against the question
set and the archive's interviews with a few lookups over whole columns: a missing
value, a NUL character (on PostgreSQL), text longer than the store holds, an unknown interview or
question, a question not asked of the interview's tier, an answer off the question's
scale, a question answered twice for one interview (across batches too). Python
words the problems found, never loops over the answers themselves. Each problem names
its place: `responses.parquet[12].answer`, or `interviews[3].responses[1].answer` in
an archive of format 1 or 2.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sgaudit import printed
from sgaudit.archive_responses import COLUMNS, MAX_LENGTH, MAX_PROBLEMS, Source
from sgaudit.errors import Problem
from sgaudit.vocab import CAPTURE_TIERS

if TYPE_CHECKING:
    import pyarrow as pa

    from sgaudit.archive_doc import ArchiveDoc
    from sgaudit.questionnaire import QuestionSet


def _where_member(member: str) -> Callable[[Any, str | None], list[str]]:
    def where(rows: Any, column: str | None) -> list[str]:
        return [f"{member}[{k}]" + (f".{column}" if column else "") for k in rows]

    return where


def _where_nested(doc: ArchiveDoc) -> Callable[[Any, str | None], list[str]]:
    import numpy as np

    sizes = np.array([len(iv.responses) for iv in doc.interviews], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)])

    def where(rows: Any, column: str | None) -> list[str]:
        rows = np.asarray(rows, dtype=np.int64)
        i = np.searchsorted(starts, rows, side="right") - 1
        return [
            f"interviews[{a}].responses[{b}]" + (f".{column}" if column else "")
            for a, b in zip(i, rows - starts[i], strict=True)
        ]

    return where


class Checker:
    """Checks batches of answers against the question set and the archive's interviews,
    remembering across batches which (interview, question) pairs were already answered."""

    def __init__(self, source: Source, question_set: QuestionSet, *, refuse_nul: bool = True):
        import numpy as np
        import pyarrow as pa

        doc = source.doc
        self.name = source.name
        self.refuse_nul = refuse_nul
        self.where = _where_member(doc.responses.member) if doc.responses else _where_nested(doc)
        self.problems: list[Problem] = []
        self.more = 0
        self.codes = pa.array([iv.code for iv in doc.interviews], pa.string())
        tiers = [iv.tier for iv in doc.interviews]
        self.tier_of = np.array([CAPTURE_TIERS.index(t) for t in tiers], dtype=np.int64)
        qs = question_set
        self.qs = qs
        self.qids = pa.array([q.id for q in qs.questions], pa.string())
        self.asked = np.array(
            [[t in q.asked_of for t in CAPTURE_TIERS] for q in qs.questions], dtype=bool
        ).reshape(len(qs.questions), len(CAPTURE_TIERS))
        self.is_text = np.array([qs.scales[q.scale].kind == "text" for q in qs.questions])
        self.allowed = pa.array(
            [
                f"{q.id}\x1f{a}"
                for q in qs.questions
                if qs.scales[q.scale].kind != "text"
                for a in qs.scales[q.scale].allowed_answers(q.reverse)
            ],
            pa.string(),
        )
        self.seen = np.empty(0, dtype=np.int64)
        self.offset = 0

    def add(self, rows: Any, column: str | None, message: Callable[[int], str]) -> None:
        """One problem per row position in `rows` (positions within the batch)."""
        import numpy as np

        rows = np.asarray(rows, dtype=np.int64)
        room = MAX_PROBLEMS - len(self.problems)
        self.more += max(len(rows) - room, 0)
        rows = rows[: max(room, 0)]
        for at, k in zip(self.where(rows + self.offset, column), rows, strict=True):
            self.problems.append(Problem(self.name, None, at, message(int(k))))

    def check(self, batch: pa.RecordBatch) -> pa.RecordBatch | None:
        """The batch's rows with each interview's position (`_iv`) when every row is
        sound; None when a problem was found (and recorded)."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        before = len(self.problems) + self.more
        n = batch.num_rows
        col = {name: batch.column(name) for name in COLUMNS}
        for name in COLUMNS:
            nulls = np.flatnonzero(col[name].is_null().to_numpy(zero_copy_only=False))
            self.add(nulls, name, lambda k: "is missing (null)")
        # SQLite keeps a NUL character in text (a note can hold one); PostgreSQL cannot.
        for name in ("answer", "note", "updated_by") if self.refuse_nul else ():
            nul = pc.fill_null(pc.match_substring(col[name], "\x00"), False)
            self.add(np.flatnonzero(nul.to_numpy(zero_copy_only=False)), name,
                     lambda k: "holds a NUL character, which a PostgreSQL store cannot hold")  # fmt: skip
        for name, width in MAX_LENGTH.items():
            long = pc.fill_null(pc.greater(pc.utf8_length(col[name]), width), False)
            self.add(np.flatnonzero(long.to_numpy(zero_copy_only=False)), name,
                     lambda k, w=width: f"is longer than {w} characters")  # fmt: skip

        iv = pc.index_in(col["interview"], value_set=self.codes)
        iv_np = iv.to_numpy(zero_copy_only=False)
        unknown_iv = np.isnan(iv_np) & col["interview"].is_valid().to_numpy(zero_copy_only=False)
        if unknown_iv.any():
            values = col["interview"].to_pylist()
            self.add(np.flatnonzero(unknown_iv), "interview",
                     lambda k: f"interview '{values[k]}' is not one of the archive's interviews")  # fmt: skip
        q = pc.index_in(col["question_id"], value_set=self.qids)
        q_np = q.to_numpy(zero_copy_only=False)
        unknown_q = np.isnan(q_np) & col["question_id"].is_valid().to_numpy(zero_copy_only=False)
        if unknown_q.any():
            qv = col["question_id"].to_pylist()
            self.add(np.flatnonzero(unknown_q), "question_id",
                     lambda k: f"unknown question id '{qv[k]}'")  # fmt: skip

        known = ~np.isnan(iv_np) & ~np.isnan(q_np)
        iv_i = np.where(known, np.nan_to_num(iv_np), 0).astype(np.int64)
        q_i = np.where(known, np.nan_to_num(q_np), 0).astype(np.int64)
        # The same question answered twice for one interview, in this batch or before.
        keys = iv_i * len(self.qids) + q_i
        order = np.argsort(keys[known], kind="stable")
        positions = np.flatnonzero(known)[order]
        sorted_keys = keys[positions]
        twice_here = np.zeros(n, dtype=bool)
        twice_here[positions[1:][sorted_keys[1:] == sorted_keys[:-1]]] = True
        twice_before = known & np.isin(keys, self.seen)
        twice = twice_here | twice_before
        if twice.any():
            qv = col["question_id"].to_pylist()
            self.add(np.flatnonzero(twice), None, lambda k: f"{qv[k]} answered twice")
        self.seen = np.union1d(self.seen, keys[known])

        answers = pc.fill_null(col["answer"], "")
        given = known & pc.not_equal(answers, "").to_numpy(zero_copy_only=False)
        asked = self.asked[q_i, self.tier_of[iv_i]]
        not_asked = given & ~asked
        if not_asked.any():
            qv = col["question_id"].to_pylist()
            self.add(np.flatnonzero(not_asked), "answer", lambda k: self._not_asked(qv[k], iv_i[k]))
        pair = pc.binary_join_element_wise(col["question_id"], answers, "\x1f")
        on_scale = pc.fill_null(pc.is_in(pair, value_set=self.allowed), False)
        off = given & asked & ~self.is_text[q_i] & ~on_scale.to_numpy(zero_copy_only=False)
        if off.any():
            qv, av = col["question_id"].to_pylist(), col["answer"].to_pylist()
            self.add(np.flatnonzero(off), "answer", lambda k: self._off_scale(qv[k], av[k]))
        self.offset += n
        if len(self.problems) + self.more > before:
            return None
        return batch.append_column("_iv", pa.array(iv_i))

    def _not_asked(self, question_id: str, interview: int) -> str:
        q = self.qs.questions_by_id[question_id]
        tier = CAPTURE_TIERS[self.tier_of[interview]]
        return (
            f"question {question_id} is not asked of tier '{tier}' "
            f"(asked of {', '.join(q.asked_of)})"
        )

    def _off_scale(self, question_id: str, answer: str) -> str:
        return (
            f"'{answer}' is not on the scale of {question_id}; allowed: "
            f"{' | '.join(self.qs.allowed_answers(question_id))}"
        )

    def all_problems(self) -> list[Problem]:
        if self.more:
            return [
                *self.problems,
                Problem(
                    self.name,
                    None,
                    None,
                    f"and {printed.count(self.more, 'more problem', 'more problems')} in the answers",
                    more=self.more,
                ),
            ]
        return list(self.problems)
