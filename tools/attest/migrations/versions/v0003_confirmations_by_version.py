"""An index of confirmations by policy and version (issue #21): ``ack status`` asks who
confirmed a version at or after each policy's round, and reads only those rows."""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_confirmations_policy_version", "confirmations", ["policy", "version", "person_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_confirmations_policy_version", table_name="confirmations")
