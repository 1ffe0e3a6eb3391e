"""The digest of a policy's text as released: what a confirmation says the person was shown.
Pure: the files in, a hex digest out.

SHA-256 over the policy folder's files at the release tag, in order of their paths (as UTF-8
bytes); for each file its path from the repository's root, a NUL byte, its length in bytes as
decimal ASCII, a NUL byte, then its bytes. An auditor recomputes it from git alone (the
recipe is in docs/attestation.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping


def text_digest(files: Mapping[str, bytes]) -> str:
    """The digest of ``files`` (path -> bytes, e.g. every file under ``policy/<id>/``)."""
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda name: name.encode("utf-8")):
        data = files[path]
        digest.update(b"%s\0%d\0" % (path.encode("utf-8"), len(data)))
        digest.update(data)
    return digest.hexdigest()
