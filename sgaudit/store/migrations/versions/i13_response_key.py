"""Remember the survey tool's own response id on each interview imported from a survey.

A later export of the same survey then updates the people already imported and adds
only the new ones. Never a name or an e-mail: a response id, an ODK instance id or a
submission time.

Revision ID: i13_response_key
Revises: i15_audit_workflow
"""

import sqlalchemy as sa
from alembic import op

revision = "i13_response_key"
down_revision = "i15_audit_workflow"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("interview") as batch_op:
        batch_op.add_column(sa.Column("response_key", sa.String(200), nullable=True))
        batch_op.create_unique_constraint(
            "uq_interview_audit_response_key", ["audit_id", "response_key"]
        )


def downgrade() -> None:
    with op.batch_alter_table("interview") as batch_op:
        batch_op.drop_constraint("uq_interview_audit_response_key", type_="unique")
        batch_op.drop_column("response_key")
