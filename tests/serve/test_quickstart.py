"""The quick start of docs/serve.md: a clone of this repository (no release), a hand-made
release tag, the invented people of docs/examples/people.csv, ``--dev-login``: a newcomer signs
in, confirms and sees it; HR sees the coverage."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_policy
from tests.serve.servekit import PAGE, form_of, live, origin, settings
from tools.attest.store import transaction, verify_chain


@pytest.fixture
def clone(tmp_path: Path, pending_day: str) -> Path:
    root = tmp_path / "beleid"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(root)], check=True)
    subprocess.run(
        ["git", "-c", "user.name=Proef", "-c", "user.email=proef@voorbeeld.nl", "tag", "-a",
         "social-media/v1.0.0", "-m", "Proef"],
        cwd=root, check=True,
    )  # fmt: skip
    return root


def test_a_newcomer_confirms_with_dev_login(clone: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'proef.db'}"
    people = run_policy("people", "import", "docs/examples/people.csv", "--db", url, cwd=clone)
    assert people.returncode == 0, people.stderr
    with live(settings(clone, url, dev_login=True)) as web:
        assert web.get("/mijn-beleid").status_code == 401
        assert web.get("/dev-login").status_code == 200
        login = {"email": "noor@voorbeeld.nl"}
        assert web.post("/dev-login", data=login).status_code == 400  # no Origin: refused
        signed = web.post("/dev-login", data=login, headers={"Origin": origin(web)})
        assert signed.status_code == 303 and signed.headers["location"] == "/mijn-beleid"
        assert "nog te doen vóór 1 januari 2027" in web.get("/mijn-beleid").text
        fields = form_of(web.get(PAGE).text)
        done = web.post("/bevestigen", data=fields, headers={"Origin": origin(web)})
        assert done.status_code == 200 and "Bevestigd op 15 december 2026" in done.text
        web.cookies.clear()
        hr = {"email": "sem@voorbeeld.nl", "hr": "ja"}
        web.post("/dev-login", data=hr, headers={"Origin": origin(web)})
        coverage = web.get("/hr").text
        assert "<td>Communicatie</td><td>1</td><td>0</td><td>0</td><td>100 %</td>" in coverage
        forged = "noor@voorbeeld.nl|1|" + "0" * 64  # a dev cookie this server did not sign
        web.cookies.clear()
        web.cookies.set("policy_dev_login", forged)
        assert web.get("/hr").status_code == 401
    with transaction(url) as session:
        assert verify_chain(session)[:2] == (None, 1)


def test_no_dev_login_page_without_the_option(clone: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'proef.db'}"
    with live(settings(clone, url)) as web:
        assert web.get("/dev-login").status_code == 404
        login = {"email": "noor@voorbeeld.nl"}
        assert (
            web.post("/dev-login", data=login, headers={"Origin": origin(web)}).status_code == 404
        )
        assert "policy_dev_login" not in web.cookies
