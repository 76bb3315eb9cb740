"""Every organization policy type AWS's API has (botocore's PolicyType: 15) is read, imported
and planned: a type orgstack has no grammar for is kept exactly as AWS has it. A type AWS
enables that orgstack does not know is named in the imported spec, never silently dropped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import botocore.session

from orgstack import api
from orgstack.model import PolicyType
from orgstack.spec.export import unknown_policy_types
from tests.integration.conftest import FAST, OrgBuilder

#: A document of each type orgstack keeps as written (no grammar of its own yet).
KEPT = {
    "SECURITYHUB_POLICY": {"securityhub": {"enable_in_regions": {"@@assign": ["eu-west-1"]}}},
    "SECURITYHUB_CSPM_POLICY": {"securityhub": {"enable_in_regions": {"@@assign": ["ALL"]}}},
    "INSPECTOR_POLICY": {"inspector": {"enablement": {"ec2_scanning": {"@@assign": True}}}},
    "UPGRADE_ROLLOUT_POLICY": {"upgrade_rollout": {"default": {"@@assign": "patient"}}},
    "BEDROCK_POLICY": {"bedrock": {"guardrail_inference": {"@@assign": "required"}}},
    "S3_POLICY": {"s3_attributes": {"public_access_block": {"@@assign": "all"}}},
    "NETWORK_SECURITY_DIRECTOR_POLICY": {"network_security_director": {"scan": {"@@assign": 1}}},
    "GUARDDUTY_POLICY": {"guardduty": {"enable_in_regions": {"@@assign": ["eu-west-1"]}}},
}


def test_orgstack_knows_every_type_the_api_lists() -> None:
    model = botocore.session.get_session().get_service_model("organizations")
    listed = model.shape_for("PolicyType").enum  # type: ignore[attr-defined]
    assert sorted(listed) == sorted(t.aws_name for t in PolicyType)
    assert set(KEPT) <= {t.aws_name for t in PolicyType}


def test_policies_of_the_new_types_import_and_plan_nothing(orgs: Any, workdir: Path) -> None:
    built = OrgBuilder(orgs)
    web = built.account("web-prod")
    for name, (policy_type, content) in enumerate(KEPT.items()):
        orgs.enable_policy_type(RootId=built.root, PolicyType=policy_type)
        policy = orgs.create_policy(
            Name=f"p{name}",
            Description="made in the console",
            Type=policy_type,
            Content=json.dumps(content),
        )["Policy"]["PolicySummary"]
        orgs.attach_policy(PolicyId=policy["Id"], TargetId=web)
    result = api.import_organization(workdir / "orgstack.yaml", FAST, name="acme")
    declared = {p.name: p for p in result.model.policies if not p.aws_managed}
    assert {p.type.aws_name for p in declared.values()} == set(KEPT)
    for name, (_, content) in enumerate(KEPT.items()):
        assert json.loads(declared[f"p{name}"].content) == content
        assert [t.address for t in declared[f"p{name}"].targets] == ["account:web-prod"]
    plan = api.make_plan("orgstack.yaml", FAST).plan
    assert (plan.changes, plan.unmanaged, plan.preflight) == ((), (), ())
    # An edit is planned as for any type: the content changes, the attachment stays.
    policy_file = workdir / "policies" / "p7.json"
    edited = {"guardduty": {"enable_in_regions": {"@@assign": ["eu-west-1", "eu-central-1"]}}}
    policy_file.write_text(json.dumps(edited))
    plan = api.make_plan("orgstack.yaml", FAST).plan
    assert [(c.address, c.action.value) for c in plan.changes] == [
        ("guardduty-policy:p7", "update")
    ]


def test_a_type_unknown_to_orgstack_is_named_not_dropped() -> None:
    assert unknown_policy_types(("SERVICE_CONTROL_POLICY", "QUANTUM_POLICY", "TAG_POLICY")) == [
        "QUANTUM_POLICY"
    ]


def test_the_imported_spec_names_an_enabled_type_orgstack_does_not_know(
    orgs: Any, workdir: Path
) -> None:
    from dataclasses import replace

    from orgstack.model.guess import guess_stage
    from orgstack.spec.export import export_spec

    OrgBuilder(orgs)
    live = api.read_live(None, FAST)[0]
    assert live is not None
    newer = replace(
        live,
        organization=replace(
            live.organization,
            policy_types=(*live.organization.policy_types, "QUANTUM_POLICY"),
        ),
    )
    text, _ = export_spec(
        newer, name="acme", home_region="us-east-1", schema_ref="s.json", guess_stage=guess_stage
    )
    assert (
        "# NOT IMPORTED: policy type QUANTUM_POLICY is enabled in AWS and unknown to this "
        "orgstack; its policies are not in this spec (a newer orgstack manages them).\n"
    ) in text
