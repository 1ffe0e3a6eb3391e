"""The GitHub edge against a fake API on 127.0.0.1: settings, pagination, errors and shapes."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakegithub import NUMBER, REPO, TOKEN, Answer, FakeGitHub, review, serve, user
from tools.base.errors import GitHubError
from tools.gate.github_api import (
    DEFAULT_API_URL,
    Client,
    Settings,
    fetch_commits,
    fetch_pull,
    fetch_reviews,
    fetch_team_members,
    settings_from,
)
from tools.gate.reviews import Review

SHA = "a" * 40
PULL = f"/repos/{REPO}/pulls/{NUMBER}"


@pytest.fixture
def api() -> Iterator[FakeGitHub]:
    with serve() as fake:
        yield fake


def client(api: FakeGitHub, token: str = TOKEN) -> Client:
    return Client(Settings(api.url, token, REPO, NUMBER))


# --- Settings -------------------------------------------------------------------------------


def test_settings_come_from_the_actions_environment(tmp_path: Path) -> None:
    """Token, repository, API URL and the event's pull request number, as Actions sets them."""
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 12}}), encoding="utf-8")
    env = {
        "GITHUB_TOKEN": "t1",
        "GITHUB_REPOSITORY": "o/r",
        "GITHUB_API_URL": "https://ghe.example/api/v3/",
        "GITHUB_EVENT_PATH": str(event),
    }
    found = settings_from(env, repo=None, number=None, api_url=None)
    assert found == Settings("https://ghe.example/api/v3", "t1", "o/r", 12)


