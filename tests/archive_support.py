"""Helpers for tests that take an exported archive apart: its answers folded back into
audit.json as format 2 laid them out, or its audit.json replaced beside the answers."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path


def answers(path: Path) -> list[dict]:
    """The rows of an archive's responses.parquet, as dicts with ISO times."""
    import pyarrow.parquet as pq

    with zipfile.ZipFile(path) as zf:
        table = pq.read_table(io.BytesIO(zf.read("responses.parquet")))
    rows = table.to_pylist()
    for r in rows:
        r["updated_at"] = r["updated_at"].isoformat()
    return rows


def legacy_doc(path: Path, version: int = 2) -> dict:
    """An exported archive as one audit.json of format `version` (answers inside)."""
    with zipfile.ZipFile(path) as zf:
        doc = json.loads(zf.read("audit.json"))
    by_code: dict[str, list[dict]] = {}
    for r in answers(path):
        by_code.setdefault(r.pop("interview"), []).append(r)
    for iv in doc["interviews"]:
        iv["responses"] = by_code.get(iv["code"], [])
    doc.pop("responses", None)
    doc["format_version"] = version
    return doc


def with_document(path: Path, doc: dict, out: Path) -> Path:
    """A copy of the archive at `path` with its audit.json replaced by `doc`."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            if info.filename != "audit.json":
                zf.writestr(info.filename, src.read(info.filename))
        zf.writestr("audit.json", json.dumps(doc))
    return out
