"""The evidence through the CLI on SQLite and PostgreSQL: the auditor's export, a person's
record, the head kept elsewhere, and the purge after the retention period."""

from __future__ import annotations

import datetime as dt
import json
import stat
from dataclasses import asdict, replace
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Connection

from tests.attest.evidencedata import NAMES, SECRET, TODAY, link, sql, stocked
from tests.conftest import run_policy
from tools.attest.chain import link_hash
from tools.attest.keystore import check_key
from tools.attest.store import append_confirmation, transaction
from tools.attest.tables import Person


def _ack(repo: Path, url: str, *args: str, today: str = TODAY) -> tuple[int, str, str]:
    done = run_policy("ack", *args, "--db", url, cwd=repo, today=today)
    return done.returncode, done.stdout, done.stderr


def test_the_auditors_export_is_deterministic_private_and_names_nobody(
    shipped_repo: Path, db_url: str, tmp_path: Path
) -> None:
    stocked(shipped_repo, db_url)
    out = tmp_path / "audit" / "export.json"
    code, said, _ = _ack(shipped_repo, db_url, "export", "--format", "json", "--output", str(out))
    document = json.loads(out.read_text(encoding="utf-8"))
    assert (code, said) == (0, f"wrote {out}: 3 confirmations, head {document['head']}\n")
    assert [c["employee"] for c in document["confirmations"]] == ["101", "102", "103"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    first = out.read_bytes()
    code, printed, _ = _ack(shipped_repo, db_url, "export", "--format", "json")
    assert (code, printed.encode()) == (0, first)
    assert not any(name in printed for name in NAMES)
    _, table, _ = _ack(shipped_repo, db_url, "export")
    lines = table.splitlines()
    assert lines[0].startswith("seq,employee,person_key,") and len(lines) == 4
    assert lines[-1].endswith(document["head"]) and not any(name in table for name in NAMES)


def test_an_export_into_the_repository_is_refused(shipped_repo: Path, db_url: str) -> None:
    code, _, err = _ack(shipped_repo, db_url, "export", "--output", str(shipped_repo / "a.csv"))
    assert code == 2 and "inside the repository" in err and not (shipped_repo / "a.csv").exists()


def test_a_persons_record_has_everything_stored_about_them(
    shipped_repo: Path, db_url: str, tmp_path: Path
) -> None:
    stocked(shipped_repo, db_url)
    out = tmp_path / "an.json"
    code, _, _ = _ack(shipped_repo, db_url, "export", "--person", "101", "--output", str(out))
    document = json.loads(out.read_text(encoding="utf-8"))
    assert code == 0 and document["person"] == {
        "employee": "101", "name": "An Eik", "email": "an@example.org", "department": "hr",
        "start_date": "2020-01-01", "end_date": None,
    }  # fmt: skip
    assert [c["seq"] for c in document["confirmations"]] == [1]
    none = tmp_path / "none.json"
    code, said, err = _ack(shipped_repo, db_url, "export", "--person", "999", "--output", str(none))
    assert (code, said) == (1, "") and "nothing is stored" in err and "999" not in err
    assert not none.exists()


def test_the_purge_erases_leavers_past_retention_and_the_chain_still_holds(
    shipped_repo: Path, db_url: str
) -> None:
    stocked(shipped_repo, db_url)
    _, before, _ = _ack(shipped_repo, db_url, "verify")
    code, said, _ = _ack(shipped_repo, db_url, "purge", "--dry-run")
    assert (code, said) == (0, "would erase the personal data of 1 person who left more than "
                               "730 days ago; 1 confirmation unlinked from them, kept in the "
                               "chain\n")  # fmt: skip
    assert _ack(shipped_repo, db_url, "export", "--person", "102")[0] == 0  # dry: kept
    code, said, _ = _ack(shipped_repo, db_url, "purge")
    assert code == 0 and said.startswith("erased the personal data of 1 person ")
    assert _ack(shipped_repo, db_url, "verify") == (0, before, "")
    assert _ack(shipped_repo, db_url, "export", "--person", "102")[0] == 1
    _, table, _ = _ack(shipped_repo, db_url, "export")
    assert [line.split(",")[1] for line in table.splitlines()[1:]] == ["101", "", "103"]
    remaining = sql(db_url, lambda c: c.execute(text("SELECT employee FROM people")).all())
    assert sorted(r[0] for r in remaining) == ["101", "103"]  # type: ignore[attr-defined]
    code, said, _ = _ack(shipped_repo, db_url, "purge", "--retention-days", "100")
    assert said.startswith("erased the personal data of 1 person who left more than 100 days")


def _forge_at_the_end(c: Connection) -> None:
    """A row appended with hashes right for it and its predecessor: only --head finds it."""
    seq, previous = c.execute(
        text("SELECT seq, row_hash FROM confirmations ORDER BY seq DESC LIMIT 1")
    ).one()
    forged = replace(link("666"), seq=seq + 1)
    columns = "seq, person_key, policy, version, tag_object, text_sha256, confirmed_at, channel"
    c.execute(
        text(
            f"INSERT INTO confirmations ({columns}, prev_hash, row_hash) VALUES (:seq, "
            ":person_key, :policy, :version, :tag_object, :text_sha256, :at, :channel, "
            ":previous, :hash)"
        ),
        {**asdict(forged), "at": "2026-12-01 09:30:00+00:00", "previous": previous,
         "hash": link_hash(forged, previous)},
    )  # fmt: skip


def test_a_forged_row_at_the_end_is_caught_only_with_the_head(
    shipped_repo: Path, db_url: str
) -> None:
    stocked(shipped_repo, db_url)
    head = json.loads(_ack(shipped_repo, db_url, "export", "--format", "json")[1])["head"]
    assert _ack(shipped_repo, db_url, "verify", "--head", head)[0] == 0
    sql(db_url, _forge_at_the_end)
    code, said, _ = _ack(shipped_repo, db_url, "verify")
    assert code == 0 and said.startswith("the chain holds: 4 confirmations")
    code, said, _ = _ack(shipped_repo, db_url, "verify", "--head", head)
    assert code == 1 and "1 confirmation(s) were appended after confirmation 3," in said


def test_rows_cut_at_the_end_are_caught_only_with_the_head(shipped_repo: Path, db_url: str) -> None:
    stocked(shipped_repo, db_url)
    head = json.loads(_ack(shipped_repo, db_url, "export", "--format", "json")[1])["head"]
    sql(db_url, lambda c: c.execute(text("DELETE FROM confirmations WHERE seq = 3")))
    assert _ack(shipped_repo, db_url, "verify")[0] == 0
    code, said, _ = _ack(shipped_repo, db_url, "verify", "--head", head)
    assert code == 1 and "not in the chain: confirmations were cut at the end" in said


def test_an_edited_row_is_broken_with_or_without_the_head(shipped_repo: Path, db_url: str) -> None:
    stocked(shipped_repo, db_url)
    head = json.loads(_ack(shipped_repo, db_url, "export", "--format", "json")[1])["head"]
    sql(db_url, lambda c: c.execute(text("UPDATE confirmations SET version = '9.0.0'")))
    code, said, _ = _ack(shipped_repo, db_url, "verify", "--head", head)
    assert code == 1 and said.startswith("the chain is broken at confirmation 1: ")


def test_a_confirmation_moved_to_another_person_is_caught_with_the_key(
    shipped_repo: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # person_id is outside the chain (a purge clears it): moving a row to another person, and
    # giving that person the first one's employee number, leaves every hash right.
    stocked(shipped_repo, db_url)
    with transaction(db_url) as session:
        check_key(session, SECRET)  # remembered, as ack confirm and the server do
    monkeypatch.setenv("POLICY_ACK_KEY", SECRET.decode())
    assert _ack(shipped_repo, db_url, "verify")[0] == 0
    sql(
        db_url,
        lambda c: c.execute(
            text(
                "UPDATE confirmations SET person_id = "
                "(SELECT id FROM people WHERE employee = '102') WHERE seq = 1"
            )
        ),
    )
    code, said, _ = _ack(shipped_repo, db_url, "verify")
    assert code == 1
    assert said.startswith("confirmation 1 is linked to a person whose employee number is not")


def test_a_purged_person_back_under_the_same_number_is_linked_to_their_confirmation(
    shipped_repo: Path, db_url: str
) -> None:
    stocked(shipped_repo, db_url)
    assert _ack(shipped_repo, db_url, "purge")[0] == 0  # 102 left in January 2024
    with transaction(db_url) as session:
        session.add(
            Person(
                employee="102",
                name="Bo Kok",
                email="bo@example.org",
                department="hr",
                start_date=dt.date(2026, 11, 1),
                end_date=None,
            )
        )
    with transaction(db_url) as session:  # fmt: skip
        again = session.scalars(select(Person).where(Person.employee == "102")).one()
        assert not append_confirmation(session, again.id, link("102"))  # stored once, still
    linked = sql(db_url, lambda c: c.execute(text(
        "SELECT p.employee FROM confirmations c JOIN people p ON p.id = c.person_id "
        "WHERE c.seq = 2")).all())  # fmt: skip
    assert [row[0] for row in linked] == ["102"]  # type: ignore[attr-defined]
    assert _ack(shipped_repo, db_url, "export", "--person", "102")[0] == 0
