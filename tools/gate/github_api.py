"""The GitHub edge: the only module that talks to the network.

It reads a pull request, its reviews and commits, and the members of teams through the REST
API, and returns them as the plain data of ``tools/gate/reviews.py``. Every list is read to its end
(``Link: <...>; rel="next"``, 100 per page). Anything unexpected raises ``GitHubError`` with a
message that says what to do: a bad token, a missing pull request, a rate limit, an answer
that is not the documented shape. Nothing here decides whether a change is approved.

Exceptions::

    GitHubError          the API cannot be used as asked (the CLI exits 2)
"""

from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from http.client import HTTPMessage
from pathlib import Path
from typing import IO

from tools.base.errors import GitHubError
from tools.gate.reviews import PullCommit, PullRequest, Review

DEFAULT_API_URL = "https://api.github.com"
PER_PAGE = 100
MAX_PAGES = 100
"""10,000 items: more reviews or commits than any pull request the gate should judge."""
MAX_PULL_COMMITS = 250
"""GitHub lists at most 250 commits of a pull request (documented): beyond, authors are unknown."""
TIMEOUT_SECONDS = 30
API_VERSION = "2022-11-28"

_NEXT = re.compile(r'<([^<>]+)>\s*;\s*rel="?next"?')
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


@dataclass(frozen=True)
class Settings:
    """Where and as whom to read: from the options, else the environment of GitHub Actions."""

    api_url: str
    token: str
    repo: str
    number: int


