"""The archive's answers stream: a large audit goes out and comes back cell for cell,
memory does not grow with the number of answers, and a damaged answers member is
refused naming the member, row and field, with nothing written."""

from __future__ import annotations

import io
import json
import tracemalloc
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from archive_support import answers
from sqlalchemy import select

from sgaudit import archive_responses
from sgaudit.analysis.synthetic import BENCH_AREAS, audit_of_size, synthetic_question_set
from sgaudit.archive import export_audit, import_archive
from sgaudit.errors import ImportError_
from sgaudit.sheets import import_answers
from sgaudit.store import repo
from sgaudit.store.db import dispose_engines, get_engine, session_scope
from sgaudit.store.models import Interview, Response

SHEET_COLUMNS = [
    "interview_id", "tier", "service_area", "mode", "people", "question_id", "answer", "note",
]  # fmt: skip


def _store_of(url: str, folder: Path, n: int) -> int:
    sheet = folder / f"answers{n}.csv"
    audit_of_size(n, seed=3).responses[SHEET_COLUMNS].assign(consent="yes").to_csv(
        sheet, index=False
    )
    with session_scope(url) as s:
        org = repo.create_organisation(s, f"Stream Trust {n}", list(BENCH_AREAS))
        audit_id = repo.create_audit(s, org, "Streamed", synthetic_question_set()).id
    with session_scope(url) as s:
        import_answers(s, audit_id, sheet)
    return audit_id


def _answers(url: str, audit_id: int) -> pd.DataFrame:
    with session_scope(url) as s:
        rows = s.execute(
            select(
                Interview.code,
                Interview.tier,
                Interview.service_area,
                Interview.people,
                Response.question_id,
                Response.answer,
                Response.note,
                Response.quotable,
                Response.updated_at,
                Response.updated_by,
            )
            .join(Interview)
            .where(Interview.audit_id == audit_id)
        ).all()
    frame = pd.DataFrame(rows)
    return frame.sort_values(["code", "question_id"]).reset_index(drop=True)


def test_a_large_audit_round_trips_cell_for_cell_on_both_databases(any_db_url, tmp_path):
    source = _store_of(any_db_url, tmp_path, 20_000)
    path = tmp_path / "audit.zip"
    with session_scope(any_db_url) as s:
        export_audit(s, source, path)
    with session_scope(any_db_url) as s:
        restored = import_archive(s, path, organisation_name="Restored Trust")
    before, after = _answers(any_db_url, source), _answers(any_db_url, restored.audit_id)
    assert restored.responses == len(before) > 19_000
    pd.testing.assert_frame_equal(before, after)
    dispose_engines()


