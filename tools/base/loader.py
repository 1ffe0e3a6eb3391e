"""Loading a policy or the departments registry from a snapshot into validated models.

Each file is parsed (``tools/base/yamlfile.py``) and validated against its model; every problem
becomes a located ``Diagnostic``. Parsed files are cached by git blob id, so a file that is the
same in two versions is parsed once. Checks that span several files live in
``tools/validate/``.
"""

from __future__ import annotations

import gc
import types
import typing
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from schema.models import Clause, PolicyMeta, Registry, Section, character_name
from tools.base.diagnostics import Diagnostic
from tools.base.errors import SnapshotError
from tools.base.snapshot import Snapshot, git_blob_id
from tools.base.yamlfile import YamlDocument, decode_text, parse_yaml

POLICY_ROOT = "policy"
REGISTRY_PATH = f"{POLICY_ROOT}/departments.yaml"

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class LoadedFile(Generic[M]):
    """A file that parsed and validated: its path, node tree (for positions) and model."""

    path: str
    doc: YamlDocument
    model: M
    blob_id: str


@dataclass(frozen=True)
class Policy:
    """One version of a policy: its metadata and its section files in reading order."""

    id: str
    folder: str
    meta: LoadedFile[PolicyMeta]
    sections: tuple[LoadedFile[Section], ...]
    complete: bool
    """False when a section file failed to load; cross-file checks then skip coverage."""

    def clauses(self) -> Iterator[tuple[LoadedFile[Section], int, Clause]]:
        """Every clause with its section file and index, in reading order."""
        for section in self.sections:
            for index, clause in enumerate(section.model.clauses):
                yield section, index, clause

    def locate_clause(self, clause_id: str) -> tuple[str, int, int] | None:
        """File, line and column where a clause's id is written; None if it is not here."""
        for section, index, clause in self.clauses():
            if clause.id == clause_id:
                return (section.path, *section.doc.locate(("clauses", index, "id")))
        return None


@dataclass
class ParseCache:
    """Results of parsing and validating files, keyed by (model, path, git blob id)."""

    entries: dict[tuple[str, str, str], tuple[Any, list[Diagnostic]]] = field(default_factory=dict)

    @staticmethod
    def key(model: type[BaseModel], path: str, blob_id: str) -> tuple[str, str, str]:
        return model.__name__, path, blob_id


def policy_ids(snapshot: Snapshot) -> list[str]:
    """The policies of a snapshot: every folder under ``policy/``."""
    ids = {path.split("/")[1] for path in snapshot.files(POLICY_ROOT) if path.count("/") >= 2}
    return sorted(ids)


def load_file(
    snapshot: Snapshot, path: str, model: type[M], cache: ParseCache | None = None
) -> tuple[LoadedFile[M] | None, list[Diagnostic]]:
    """Read, parse and validate one file against ``model``."""
    try:
        blob_id = snapshot.blob_id(path)
        key = ParseCache.key(model, path, blob_id)
        if cache is not None and key in cache.entries:
            return cache.entries[key]
        # Reading can fail after the blob id was found: git lists a symlink's id too.
        with collector_paused():
            result = _load_uncached(snapshot, path, model, blob_id)
    except KeyError:
        return None, [
            Diagnostic.at(path, "missing-file", "the file does not exist", f"create {path}")
        ]
    except SnapshotError as error:
        return None, [
            Diagnostic.at(path, "unsafe-file", str(error), "replace it with a regular file")
        ]
    if cache is not None:
        cache.entries[key] = result
    return result


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while files are parsed and validated.

    A file of 100 clauses allocates some 10,000 objects (a node and two marks per value, the
    data, the models); the collector, triggered every few hundred allocations, walks every
    object still alive whenever it reaches the older generations, and the files loaded before
    stay alive (their node trees locate errors). That was a third of the time of validating
    10,000 clauses. Node trees, plain data and frozen models hold no reference cycles, so
    reference counting frees them all the same.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load_uncached(
    snapshot: Snapshot, path: str, model: type[M], blob_id: str
) -> tuple[LoadedFile[M] | None, list[Diagnostic]]:
    raw = snapshot.read(path)
    doc, problems = parse_yaml(path, raw)
    if doc is None:
        return None, problems
    value, problems = validate_document(doc, model, raw)
    if value is None:
        return None, problems
    return LoadedFile(path, doc.detached(rereader(snapshot, path, blob_id)), value, blob_id), []


