"""The chain's key (the HMAC secret behind ``person_key``): where it lives, and the check that
it is the one the database's confirmations were made with. IO: reads and creates the key file,
reads and writes the key's fingerprint in the store.

The key is never in the database: someone who can rewrite the tables must not also be able to
compute a ``person_key``. In order: ``--key-file FILE``, else ``POLICY_ACK_KEY`` (the secret
itself), else, for a SQLite store only, the file ``<database>.key`` beside it (mode 0600, made
on first use). A PostgreSQL store shared by several servers needs the same secret on each, so it
is given explicitly. The database keeps the key's fingerprint (an HMAC of a fixed label, which
does not reveal the key); a different key is refused before it writes a confirmation that could
never be matched with the earlier ones. Messages show the fingerprint's first 16 digits, never
the key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tools.attest.chain import person_key
from tools.attest.tables import Confirmation, Person, Setting
from tools.base.errors import UsageError

ENVIRONMENT = "POLICY_ACK_KEY"
FINGERPRINT = "key_fingerprint"
"""The ``settings`` row that holds the key's fingerprint."""
MINIMUM = 32
"""Characters a key needs at least (a made key is 64 hexadecimal digits: 256 bits)."""
_LABEL = b"policy ack key fingerprint"
_GENERATE = "python3 -c 'import secrets; print(secrets.token_hex(32))'"


def fingerprint(secret: bytes) -> str:
    """What the database keeps to recognise the key: a keyed hash of a fixed label."""
    return hmac.new(secret, _LABEL, hashlib.sha256).hexdigest()


def key_path(url: str) -> Path | None:
    """The key file beside a SQLite database (``attest.db`` -> ``attest.db.key``); None for
    other databases and SQLite in memory."""
    parsed = make_url(url)
    database = (parsed.database or "").removeprefix("file:")
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return None
    return Path(database).resolve().with_name(Path(database).name + ".key")


def chain_secret(url: str, key_file: Path | None, env: Mapping[str, str]) -> bytes:
    """The key to use with the database at ``url`` (see the module's text for the order)."""
    if key_file is not None:
        return _read_key(key_file, "--key-file")
    given = env.get(ENVIRONMENT, "").strip()
    if given:
        return _checked(given, ENVIRONMENT)
    beside = key_path(url)
    if beside is None:
        raise UsageError(
            "a PostgreSQL store needs the chain's key, the same on every server: give "
            f"--key-file FILE or {ENVIRONMENT} (make one with {_GENERATE})"
        )
    if not beside.exists():
        _create(beside)
    return _read_key(beside, "the key file")


def _create(path: Path) -> None:
    """A new random key, readable by its owner only; never overwrites one (O_EXCL)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process made it first: use theirs
    except OSError as error:
        raise UsageError(f"cannot create the key file {path}: {error.strerror}") from None
    with os.fdopen(handle, "w", encoding="ascii") as stream:
        stream.write(secrets.token_hex(32) + "\n")
        stream.flush()
        os.fsync(stream.fileno())


def _read_key(path: Path, what: str) -> bytes:
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot read {what} {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: {what} is not text; make one with {_GENERATE}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise UsageError(
            f"{path}: {what} can be read by others; allow its owner only: chmod 600 {path}"
        )
    return _checked(text.strip(), str(path))


def _checked(key: str, where: str) -> bytes:
    if len(key) < MINIMUM:
        raise UsageError(
            f"{where}: the key is shorter than {MINIMUM} characters; make one with {_GENERATE}"
        )
    return key.encode("utf-8")


def check_key(session: Session, secret: bytes, remember: bool = True) -> None:
    """Refuse a key other than the one the confirmations were made with; the first key used
    with a database is remembered (its fingerprint; ``remember=False``: only compared). A
    database from before fingerprints is checked against a stored confirmation whose person is
    still known."""
    wanted = fingerprint(secret)
    stored = session.get(Setting, FINGERPRINT)
    if stored is not None and stored.value != wanted:
        raise UsageError(_mismatch(wanted, stored.value))
    if stored is None:
        sample = session.execute(
            select(Person.employee, Confirmation.person_key)
            .join(Confirmation, Confirmation.person_id == Person.id)
            .limit(1)
        ).first()
        if sample is not None and person_key(secret, sample[0]) != sample[1]:
            raise UsageError(_mismatch(wanted, None))
    if stored is None and remember:
        session.add(Setting(name=FINGERPRINT, value=wanted))
        session.flush()


def _mismatch(wanted: str, stored: str | None) -> str:
    made = f" (fingerprint {stored[:16]})" if stored else ""
    return (
        f"the chain's key (fingerprint {wanted[:16]}) is not the one this database's "
        f"confirmations were made with{made}; give that key (--key-file, {ENVIRONMENT})"
    )
