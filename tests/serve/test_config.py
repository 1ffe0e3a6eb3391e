"""The configuration file: defaults safe, every key checked, errors located."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_policy
from tools.serve.config import ServeConfig, parse_config
from tools.serve.identity import LOOPBACK


def test_defaults() -> None:
    config, problems = parse_config("serve.toml", "")
    assert problems == [] and config == ServeConfig()
    assert config.identity.proxies == LOOPBACK
    assert config.identity.email_header == "x-forwarded-email"
    assert config.secure_cookie and config.hr_group == "hr"


def test_a_full_file() -> None:
    text = (
        'trusted_proxies = ["10.0.0.5", "10.1.0.0/16"]\n'
        'email_header = "X-Auth-Request-Email"\n'
        'groups_header = "X-Auth-Request-Groups"\n'
        'hr_group = "personeelszaken"\n'
        'public_origin = "https://beleid.intern"\n'
    )
    config, problems = parse_config("serve.toml", text)
    assert problems == [] and config is not None
    assert config.identity.proxies == (
        ipaddress.ip_network("10.0.0.5/32"), ipaddress.ip_network("10.1.0.0/16"),
    )  # fmt: skip
    assert config.identity.email_header == "x-auth-request-email"
    assert config.hr_group == "personeelszaken"
    assert config.public_origin == "https://beleid.intern"


def test_errors_are_located() -> None:
    cases = {
        'hr_group = "hr"\ntrusted_proxy = ["10.0.0.5"]\n': (2, "unknown key 'trusted_proxy'"),
        'trusted_proxies = ["10.0.0.500"]\n': (1, "does not appear to be an IPv4 or IPv6"),
        'trusted_proxies = ["0.0.0.0/0"]\n': (1, "0.0.0.0/0 is wider than a /16"),
        'trusted_proxies = ["10.0.0.5", "::/0"]\n': (1, "::/0 is wider than a /16 (IPv6: /48)"),
        'email_header = "X Email"\n': (1, "email_header must be a header name"),
        'person_match = "name"\n': (1, "person_match must be"),
        "secure_cookie = 1\n": (1, "secure_cookie must be true or false"),
        'hr_group = "hr"\nhr_group = "x"\n': (2, "Cannot overwrite a value"),
    }
    for text, (line, message) in cases.items():
        config, problems = parse_config("serve.toml", text)
        assert config is None and len(problems) == 1, text
        assert problems[0].line == line and message in problems[0].message, problems[0]
        assert problems[0].file == "serve.toml"


def test_policy_serve_stops_on_a_bad_config_before_listening(tmp_path: Path) -> None:
    config = tmp_path / "serve.toml"
    config.write_text('hr_group = "hr"\ntrusted_proxy = ["10.0.0.5"]\n', encoding="utf-8")
    done = run_policy("serve", "--config", str(config), "--db", ":memory:", cwd=ROOT)
    assert done.returncode == 2
    assert f"{config}:2:1: error[serve-config]: unknown key 'trusted_proxy'" in done.stderr
    missing = run_policy("serve", "--config", str(tmp_path / "nergens.toml"), cwd=ROOT)
    assert missing.returncode == 2 and "cannot read" in missing.stderr


def test_policy_serve_refuses_a_form_secret_others_can_read(
    tmp_path: Path, released_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "form.secret"
    secret.write_text("s" * 40 + "\n", encoding="utf-8")
    secret.chmod(0o644)  # whoever reads it can make forms this server accepts
    config = tmp_path / "serve.toml"
    config.write_text(f'secret_file = "{secret}"\n', encoding="utf-8")
    monkeypatch.setenv("POLICY_ACK_KEY", "k" * 64)
    db = f"sqlite:///{tmp_path / 'attest.db'}"
    with socket.socket() as taken:  # were the check gone, the server would fail, not serve
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        done = run_policy(
            "serve", "--config", str(config), "--db", db, "--port", port, cwd=released_root
        )
    assert done.returncode == 2
    assert done.stderr.strip().endswith(
        f"{secret}: the secret_file can be read by others; allow its owner only: chmod 600 {secret}"
    )


def test_policy_serve_on_a_port_in_use_is_one_line_and_exit_2(
    tmp_path: Path, released_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POLICY_ACK_KEY", "k" * 64)
    db = f"sqlite:///{tmp_path / 'attest.db'}"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        done = run_policy("serve", "--db", db, "--port", port, cwd=released_root)
    assert done.returncode == 2 and done.stdout == ""  # no "policy serve: http://..." line
    assert (
        done.stderr == f"policy: error: cannot listen on 127.0.0.1:{port}: Address already in use\n"
    )
