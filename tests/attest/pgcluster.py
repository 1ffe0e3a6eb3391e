"""A throwaway PostgreSQL cluster for the store's tests: Debian's initdb and pg_ctl on a
temporary folder, listening on a free port of 127.0.0.1, stopped and removed at the end.

PostgreSQL refuses to run as root (CI runs as root): then the cluster runs as the ``postgres``
user that Debian's package creates, through ``runuser``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def find_bin() -> Path | None:
    """The folder of initdb and pg_ctl: on PATH, else Debian's /usr/lib/postgresql/*/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    bin: Path
    folder: Path
    port: int
    user: str | None

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def database_url(self, name: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def run(self, *args: str) -> None:
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        subprocess.run(
            [*prefix, str(self.bin / args[0]), *args[1:]],
            check=True, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    def start(self) -> None:
        data, socket_dir = self.folder / "data", self.folder / "socket"
        socket_dir.mkdir()
        if self.user:
            entry = pwd.getpwnam(self.user)
            for path in (self.folder, socket_dir):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self.run("initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        options = f"-h 127.0.0.1 -p {self.port} -k {socket_dir} -c fsync=off"
        log = str(self.folder / "server.log")
        self.run("pg_ctl", "start", "-w", "-D", str(data), "-o", options, "-l", log)

    def stop(self) -> None:
        try:
            self.run("pg_ctl", "stop", "-m", "immediate", "-D", str(self.folder / "data"))
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster() -> Cluster | None:
    """A running cluster, or None when PostgreSQL is not installed."""
    bin_folder = find_bin()
    if bin_folder is None:
        return None
    user = "postgres" if os.geteuid() == 0 else None
    folder = Path(tempfile.mkdtemp(prefix="policy-pg-"))
    cluster = Cluster(bin_folder, folder, _free_port(), user)
    try:
        cluster.start()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return cluster
