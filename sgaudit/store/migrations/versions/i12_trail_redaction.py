"""The audit trail's one sanctioned change: redacting the values of erased records.

Revision ID: i12_trail_redaction
Revises: i15_revisions

The trail stays append-only (i12_accounts), with one exception that erasure needs
(UK GDPR art. 17): an UPDATE is allowed when the same transaction holds a row in
`audit_event_redact` (written and removed again by `sgaudit.store.redaction` only),
and only when it turns the event's value column, `detail`, into the erased marker
`{"erased": true}`. Every other column (time, actor, action, entity, ...) must stay
exactly as it was; any other UPDATE is refused as before. On PostgreSQL the app's
role may make that update on the events its row-level security lets it see.
"""

import sqlalchemy as sa
from alembic import op

revision = "i12_trail_redaction"
down_revision = "i15_revisions"
branch_labels = None
depends_on = None

# Every column but `detail`, for SQLite (PostgreSQL compares the whole row as JSON).
_FIXED = (
    "id",
    "at",
    "actor",
    "user_id",
    "organisation_id",
    "audit_id",
    "action",
    "entity",
    "entity_id",
    "address",
)
_ADMIN = "coalesce(current_setting('sgaudit.is_admin', true), '') = 'on'"
_SCOPED = f"(audit_id IS NULL AND {_ADMIN}) OR audit_id IN (SELECT id FROM audit)"

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION sgaudit_audit_event_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM audit_event_prune) THEN
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM audit_event_redact)
     AND NEW.detail::jsonb = jsonb_build_object('erased', true)
     AND to_jsonb(NEW) - 'detail' = to_jsonb(OLD) - 'detail' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the audit trail is append-only';
END $$ LANGUAGE plpgsql
"""
_PG_FUNCTION_BEFORE = """
CREATE OR REPLACE FUNCTION sgaudit_audit_event_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM audit_event_prune) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'the audit trail is append-only';
END $$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    op.create_table("audit_event_redact", sa.Column("id", sa.Integer(), primary_key=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute(
            f"CREATE POLICY sgaudit_redact ON audit_event FOR UPDATE USING ({_SCOPED}) "
            "WITH CHECK (true)"
        )
        return
    unchanged = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _FIXED)
    op.execute("DROP TRIGGER audit_event_no_update")
    op.execute(
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
        "WHEN NOT (EXISTS (SELECT 1 FROM audit_event_redact) "
        "AND json_valid(NEW.detail) AND json(NEW.detail) = json_object('erased', json('true')) "
        f"AND {unchanged}) "
        "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY IF EXISTS sgaudit_redact ON audit_event")
        op.execute(_PG_FUNCTION_BEFORE)
    else:
        op.execute("DROP TRIGGER audit_event_no_update")
        op.execute(
            "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
            "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
        )
    op.drop_table("audit_event_redact")
