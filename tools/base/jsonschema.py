"""JSON Schema for editors, generated from the models so the two never disagree."""

from __future__ import annotations

import json

from pydantic import BaseModel

from schema.models import ApprovalRecord, PolicyMeta, Registry, Section

SCHEMAS: dict[str, type[BaseModel]] = {
    "policy.schema.json": PolicyMeta,
    "section.schema.json": Section,
    "departments.schema.json": Registry,
    "approval.schema.json": ApprovalRecord,
}


def render_schemas() -> dict[str, str]:
    """File name to JSON text, deterministic (sorted keys, trailing newline)."""
    rendered = {}
    for name, model in SCHEMAS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = name
        rendered[name] = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return rendered
