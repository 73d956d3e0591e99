"""The checks an archive shares with the files it contains.

An archive holds the same things an answer sheet and a register file hold, so it goes
through the same rules before anything is stored: interview codes are pseudonymous
codes (never a name or an e-mail address), and every register is a known kind whose
rows pass exactly the validation of a register file (columns, types, identifying
columns refused, service areas of the organisation). Each problem names its place in
the archive's JSON, e.g. `registers[4].data.completed_on`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sgaudit.errors import ImportError_, SgauditError
from sgaudit.sheets.validate import _CODE, CODE_MAX

if TYPE_CHECKING:
    from sgaudit.archive_doc import ArchiveDoc


def interview_code_problems(doc: ArchiveDoc) -> list[tuple[str, str]]:
    """Interview codes an answer sheet would refuse."""
    return [
        (
            f"interviews[{i}].code",
            f"interview code '{iv.code}' must be a code of at most {CODE_MAX} letters, digits, "
            "'-', '_', '.' or '/' (no spaces): a pseudonymous code such as FL-01, never a name",
        )
        for i, iv in enumerate(doc.interviews)
        if len(iv.code) > CODE_MAX or not _CODE.match(iv.code)
    ]


def register_problems(doc: ArchiveDoc) -> list[tuple[str, str]]:
    """Register rows a register file import would refuse, kind by kind."""
    from sgaudit.registers.records import records_to_frame
    from sgaudit.registers.validation import check_kind

    out: list[tuple[str, str]] = []
    by_kind: dict[str, list[int]] = {}
    for i, row in enumerate(doc.registers):
        by_kind.setdefault(row.register_name, []).append(i)
    areas = set(doc.organisation.areas)
    for kind, positions in by_kind.items():
        try:
            check_kind(kind)
        except SgauditError as exc:
            out.append((f"registers[{positions[0]}].register", str(exc)))
            continue
        # Archive positions stand in for file rows, so each problem can be pointed at.
        records = [doc.registers[i].data for i in positions]
        try:
            frame = records_to_frame(kind, records, row_numbers=positions)
        except ImportError_ as exc:
            for p in exc.problems:
                at = f"registers[{p.row}]" if p.row is not None else f"registers ({kind})"
                out.append((at + (f".data.{p.column}" if p.column else ""), p.message))
            continue
        if "service_area" in frame.columns:
            values = frame["service_area"]
            unknown = values[values.notna() & ~values.astype(str).isin(areas)]
            out += [
                (
                    f"registers[{i}].data.service_area",
                    f"unknown service area '{v}'; the organisation has "
                    f"{', '.join(doc.organisation.areas)}",
                )
                for i, v in unknown.items()
            ]
    return out
