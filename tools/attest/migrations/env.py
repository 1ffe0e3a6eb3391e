"""Alembic's environment: runs on the connection ``tools/attest/store.py`` hands it."""

from __future__ import annotations

from alembic import context

from tools.attest.tables import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata)
with context.begin_transaction():
    context.run_migrations()
