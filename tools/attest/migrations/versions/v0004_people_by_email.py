"""An index of people by their e-mail in lower case (issue #19): ``policy serve`` finds the
signed-in person by it on every page and post, which read the whole people table before."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_people_email_lower", "people", [sa.text("lower(email)")])


def downgrade() -> None:
    op.drop_index("ix_people_email_lower", table_name="people")