def _peak(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_answers(tmp_path, monkeypatch):
    monkeypatch.setattr(archive_responses, "BATCH_ROWS", 4_000)
    peaks = {}
    for n in (20_000, 100_000):
        url = f"sqlite:///{tmp_path / f's{n}.db'}"
        audit_id = _store_of(url, tmp_path, n)
        path = tmp_path / f"a{n}.zip"
        with session_scope(url) as s:
            exported = _peak(lambda s=s, a=audit_id, p=path: export_audit(s, a, p))
        fresh = f"sqlite:///{tmp_path / f'fresh{n}.db'}"
        get_engine(fresh)
        with session_scope(fresh) as s:
            imported = _peak(lambda s=s, p=path: import_archive(s, p))
        peaks[n] = (exported, imported)
        dispose_engines()
    extra = 80_000
    # Holding every answer costs a kilobyte or more each (an object per answer); a
    # stream holds a batch, and only the interview list (60 answers each) grows.
    for way, small, large in zip(("export", "import"), peaks[20_000], peaks[100_000], strict=True):
        assert (large - small) / extra < 100, (way, small, large)


# ---- a damaged answers member ----------------------------------------------------------
@pytest.fixture
def good_archive(db_url, tmp_path) -> Path:
    audit_id = _store_of(db_url, tmp_path, 600)
    path = tmp_path / "good.zip"
    with session_scope(db_url) as s:
        export_audit(s, audit_id, path)
    return path


def _with_answers(good: Path, out: Path, rows: list[dict] | pa.Table, **parquet) -> Path:
    table = rows if isinstance(rows, pa.Table) else pa.Table.from_pylist(rows)
    buf = io.BytesIO()
    pq.write_table(table, buf, **{"compression": "none", **parquet})
    with zipfile.ZipFile(good) as src:
        doc = json.loads(src.read("audit.json"))
    doc["responses"]["rows"] = table.num_rows
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("audit.json", json.dumps(doc))
        zf.writestr("responses.parquet", buf.getvalue())
    return out


def _typed(rows: list[dict]) -> pa.Table:
    from datetime import datetime

    for r in rows:
        r["updated_at"] = datetime.fromisoformat(r["updated_at"])
    return pa.Table.from_pylist(rows, schema=archive_responses.member_schema())


def _refused(tmp_path: Path, path: Path) -> list[str]:
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    get_engine(fresh)
    with session_scope(fresh) as s, pytest.raises(ImportError_) as exc:
        import_archive(s, path)
    with session_scope(fresh) as s:
        assert s.scalar(select(Interview.id)) is None, "a refused archive wrote interviews"
        assert s.scalar(select(Response.id)) is None, "a refused archive wrote answers"
    return [f"{p.column}: {p.message}" for p in exc.value.problems]


def test_a_bad_answer_deep_in_the_member_is_refused_naming_its_row_and_field(
    good_archive, tmp_path
):
    rows = answers(good_archive)
    rows[500]["answer"] = "maybe"
    rows[501]["interview"] = "Jane Smith"
    rows[503]["question_id"] = "ZZ-9"
    rows[505] = dict(rows[504])
    problems = _refused(tmp_path, _with_answers(good_archive, tmp_path / "x.zip", _typed(rows)))
    assert any(
        p.startswith("responses.parquet[500].answer: 'maybe' is not on the scale") for p in problems
    )
    assert any(
        p.startswith("responses.parquet[501].interview: interview 'Jane Smith'") for p in problems
    )
    assert "responses.parquet[503].question_id: unknown question id 'ZZ-9'" in problems
    assert any(p.startswith("responses.parquet[505]: ") and "answered twice" in p for p in problems)


def test_a_member_with_fewer_rows_than_the_document_says_is_refused(good_archive, tmp_path):
    path = _with_answers(good_archive, tmp_path / "x.zip", _typed(answers(good_archive)))
    with zipfile.ZipFile(path) as zf:
        doc, member = json.loads(zf.read("audit.json")), zf.read("responses.parquet")
    doc["responses"]["rows"] += 1
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("audit.json", json.dumps(doc))
        zf.writestr("responses.parquet", member)
    (problem,) = _refused(tmp_path, path)
    assert "where audit.json says" in problem


def test_a_member_compressed_inside_or_of_the_wrong_shape_is_refused(good_archive, tmp_path):
    typed = _typed(answers(good_archive))
    inside = _with_answers(good_archive, tmp_path / "z.zip", typed, compression="zstd")
    assert "compressed inside" in _refused(tmp_path, inside)[0]
    wrong = _with_answers(good_archive, tmp_path / "w.zip", typed.drop_columns(["note"]))
    assert "missing note" in _refused(tmp_path, wrong)[0]
    garbage = tmp_path / "g.zip"
    with zipfile.ZipFile(good_archive) as src, zipfile.ZipFile(garbage, "w") as zf:
        zf.writestr("audit.json", src.read("audit.json"))
        zf.writestr("responses.parquet", b"PAR1 not really")
    assert "not a Parquet file" in _refused(tmp_path, garbage)[0]


def test_text_that_would_expand_past_the_limit_is_refused_before_it_is_decoded(
    good_archive, tmp_path, monkeypatch
):
    # One long note repeated on every row is stored once (a dictionary) and would be
    # decoded once per row: the decoded size is counted first.
    monkeypatch.setattr(archive_responses, "MAX_ZIP_BYTES", 1_000_000)
    typed = _typed(answers(good_archive))
    notes = pa.array(["x" * 10_000] * typed.num_rows)
    bomb = typed.set_column(typed.schema.get_field_index("note"), "note", notes)
    path = _with_answers(good_archive, tmp_path / "b.zip", bomb)
    assert "expands to more than" in _refused(tmp_path, path)[0]


def test_a_note_holding_a_nul_restores_whole_on_sqlite_and_is_refused_on_postgresql(
    good_archive, tmp_path, any_db_url
):
    rows = answers(good_archive)
    rows[3]["note"] = "before\x00after"
    path = _with_answers(good_archive, tmp_path / "nul.zip", _typed(rows))
    if any_db_url.startswith("postgresql"):
        with session_scope(any_db_url) as s, pytest.raises(ImportError_) as exc:
            import_archive(s, path, organisation_name="NUL Trust")
        assert [p.column for p in exc.value.problems] == ["responses.parquet[3].note"]
        return
    with session_scope(any_db_url) as s:
        restored = import_archive(s, path, organisation_name="NUL Trust").audit_id
    with session_scope(any_db_url) as s:
        notes = s.scalars(
            select(Response.note).join(Interview).where(Interview.audit_id == restored)
        ).all()
    assert "before\x00after" in notes
