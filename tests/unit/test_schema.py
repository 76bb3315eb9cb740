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


@pytest.mark.parametrize("layout", [*BLUEPRINTS, "day-two"])
def test_every_example_validates_against_the_schema(layout: str) -> None:
    data = YAML(typ="safe").load(REPO / "examples" / layout / "orgstack.yaml")
    jsonschema.Draft202012Validator(json.loads(json_schema())).validate(data)


PLAN_COMMITTED = REPO / "schema" / "plan.schema.json"


def test_committed_plan_schema_is_current_and_names_every_kind() -> None:
    from orgstack.plan.schema import plan_json_schema
    from orgstack.registry import all_kinds

    assert PLAN_COMMITTED.read_text(encoding="utf-8") == plan_json_schema(), (
        "schema/plan.schema.json is stale: run `make schema`"
    )
    schema = json.loads(plan_json_schema())
    jsonschema.Draft202012Validator.check_schema(schema)
    pattern = schema["properties"]["changes"]["items"]["properties"]["address"]["pattern"]
    assert all(f"|{k.info.prefix}" in pattern for k in all_kinds())


@pytest.mark.parametrize(
    "golden", sorted((REPO / "tests" / "golden").glob("*.json")), ids=lambda p: p.stem
)
def test_the_plan_of_every_blueprint_validates_against_the_plan_schema(golden: Path) -> None:
    plan = json.loads(golden.read_text(encoding="utf-8"))
    plan |= {
        "plan_id": "0" * 32,
        "created_at": "2026-12-02T00:00:00+00:00",
        "expires_at": "2026-12-02T04:00:00+00:00",
        "digest": "sha256:" + "0" * 64,
    }
    validator = jsonschema.Draft202012Validator(
        json.loads(PLAN_COMMITTED.read_text(encoding="utf-8"))
    )
    assert [e.message for e in validator.iter_errors(plan)] == []
    assert plan["changes"], golden.name


def test_the_plan_schema_refuses_an_unknown_address() -> None:
    schema = json.loads(PLAN_COMMITTED.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    change = {
        "index": 0,
        "address": "bucket:logs",
        "action": "create",
        "before": None,
        "after": {},
        "reason": "",
        "fingerprints": {},
        "observed": {},
    }
    item = validator.evolve(schema=schema["properties"]["changes"]["items"])
    errors = list(item.iter_errors(change))
    assert [e.validator for e in errors] == ["pattern"]


def test_the_day_two_example_is_clean_and_declares_every_new_kind() -> None:
    from orgstack import api
    from orgstack.registry import all_kinds

    path = REPO / "examples" / "day-two" / "orgstack.yaml"
    report = api.validate(path)
    assert (report.findings, len(report.suppressed)) == ((), 3)
    model = api.load_spec(path)
    assert sorted(k.name for k in all_kinds() if k.desired(model, {})) == [
        "alternate_contacts",
        "break_glass",
        "delegated_admin",
        "iam_alias",
        "log_archive",
        "org_trail",
        "security_services",
        "trusted_access",
    ]
    shop = model.account("shop-prod")
    assert shop is not None and shop.tags["owner"] == "shop-team@acme.example"
