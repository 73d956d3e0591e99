"""An audit's stored evidence registers, checked against its training framework.

The one place the CLI (`analyse`, `registers show`), the report and the app get the
register indicators and the evidence-gap findings of an audit, so all three agree.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from sgaudit.access.policy import READ_ANSWERS, VIEW_DASHBOARD
from sgaudit.analysis.against_fixed import evidence_against
from sgaudit.analysis.data import AuditData
from sgaudit.analysis.findings import Finding
from sgaudit.analysis.scores import ScoreTables
from sgaudit.analysis.scoring import theme_titles
from sgaudit.registers import (
    REGISTER_KINDS,
    Framework,
    FrameworkError,
    RegisterIndicators,
    compute_indicators,
    evidence_gaps,
    framework_from_snapshot,
    load_framework,
)
from sgaudit.registers.record_findings import record_findings
from sgaudit.registers.stored import stored_frame
from sgaudit.store.models import Audit, RegisterEntry
from sgaudit.store.scope import check


@dataclass(frozen=True)
class StoredEvidence:
    """What an audit's registers show: indicators, the findings they raise (evidence gaps
    and record findings), and what was not checked."""

    indicators: RegisterIndicators | None
    findings: tuple[Finding, ...]
    framework: Framework | None
    not_checked: tuple[str, ...] = ()


def audit_framework(audit: Audit) -> Framework | None:
    """The framework the audit's training register is checked against (its snapshot first)."""
    if audit.framework_snapshot:
        return framework_from_snapshot(audit.framework_snapshot)
    if audit.framework_id:
        return load_framework(audit.framework_id)
    return None


def audit_registers(session: Session, audit: Audit) -> dict[str, pd.DataFrame]:
    """The audit's registers as typed frames, indexed by their original file rows
    (validated when they were stored; see `registers.stored`).

    Register rows are raw records (who was trained, which concern): only those who may
    read the audit's answers get them.
    """
    check(session, READ_ANSWERS, audit)
    return _register_frames(session, audit)


def register_row_counts(session: Session, audit: Audit) -> dict[str, int]:
    """How many records each of the audit's registers holds (counts only, for the
    report's documents-and-records table; whoever may see the dashboard may see them)."""
    from sqlalchemy import func, select

    check(session, VIEW_DASHBOARD, audit)
    rows = session.execute(
        select(RegisterEntry.register, func.count())
        .where(RegisterEntry.audit_id == audit.id)
        .group_by(RegisterEntry.register)
    ).all()
    return {str(register): int(n) for register, n in rows if register in REGISTER_KINDS}


def _register_rows(session: Session, audit: Audit) -> list[tuple[str, int, dict]]:
    from sqlalchemy import select

    return [
        tuple(row)
        for row in session.execute(
            select(RegisterEntry.register, RegisterEntry.row_number, RegisterEntry.data)
            .where(RegisterEntry.audit_id == audit.id)
            .order_by(RegisterEntry.register, RegisterEntry.row_number)
        ).all()
    ]


def _frames_of(rows: list[tuple[str, int, dict]]) -> dict[str, pd.DataFrame]:
    grouped: dict[str, tuple[list[int], list[dict]]] = {}
    for register, row_number, data in rows:
        numbers, records = grouped.setdefault(register, ([], []))
        numbers.append(row_number)
        records.append(data)
    return {
        kind: stored_frame(kind, records, row_numbers=numbers)
        for kind, (numbers, records) in grouped.items()
        if kind in REGISTER_KINDS and records
    }


def _register_frames(session: Session, audit: Audit) -> dict[str, pd.DataFrame]:
    return _frames_of(_register_rows(session, audit))


# Working out the indicators of stored registers is the slow part of an audit's
# evidence, and registers change far less often than answers. So the
# indicators are kept per exact content: a hash of every stored row, the framework
# snapshot, the date they are worked out at and the settings. Equal content, equal
# indicators; any change to any of them is a new key. Only indicators are kept (counts
# and rates already suppressed), never rows, and only after the access check.
_INDICATORS: OrderedDict[str, tuple] = OrderedDict()
_INDICATORS_KEPT = 16


def _content_key(rows, audit: Audit, as_of: date, settings) -> str:
    digest = hashlib.sha256()
    for register, row_number, data in rows:
        digest.update(
            json.dumps([register, row_number, data], sort_keys=True, default=str).encode()
        )
    digest.update(
        json.dumps(
            [audit.framework_id, audit.framework_snapshot], sort_keys=True, default=str
        ).encode()
    )
    digest.update(str(as_of).encode())
    digest.update(settings.model_dump_json().encode() if settings is not None else b"")
    return digest.hexdigest()


