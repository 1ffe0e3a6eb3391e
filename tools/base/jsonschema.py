"""JSON Schema for editors, generated from the models so the two never disagree."""

from __future__ import annotations

import ast
import functools
import inspect
import json

from pydantic import BaseModel

import schema.models
from schema.models import ApprovalRecord, PolicyMeta, Registry, Section, Strict

SCHEMAS: dict[str, type[BaseModel]] = {
    "policy.schema.json": PolicyMeta,
    "section.schema.json": Section,
    "departments.schema.json": Registry,
    "approval.schema.json": ApprovalRecord,
}


def _field_docstrings() -> dict[str, dict[str, str]]:
    """Class name -> field -> the docstring under the field in ``schema/models.py``."""
    found: dict[str, dict[str, str]] = {}
    for node in ast.parse(inspect.getsource(schema.models)).body:
        if not isinstance(node, ast.ClassDef):
            continue
        docs = found.setdefault(node.name, {})
        for field, after in zip(node.body, node.body[1:], strict=False):
            if not (isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name)):
                continue
            text = after.value if isinstance(after, ast.Expr) else None
            if isinstance(text, ast.Constant) and isinstance(text.value, str):
                docs[field.target.id] = inspect.cleandoc(text.value)
    return found


@functools.cache
def _describe_fields() -> None:
    """Each field's docstring as its description, as Pydantic's ``use_attribute_docstrings``
    would give it: the models leave that out, for it reads their source at import, a start-up
    cost of every command. Then each model is built again (the nested ones first, in the order
    they are defined), so that its JSON Schema has them."""
    docs = _field_docstrings()
    models = [m for m in vars(schema.models).values() if isinstance(m, type)]
    for model in sorted(
        (m for m in models if issubclass(m, Strict) and m is not Strict),
        key=lambda m: inspect.getsourcelines(m)[1],
    ):
        for name, info in model.model_fields.items():
            owner = next(c for c in model.__mro__ if name in inspect.get_annotations(c))
            if info.description is None and name in docs.get(owner.__name__, {}):
                info.description = docs[owner.__name__][name]
        model.model_rebuild(force=True)


def render_schemas() -> dict[str, str]:
    """File name to JSON text, deterministic (sorted keys, trailing newline)."""
    _describe_fields()
    rendered = {}
    for name, model in SCHEMAS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = name
        rendered[name] = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return rendered
