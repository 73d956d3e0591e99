"""Upgrading a SQLite store keeps every answer, even when a migration rebuilds a table.

SQLite rebuilds a table to add a constraint (copy, drop, rename); with foreign keys on,
the drop cascaded and deleted every answer of every interview.
"""

from __future__ import annotations

import sqlalchemy as sa

from sgaudit.store.db import make_engine, upgrade


def test_an_upgrade_that_rebuilds_the_interview_table_keeps_the_answers(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.execute(
            sa.text("INSERT INTO organisation (name, created_at) VALUES ('Old', '2025-01-01')")
        )
        conn.execute(
            sa.text(
                "INSERT INTO audit (organisation_id, title, auditor_1, auditor_2, scope, status, "
                "question_set_id, question_set_version, question_set_snapshot, created_at) VALUES "
                "(1, 'Old audit', 'Sam', '', 'both', 'in_progress', 'core', 1, '{}', '2025-01-01')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO interview (audit_id, code, tier, service_area, mode, auditor, people, "
                "consent_confirmed, completed, created_at) VALUES "
                "(1, 'FL-AAAAA', 'front_line', 'Housing', 'interview', 'Sam', 1, 1, 0, '2025-01-01')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO response (interview_id, question_id, answer, note, quotable, "
                "updated_at, updated_by) VALUES (1, 'REC-01', 'agree', 'kept', 0, '2025-01-01', '')"
            )
        )
    upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT question_id, answer, note FROM response")).all()
        fk = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
    engine.dispose()
    assert rows == [("REC-01", "agree", "kept")]
    assert fk == 1  # foreign keys are back on after the upgrade
