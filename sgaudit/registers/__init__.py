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
from sgaudit.registers.schema import REGISTER_KINDS, REGISTER_LABELS, Column, columns_of
from sgaudit.registers.training import training_status
from sgaudit.registers.triangulation import evidence_gaps, triangulate

# Reading and validating register files (and writing them back out) load on first use:
# the indicators of stored registers, which every analysing command works out, need
# neither (see `registers.stored`).
_ON_FIRST_USE = {
    "read_register": "sgaudit.registers.reading",
    "records_to_frame": "sgaudit.registers.records",
    "register_to_csv": "sgaudit.registers.records",
    "rows_to_records": "sgaudit.registers.records",
    "validate_cells": "sgaudit.registers.validation",
}


def __getattr__(name: str):
    if name in _ON_FIRST_USE:
        import importlib

        value = getattr(importlib.import_module(_ON_FIRST_USE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sgaudit.registers' has no attribute {name!r}")


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
