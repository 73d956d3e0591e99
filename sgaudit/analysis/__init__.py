"""Pure pandas analysis of an audit: scores, golden thread, scope, findings, comparison.

No I/O and no loops over responses: functions take the frames of `AuditData` and
return DataFrames or frozen pydantic models.
"""

from sgaudit.analysis.findings import Finding
from sgaudit.analysis.result import AuditAnalysis, CellScore, InterviewCount, ThemeResult

__all__ = ["AuditAnalysis", "CellScore", "Finding", "InterviewCount", "ThemeResult"]
