"""The ``ssh-keygen`` edge: signing and verifying approval records with SSH keys.

OpenSSH's own implementation does the cryptography (``ssh-keygen -Y sign`` / ``-Y verify``),
as git does for SSH-signed commits. Verification always names the principal (``-I``) and the
namespace (``-n``) and trusts exactly one key, so a signature is good only for that key,
that person and that purpose.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from tools.base.errors import SshKeygenError
from tools.signing.sshsig import public_key_line


def _program() -> str:
    program = shutil.which("ssh-keygen")
    if program is None:
        raise SshKeygenError("ssh-keygen not found; install OpenSSH (Debian: openssh-client)")
    return program


def sign(message: bytes, key: Path, namespace: str) -> str:
    """An armored signature of ``message`` by the private key ``key`` (or, for a ``.pub``
    file, by the matching key in ssh-agent)."""
    result = subprocess.run(
        [_program(), "-Y", "sign", "-f", str(key), "-n", namespace, "-q"],
        input=message,
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip() or "no reason given"
        raise SshKeygenError(f"ssh-keygen could not sign with {key}: {detail}")
    return result.stdout.decode("ascii")


def verify(message: bytes, signature: str, *, key: bytes, principal: str, namespace: str) -> bool:
    """True when ``signature`` is a good signature of ``message`` by ``key`` for
    ``namespace``. Any other outcome, including ssh-keygen failing, is False."""
    program = _program()
    with tempfile.TemporaryDirectory(prefix="policy-verify-") as folder:
        allowed = Path(folder, "allowed_signers")
        # The principal is quoted by ssh-keygen's rules; e-mail addresses need no quoting,
        # and anything with spaces or quotes is refused rather than escaped.
        if any(c in principal for c in ' \t"*?!,') or not principal:
            return False
        allowed.write_text(
            f'{principal} namespaces="{namespace}" {public_key_line(key)}\n', encoding="ascii"
        )
        signature_file = Path(folder, "signature")
        signature_file.write_text(signature, encoding="ascii")
        command = [program, "-Y", "verify", "-f", str(allowed), "-I", principal, "-n", namespace]
        result = subprocess.run(
            [*command, "-s", str(signature_file)],
            input=message,
            capture_output=True,
            check=False,
        )
    return result.returncode == 0


def public_key_of(key: Path) -> str:
    """The OpenSSH public key line of a key file: the file itself when it is a ``.pub``, its
    ``.pub`` neighbour when there is one, else derived by ssh-keygen (may ask a passphrase)."""
    for candidate in (key, key.with_name(key.name + ".pub")):
        if candidate.suffix == ".pub" and candidate.is_file():
            return candidate.read_text(encoding="utf-8").strip()
    result = subprocess.run(
        [_program(), "-y", "-f", str(key)], capture_output=True, check=False, text=True
    )
    if result.returncode != 0:
        raise SshKeygenError(
            f"cannot read the public key of {key}: {result.stderr.strip() or 'unknown error'}"
        )
    return result.stdout.strip()
