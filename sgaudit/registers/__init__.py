"""Evidence registers, role-group training frameworks, indicators and triangulation (issue 5).

What people say in interviews is checked against what the organisation's registers
show. The five registers (training, recruitment, policies, concerns, complaints) are
read from CSV or XLSX and validated like the answer sheets; indicators are computed as
of an audit date; evidence gaps are found where interviews and records disagree.
File formats, indicator definitions and rules: docs/registers.md.

    frames = {kind: read_register(kind, path) for kind, path in files.items()}
    indicators = compute_indicators(frames, load_framework("wales_national"), audit_date)
    findings = evidence_gaps(theme_scores, indicators)
"""

from sgaudit.registers.frameworks import (
    Framework,
    FrameworkError,
    RoleGroup,
    framework_from_snapshot,
    list_frameworks,
    load_framework,
)
from sgaudit.registers.indicators import compute_indicators
from sgaudit.registers.mapping import (
    RegisterSettings,
    default_settings,
    indicator_map,
    settings_from,
)
from sgaudit.registers.models import RegisterIndicators
from sgaudit.registers.reading import read_register
from sgaudit.registers.records import records_to_frame, register_to_csv, rows_to_records
from sgaudit.registers.schema import REGISTER_KINDS, REGISTER_LABELS, Column, columns_of
from sgaudit.registers.training import training_status
from sgaudit.registers.triangulation import evidence_gaps, triangulate
from sgaudit.registers.validation import validate_cells

__all__ = [
    "REGISTER_KINDS",
    "REGISTER_LABELS",
    "Column",
    "Framework",
    "FrameworkError",
    "RegisterIndicators",
    "RegisterSettings",
    "RoleGroup",
    "columns_of",
    "compute_indicators",
    "default_settings",
    "evidence_gaps",
    "framework_from_snapshot",
    "indicator_map",
    "list_frameworks",
    "load_framework",
    "read_register",
    "records_to_frame",
    "register_to_csv",
    "rows_to_records",
    "settings_from",
    "training_status",
    "triangulate",
    "validate_cells",
]
