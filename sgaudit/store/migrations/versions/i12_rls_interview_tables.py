"""Row-level security on the double-scoring tables, which hang off an interview.

Revision ID: i12_rls_interview_tables
Revises: i12_trail_redaction

`second_score` (the second auditor's answers) and `moderation` (both answers, the
agreed one and the reason) came after i12_row_security was written and were left
without a policy, so on PostgreSQL the app's role could read them across
organisations. They now see only the rows of interviews the session may see, as
`response` does. tests/test_rls_coverage.py fails for any table with an
organisation_id, audit_id or interview_id column and no policy. SQLite: nothing.
"""

from alembic import op

revision = "i12_rls_interview_tables"
down_revision = "i12_trail_redaction"
branch_labels = None
depends_on = None

TABLES = ("second_score", "moderation")
_VIA_INTERVIEW = "interview_id IN (SELECT id FROM interview)"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY sgaudit_scope ON {table} FOR ALL USING ({_VIA_INTERVIEW}) "
            f"WITH CHECK ({_VIA_INTERVIEW})"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP POLICY IF EXISTS sgaudit_scope ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
