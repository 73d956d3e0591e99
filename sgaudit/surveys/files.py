"""One entry point for `sgaudit import` and the app: any answer file, as downloaded.

A file with `question_id` and `answer` columns is the long format and goes through
`sheets.import_answers` as before; anything else is a survey export (or a wide sheet)
and goes through `surveys.importing`.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from sgaudit.errors import SgauditError
from sgaudit.sheets.importer import FORMATS, detect_format
from sgaudit.sheets.reading import read_header
from sgaudit.surveys.importing import SurveyImport, SurveyOptions, import_survey


def import_file(
    session: Session,
    audit_id: int | str,
    path: str | Path,
    options: SurveyOptions = SurveyOptions(),
    *,
    format: str | None = None,
    dry_run: bool = False,
    actor: str = "",
    clear_blanks: bool = False,
    before_writing=None,
) -> SurveyImport:
    """Import a long answer sheet or a survey export: all of it, or nothing."""
    if format is not None and format not in FORMATS:
        raise SgauditError(f"format must be one of {', '.join(FORMATS)}, not '{format}'")
    if format is None:
        # The header alone tells the kind: the long path reads the file its own way.
        header = read_header(path, encoding=options.encoding)
        format = detect_format([str(h) for h in header])
    if format == "long":
        from sgaudit.sheets import import_answers

        summary = import_answers(
            session, audit_id, path,
            format="long", tier=options.tier, area=options.area, mode=options.mode,
            auditor=options.auditor, ignore_columns=options.ignore_columns,
            encoding=options.encoding, dry_run=dry_run, actor=actor,
            clear_blanks=clear_blanks, before_writing=before_writing,
        )  # fmt: skip
        return SurveyImport(summary, "long")
    return import_survey(session, audit_id, path, options, dry_run=dry_run, actor=actor)