def settings_from(
    env: Mapping[str, str], *, repo: str | None, number: int | None, api_url: str | None
) -> Settings:
    """The settings from the options, falling back to ``GITHUB_*`` variables and the event
    file of GitHub Actions (``pull_request.number``)."""
    token = env.get("GITHUB_TOKEN") or env.get("GH_TOKEN") or ""
    if not token:
        raise GitHubError(
            "no GitHub token: set GITHUB_TOKEN (or GH_TOKEN) to a token that can read the pull "
            "request and the organisation's teams"
        )
    repo = repo or env.get("GITHUB_REPOSITORY") or ""
    if not _REPO.match(repo):
        raise GitHubError(
            f"no repository as OWNER/NAME{f' (got {repo!r})' if repo else ''}: give --repo "
            "OWNER/NAME or set GITHUB_REPOSITORY"
        )
    if number is None:
        number = _event_number(env.get("GITHUB_EVENT_PATH", ""))
    if number is None or number < 1:
        raise GitHubError(
            "no pull request number: give --pr N (in GitHub Actions, run on a pull_request "
            "event, whose number is read from GITHUB_EVENT_PATH)"
        )
    url = (api_url or env.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/")
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise GitHubError(f"the API URL {url!r} is not an http(s) URL; give --api-url URL")
    return Settings(url, token, repo, number)


def _event_number(path: str) -> int | None:
    if not path:
        return None
    try:
        event = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        raise GitHubError(
            f"the event file {path} (GITHUB_EVENT_PATH) cannot be read as JSON; give --pr N"
        ) from None
    pull = event.get("pull_request") if isinstance(event, dict) else None
    number = pull.get("number") if isinstance(pull, dict) else None
    return number if isinstance(number, int) and not isinstance(number, bool) else None


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect (a renamed repository) only on the API's own host: urllib would send
    the token along to any host."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if _origin(newurl) != _origin(req.full_url):
            raise GitHubError(
                f"GitHub redirected {_path(req.full_url)} to another host ({newurl}); refusing "
                "to send the token there"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Client:
    """GET requests to one API, with the token; the only network IO of the project."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._origin = _origin(settings.api_url)
        self._opener = urllib.request.build_opener(_SameOriginRedirects())

    def get(self, path: str) -> object:
        """One JSON document."""
        body, _ = self._request(f"{self.settings.api_url}{path}")
        return body

    def get_list(self, path: str) -> Iterator[object]:
        """Every item of a paginated list, following ``rel="next"`` links."""
        url: str | None = f"{self.settings.api_url}{path}?per_page={PER_PAGE}"
        pages = 0
        while url is not None:
            pages += 1
            if pages > MAX_PAGES:
                raise GitHubError(f"more than {MAX_PAGES} pages at {path}; refusing to go on")
            body, headers = self._request(url)
            if not isinstance(body, list):
                raise GitHubError(f"GitHub answered {path} with {_kind(body)}, not a list")
            yield from body
            url = _next_link(headers.get("Link", ""))
            if url is not None and _origin(url) != self._origin:
                # The token goes only to the API it was given for.
                raise GitHubError(f"the next page of {path} is on another host: {url}")

    def _request(self, url: str) -> tuple[object, Message]:
        request = urllib.request.Request(
            url,
            headers={
                "Accept": "application/vnd.github+json",
                "Authorization": f"Bearer {self.settings.token}",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": "policy-approvals",
            },
        )
        try:
            with self._opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                data = response.read()
                headers = response.headers
        except urllib.error.HTTPError as error:
            try:
                body = error.read()
            except OSError:
                body = b""
            finally:
                error.close()
            raise GitHubError(_http_problem(url, error.code, error.headers, body)) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as error:
            # HTTPException: a broken answer (bad status line, body cut short); ValueError: a
            # URL urllib cannot use (a port that is not a number).
            reason = getattr(error, "reason", error) or type(error).__name__
            raise GitHubError(
                f"cannot reach the GitHub API at {self.settings.api_url}: {reason}; check "
                "--api-url (GITHUB_API_URL) and the network"
            ) from None
        try:
            return json.loads(data.decode("utf-8")), headers
        except (UnicodeDecodeError, ValueError):
            raise GitHubError(
                f"GitHub answered {_path(url)} with malformed JSON; try again, and report it if "
                "it persists"
            ) from None


def _http_problem(url: str, status: int, headers: Message, body: bytes) -> str:
    """A one-line message for an error answer, with GitHub's own message when it gives one."""
    said = _message(body)
    where = _path(url)
    remaining = headers.get("x-ratelimit-remaining")
    retry = headers.get("retry-after")
    limited = remaining == "0" or retry or "rate limit" in said.lower()
    if status == 429 or (status == 403 and limited):
        if retry:
            when = f"retry after {retry} seconds"
        else:
            when = f"the limit resets at {_reset(headers.get('x-ratelimit-reset'))}"
        return f"GitHub rate limit reached ({status} at {where}{said}): {when}"
    if status == 401:
        return (
            f"GitHub refused the token (401 at {where}{said}): set GITHUB_TOKEN to a valid, "
            "unexpired token"
        )
    if status == 403:
        return (
            f"GitHub forbids this (403 at {where}{said}): the token needs read access to pull "
            "requests and to the organisation's members (teams)"
        )
    if status == 404:
        return (
            f"not found on GitHub (404 at {where}{said}): check --repo, --pr and the team "
            "handles in policy/departments.yaml; GitHub also answers 404 when the token may "
            "not see the repository or team"
        )
    return f"GitHub answered {status} at {where}{said}; try again later"


def _message(body: bytes) -> str:
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return ""
    said = document.get("message") if isinstance(document, dict) else None
    return f": {' '.join(said.split())[:200]}" if isinstance(said, str) and said else ""


def _reset(value: str | None) -> str:
    try:
        moment = datetime.fromtimestamp(int(value or ""), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return "an unknown time (no x-ratelimit-reset header)"
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def _next_link(header: str) -> str | None:
    for part in header.split(","):
        found = _NEXT.search(part)
        if found:
            return found.group(1)
    return None


def _origin(url: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(url)
    return (parts.scheme, parts.netloc)


def _path(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return "a string" if isinstance(value, str) else "a value"


# --- The documented shapes, as plain data ----------------------------------------------------


def fetch_pull(client: Client) -> PullRequest:
    """``GET /repos/{owner}/{repo}/pulls/{number}``: its author, head and base commits."""
    settings = client.settings
    path = f"/repos/{settings.repo}/pulls/{settings.number}"
    pull = _object(client.get(path), path)
    author = _login(pull.get("user"), path, "user")
    if author is None:
        # Who opened it may not approve it: unknown, the gate cannot run.
        raise GitHubError(f"'user' at {path} is missing; not the documented shape")
    return PullRequest(
        number=settings.number,
        author=author,
        head_sha=_sha(_object(pull.get("head"), path).get("sha"), path, "head.sha"),
        base_sha=_sha(_object(pull.get("base"), path).get("sha"), path, "base.sha"),
    )


def fetch_reviews(client: Client) -> tuple[Review, ...]:
    """``GET /repos/{owner}/{repo}/pulls/{number}/reviews``, every page."""
    settings = client.settings
    path = f"/repos/{settings.repo}/pulls/{settings.number}/reviews"
    found = []
    for item in client.get_list(path):
        review = _object(item, path)
        number = review.get("id")
        state = review.get("state")
        commit = review.get("commit_id")
        submitted = review.get("submitted_at")
        if not isinstance(number, int) or not isinstance(state, str):
            raise GitHubError(f"a review at {path} has no id or state; not the documented shape")
        found.append(
            Review(
                id=number,
                login=_login(review.get("user"), path, "user"),
                state=state,
                commit_id=_sha(commit, path, "commit_id") if commit is not None else None,
                submitted_at=submitted if isinstance(submitted, str) else "",
            )
        )
    return tuple(found)


def fetch_commits(client: Client) -> tuple[PullCommit, ...]:
    """``GET /repos/{owner}/{repo}/pulls/{number}/commits``: each commit's linked accounts."""
    settings = client.settings
    path = f"/repos/{settings.repo}/pulls/{settings.number}/commits"
    found = []
    for item in client.get_list(path):
        commit = _object(item, path)
        logins = {_login(commit.get(role), path, role) for role in ("author", "committer")} - {None}
        found.append(
            PullCommit(
                _sha(commit.get("sha"), path, "sha"),
                frozenset(login.casefold() for login in logins if login),
            )
        )
    if len(found) >= MAX_PULL_COMMITS:
        raise GitHubError(
            f"the pull request has {MAX_PULL_COMMITS} commits or more and GitHub lists no more, "
            "so who wrote the rest is unknown; squash it or split it into smaller pull requests"
        )
    return tuple(found)


def fetch_team_members(client: Client, handle: str) -> frozenset[str]:
    """``GET /orgs/{org}/teams/{team_slug}/members`` for a handle ``@org/team-slug``."""
    org, _, slug = handle.removeprefix("@").partition("/")
    path = f"/orgs/{urllib.parse.quote(org)}/teams/{urllib.parse.quote(slug)}/members"
    logins = set()
    for item in client.get_list(path):
        login = _login(item, path, "member")
        if login:
            logins.add(login.casefold())
    return frozenset(logins)


def _object(value: object, path: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise GitHubError(f"GitHub answered {path} with {_kind(value)}, not the documented object")
    return value


def _login(value: object, path: str, field: str) -> str | None:
    """A user object's login; None for a missing (deleted or unlinked) account."""
    if value is None:
        return None
    login = value.get("login") if isinstance(value, dict) else None
    if not isinstance(login, str) or not login:
        raise GitHubError(f"'{field}' at {path} has no login; not the documented shape")
    return login


def _sha(value: object, path: str, field: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", value):
        raise GitHubError(f"'{field}' at {path} is not a commit id; not the documented shape")
    return value
