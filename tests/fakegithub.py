"""A fake GitHub REST API on 127.0.0.1: a real HTTP server in a thread, on an ephemeral port,
answering with the documented response shapes.

Lists are paginated as GitHub does (``page``, ``per_page`` and a ``Link`` header with
``rel="next"`` and ``rel="last"``), but never more than ``page_size`` items per page, so even
small lists take several pages. Any path can be made to fail with a chosen status, headers and
body; an unknown path is GitHub's 404 and a wrong token its 401. Every request is recorded.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.gatekit import PEOPLE, GateRepo, git_as

TOKEN = "ghs_test-token"
REPO = "t/policy"
NUMBER = 7
DOCS = "https://docs.github.com/rest"


@dataclass(frozen=True)
class Answer:
    """An answer chosen by a test: status, headers and body (JSON, or raw bytes)."""

    status: int
    body: object = None
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Request:
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    """Names in lower case: HTTP header names are case-insensitive."""


@dataclass
class FakeGitHub:
    url: str = ""
    page_size: int = 2
    objects: dict[str, object] = field(default_factory=dict)
    lists: dict[str, list[object]] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)

    def answer(self, path: str, query: Mapping[str, list[str]]) -> Answer:
        if path in self.answers:
            return self.answers[path]
        if path in self.objects:
            return Answer(200, self.objects[path])
        if path in self.lists:
            return self._page(path, self.lists[path], query)
        return Answer(404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"})

    def _page(self, path: str, items: list[object], query: Mapping[str, list[str]]) -> Answer:
        size = min(int(query.get("per_page", ["30"])[0]), self.page_size)
        page = int(query.get("page", ["1"])[0])
        last = max(1, -(-len(items) // size))
        links = []
        if page < last:
            links.append(f'<{self._link(path, size, page + 1)}>; rel="next"')
            links.append(f'<{self._link(path, size, last)}>; rel="last"')
        if page > 1:
            links.append(f'<{self._link(path, size, 1)}>; rel="first"')
            links.append(f'<{self._link(path, size, page - 1)}>; rel="prev"')
        headers = {"Link": ", ".join(links)} if links else {}
        return Answer(200, items[(page - 1) * size : page * size], headers)

    def _link(self, path: str, size: int, page: int) -> str:
        return f"{self.url}{path}?per_page={size}&page={page}"


def _handler(fake: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(parts.query)
            headers = {name.lower(): value for name, value in self.headers.items()}
            fake.requests.append(Request(parts.path, query, headers))
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                answer = Answer(401, {"message": "Bad credentials", "documentation_url": DOCS})
            else:
                answer = fake.answer(parts.path, query)
            body = (
                answer.body
                if isinstance(answer.body, bytes)
                else json.dumps(answer.body).encode("utf-8")
            )
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the tests assert on the recorded requests instead."""

    return Handler


@contextmanager
def serve() -> Iterator[FakeGitHub]:
    """The fake API, listening until the block ends."""
    fake = FakeGitHub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    host, port = server.server_address[:2]
    fake.url = f"http://{host!s}:{port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --- The documented shapes -------------------------------------------------------------------


def user(login: str) -> dict[str, object]:
    return {
        "login": login,
        "id": sum(map(ord, login)),
        "type": "User",
        "site_admin": False,
        "html_url": f"https://github.com/{login}",
    }


def review(
    number: int,
    login: str | None,
    state: str,
    commit: str,
    submitted_at: str | None = None,
) -> dict[str, object]:
    """One review as ``GET /repos/{owner}/{repo}/pulls/{number}/reviews`` lists it."""
    return {
        "id": number,
        "node_id": f"PRR_{number}",
        "user": user(login) if login else None,
        "body": "",
        "state": state,
        "html_url": f"https://github.com/{REPO}/pull/{NUMBER}#pullrequestreview-{number}",
        "pull_request_url": f"https://api.github.com/repos/{REPO}/pulls/{NUMBER}",
        "author_association": "MEMBER",
        "submitted_at": submitted_at or f"2026-11-25T10:{number % 60:02d}:00Z",
        "commit_id": commit,
    }


def pull(head: str, base: str, author: str) -> dict[str, object]:
    """``GET /repos/{owner}/{repo}/pulls/{number}``, the fields the gate reads and a few more."""
    return {
        "number": NUMBER,
        "state": "open",
        "title": "Monitoring",
        "user": user(author),
        "head": {"ref": "change", "sha": head, "repo": {"full_name": REPO}},
        "base": {"ref": "main", "sha": base, "repo": {"full_name": REPO}},
        "merged": False,
    }


def commits(repo: GateRepo, base: str = "base") -> list[object]:
    """``GET .../pulls/{number}/commits`` for BASE..HEAD: each commit's author and committer
    linked to the account named like them (GitHub links them by e-mail address)."""
    log = git_as(repo.root, "anouk", "log", "--reverse", "--format=%H %an %cn", f"{base}..HEAD")
    found: list[object] = []
    for line in log.splitlines():
        sha, author, committer = line.split(" ")
        found.append(
            {
                "sha": sha,
                "commit": {"message": "change", "author": {"name": author}},
                "author": user(author),
                "committer": user(committer),
                "parents": [],
            }
        )
    return found


def teams(members: Mapping[str, Sequence[str]] | None = None) -> dict[str, list[object]]:
    """``GET /orgs/t/teams/{slug}/members`` per department: its members in ``PEOPLE``."""
    groups: dict[str, list[str]] = {}
    for person, (_, department) in PEOPLE.items():
        if department:
            groups.setdefault(department, []).append(person)
    groups.update({k: list(v) for k, v in (members or {}).items()})
    return {
        f"/orgs/t/teams/{slug}/members": [user(login) for login in people]
        for slug, people in groups.items()
    }


def head_of(repo: GateRepo, revision: str = "HEAD") -> str:
    return git_as(repo.root, "anouk", "rev-parse", revision).strip()


def publish(
    fake: FakeGitHub,
    repo: GateRepo,
    reviews: Sequence[dict[str, object]],
    *,
    author: str = "mallory",
    members: Mapping[str, Sequence[str]] | None = None,
) -> None:
    """The pull request BASE..HEAD of ``repo`` on the fake API, with these reviews."""
    prefix = f"/repos/{REPO}/pulls/{NUMBER}"
    fake.objects[prefix] = pull(head_of(repo), head_of(repo, "base"), author)
    fake.lists[f"{prefix}/reviews"] = list(reviews)
    fake.lists[f"{prefix}/commits"] = commits(repo)
    fake.lists.update(teams(members))
