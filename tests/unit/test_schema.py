"""The committed JSON Schema is current, valid, and accepts the examples."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from orgstack.spec.layouts import BLUEPRINTS
from orgstack.spec.schema import json_schema

REPO = Path(__file__).resolve().parents[2]
COMMITTED = REPO / "schema" / "orgstack.schema.json"


def test_committed_schema_is_current() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == json_schema(), (
        "schema/orgstack.schema.json is stale: run `make schema`"
    )


def test_schema_is_a_valid_draft_2020_12_schema_that_forbids_unknown_keys() -> None:
    schema = json.loads(json_schema())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["AccountSpec"]["additionalProperties"] is False


@pytest.mark.parametrize("layout", BLUEPRINTS)
def test_examples_validate_against_the_schema(layout: str) -> None:
    path = REPO / "examples" / layout / "orgstack.yaml"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schema/orgstack.schema.json"
    data = YAML(typ="safe").load(path)
    jsonschema.Draft202012Validator(json.loads(json_schema())).validate(data)


def test_schema_rejects_what_the_loader_rejects() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(json_schema()))
    bad = {"organization": {"name": "a", "home_region": "eu-west-1", "colour": "x"}}
    assert [e.message for e in validator.iter_errors(bad)] == [
        "Additional properties are not allowed ('colour' was unexpected)"
    ]
