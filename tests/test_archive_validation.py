"""An archive goes through exactly the validation of the files it stands for: a name or
an e-mail address as an interview code, or a junk register, is refused with its place
in the archive, and nothing is written (issue 10 item 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_archive import _good_doc, _refused, _zip

from sgaudit.archive import import_archive
from sgaudit.registers import read_register, rows_to_records
from sgaudit.store.db import session_scope

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "registers"


def _training_rows() -> list[dict]:
    frame = read_register("training", EXAMPLES / "training.csv")
    return [
        {"register": "training", "row_number": int(n), "data": r}
        for n, r in zip(frame.index, rows_to_records(frame), strict=True)
    ]


@pytest.mark.parametrize(
    "code", ["Jane Smith", "jane.smith@example.org", "O'Brien", "FL 01", "X" * 41]
)
def test_a_name_or_email_as_interview_code_is_refused(db_url, tmp_path, code):
    doc = _good_doc(db_url, tmp_path)
    doc["interviews"][0]["code"] = code
    message = _refused(tmp_path, _zip(tmp_path / "x.zip", doc))
    assert "interviews[0].code" in message
    assert "never a name" in message or "at most 40 characters" in message


def test_an_unknown_register_kind_is_refused(db_url, tmp_path):
    doc = _good_doc(db_url, tmp_path)
    doc["registers"] = [{"register": "gossip", "row_number": 2, "data": {"who": "x"}}]
    message = _refused(tmp_path, _zip(tmp_path / "x.zip", doc))
    assert "registers[0].register" in message


def test_a_register_row_with_an_identifying_column_is_refused(db_url, tmp_path):
    doc = _good_doc(db_url, tmp_path)
    rows = _training_rows()[:3]
    rows[1]["data"] = {**rows[1]["data"], "name": "Jane Smith"}
    doc["registers"] = rows
    message = _refused(tmp_path, _zip(tmp_path / "x.zip", doc))
    assert "name" in message and "registers" in message


def test_a_register_row_a_file_would_refuse_is_refused_where_it_is(db_url, tmp_path):
    doc = _good_doc(db_url, tmp_path)
    rows = _training_rows()[:3]
    rows[2]["data"] = {**rows[2]["data"], "date": "2024-02-30"}
    doc["registers"] = rows
    message = _refused(tmp_path, _zip(tmp_path / "x.zip", doc))
    assert "registers[2].data.date" in message


def test_a_register_in_an_area_the_organisation_does_not_have_is_refused(db_url, tmp_path):
    doc = _good_doc(db_url, tmp_path)
    doc["registers"] = _training_rows()[:2]
    for row in doc["registers"]:  # one person, two rows
        row["data"]["service_area"] = "Head Office"
    message = _refused(tmp_path, _zip(tmp_path / "x.zip", doc))
    assert "registers[0].data.service_area" in message


def test_a_valid_register_in_an_archive_is_restored(db_url, tmp_path):
    doc = _good_doc(db_url, tmp_path)
    doc["registers"] = _training_rows()
    areas = {r["data"]["service_area"] for r in doc["registers"]} - {None}
    doc["organisation"]["areas"] = sorted(set(doc["organisation"]["areas"]) | areas)
    doc["organisation"]["name"] = "Another Trust"
    with session_scope(db_url) as s:
        result = import_archive(s, _zip(tmp_path / "ok.zip", doc))
    assert result.interviews == 1
