"""Every error the product raises, in one tree.

Engines return ``Diagnostic`` values for bad input; they raise only when a command cannot go
on. The CLI catches ``PolicyError``, prints ``policy: error: {error}`` (after the located
diagnostics of a ``LoadError``) and exits 2; a command that catches one of these itself says
so. The hierarchy (``tests/base/test_errors.py`` checks that it matches the classes):

* PolicyError
  x UsageError
    + ClockError
    + RevisionError
    + SnapshotError
    + SignatureFormatError
    + SshKeygenError
    + EditError
    + ChangelogError
    + GitHubError
    + ReleaseError
    + SiteOutputError
    + WordReadError
    + GitError
  x LoadError
    + InvalidRepositoryError
  x RefusalError

``UsageError``: the command cannot run as asked (options, environment, unreadable input); the
message says what to do instead. ``LoadError``: input exists but does not load; its
``diagnostics`` say where and why. ``RefusalError``: the command could run, but the state of
the repository forbids it (approving for a department one is not a member of).
"""

from __future__ import annotations

from tools.base.diagnostics import Diagnostic


class PolicyError(Exception):
    """The base of every error the product raises."""


class UsageError(PolicyError):
    """The command cannot run as asked; the message says what to do instead."""


class ClockError(UsageError):
    """``SOURCE_DATE_EPOCH`` is set but is not a Unix time."""


class RevisionError(UsageError):
    """A version cannot be obtained (no repository, unknown revision, missing policy)."""


class SnapshotError(UsageError):
    """A file of the snapshot cannot be read safely (symlink, outside the root, unreadable)."""


class SignatureFormatError(UsageError):
    """The text is not an armored SSH signature."""


class SshKeygenError(UsageError):
    """ssh-keygen is missing or refused to sign; the message says what to do."""


class EditError(UsageError):
    """A requested edit cannot be made without touching more than the field."""


class ChangelogError(UsageError):
    """The changelog cannot take this release (it is there already)."""


class GitHubError(UsageError):
    """The GitHub API cannot be used as asked; the message says why and what to do."""


class ReleaseError(UsageError):
    """The release cannot be run (another one is running, a ref moved, git refused)."""


class SiteOutputError(UsageError):
    """The output folder cannot take the site (it holds other files, or is not a folder)."""


class WordReadError(UsageError):
    """A Word file cannot be imported (old .doc, encrypted, damaged, empty, tracked changes)."""


class GitError(UsageError):
    """A git command the seam ran failed unexpectedly; the message is git's own last words."""

    def __init__(self, command: list[str], status: int, stderr: str) -> None:
        lines = [line.strip() for line in stderr.splitlines() if line.strip()]
        verb = command[1] if len(command) > 1 else "git"
        super().__init__(f"git {verb} failed: {lines[-1] if lines else status}")
        self.command, self.status, self.stderr = command, status, stderr


class LoadError(PolicyError):
    """Input exists but does not load; ``diagnostics`` says where and why."""

    def __init__(self, message: str, diagnostics: list[Diagnostic]) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics


class InvalidRepositoryError(LoadError):
    """The repository at HEAD does not validate: no plan can be made (``problems`` say why)."""

    def __init__(self, problems: list[Diagnostic]) -> None:
        super().__init__("the repository at HEAD does not validate", problems)

    @property
    def problems(self) -> list[Diagnostic]:
        return self.diagnostics


class RefusalError(PolicyError):
    """The command could run, but the state of the repository forbids it."""
