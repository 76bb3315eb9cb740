"""The guardrail library: every guardrail is a valid policy with a documented purpose; a spec
policy refers to guardrails by name, with parameters from the policy, the spec or defaults."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from orgstack.api import validate
from orgstack.cli import cli
from orgstack.errors import SpecError
from orgstack.spec.guardrails import PLACEHOLDER, library
from orgstack.spec.loader import load_spec

ORG = (
    "organization: {name: acme, home_region: eu-west-1, allowed_regions: [eu-central-1], "
    "email_pattern: 'aws+{account}@acme.example', access_role: OrgAccess}\n"
    "organizational_units: {Workloads: {}}\n"
    "accounts:\n"
    "  management: {purpose: management, ou: root}\n"
    "  log-archive: {purpose: log-archive, ou: Workloads}\n"
    "  security: {purpose: security, ou: Workloads}\n"
    "  web-dev: {purpose: workload, ou: Workloads, stage: dev}\n"
    "  web-prod: {purpose: workload, ou: Workloads, stage: prod}\n"
    "policies:\n"
)


def _spec(tmp_path: Path, policies: str) -> Path:
    path = tmp_path / "orgstack.yaml"
    path.write_text(ORG + policies)
    return path


def _document(tmp_path: Path, policies: str, name: str = "p") -> dict[str, object]:
    model = load_spec(_spec(tmp_path, policies))
    found: dict[str, object] = json.loads(next(p for p in model.policies if p.name == name).content)
    return found


@pytest.mark.parametrize("name", sorted(library()))
def test_every_guardrail_is_a_policy_the_rules_accept(name: str, tmp_path: Path) -> None:
    guardrail = library()[name]
    assert guardrail.purpose and guardrail.why and guardrail.source.startswith("https://")
    text = json.dumps(guardrail.document)
    used = set(PLACEHOLDER.findall(text))
    assert used == set(guardrail.parameters), "every placeholder is a parameter and back"
    path = _spec(
        tmp_path,
        f"  p: {{type: {guardrail.type}, guardrails: [{name}], targets: [ou:Workloads]}}\n",
    )
    policy_rules = {"LZ004", "LZ005", "LZ006", "LZ007", "LZ008", "LZ019", "LZ020", "LZ021"}
    found = [f for f in validate(path).findings if f.rule_id in policy_rules]
    assert found == []


def test_statement_ids_are_unique_across_the_library() -> None:
    sids = [s["Sid"] for g in library().values() for s in g.document.get("Statement", [])]
    assert len(sids) == len(set(sids)) and all(re.fullmatch(r"[A-Za-z0-9]+", s) for s in sids)


def test_guardrails_of_one_policy_join_their_statements_and_fill_parameters(
    tmp_path: Path,
) -> None:
    document = _document(
        tmp_path,
        "  p: {type: service_control, guardrails: [deny-leave-organization, protect-logging], "
        "parameters: {break_glass_role: Emergency}, targets: [root]}\n",
    )
    statements = document["Statement"]
    assert isinstance(statements, list)
    assert [s["Sid"] for s in statements] == [
        "DenyLeaveOrganization", "ProtectCloudTrail", "ProtectConfig",
    ]  # fmt: skip
    # access_role from the spec, break_glass_role from the policy's parameters
    assert statements[1]["Condition"] == {
        "ArnNotLike": {
            "aws:PrincipalArn": ["arn:aws:iam::*:role/OrgAccess", "arn:aws:iam::*:role/Emergency"]
        }
    }


def test_list_parameters_come_from_the_spec_or_the_default(tmp_path: Path) -> None:
    regions = _document(
        tmp_path,
        "  p: {type: service_control, guardrails: [deny-outside-allowed-regions], targets: [root]}\n",
    )
    statement = regions["Statement"][0]  # type: ignore[index]
    assert statement["Condition"] == {
        "StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}
    }
    stages = _document(tmp_path, "  p: {type: tag, guardrails: [stage-tag], targets: [root]}\n")
    assert stages["tags"]["stage"]["tag_value"] == {"@@assign": ["dev", "qa", "prod"]}  # type: ignore[index]
    given = _document(
        tmp_path,
        "  p: {type: tag, guardrails: [stage-tag], parameters: {stages: [dev, uat]}, "
        "targets: [root]}\n",
    )
    assert given["tags"]["stage"]["tag_value"] == {"@@assign": ["dev", "uat"]}  # type: ignore[index]


def test_wrong_guardrail_references_are_precise_errors(tmp_path: Path) -> None:
    path = _spec(
        tmp_path,
        "  a: {type: service_control, guardrails: [deny-leave-organisation], targets: [root]}\n"
        "  b: {type: tag, guardrails: [deny-all], targets: [root]}\n"
        "  c: {type: service_control, guardrails: [deny-all, deny-all], targets: [root]}\n"
        "  d: {type: service_control, guardrails: [deny-all], parameters: {role: x}, targets: [root]}\n"
        "  e: {type: service_control, guardrails: [protect-logging], parameters: {break_glas_role: x}, targets: [root]}\n"
        "  f: {type: service_control, content: {}, parameters: {x: y}, targets: [root]}\n"
        "  g: {type: service_control, content: {}, guardrails: [deny-all], targets: [root]}\n",
    )
    with pytest.raises(SpecError) as raised:
        load_spec(path)
    assert [str(p) for p in raised.value.problems] == [
        f"{path}:10:43: policies.a.guardrails: no guardrail 'deny-leave-organisation' (did you "
        "mean 'deny-leave-organization'?); `orgstack guardrails` lists them",
        f"{path}:11:31: policies.b.guardrails: deny-all is a service_control policy, and this "
        "policy's type is tag",
        f"{path}:12:53: policies.c.guardrails: deny-all is listed twice",
        f"{path}:13:67: policies.d.parameters: no parameter 'role' in deny-all; allowed: (none)",
        f"{path}:14:74: policies.e.parameters: no parameter 'break_glas_role' in protect-logging "
        "(did you mean 'break_glass_role'?); allowed: access_role, break_glass_role",
        f"{path}:15:43: policies.f.parameters: only a policy of guardrails takes parameters",
        f"{path}:16:3: policies.g: give exactly one of 'file', 'content' or 'guardrails' (it has "
        "content and guardrails)",
    ]


def test_the_guardrails_command_lists_and_shows_the_library() -> None:
    listed = CliRunner().invoke(cli, ["guardrails"])
    assert listed.exit_code == 0
    lines = listed.output.splitlines()
    assert len(lines) == len(library()) + 1
    assert lines[0].split()[:3] == ["deny-all", "v1", "service_control"]
    assert lines[-1] == f"{len(library())} guardrails; `orgstack guardrails NAME` shows one."
    shown = CliRunner().invoke(cli, ["guardrails", "protect-access-role"])
    assert shown.output.splitlines()[:4] == [
        "protect-access-role v1 (service_control): Only the organization access role may change "
        "itself.",
        "Why: orgstack (and anyone with management-account access) reaches member accounts "
        "through this role; an account admin who could change or delete it could lock the "
        "organization out.",
        "Source: https://docs.aws.amazon.com/organizations/latest/userguide/"
        "orgs_manage_policies_scps_examples_general.html",
        "Parameter access_role: The role orgstack assumes in member accounts. (from "
        "organization.access_role)",
    ]
    data = json.loads(CliRunner().invoke(cli, ["guardrails", "--format", "json"]).output)
    assert [g["name"] for g in data] == sorted(library())
