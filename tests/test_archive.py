"""The portable archive: export, import into a fresh store, nothing lost; a malformed
archive is refused with a clear message and nothing is written."""

from __future__ import annotations

import itertools
import json
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import pytest
from archive_support import legacy_doc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from test_sheets_roundtrip import HOSTILE, interviews
from test_sheets_support import AREAS, add_interviews, make_audit, tiny_set

from sgaudit.archive import audit_document, export_audit, import_archive
from sgaudit.errors import ImportError_, SgauditError
from sgaudit.registers.demo import demo_framework
from sgaudit.store import db as store_db
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.models import Audit, Interview, Organisation, Response

QS = tiny_set()
EXAMPLE_REGISTERS = Path(__file__).resolve().parents[1] / "examples" / "registers"


def _example_records(kind: str) -> list[dict]:
    """A register's rows as stored: an archive holds only registers a file import accepts."""
    from sgaudit.registers import read_register, rows_to_records

    return rows_to_records(read_register(kind, EXAMPLE_REGISTERS / f"{kind}.csv"))


TRAINING_ROWS = _example_records("training")
CONCERN_ROWS = _example_records("concerns")
_names = itertools.count()


def _fill(url: str, data, *, org_name: str = "Riverside Test Trust", registers=None) -> int:
    audit_id = make_audit(url, QS, org_name=org_name)
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        audit.start_date, audit.end_date = date(2025, 1, 6), date(2025, 3, 28)
        audit.auditor_1, audit.auditor_2, audit.scope = "Auditor One", "Auditor Two", "adults"
        repo.set_audit_framework(s, audit, demo_framework())
        add_interviews(s, audit, data, consent=True, actor="aud1")
        s.commit()
        repo.review_finding(
            s,
            audit,
            "systemic:policies::",
            kind="systemic",
            theme="policies",
            status="edited",
            summary="Policies are weak <everywhere> & {{ here }}",
            severity="high",
            service_areas=AREAS[:2],
            tiers=["front_line", "board"],
        )
        repo.save_recommendation(
            s,
            audit,
            theme="policies",
            text="=Give every policy an owner",
            priority="high",
            owner="Chief Executive",
            due_date=date(2025, 9, 30),
            finding_key="systemic:policies::",
        )
        for name, rows in (registers or {"training": TRAINING_ROWS}).items():
            repo.replace_register(s, audit, name, rows)
        repo.set_audit_status(s, audit, "draft")
    return audit_id


def _doc(url: str, audit_id: int) -> dict:
    with session_scope(url) as s:
        doc = audit_document(s, audit_id)
    doc.pop("exported_at")
    return doc


def _same_except_import_entry(before: dict, after: dict) -> None:
    log_after = after.pop("change_log")
    log_before = before.pop("change_log")
    assert log_after[:-1] == log_before
    assert log_after[-1]["action"] == "import_archive"
    assert after == before


