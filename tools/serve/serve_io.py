"""Running the application under uvicorn. IO: the network, the process's workers.

Each worker process builds its own application from the same start settings, passed in the
environment (``POLICY_SERVE``, JSON): the repository, the database, the configuration, the
secrets. The form secret is made once by the parent, so a form one worker made is accepted by
another. uvicorn's access log is off: it would store every visitor's IP address.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import secrets
import socket
from dataclasses import dataclass, replace
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from uvicorn.supervisors import Multiprocess

from tools.attest.store_serve import open_database
from tools.base.errors import LoadError, UsageError
from tools.base.gitio import GitRepository
from tools.serve.app import create_app
from tools.serve.config import ServeConfig, parse_config
from tools.serve.gather import gather_served
from tools.serve.serve_pages import Settings

ENVIRONMENT = "POLICY_SERVE"


@dataclass(frozen=True)
class Start:
    """How to start: where the repository and database are, which secrets, which config."""

    root: str
    url: str
    config_file: str | None
    chain_secret: str
    """The chain's key (text), as ``POLICY_ACK_KEY`` or the key file holds it."""
    form_secret: str
    dev_login: bool = False


def loopback(host: str) -> bool:
    """``--dev-login`` only on the machine itself: 127.0.0.0/8, ::1 or ``localhost``."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_host(host: str, dev_login: bool) -> None:
    if dev_login and not loopback(host):
        raise UsageError(
            f"--dev-login lets anyone sign in as anyone: it runs only on a loopback address "
            f"(127.0.0.1, ::1), not {host}; leave out --dev-login behind the sign-on proxy"
        )


def settings_for(start: Start, config: ServeConfig) -> Settings:
    """The application's settings: the database opened and upgraded, the site gathered lazily."""
    repo = GitRepository(Path(start.root))
    if start.dev_login:  # plain http on this machine: a Secure cookie would never come back
        config = replace(config, secure_cookie=False)
    return Settings(
        config, open_database(start.url), start.chain_secret.encode("utf-8"),
        lambda: gather_served(repo), start.dev_login, bytes.fromhex(start.form_secret),
    )  # fmt: skip


def worker_app() -> Starlette:
    """uvicorn's factory in each worker: the settings from the environment, which it then
    drops: they hold the chain's key and the form secret, and every git process the worker
    starts would inherit them."""
    data = json.loads(os.environ.pop(ENVIRONMENT))
    start = Start(**data)
    config = read_config(Path(start.config_file) if start.config_file else None)
    return create_app(settings_for(start, config))


def read_config(path: Path | None) -> ServeConfig:
    """The configuration file (TOML), or the defaults without one."""
    if path is None:
        return ServeConfig()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None
    config, problems = parse_config(str(path), text)
    if config is None:
        raise LoadError(f"{path}: the configuration does not load", problems)
    return config


def new_form_secret() -> str:
    return secrets.token_hex(32)


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound before the server starts (a port in use: one line, exit 2).
    uvicorn's own has protocol 0, so asyncio does
    not set TCP_NODELAY on its connections and every answer waits ~40 ms for the client's
    delayed ACK; made with IPPROTO_TCP it does."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    sock.set_inheritable(True)
    return sock


def run(start: Start, sock: socket.socket, workers: int = 1) -> None:
    """Serve on ``sock`` (from ``listen``) until stopped (Ctrl-C, SIGTERM)."""
    os.environ[ENVIRONMENT] = json.dumps(start.__dict__)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    config = uvicorn.Config(
        "tools.serve.serve_io:worker_app", factory=True, workers=workers, access_log=False,
        server_header=False, proxy_headers=False, log_level="info",
    )  # fmt: skip
    if workers == 1:
        uvicorn.Server(config).run(sockets=[sock])
    else:
        Multiprocess(config, sockets=[sock]).run()
