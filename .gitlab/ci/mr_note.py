"""Post the policy report as ONE merge-request note, or update the note posted before.

GitLab CI glue, standard library only: ``python .gitlab/ci/mr_note.py FILE... [--attach
PATH]...`` joins the files that exist, links each attached file the report names (`name`) to
this job's artifact (CI_JOB_URL), finds the note whose body starts with the report's marker,
and updates it, or creates it. Reads CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID and
POLICY_BOT_TOKEN (a project access token with the ``api`` scope) from the environment. Exit 0
posted, 2 not.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

MARKER = "<!-- policy-report -->"
LIMIT = 1_000_000  # GitLab's note limit is 1,000,000 characters


def request(method: str, url: str, token: str, data: dict[str, str] | None = None) -> Any:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    headers = {"PRIVATE-TOKEN": token}
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=30) as response:
        return json.load(response)


def find_note(notes_url: str, token: str) -> int | None:
    """The id of the note that starts with the marker, on any page."""
    page = 1
    while True:
        notes = request("GET", f"{notes_url}?per_page=100&page={page}", token)
        for note in notes:
            if (note.get("body") or "").startswith(MARKER) and not note.get("system"):
                return int(note["id"])
        if len(notes) < 100:
            return None
        page += 1


def link_attachments(body: str, paths: list[str], job_url: str) -> str:
    """Each attached file the body names as `name`, as a link to the job's artifact."""
    for path in paths:
        name = Path(path).name
        body = body.replace(f"`{name}`", f"[{name}]({job_url}/artifacts/raw/{path})")
    return body


def main(argv: list[str]) -> int:
    attached = [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == "--attach"]
    files = [arg for arg in argv if arg != "--attach" and arg not in attached]
    env = os.environ
    missing = [
        name
        for name in ("CI_API_V4_URL", "CI_PROJECT_ID", "CI_MERGE_REQUEST_IID", "POLICY_BOT_TOKEN")
        if not env.get(name)
    ]
    if missing:
        print(f"mr_note: not posting, {', '.join(missing)} not set", file=sys.stderr)
        return 2
    body = "\n".join(Path(f).read_text(encoding="utf-8") for f in files if Path(f).is_file())
    if not body.startswith(MARKER):
        body = f"{MARKER}\n{body}"
    if env.get("CI_JOB_URL"):
        body = link_attachments(body, attached, env["CI_JOB_URL"])
    body = body[:LIMIT]
    project = urllib.parse.quote(env["CI_PROJECT_ID"], safe="")
    notes_url = (
        f"{env['CI_API_V4_URL']}/projects/{project}/merge_requests/"
        f"{env['CI_MERGE_REQUEST_IID']}/notes"
    )
    token = env["POLICY_BOT_TOKEN"]
    note_id = find_note(notes_url, token)
    if note_id is None:
        request("POST", notes_url, token, {"body": body})
        print("mr_note: note created")
    else:
        request("PUT", f"{notes_url}/{note_id}", token, {"body": body})
        print(f"mr_note: note {note_id} updated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
