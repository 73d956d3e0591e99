"""Pure pandas analysis of an audit: scores, golden thread, scope, findings, comparison.

No I/O and no loops over responses: functions take the frames of `AuditData` and
return DataFrames or frozen pydantic models. docs/analysis.md explains every rule.
"""

from sgaudit.analysis.compare import Comparison, NotComparable, ThemeChange, compare_audits
from sgaudit.analysis.data import AuditData
from sgaudit.analysis.findings import Finding, build_findings, finding_key
from sgaudit.analysis.result import (
    AuditAnalysis,
    CellScore,
    InterviewCount,
    ThemeResult,
    analyse,
)

__all__ = [
    "AuditAnalysis",
    "AuditData",
    "CellScore",
    "Comparison",
    "Finding",
    "InterviewCount",
    "NotComparable",
    "ThemeChange",
    "ThemeResult",
    "analyse",
    "build_findings",
    "compare_audits",
    "finding_key",
]
