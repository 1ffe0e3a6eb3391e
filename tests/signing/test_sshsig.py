"""Reading SSH signatures and keys, checked against what ssh-keygen itself says."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.gatekit import make_key, public
from tools.base.errors import SignatureFormatError
from tools.signing.sshkeygen import public_key_of, sign, verify
from tools.signing.sshsig import fingerprint, key_blob, key_type, public_key_line, signature_info


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_key(tmp_path_factory.mktemp("key"), "eva")


def test_signature_names_its_key_and_namespace(key: Path) -> None:
    info = signature_info(sign(b"bericht", key, "policy-approval"))
    assert info.namespace == "policy-approval"
    assert info.key == key_blob(public(key))


def test_fingerprint_matches_ssh_keygen(key: Path) -> None:
    listed = subprocess.run(
        ["ssh-keygen", "-l", "-f", str(key) + ".pub"], capture_output=True, text=True, check=True
    ).stdout.split()[1]
    assert fingerprint(key_blob(public(key))) == listed


def test_public_key_line_round_trips(key: Path) -> None:
    blob = key_blob(public(key))
    assert key_type(blob) == "ssh-ed25519"
    assert public_key_line(blob) == " ".join(public(key).split()[:2])


def test_verify_accepts_only_the_signed_bytes_key_and_namespace(key: Path, tmp_path: Path) -> None:
    signature = sign(b"bericht", key, "policy-approval")
    blob = key_blob(public(key))
    other = key_blob(public(make_key(tmp_path, "other")))

    def good(
        message: bytes = b"bericht",
        *,
        signer: bytes = blob,
        namespace: str = "policy-approval",
        principal: str = "eva@t.nl",
    ) -> bool:
        return verify(message, signature, key=signer, principal=principal, namespace=namespace)

    assert good()
    assert not good(b"bericht!")
    assert not good(signer=other)
    assert not good(namespace="git")
    # A principal that would be a pattern in allowed_signers is refused outright.
    assert not good(principal="*")


def test_public_key_of_reads_the_pub_file(key: Path) -> None:
    assert public_key_of(key) == public(key)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hello", "not an SSH signature"),
        ("-----BEGIN SSH SIGNATURE-----\n!!!\n-----END SSH SIGNATURE-----", "base64"),
        ("-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----", "not an SSHSIG"),
        (
            "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQAAAP8=\n-----END SSH SIGNATURE-----",
            "cut short",
        ),
    ],
)
def test_malformed_signatures_are_refused(text: str, message: str) -> None:
    with pytest.raises(SignatureFormatError, match=message):
        signature_info(text)


def test_key_type_must_match_the_key_data(key: Path) -> None:
    line = public(key).replace("ssh-ed25519", "ssh-rsa", 1)
    with pytest.raises(SignatureFormatError, match="not a ssh-rsa key"):
        key_blob(line)
