"""The attestation store's tables (SQLAlchemy 2 declarative models).

The migrations in ``migrations/versions/`` make these tables; a test checks that upgrading an
empty database gives exactly these columns. Rounds come with the next part of issue #18.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Person(Base):
    """One employee from the HR export: personal data, erased after the retention period."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    department: Mapped[str] = mapped_column(String(64), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)


# Migration 0004: ``policy serve`` finds the signed-in person by e-mail on every request.
Index("ix_people_email_lower", func.lower(Person.email))


class Confirmation(Base):
    """One person's confirmation of one version: append-only, in a hash chain (``chain.py``).

    ``person_key`` is the HMAC of the employee number the chain covers; ``person_id`` may be
    cleared when the person is purged, the key and the chain stay."""

    __tablename__ = "confirmations"
    __table_args__ = (
        UniqueConstraint("person_key", "policy", "version"),
        # Migration 0003: who confirmed which versions, read from the index alone.
        Index("ix_confirmations_policy_version", "policy", "version", "person_id"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)
    person_key: Mapped[str] = mapped_column(String(64))
    policy: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    tag_object: Mapped[str] = mapped_column(String(64))
    text_sha256: Mapped[str] = mapped_column(String(64))
    confirmed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    channel: Mapped[str] = mapped_column(String(16))
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64), unique=True)


class Setting(Base):
    """A named value of the store itself (migration 0002): ``key_fingerprint``, the
    fingerprint of the key the confirmations' ``person_key`` is made with (never the key)."""

    __tablename__ = "settings"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