def _fresh_url(folder: Path) -> str:
    url = f"sqlite:///{folder / f'fresh{next(_names)}.db'}"
    store_db.get_engine(url)
    return url


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=interviews(),
    register_rows=st.integers(0, len(CONCERN_ROWS)).map(lambda n: CONCERN_ROWS[:n]),
)
def test_export_then_import_into_a_fresh_store_loses_nothing(db_url, data, register_rows):
    source = _fill(
        db_url, data, org_name=f"Org {next(_names)}", registers={"concerns": register_rows}
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "audit.zip"
        with session_scope(db_url) as s:
            export_audit(s, source, path)
        fresh = _fresh_url(Path(tmp))
        with session_scope(fresh) as s:
            result = import_archive(s, path)
        _same_except_import_entry(_doc(db_url, source), _doc(fresh, result.audit_id))
        store_db.dispose_engines()


def test_round_trip_on_both_databases_with_hostile_notes(any_db_url, tmp_path):
    data = [
        {
            "code": f"FL-{i}",
            "tier": "front_line",
            "area": AREAS[i % 3],
            "mode": "focus_group" if i == 0 else "interview",
            "people": 7 if i == 0 else 1,
            "held_on": date(2025, 2, i + 1),
            "auditor": "A. Auditor",
            "answers": [
                ("POL-01", "agree", note, i % 2 == 0),
                ("CUL-01", "dont_know", note[::-1], False),
            ],
        }
        for i, note in enumerate(HOSTILE)
    ]
    source = _fill(any_db_url, data)
    path = tmp_path / "audit.zip"
    with session_scope(any_db_url) as s:
        export_audit(s, source, path)
    with session_scope(any_db_url) as s:
        result = import_archive(s, path, organisation_name="Restored Trust")
    assert (result.interviews, result.responses) == (len(HOSTILE), 2 * len(HOSTILE))
    before, after = _doc(any_db_url, source), _doc(any_db_url, result.audit_id)
    assert after["organisation"]["name"] == "Restored Trust"
    after["organisation"]["name"] = before["organisation"]["name"]
    _same_except_import_entry(before, after)
    assert result.audit_id != source


def test_the_archive_is_a_zip_with_a_versioned_audit_json(db_url, tmp_path):
    audit_id = _fill(db_url, [])
    path = tmp_path / "a.zip"
    with session_scope(db_url) as s:
        export_audit(s, audit_id, path)
    with zipfile.ZipFile(path) as zf:
        doc = json.loads(zf.read("audit.json"))
        assert sorted(zf.namelist()) == ["audit.json", "responses.parquet"]
    assert doc["format"] == "sgaudit-audit-archive" and doc["format_version"] == 3
    assert doc["responses"] == {"member": "responses.parquet", "rows": 0}
    assert set(doc) >= {
        "organisation",
        "audit",
        "question_set",
        "interviews",
        "finding_reviews",
        "recommendations",
        "registers",
        "change_log",
    }
    assert doc["organisation"] == {"name": "Riverside Test Trust", "areas": AREAS}
    assert doc["question_set"]["id"] == "sheets_tiny"
    assert doc["audit"]["framework_id"] == "wales_national"
    assert doc["audit"]["framework_snapshot"]["groups"]


def test_an_existing_organisation_is_reused_and_its_areas_merged(db_url, tmp_path):
    audit_id = _fill(db_url, [])
    path = tmp_path / "a.zip"
    with session_scope(db_url) as s:
        export_audit(s, audit_id, path)
    target = _fresh_url(tmp_path)
    with session_scope(target) as s:
        repo.create_organisation(s, "Riverside Test Trust", ["Head Office", "Youth Services"])
    with session_scope(target) as s:
        import_archive(s, path)
        (org,) = repo.list_organisations(s)
        assert org.area_names == [
            "Head Office",
            "Youth Services",
            "Supported Housing",
            "Community Hub",
        ]


def test_importing_the_same_archive_twice_is_refused(db_url, tmp_path):
    audit_id = _fill(db_url, [])
    path = tmp_path / "a.zip"
    with session_scope(db_url) as s:
        export_audit(s, audit_id, path)
    with session_scope(db_url) as s, pytest.raises(SgauditError, match="imported before"):
        import_archive(s, path)


def test_a_re_audit_keeps_its_link_and_carried_recommendations_when_both_are_imported(
    db_url, tmp_path
):
    baseline = _fill(db_url, [])
    with session_scope(db_url) as s:
        base = repo.get_audit(s, baseline)
        again = repo.create_audit(s, base.organisation, "Re-audit", QS, previous_audit=base)
        reaudit = again.id
    paths = []
    for aid in (baseline, reaudit):
        paths.append(tmp_path / f"{aid}.zip")
        with session_scope(db_url) as s:
            export_audit(s, aid, paths[-1])
    fresh = _fresh_url(tmp_path)
    with session_scope(fresh) as s:
        b = import_archive(s, paths[0])
        r = import_archive(s, paths[1])
        assert not r.notes
        new = repo.get_audit(s, r.audit_id)
        assert new.previous_audit_id == b.audit_id
        (rec,) = repo.list_recommendations(s, new)
        (old_rec,) = repo.list_recommendations(s, repo.get_audit(s, b.audit_id))
        assert rec.carried_from_id == old_rec.id


def test_a_re_audit_imported_alone_says_its_previous_audit_is_missing(db_url, tmp_path):
    baseline = _fill(db_url, [])
    with session_scope(db_url) as s:
        base = repo.get_audit(s, baseline)
        reaudit = repo.create_audit(s, base.organisation, "Re-audit", QS, previous_audit=base).id
    with session_scope(db_url) as s:
        export_audit(s, reaudit, tmp_path / "r.zip")
    with session_scope(_fresh_url(tmp_path)) as s:
        result = import_archive(s, tmp_path / "r.zip")
    assert "previous audit" in result.notes[0]


# ---- malformed archives ----------------------------------------------------------------
def _store_rows(url: str) -> tuple[int, ...]:
    with session_scope(url) as s:
        return tuple(
            s.scalar(select(func.count()).select_from(m))
            for m in (Organisation, Audit, Interview, Response)
        )


def _good_doc(db_url, tmp_path) -> dict:
    data = [
        {
            "code": "FL-1",
            "tier": "front_line",
            "area": AREAS[0],
            "mode": "interview",
            "people": 1,
            "held_on": None,
            "auditor": "",
            "answers": [("POL-01", "agree", "fine", False)],
        }
    ]
    audit_id = _fill(db_url, data)
    path = tmp_path / "good.zip"
    with session_scope(db_url) as s:
        export_audit(s, audit_id, path)
    return legacy_doc(path)  # format 2: the answers inside audit.json


def _zip(path: Path, doc) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("audit.json", doc if isinstance(doc, str) else json.dumps(doc))
    return path


def _refused(tmp_path, path) -> str:
    fresh = _fresh_url(tmp_path)
    before = _store_rows(fresh)
    with session_scope(fresh) as s, pytest.raises(ImportError_) as exc:
        import_archive(s, path)
    assert _store_rows(fresh) == before
    return str(exc.value)


def test_a_file_that_is_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "x.zip"
    path.write_text("hello")
    assert "not a zip file" in _refused(tmp_path, path)


def test_a_zip_without_audit_json_is_refused(tmp_path):
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("other.txt", "x")
    assert "has no audit.json" in _refused(tmp_path, path)


def test_broken_json_is_refused(tmp_path):
    assert "not valid JSON" in _refused(tmp_path, _zip(tmp_path / "x.zip", "{not json"))


def test_a_newer_format_version_is_refused_with_advice(db_url, tmp_path):
    doc = _good_doc(db_url, tmp_path)
    doc["format_version"] = 99
    assert "upgrade sgaudit" in _refused(tmp_path, _zip(tmp_path / "x.zip", doc))


@pytest.mark.parametrize(
    "damage, expected",
    [
        (lambda d: d["interviews"][0].update(tier="trustee"), "interviews[0].tier"),
        (
            lambda d: d["interviews"][0]["responses"][0].update(answer="maybe"),
            "interviews[0].responses[0].answer",
        ),
        (
            lambda d: d["interviews"][0]["responses"][0].update(question_id="ZZ-9"),
            "unknown question id",
        ),
        (lambda d: d["interviews"][0].update(service_area="Mars"), "interviews[0].service_area"),
        (lambda d: d["interviews"][0].update(people=0), "interviews[0].people"),
        (lambda d: d["interviews"].append(dict(d["interviews"][0])), "appears twice"),
        (lambda d: d["audit"].pop("title"), "audit.title"),
        (lambda d: d["audit"].update(start_date="not a date"), "audit.start_date"),
        (lambda d: d["question_set"].update(scales={}), "question_set"),
        (lambda d: d.update(surprise=1), "surprise"),
        (
            lambda d: d["recommendations"][0].update(priority="urgent"),
            "recommendations[0].priority",
        ),
        (
            lambda d: d["audit"]["framework_snapshot"].update(groups="x"),
            "audit.framework_snapshot",
        ),
    ],
)
def test_a_damaged_document_is_refused_naming_where(db_url, tmp_path, damage, expected):
    doc = _good_doc(db_url, tmp_path)
    damage(doc)
    message = _refused(tmp_path, _zip(tmp_path / "x.zip", doc))
    assert expected in message
    assert "nothing was imported" in message
