"""Each interview keeps its number of answers, so a list of audits need not count them.

Revision ID: i14b_answer_counts
Revises: i11_erased_responses

`interview.answer_count` is kept by the database itself, by triggers on `response`, so
every way an answer is written or removed keeps it right: one answer saved or cleared,
an import's bulk load (`executemany` on SQLite, `COPY` on PostgreSQL), an archive
restored, an interview, audit or organisation deleted (the cascade), a migration's
own writes. On SQLite a row trigger adds or takes one; on PostgreSQL a statement
trigger adds up the statement's rows (its transition table) once per interview, so a
`COPY` of a million answers updates each interview once, not once per answer. Moving
an answer to another interview (nothing does today) is counted too.

The count lives on the interview row, so on PostgreSQL the interview's row-level
security policy covers it: nobody sees the counts of an organisation they cannot see.
The trigger function runs with the rights of whoever writes (not as its owner), so it
updates only interviews that person's policy lets them write.

Existing stores get their counts filled from the answers they hold. A later migration
that rebuilds the response table on SQLite (copy, drop, rename) drops its triggers with
the old table and must create them again (`tests/test_answer_counts.py` fails if the
triggers are missing at head).
"""

import sqlalchemy as sa
from alembic import op

revision = "i14b_answer_counts"
down_revision = "i11_erased_responses"
branch_labels = None
depends_on = None

_FILL = (
    "UPDATE interview SET answer_count = "
    "(SELECT count(*) FROM response WHERE response.interview_id = interview.id)"
)

_SQLITE_TRIGGERS = (
    "CREATE TRIGGER response_counted_insert AFTER INSERT ON response BEGIN "
    "UPDATE interview SET answer_count = answer_count + 1 WHERE id = NEW.interview_id; END",
    "CREATE TRIGGER response_counted_delete AFTER DELETE ON response BEGIN "
    "UPDATE interview SET answer_count = answer_count - 1 WHERE id = OLD.interview_id; END",
    "CREATE TRIGGER response_counted_move AFTER UPDATE OF interview_id ON response "
    "WHEN OLD.interview_id IS NOT NEW.interview_id BEGIN "
    "UPDATE interview SET answer_count = answer_count - 1 WHERE id = OLD.interview_id; "
    "UPDATE interview SET answer_count = answer_count + 1 WHERE id = NEW.interview_id; END",
)

# One function per direction: it adds (or takes) the statement's answers per interview.
_PG_FUNCTION = """
CREATE FUNCTION sgaudit_response_counted_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE interview i SET answer_count = i.answer_count {sign} d.n
  FROM (SELECT interview_id, count(*) AS n FROM {rows} GROUP BY interview_id) d
  WHERE i.id = d.interview_id;
  RETURN NULL;
END $$
"""
_PG_MOVE = """
CREATE FUNCTION sgaudit_response_counted_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE interview SET answer_count = answer_count - 1 WHERE id = OLD.interview_id;
  UPDATE interview SET answer_count = answer_count + 1 WHERE id = NEW.interview_id;
  RETURN NULL;
END $$
"""
_PG_TRIGGERS = (
    _PG_FUNCTION.format(name="insert", sign="+", rows="new_rows"),
    _PG_FUNCTION.format(name="delete", sign="-", rows="old_rows"),
    _PG_MOVE,
    "CREATE TRIGGER response_counted_insert AFTER INSERT ON response "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION sgaudit_response_counted_insert()",
    "CREATE TRIGGER response_counted_delete AFTER DELETE ON response "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION sgaudit_response_counted_delete()",
    # An answer's own edits (most updates) never fire this: the WHEN is checked first.
    "CREATE TRIGGER response_counted_move AFTER UPDATE OF interview_id ON response "
    "FOR EACH ROW WHEN (OLD.interview_id IS DISTINCT FROM NEW.interview_id) "
    "EXECUTE FUNCTION sgaudit_response_counted_move()",
)
_TRIGGERS = ("response_counted_insert", "response_counted_delete", "response_counted_move")


def upgrade() -> None:
    op.add_column(
        "interview",
        sa.Column("answer_count", sa.Integer(), nullable=False, server_default="0"),
    )
    op.execute(_FILL)
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in _PG_TRIGGERS if postgres else _SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for trigger in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}" + (" ON response" if postgres else ""))
    if postgres:
        for name in ("insert", "delete", "move"):
            op.execute(f"DROP FUNCTION IF EXISTS sgaudit_response_counted_{name}()")
    with op.batch_alter_table("interview") as batch_op:
        batch_op.drop_column("answer_count")