def rereader(snapshot: Snapshot, path: str, blob_id: str) -> Callable[[], str]:
    """The file's text read again, to locate a problem the checks across files find; a file
    that no longer has the blob id it was loaded with is an error, not a wrong position."""

    def reread() -> str:
        raw = snapshot.read(path)
        if git_blob_id(raw) != blob_id:
            raise SnapshotError(f"{path} changed while it was being checked; run the command again")
        return decode_text(path, raw)[0] or ""

    return reread


def validate_document(
    doc: YamlDocument, model: type[M], raw: bytes
) -> tuple[M | None, list[Diagnostic]]:
    """The parsed ``doc`` as a ``model``, or every validation error, located in ``raw``."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as error:
        text, _ = decode_text(doc.path, raw)  # only on error: positions of hidden characters
        problems = []
        for detail in error.errors():
            if detail["type"] == "hidden_character":
                problems += _hidden_characters(doc, detail, text or "")
            else:
                problems.append(_to_diagnostic(doc, model, detail, text or ""))
        return None, problems


def load_registry(
    snapshot: Snapshot, cache: ParseCache | None = None
) -> tuple[LoadedFile[Registry] | None, list[Diagnostic]]:
    """The departments registry, ``policy/departments.yaml``."""
    return load_file(snapshot, REGISTRY_PATH, Registry, cache)


def load_policy(
    snapshot: Snapshot,
    policy_id: str,
    cache: ParseCache | None = None,
    *,
    skip: Collection[str] = (),
) -> tuple[Policy | None, list[Diagnostic]]:
    """A policy's metadata and sections; None when ``policy.yaml`` itself cannot be loaded.

    Section files in ``skip`` are left out unread (the policy is then not ``complete``): a diff
    passes the files that are the same on both sides, so its cost follows the change.
    """
    folder = f"{POLICY_ROOT}/{policy_id}"
    meta, problems = load_file(snapshot, f"{folder}/policy.yaml", PolicyMeta, cache)
    section_paths, order_problems = _section_paths(snapshot, folder, meta)
    problems += order_problems
    sections: list[LoadedFile[Section]] = []
    wanted = [path for path in section_paths if path not in skip]
    for path in wanted:
        section, section_problems = load_file(snapshot, path, Section, cache)
        problems += section_problems
        if section is not None:
            sections.append(section)
    if meta is None:
        return None, problems
    complete = len(sections) == len(section_paths) and not order_problems
    return Policy(policy_id, folder, meta, tuple(sections), complete), problems


def same_sections(base: Snapshot | None, head: Snapshot, policy_id: str) -> frozenset[str]:
    """A policy's section files with the same content (git blob id) in both snapshots.

    A clause in such a file is at the same place with the same content on both sides, so a
    diff has nothing to say about it: ``load_policy(skip=...)`` leaves them unread, and a
    one-clause change costs the same in a policy of 200 clauses or of 2,000.
    """
    if base is None:
        return frozenset()
    folder = f"{POLICY_ROOT}/{policy_id}/sections"
    on_base = set(base.files(folder))
    return frozenset(
        path
        for path in head.files(folder)
        if path in on_base and base.blob_id(path) == head.blob_id(path)
    )


def _section_paths(
    snapshot: Snapshot, folder: str, meta: LoadedFile[PolicyMeta] | None
) -> tuple[list[str], list[Diagnostic]]:
    """Section files in reading order: as listed in ``policy.yaml``, else sorted by name."""
    present = snapshot.files(f"{folder}/sections")
    problems = [
        Diagnostic.at(
            path,
            "unexpected-file",
            "only .yaml section files belong here",
            "move or delete the file, or rename it to <section-id>.yaml",
        )
        for path in present
        if not path.endswith(".yaml") or path.count("/") != 3
    ]
    yaml_files = [path for path in present if path.endswith(".yaml") and path.count("/") == 3]
    if meta is None:
        return yaml_files, problems
    listed: list[str] = []
    for index, section_id in enumerate(meta.model.sections):
        path = f"{folder}/sections/{section_id}.yaml"
        if path in listed:
            line, column = meta.doc.locate(("sections", index))
            problems.append(
                Diagnostic.at(
                    meta.path,
                    "duplicate-section",
                    f"section '{section_id}' is listed twice",
                    "list each section once",
                    line=line,
                    column=column,
                )
            )
        elif path not in yaml_files:
            line, column = meta.doc.locate(("sections", index))
            problems.append(
                Diagnostic.at(
                    meta.path,
                    "section-missing",
                    f"section '{section_id}' is listed but {path} does not exist",
                    f"create {path} or remove '{section_id}' from sections",
                    line=line,
                    column=column,
                )
            )
        else:
            listed.append(path)
    for path in yaml_files:
        if path not in listed:
            section_id = path.rsplit("/", 1)[1].removesuffix(".yaml")
            problems.append(
                Diagnostic.at(
                    path,
                    "section-unlisted",
                    f"section file is not listed in {meta.path}",
                    f"add '{section_id}' to 'sections' in {meta.path} "
                    "where it belongs in reading order, or delete the file",
                    line=1,
                    column=1,
                )
            )
    return listed, problems


# --- Pydantic errors to diagnostics -----------------------------------------------------------

_CODES = {
    "extra_forbidden": "unknown-field",
    "missing": "missing-field",
    "string_pattern_mismatch": "bad-format",
    "enum": "bad-value",
    "literal_error": "bad-value",
    "too_short": "too-short",
    "too_long": "too-long",
    "string_too_short": "too-short",
    "string_too_long": "too-long",
    "greater_than_equal": "out-of-range",
    "less_than_equal": "out-of-range",
    "empty_text": "empty-text",
    "hidden_character": "hidden-character",
    "bad_date": "bad-date",
    "private_key": "private-key",
}

_HINTS = {
    "missing-field": "add the field",
    "bad-format": "see the field's description in the JSON Schema for the expected form",
    "bad-value": "use one of the allowed values",
    "too-short": "add the missing entries or text",
    "too-long": "shorten it",
    "out-of-range": "use a value within the allowed range",
    "empty-text": "write the text, or remove the field if it is optional",
    "hidden-character": "delete the character; retype the text around it if unsure",
    "bad-date": "write the date as YYYY-MM-DD, for example 2027-01-01",
    "private-key": "remove it before committing, and rotate it: treat the key as leaked, make a "
    "new pair (ssh-keygen -t ed25519) and put only the public line (the .pub file) here",
    "wrong-type": "check the value's type; quote text that YAML reads as a number, date or boolean",
}


def _to_diagnostic(
    doc: YamlDocument, model: type[BaseModel], detail: ErrorDetails, text: str
) -> Diagnostic:
    loc = detail["loc"]
    kind = detail["type"]
    code = _CODES.get(
        kind, "wrong-type" if kind.endswith("_type") or "parsing" in kind else "invalid-value"
    )
    name = _loc_name(loc)
    message = f"'{name}': {detail['msg']}" if name else detail["msg"]
    hint = _HINTS.get(code, "correct the value")
    if code == "unknown-field":
        allowed = ", ".join(_fields_at(model, loc[:-1]))
        message = f"unknown field '{loc[-1]}'"
        hint = f"remove it or correct its spelling; allowed here: {allowed}"
    if code == "missing-field":
        message = f"required field '{loc[-1]}' is missing"
    if code == "bad-format" and _is_clause_id(loc):
        code = "bad-id"
        hint = "clause ids are the policy's clause_prefix, a hyphen and 3 to 5 digits, e.g. sm-012"
    line, column = doc.locate(loc, key=code == "unknown-field")
    return Diagnostic.at(doc.path, code, message, hint, line=line, column=column)


def _hidden_characters(doc: YamlDocument, detail: ErrorDetails, text: str) -> list[Diagnostic]:
    """One diagnostic per hidden character of the field, each at its own position."""
    ctx = detail.get("ctx") or {}
    name = _loc_name(detail["loc"])
    problems = []
    after = (0, 0)
    for code in str(ctx.get("chars", ctx.get("char", "0"))).split():
        char = chr(int(code, 16))
        line, column = doc.text_position(detail["loc"], char, text, after=after)
        after = (line, column)
        problems.append(
            Diagnostic.at(
                doc.path,
                "hidden-character",
                f"'{name}': contains the invisible or control character {character_name(char)}, "
                "which can make the text read differently than it is",
                _HINTS["hidden-character"],
                line=line,
                column=column,
            )
        )
    return problems


def _is_clause_id(loc: Sequence[str | int]) -> bool:
    if len(loc) >= 2 and loc[-2] in ("see", "retired", "clauses"):
        return True
    return len(loc) >= 3 and loc[-1] == "id" and loc[-3] == "clauses"


def _loc_name(loc: Sequence[str | int]) -> str:
    return ".".join(str(part) if isinstance(part, str) else f"[{part}]" for part in loc).replace(
        ".[", "["
    )


def _fields_at(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The field names of the model found at ``loc`` inside ``model``."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None or isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        current = _model_in(info.annotation) if info is not None else None
    return sorted(current.model_fields) if current is not None else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
