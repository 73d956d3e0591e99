"""One error type per kind of failure. The CLI and the app show the message, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass

from sgaudit import printed


class SgauditError(Exception):
    """Base class: anything a user can cause and should be told about plainly."""


class QuestionnaireError(SgauditError):
    """A question set file is missing, unreadable or invalid.

    `problems` lists every problem found, each naming the file and the path inside it.
    """

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Problem:
    """One problem in an input file, located by row (1-based, header is row 1) and column.

    `row` None is a problem not of one row: of the whole file (no column either), or of
    a column as a whole (`whole_column`: its answers as a set, its dates' format). Say
    where it is with `place`, never with the bare row number, which may be None.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    # A line that stands for this many more problems, counted but not listed one by one
    # ("and 1,065,634 more problems ..."): a file wrong from top to bottom is told
    # so with its first problems, not a million lines.
    more: int = 0
    whole_column: bool = False

    @property
    def place(self) -> str:
        """Where in the file, in words: "row 5", "header (row 1)", "whole column", "whole file"."""
        if self.row == 1:
            return "header (row 1)"
        if self.row is not None:
            return f"row {self.row}"
        if self.whole_column:
            return "whole column"
        return "" if self.column else "whole file"

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None and self.row != 1:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'" + _qualifier(self.row, self.whole_column))
        elif self.row == 1:
            where.append("header (row 1)")
        return f"{', '.join(where)}: {self.message}"


def _qualifier(row: int | None, whole_column: bool) -> str:
    if row == 1:
        return " (header, row 1)"
    return " (whole column)" if whole_column and row is None else ""


class ImportError_(SgauditError):
    """An import file was refused; nothing was written. `problems` lists every problem (or
    the first ones, then a line that counts the rest: `Problem.more`)."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        head = f"{printed.count(self.count, 'problem')}; nothing was imported"
        super().__init__(head + "\n" + "\n".join(f"  - {p}" for p in self.problems))

    @property
    def count(self) -> int:
        """How many problems the file has, the counted-only ones included."""
        return sum(p.more or 1 for p in self.problems)


class NotFound(SgauditError):
    """An organisation, audit, interview or question that does not exist."""


class InvalidAnswer(SgauditError):
    """An answer that is not on the question's scale, or a question not asked of that tier."""


class ReportError(SgauditError):
    """The report could not be produced (bad template, missing converter)."""


class AuditLocked(SgauditError):
    """A write to a final audit; it must be reopened as a new version first."""


class WorkflowError(SgauditError):
    """A step of the draft -> in review -> final path taken out of turn or by the wrong person."""


class EditConflict(SgauditError):
    """The item changed since the writer opened it; nothing was written.

    `theirs` is the version now stored (a dict of its fields, with `revision`,
    `updated_by` and `updated_at`), or None when the other writer removed it. Show it,
    let the writer choose, and save again with `expected_revision=theirs["revision"]`
    to keep their own. Items without a revision (a second auditor's score) say what
    happened in their own `message`.
    """

    def __init__(self, what: str, theirs: dict | None, *, message: str | None = None):
        self.theirs = theirs
        if message is None and theirs is None:
            message = f"{what} was removed by someone else since you opened it"
        elif message is None:
            who = theirs.get("updated_by") or "someone else"
            message = (
                f"{what} was changed by {who} since you opened it (now revision "
                f"{theirs.get('revision')}); nothing was saved. Keep their version or save "
                "yours again over it"
            )
        super().__init__(message)
