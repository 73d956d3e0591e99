"""An audit keeps the training framework it is checked against, and its stored registers
give the same indicators and evidence gaps wherever they are read."""

from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy as sa

from sgaudit.analysis import AuditData
from sgaudit.registers import load_framework, rows_to_records
from sgaudit.registers.demo import demo_framework, demo_registers
from sgaudit.store import repo
from sgaudit.store.db import make_engine, session_scope, upgrade
from sgaudit.store.evidence import audit_evidence, audit_framework, audit_registers
from sgaudit.store.frames import load_audit_data

AREAS = ["Supported Housing", "Youth Services", "Community Hub"]


def _audit(session, core_set, **kw):
    org = repo.create_organisation(session, "Harbour Trust", AREAS)
    return repo.create_audit(session, org, "Baseline", core_set, end_date=date(2026, 3, 31), **kw)


def _attach(session, audit, story="baseline"):
    for kind, frame in demo_registers(audit.end_date, AREAS, story).items():
        repo.replace_register(session, audit, kind, rows_to_records(frame),
                              row_numbers=list(frame.index))


def _interviews_rating_every_theme(core_set, value: str) -> pd.DataFrame:
    rows = []
    for i in range(6):
        for q in core_set.questions_for_tier("front_line"):
            if core_set.scales[q.scale].kind != "ordinal":
                continue
            allowed = core_set.allowed_answers(q.id)
            # People differ, as they do: without any spread the interview score would
            # have no interval, and an evidence gap needs one to say how sure it is.
            answer = allowed[-3 - i % 2] if value == "strong" else allowed[0]
            rows.append((f"FL-{i}", "front_line", AREAS[i % 3], "interview", 1, q.id, answer, "",
                         False))
    return pd.DataFrame(rows, columns=["interview_id", "tier", "service_area", "mode", "people",
                                       "question_id", "answer", "note", "quotable"])


def test_the_audit_keeps_the_framework_with_the_organisations_own_numbers(db_url, core_set):
    framework = demo_framework()
    with session_scope(db_url) as s:
        audit = _audit(s, core_set, framework=framework)
        again = repo.create_audit(s, audit.organisation, "Re-audit", core_set,
                                  previous_audit=audit)
        ids = audit.id, again.id
    with session_scope(db_url) as s:
        for audit_id in ids:
            kept = audit_framework(repo.get_audit(s, audit_id))
            assert kept == framework
            assert kept != load_framework("wales_national")  # the overrides survived


def test_stored_registers_come_back_with_their_file_rows(db_url, core_set):
    with session_scope(db_url) as s:
        audit = _audit(s, core_set, framework=demo_framework())
        _attach(s, audit)
        s.commit()
        frames = audit_registers(s, audit)
        original = demo_registers(audit.end_date, AREAS, "baseline")
        assert set(frames) == set(original)
        for kind, frame in original.items():
            assert list(frames[kind].index) == list(frame.index)
            assert len(frames[kind]) == len(frame)


def test_interviews_rating_recruitment_well_against_poor_records_is_an_evidence_gap(
    db_url, core_set
):
    with session_scope(db_url) as s:
        audit = _audit(s, core_set, framework=demo_framework())
        _attach(s, audit)
        data = AuditData.from_question_set(core_set, _interviews_rating_every_theme(core_set,
                                                                                    "strong"))
        evidence = audit_evidence(s, audit, data)
        assert evidence is not None and evidence.indicators is not None
        # The weak recruitment records also raise `records` findings of their own.
        kinds = {(f.theme, f.kind) for f in evidence.findings}
        assert ("recruitment", "evidence_gap") in kinds


def test_without_a_framework_training_is_not_checked_and_the_audit_says_so(db_url, core_set):
    with session_scope(db_url) as s:
        audit = _audit(s, core_set)
        _attach(s, audit)
        evidence = audit_evidence(s, audit, load_audit_data(s, audit.id))
        assert evidence is not None
        assert "training" not in evidence.indicators.registers
        assert any("training records were not checked" in t for t in evidence.not_checked)


def test_an_audit_without_registers_has_no_evidence(db_url, core_set):
    with session_scope(db_url) as s:
        audit = _audit(s, core_set)
        assert audit_evidence(s, audit, load_audit_data(s, audit.id)) is None


def _migrations_head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from sgaudit.store import db

    cfg = Config()
    cfg.set_main_option("script_location", str(db._MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()


def test_a_database_made_by_the_first_migration_upgrades_with_its_data(tmp_path, core_set):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO organisation (name, created_at) VALUES ('Old', "
                             "'2025-01-01')"))
        conn.execute(sa.text(
            "INSERT INTO audit (organisation_id, title, auditor_1, auditor_2, scope, status, "
            "question_set_id, question_set_version, question_set_snapshot, created_at) VALUES "
            "(1, 'Old audit', '', '', 'both', 'final', 'core', 1, '{}', '2025-01-01')"))
    upgrade(engine)
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT title, framework_snapshot FROM audit")).one()
        assert row == ("Old audit", None)
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == (
            _migrations_head())
    engine.dispose()


def test_unchanged_registers_are_not_checked_again_and_a_changed_one_is(db_url, core_set):
    """Indicators are kept per exact register content: the dashboard recomputes its
    analysis after every answer, but the registers have not changed."""
    data = AuditData.from_question_set(core_set, _interviews_rating_every_theme(core_set, "strong"))
    with session_scope(db_url) as s:
        audit = _audit(s, core_set, framework=demo_framework())
        _attach(s, audit)
        first = audit_evidence(s, audit, data)
        again = audit_evidence(s, audit, data)
        assert again.indicators is first.indicators  # not worked out a second time
        concerns = demo_registers(audit.end_date, AREAS, "baseline")["concerns"].iloc[:-3]
        repo.replace_register(s, audit, "concerns", rows_to_records(concerns),
                              row_numbers=list(concerns.index))
        changed = audit_evidence(s, audit, data)
    assert changed.indicators is not first.indicators
    assert changed.indicators.concerns.concerns == first.indicators.concerns.concerns - 3
