"""Maps the user gives: answers of the role and area questions onto tiers and service
areas (`--tier-map`, `--area-map`), and columns onto questions (`--map FILE`)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from sgaudit.errors import ImportError_, Problem, SgauditError
from sgaudit.safe_csv import neutralise_formula, restore_formula

if TYPE_CHECKING:
    from sgaudit.surveys.matching import ColumnPlan

MAP_COLUMNS: tuple[str, ...] = ("column", "maps_to", "note")


def parse_value_map(text: str | None, option: str) -> dict[str, str]:
    """'Volunteer=front_line,"Staff, paid"=front_line' as {answer: target}.

    Pairs are separated by commas (quote an answer that holds one); the answer and
    its target by the last '='.
    """
    if not text or not text.strip():
        return {}
    out: dict[str, str] = {}
    for pair in next(csv.reader(io.StringIO(text), skipinitialspace=True)):
        if not pair.strip():
            continue
        answer, sep, target = pair.rpartition("=")
        if not sep or not answer.strip() or not target.strip():
            raise SgauditError(
                f"{option}: '{pair}' is not ANSWER=VALUE; write e.g. "
                f'{option} "Volunteer=front_line,Paid staff=front_line"'
            )
        out[answer.strip()] = target.strip()
    return out


def read_column_map(path: str | Path) -> dict[str, str]:
    """A map file (CSV: column, maps_to[, note]) as {header: target}; blank targets skipped."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportError_(
            [Problem(path.name, None, None, f"cannot read the map: {exc}")]
        ) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = [f.strip().casefold() for f in reader.fieldnames or []]
    if "column" not in fields or "maps_to" not in fields:
        raise ImportError_(
            [Problem(path.name, 1, None, "a map file needs the columns 'column' and 'maps_to'")]
        )
    out: dict[str, str] = {}
    for row in reader:
        row = {k.strip().casefold(): (v or "") for k, v in row.items() if k}
        column, target = restore_formula(row["column"]).strip(), row["maps_to"].strip()
        if column and target:
            out[column] = target
    return out


def write_column_map(path: str | Path, rows: list[tuple[str, str, str]]) -> None:
    """Write a starter map: one row per column, its target (blank to fill in) and a note."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(MAP_COLUMNS)
    for column, target, note in rows:
        writer.writerow([neutralise_formula(column), target, neutralise_formula(note)])
    Path(path).write_text(buf.getvalue(), encoding="utf-8")


def starter_map_rows(
    headers: list[str], plan: ColumnPlan, free_text: tuple[str, ...]
) -> list[tuple[str, str, str]]:
    """The starter map of a file's columns (`--write-map`): each column with what it
    maps to where that is known, and a note saying why or what to fill in."""
    special = {h: k for k, h in plan.special.items()}
    out = []
    for h in headers:
        if h in plan.dropped:
            continue  # personal: never written anywhere, not even its name's values
        if h in plan.questions:
            out.append((h, plan.questions[h], "matched"))
        elif h in special:
            out.append((h, special[h], "matched"))
        elif h in free_text:
            out.append(
                (h, "", "free text: left out, not kept, unless sent to a free-text question")
            )
        elif h in plan.ignored:
            out.append((h, "ignore", "survey metadata or --ignore-column"))
        elif h in plan.near:
            target, ratio = plan.near[h]
            out.append((h, "", f"nearest question: {target} ({ratio:.0%} alike)"))
        else:
            out.append((h, "", "fill in a question id, tier, service_area, mode or ignore"))
    return out
