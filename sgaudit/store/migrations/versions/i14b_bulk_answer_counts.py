"""SQLite: a bulk load counts its answers once per interview, not once per answer.

Revision ID: i14b_bulk_answer_counts
Revises: i14b_answer_counts

The row trigger of i14b_answer_counts updates an interview for every answer inserted:
about 3.5 microseconds an answer, a quarter of a million-answer import. The store's
bulk path (`sgaudit/store/bulk.py`) instead puts a row in `answer_count_deferred` for
the length of its own insert, the trigger stands down while that row exists, and the
bulk path adds each interview's new answers to its count in one UPDATE per interview,
in the same transaction (the pattern of `audit_event_redact`). Every other writer
still has its answers counted by the trigger. PostgreSQL already counts a whole
statement at once (a statement trigger), so nothing changes there.
"""

from alembic import op

revision = "i14b_bulk_answer_counts"
down_revision = "i14b_answer_counts"
branch_labels = None
depends_on = None

_COUNT_ONE = (
    "BEGIN UPDATE interview SET answer_count = answer_count + 1 WHERE id = NEW.interview_id; END"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("CREATE TABLE answer_count_deferred (id INTEGER PRIMARY KEY)")
    op.execute("DROP TRIGGER response_counted_insert")
    op.execute(
        "CREATE TRIGGER response_counted_insert AFTER INSERT ON response "
        f"WHEN NOT EXISTS (SELECT 1 FROM answer_count_deferred) {_COUNT_ONE}"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER response_counted_insert")
    op.execute(f"CREATE TRIGGER response_counted_insert AFTER INSERT ON response {_COUNT_ONE}")
    op.execute("DROP TABLE answer_count_deferred")
