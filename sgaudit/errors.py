"""One error type per kind of failure. The CLI and the app show the message, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass


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
    """One problem in an input file, located by row (1-based, header is row 1) and column."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class ImportError_(SgauditError):
    """An import file was refused; nothing was written. `problems` lists every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s); nothing was imported"
        super().__init__(head + "\n" + "\n".join(f"  - {p}" for p in self.problems))


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
