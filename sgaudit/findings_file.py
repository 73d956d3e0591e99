"""The auditors' analysis as a file an auditor edits in any text editor (YAML).

    export_findings(session, audit_id, path)   # every finding and theme, with its analysis
    import_findings(session, audit_id, path)   # validate the whole file, then save it

Each finding and each theme carries four parts: what we saw, why it happens (the
conditions, pressures, culture and systems behind it, not blame), the impact on
people who use services, and what helps. A finding's wording, severity and title are
in the file for reference only; they are changed on the Findings page.

An import is all or nothing: every problem in the file is listed (file, line, field)
and nothing is saved until the file is clean. A part left out of an entry keeps what
is stored; a part written empty clears it. Reading the file back is in
`findings_file_reading` (`parse_findings_text`, `FindingsFileError`, `LineProblem`);
those names can be imported from here too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from sqlalchemy.orm import Session

from sgaudit.findings_file_reading import (
    FINDING_REFERENCE,
    PART_FIELDS,
    THEME_REFERENCE,
    FindingsFileError,
    LineProblem,
    Subject,
    parse_findings_text,
)
from sgaudit.store import repo
from sgaudit.store.auditor_analysis import AnalysisText, theme_subject

if TYPE_CHECKING:
    from sgaudit.report.inputs import ReportInputs

__all__ = [
    "FINDING_REFERENCE",
    "HEADER",
    "MAX_FILE_BYTES",
    "PART_FIELDS",
    "THEME_REFERENCE",
    "FindingsFileError",
    "LineProblem",
    "Subject",
    "audit_subjects",
    "export_findings",
    "findings_document",
    "import_findings",
    "parse_findings_text",
    "render_findings_document",
]

MAX_FILE_BYTES = 5 * 1024 * 1024
HEADER = """\
# The auditors' analysis of {title} ({organisation}), audit {audit}.
#
# For every finding and every theme, write four parts in your own words:
#   what_we_saw       what we saw and heard, and where
#   why_it_happens    the conditions, pressures, culture and systems behind it
#                     (why people act as they do, without hindsight or blame)
#   impact_on_people  what it means for the people who use services
#   what_helps        the strengths to build on
# Write each part after its name; a long part goes on the lines below, indented,
# after ">-" (lines are joined) or "|" (line breaks kept). Leave a part empty ("")
# while it is still to be written; the draft report says so.
# "finding", "severity", "kind", "areas", "tiers" and "title" are shown for reference
# only: change a finding's wording on the app's Findings page.
# Load it back with:  sgaudit findings import {audit} FILE
"""


def audit_subjects(
    session: Session, audit_id: int | str, inputs: ReportInputs | None = None
) -> tuple[list[Subject], list[Subject]]:
    """The audit's themes and its findings as the report shows them (dismissed left out).

    `inputs` are the audit's `report_inputs` when the caller has read them already.
    """
    from sgaudit.report.build import report_inputs
    from sgaudit.report.findings_view import reviewed_findings

    inputs = inputs if inputs is not None else report_inputs(session, audit_id)
    titles = {t.id: t.title for t in inputs.question_set.themes}
    items = reviewed_findings(inputs.analysis.findings, inputs.reviews, titles)
    themes = [Subject(theme_subject(t), t, title) for t, title in titles.items()]
    raw = {f.key: (tuple(f.tiers), tuple(f.service_areas)) for f in inputs.analysis.findings}
    raw |= {
        k: (tuple(r.tiers), tuple(r.service_areas))
        for k, r in inputs.reviews.items()
        if r.status == "added"
    }
    findings = [
        Subject(
            i.key,
            i.theme_id,
            i.summary,
            i.severity_label,
            i.kind_label,
            i.areas,
            i.tiers,
            i.kind,
            *raw.get(i.key, ((), ())),
        )
        for i in items
    ]
    return themes, findings


# ---- export ---------------------------------------------------------------------------
class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Long or multi-line prose as a block, so it reads and edits like prose. Anything
    # else (YAML's other line breaks, control characters) keeps PyYAML's quoting,
    # which round-trips exactly.
    prose = all(c == "\n" or c.isprintable() for c in value)
    style = '"' if not prose else "|" if "\n" in value else ">" if len(value) > 60 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _parts(text: AnalysisText) -> dict[str, str]:
    return {name: getattr(text, part) for name, part in PART_FIELDS.items()}


def findings_document(session: Session, audit_id: int | str) -> str:
    """The findings file of an audit, as text."""
    audit = repo.get_audit(session, audit_id)
    themes, findings = audit_subjects(session, audit.id)
    return render_findings_document(
        audit.id,
        audit.organisation.name,
        audit.title,
        themes,
        findings,
        repo.auditor_analyses(session, audit),
    )


def render_findings_document(
    audit_id: int,
    organisation: str,
    title: str,
    themes: Sequence[Subject],
    findings: Sequence[Subject],
    stored: Mapping[str, AnalysisText],
) -> str:
    """The findings file as text, from its parts (pure; `parse_findings_text` reads it)."""
    empty = AnalysisText()
    doc = {
        "audit": audit_id,
        "organisation": organisation,
        "themes": [
            {"theme": s.theme, "title": s.title, **_parts(stored.get(s.subject, empty))}
            for s in themes
        ],
        "findings": [
            {
                "key": s.subject, "theme": s.theme, "kind": s.kind, "severity": s.severity,
                **({"areas": s.areas} if s.areas else {}),
                **({"tiers": s.tiers} if s.tiers else {}),
                "finding": s.title, **_parts(stored.get(s.subject, empty)),
            }
            for s in findings
        ],
    }  # fmt: skip
    body = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)
    header = HEADER.format(title=title, organisation=organisation, audit=audit_id)
    # A title or name with a line break must not end the comment and become YAML.
    return (
        "\n".join(
            line if line.startswith("#") or not line else "# " + line
            for line in header.splitlines()
        )
        + "\n"
        + body
    )


def export_findings(session: Session, audit_id: int | str, path: str | Path) -> Path:
    """Write the audit's findings file (UTF-8 YAML) and return its path."""
    out = Path(path)
    out.write_text(findings_document(session, audit_id), encoding="utf-8")
    return out


# ---- import ---------------------------------------------------------------------------
def import_findings(
    session: Session, audit_id: int | str, path: str | Path, *, actor: str = ""
) -> int:
    """Load a findings file into the audit: all of it, or nothing. Returns entries saved."""
    file = Path(path)
    audit = repo.get_audit(session, audit_id)
    name = file.name
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FindingsFileError(
                [
                    LineProblem(
                        name,
                        None,
                        None,
                        f"the file is {size} bytes; a findings file is at most 5 MB",
                    )
                ]
            )
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FindingsFileError([LineProblem(name, None, None, "no such file")]) from None
    except UnicodeDecodeError:
        raise FindingsFileError(
            [LineProblem(name, None, None, "not UTF-8 text; save it as UTF-8")]
        ) from None
    themes, findings = audit_subjects(session, audit.id)
    stored = repo.auditor_analyses(session, audit)
    texts = parse_findings_text(text, name, audit.id, themes, findings, stored)
    return repo.save_auditor_analyses(session, audit, texts, actor=actor)