def test_options_win_over_the_environment() -> None:
    """--repo, --pr and --api-url override the environment; GH_TOKEN is the fallback token."""
    env = {"GH_TOKEN": "t2", "GITHUB_REPOSITORY": "o/r"}
    found = settings_from(env, repo="x/y", number=3, api_url=None)
    assert found == Settings(DEFAULT_API_URL, "t2", "x/y", 3)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "no GitHub token"),
        ({"GITHUB_TOKEN": "t"}, "no repository as OWNER/NAME"),
        ({"GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "just-a-name"}, "(got 'just-a-name')"),
        ({"GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "o/r"}, "no pull request number"),
        (
            {"GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "o/r", "GITHUB_EVENT_PATH": "/nonexistent"},
            "cannot be read as JSON",
        ),
    ],
)
def test_missing_settings_say_what_to_set(env: dict[str, str], message: str) -> None:
    """Each missing or malformed setting names the option or variable to set."""
    with pytest.raises(GitHubError) as raised:
        settings_from(env, repo=None, number=None, api_url=None)
    assert message in str(raised.value)


def test_push_event_has_no_pull_request_number(tmp_path: Path) -> None:
    """An event without pull_request (a push) gives no number: --pr is asked for."""
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"ref": "refs/heads/main"}), encoding="utf-8")
    env = {"GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "o/r", "GITHUB_EVENT_PATH": str(event)}
    with pytest.raises(GitHubError, match="give --pr N"):
        settings_from(env, repo=None, number=None, api_url=None)


def test_api_url_must_be_http() -> None:
    """A file: or other URL is refused before anything is sent."""
    env = {"GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "o/r"}
    with pytest.raises(GitHubError, match="not an http"):
        settings_from(env, repo=None, number=1, api_url="file:///etc/passwd")


# --- Requests and pagination ----------------------------------------------------------------


def test_every_page_is_read_with_100_per_page(api: FakeGitHub) -> None:
    """Lists follow rel="next" to the end, asking for 100 per page, in order."""
    api.lists[f"{PULL}/reviews"] = [review(n, "eva", "COMMENTED", SHA) for n in range(1, 6)]
    found = fetch_reviews(client(api))
    assert [r.id for r in found] == [1, 2, 3, 4, 5]
    first = api.requests[0]
    assert first.query["per_page"] == ["100"]
    assert [r.query.get("page") for r in api.requests] == [None, ["2"], ["3"]]


def test_requests_carry_the_token_and_api_version(api: FakeGitHub) -> None:
    """The token goes as a Bearer header, with GitHub's media type and API version."""
    api.lists["/orgs/t/teams/hr/members"] = [user("Eva"), user("mohamed")]
    assert fetch_team_members(client(api), "@t/hr") == frozenset({"eva", "mohamed"})
    headers = api.requests[0].headers
    assert headers["authorization"] == f"Bearer {TOKEN}"
    assert headers["accept"] == "application/vnd.github+json"
    assert headers["x-github-api-version"] == "2022-11-28"


def test_next_page_on_another_host_is_refused(api: FakeGitHub) -> None:
    """The token is never sent to a host other than the API's, whatever Link says."""
    api.answers[f"{PULL}/reviews"] = Answer(
        200, [], {"Link": '<https://evil.example/steal?page=2>; rel="next"'}
    )
    with pytest.raises(GitHubError, match="on another host"):
        fetch_reviews(client(api))
    assert len(api.requests) == 1


def test_redirect_to_another_host_is_refused(api: FakeGitHub) -> None:
    """A redirect off the API's host is refused: urllib would carry the token along."""
    api.answers[PULL] = Answer(302, {}, {"Location": "https://evil.example/pulls/7"})
    with pytest.raises(GitHubError, match=r"redirected .* to another host"):
        fetch_pull(client(api))


def test_redirect_on_the_same_host_is_followed(api: FakeGitHub) -> None:
    """A renamed repository answers 301 to its new name on the same host: followed."""
    api.answers[PULL] = Answer(301, {}, {"Location": f"{api.url}/repos/t/renamed/pulls/7"})
    api.objects["/repos/t/renamed/pulls/7"] = {
        "user": user("mallory"),
        "head": {"sha": SHA},
        "base": {"sha": SHA},
    }
    assert fetch_pull(client(api)).author == "mallory"
    assert api.requests[-1].headers["authorization"] == f"Bearer {TOKEN}"


def test_reviews_pull_and_commits_become_plain_data(api: FakeGitHub) -> None:
    """The documented fields are read; a null user (deleted account) is kept as None."""
    api.objects[PULL] = {
        "number": NUMBER,
        "user": user("mallory"),
        "head": {"sha": SHA},
        "base": {"sha": "b" * 40},
    }
    api.lists[f"{PULL}/reviews"] = [review(9, None, "APPROVED", SHA, "2026-11-25T10:00:00Z")]
    api.lists[f"{PULL}/commits"] = [
        {"sha": SHA, "author": user("Eva"), "committer": None},
    ]
    pull = fetch_pull(client(api))
    assert (pull.author, pull.head_sha, pull.base_sha) == ("mallory", SHA, "b" * 40)
    assert fetch_reviews(client(api)) == (Review(9, None, "APPROVED", SHA, "2026-11-25T10:00:00Z"),)
    assert [(c.sha, c.logins) for c in fetch_commits(client(api))] == [(SHA, {"eva"})]


# --- Errors ---------------------------------------------------------------------------------


def test_bad_token_is_401_with_githubs_message(api: FakeGitHub) -> None:
    """A refused token says so, with GitHub's own message."""
    with pytest.raises(GitHubError, match=r"refused the token \(401 at .*: Bad credentials\)"):
        fetch_pull(client(api, token="wrong"))


def test_rate_limit_names_the_reset_time_in_utc(api: FakeGitHub) -> None:
    """A primary rate limit (403, remaining 0) says when it resets."""
    api.answers[PULL] = Answer(
        403,
        {"message": "API rate limit exceeded"},
        {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000000"},
    )
    with pytest.raises(GitHubError, match="resets at 2023-11-14 22:13:20 UTC"):
        fetch_pull(client(api))


def test_secondary_rate_limit_names_the_wait(api: FakeGitHub) -> None:
    """A 403 with retry-after is a (secondary) rate limit, not a permission problem."""
    api.answers[PULL] = Answer(403, {"message": "secondary"}, {"retry-after": "30"})
    with pytest.raises(GitHubError, match=r"rate limit reached .* retry after 30 seconds"):
        fetch_pull(client(api))


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (Answer(200, {"number": 7}), "'user' at .* is missing"),
        (Answer(200, {"user": None, "head": {"sha": "x"}}), "not the documented"),
        (Answer(200, []), "with a list, not the documented object"),
        (Answer(200, b"\xff\xfe"), "malformed JSON"),
    ],
)
def test_unexpected_shapes_are_errors(api: FakeGitHub, answer: Answer, message: str) -> None:
    """An answer that is not the documented shape is an error, never read as empty."""
    api.answers[PULL] = answer
    with pytest.raises(GitHubError, match=message):
        fetch_pull(client(api))


def test_pull_request_with_250_commits_is_refused(api: FakeGitHub) -> None:
    """GitHub lists no more than 250 commits: past that, authorship is unknown, so no verdict."""
    api.page_size = 100
    api.lists[f"{PULL}/commits"] = [
        {"sha": f"{n:040x}", "author": user("eva"), "committer": user("eva")} for n in range(250)
    ]
    with pytest.raises(GitHubError, match="250 commits or more"):
        fetch_commits(client(api))


def test_unusable_api_url_is_an_error() -> None:
    """A URL urllib cannot use (a port that is not a number) is an error, not a traceback."""
    broken = Client(Settings("http://127.0.0.1:port", TOKEN, REPO, NUMBER))
    with pytest.raises(GitHubError, match="cannot reach the GitHub API"):
        fetch_pull(broken)


def test_answer_that_is_not_http_is_an_error() -> None:
    """A server that answers garbage instead of HTTP is an error, not a traceback."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]

        def answer() -> None:
            connection, _ = server.accept()
            with connection:
                connection.recv(65536)
                connection.sendall(b"garbage\r\n\r\n")

        thread = threading.Thread(target=answer, daemon=True)
        thread.start()
        broken = Client(Settings(f"http://127.0.0.1:{port}", TOKEN, REPO, NUMBER))
        with pytest.raises(GitHubError, match="cannot reach the GitHub API"):
            fetch_pull(broken)
        thread.join()


def test_review_without_state_is_an_error(api: FakeGitHub) -> None:
    """A review missing its state cannot be judged: error, not skipped."""
    api.lists[f"{PULL}/reviews"] = [{"id": 1, "user": user("eva"), "commit_id": SHA}]
    with pytest.raises(GitHubError, match="no id or state"):
        fetch_reviews(client(api))
