"""SSH signatures as data: which key made a signature, and the fingerprint of a key.

Pure. An ``ssh-keygen -Y sign`` signature (the SSHSIG format of OpenSSH's PROTOCOL.sshsig)
carries the signer's public key and the namespace in the clear; reading them tells the gate
whose key to check the signature against, before ``ssh-keygen -Y verify`` checks the
cryptography (``tools/signing/sshkeygen.py``). Nothing here decides that a signature is valid.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass

from tools.base.errors import SignatureFormatError

_ARMOR_BEGIN = "-----BEGIN SSH SIGNATURE-----"
_ARMOR_END = "-----END SSH SIGNATURE-----"
_MAGIC = b"SSHSIG"


@dataclass(frozen=True)
class SignatureInfo:
    """What a signature says about itself; the cryptography is not checked here."""

    key: bytes
    """The signer's public key blob (the base64 part of an OpenSSH public key line, decoded)."""
    namespace: str


def _read_string(data: bytes, offset: int) -> tuple[bytes, int]:
    if offset + 4 > len(data):
        raise SignatureFormatError("the signature is cut short")
    (length,) = struct.unpack(">I", data[offset : offset + 4])
    end = offset + 4 + length
    if end > len(data):
        raise SignatureFormatError("the signature is cut short")
    return data[offset + 4 : end], end


def signature_info(armored: str) -> SignatureInfo:
    """The public key and namespace inside an armored SSH signature."""
    text = armored.strip()
    if not (text.startswith(_ARMOR_BEGIN) and text.endswith(_ARMOR_END)):
        raise SignatureFormatError("not an SSH signature (no BEGIN/END SSH SIGNATURE lines)")
    body = "".join(text[len(_ARMOR_BEGIN) : -len(_ARMOR_END)].split())
    try:
        data = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise SignatureFormatError("the signature is not valid base64") from None
    if not data.startswith(_MAGIC) or len(data) < len(_MAGIC) + 4:
        raise SignatureFormatError("not an SSHSIG signature")
    (version,) = struct.unpack(">I", data[len(_MAGIC) : len(_MAGIC) + 4])
    if version != 1:
        raise SignatureFormatError(f"unsupported SSHSIG version {version}")
    key, offset = _read_string(data, len(_MAGIC) + 4)
    namespace, offset = _read_string(data, offset)
    try:
        return SignatureInfo(key, namespace.decode("utf-8"))
    except UnicodeDecodeError:
        raise SignatureFormatError("the namespace is not UTF-8") from None


def key_blob(public_key_line: str) -> bytes:
    """The key blob of an OpenSSH public key line (``ssh-ed25519 AAAA... comment``)."""
    parts = public_key_line.split()
    if len(parts) < 2:
        raise SignatureFormatError("not an OpenSSH public key line")
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        raise SignatureFormatError("the public key is not valid base64") from None
    key_type, _ = _read_string(blob, 0)
    if key_type.decode("ascii", "replace") != parts[0]:
        raise SignatureFormatError(f"the key data is not a {parts[0]} key")
    return blob


def key_type(blob: bytes) -> str:
    """The key type named inside a key blob, e.g. ``ssh-ed25519``."""
    name, _ = _read_string(blob, 0)
    return name.decode("ascii", "replace")


def fingerprint(blob: bytes) -> str:
    """OpenSSH's SHA256 fingerprint of a key, as ``ssh-keygen -l`` prints it."""
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii")
    return "SHA256:" + digest.rstrip("=")


def public_key_line(blob: bytes) -> str:
    """The OpenSSH public key line of a key blob (without comment)."""
    return f"{key_type(blob)} {base64.b64encode(blob).decode('ascii')}"