def _indicators(session: Session, audit: Audit, as_of: date, settings) -> tuple:
    """(indicators or None, framework, not_checked) of the audit's registers, or None
    when it has no register rows at all."""
    rows = _register_rows(session, audit)
    if not rows:
        return None
    key = _content_key(rows, audit, as_of, settings)
    if key in _INDICATORS:
        _INDICATORS.move_to_end(key)
        return _INDICATORS[key]
    frames = _frames_of(rows)
    if not frames:
        return None
    not_checked: list[str] = []
    try:
        framework = audit_framework(audit)
    except FrameworkError as exc:
        framework = None
        not_checked.append(
            f"The training framework could not be loaded ({exc}), so training "
            "records were not checked."
        )
    if framework is None and "training" in frames:
        frames.pop("training")
        if not not_checked:
            not_checked.append(
                "No role-group training framework is set for this audit, so "
                "training records were not checked."
            )
    indicators = compute_indicators(frames, framework, as_of, settings) if frames else None
    found = (indicators, framework, tuple(not_checked))
    _INDICATORS[key] = found
    while len(_INDICATORS) > _INDICATORS_KEPT:
        _INDICATORS.popitem(last=False)
    return found


def interview_theme_scores(data: AuditData, tables: ScoreTables | None = None) -> pd.DataFrame:
    """theme, score (organisation-wide interview score, NaN if suppressed), title.

    `tables` are `ScoreTables.build(data)` when the caller has built them already.
    """
    overall = (tables if tables is not None else ScoreTables.build(data)).overall
    titles = theme_titles(data)
    return pd.DataFrame(
        {
            "theme": overall["theme"].astype(str),
            "score": overall["score"].astype(float),
            "title": [titles.get(str(t), str(t)) for t in overall["theme"]],
        }
    )


def audit_evidence(
    session: Session, audit: Audit, data: AuditData, tables: ScoreTables | None = None
) -> StoredEvidence | None:
    """Indicators, evidence gaps and record findings of the audit's registers; None
    when it has none.

    Indicators are worked out as of the audit's end date (else its start date, else
    today). Without a training framework the training register is not checked, and
    `not_checked` says so in words for the report and the app. `tables` are
    `ScoreTables.build(data)` when the caller has built them already.
    """
    check(session, VIEW_DASHBOARD, audit)
    as_of = audit.end_date or audit.start_date or date.today()
    found = _indicators(session, audit, as_of, data.settings)
    if found is None:
        return None
    indicators, framework, not_checked = found
    if indicators is None:
        return StoredEvidence(None, (), framework, not_checked)
    tables = tables if tables is not None else ScoreTables.build(data)
    records = indicators.records_scores_frame().rename(columns={"records_score": "fixed"})
    findings = (
        *evidence_gaps(
            interview_theme_scores(data, tables),
            indicators,
            data.settings,
            tests=evidence_against(tables, records),
        ),
        *record_findings(indicators),
    )
    return StoredEvidence(indicators, findings, framework, not_checked)


def import_register(
    session: Session, audit: Audit, kind: str, path, *, dry_run: bool = False, actor: str = ""
) -> int:
    """Read, check and store one register for an audit, all or nothing.

    Beyond the file's own checks, every `service_area` must be one of the
    organisation's areas (as in the answer sheets). Raises ImportError_ listing every
    problem; with `dry_run` nothing is written. Returns the number of rows.
    """
    from sgaudit.errors import ImportError_, Problem
    from sgaudit.registers import read_register
    from sgaudit.registers.records import FrameRecords
    from sgaudit.store import repo

    frame = read_register(kind, path)
    if "service_area" in frame.columns:
        areas = set(audit.organisation.area_names)
        values = frame["service_area"]
        unknown = values[values.notna() & ~values.astype(str).isin(areas)]
        if len(unknown):
            raise ImportError_(
                [
                    Problem(
                        str(path),
                        int(row),
                        "service_area",
                        f"unknown service area '{value}'; {audit.organisation.name} has "
                        f"{', '.join(audit.organisation.area_names)}",
                    )
                    for row, value in unknown.items()
                ]
            )
    if dry_run:
        return len(frame)
    n = repo.replace_register(
        session,
        audit,
        kind,
        FrameRecords(frame),  # built a batch at a time as they are written
        row_numbers=list(frame.index),
        actor=actor,
        source=Path(path).name,
    )
    session.commit()
    return n
