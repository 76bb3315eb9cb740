"""Blueprints: each compiles, carries a comment per OU and account, and examples/ is current."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgstack.api import write_spec
from orgstack.model import Account, OrganizationalUnit
from orgstack.spec.blueprints import preset
from orgstack.spec.layouts import BLUEPRINTS, Layout
from orgstack.spec.loader import load_spec

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_SCHEMA_REF = "../../schema/orgstack.schema.json"


def test_minimal_blueprint_has_the_documented_accounts_and_ous(tmp_path: Path) -> None:
    result = write_spec(preset("minimal"), tmp_path / "orgstack.yaml", schema_ref="s.json")
    model = result.model
    assert [o.path for o in model.ous] == [
        "Security",
        "Infrastructure",
        "Workloads",
        "Workloads/Prod",
        "Workloads/NonProd",
        "Sandbox",
    ]
    assert [(a.name, a.purpose, a.ou, a.stage) for a in model.accounts] == [
        ("management", "management", "root", None),
        ("log-archive", "log-archive", "Security", None),
        ("security", "security", "Security", None),
        ("shared-services", "shared-services", "Infrastructure", None),
        ("backup", "backup", "Infrastructure", None),
        ("app-dev", "workload", "Workloads/NonProd", "dev"),
        ("app-qa", "workload", "Workloads/NonProd", "qa"),
        ("app-prod", "workload", "Workloads/Prod", "prod"),
        ("sandbox", "sandbox", "Sandbox", None),
    ]
    assert result.summary == "9 accounts in 6 OUs; you can grow into the standard blueprint later"
    managed = [p for p in model.policies if p.aws_managed]
    assert [p.address for p in managed] == ["scp:FullAWSAccess"]
    assert len(managed[0].targets) == 1 + 6 + 9  # root, every OU, every account
    assert [
        (p.address, [t.address for t in p.targets]) for p in model.policies if not p.aws_managed
    ] == [
        ("scp:deny-leave-organization", ["root"]),
        ("scp:deny-root-user", ["root"]),
        ("scp:protect-platform", ["root"]),
        ("scp:deny-outside-allowed-regions", ["ou:Workloads", "ou:Sandbox"]),
        ("tag-policy:stage-tag", ["root"]),
        ("backup-policy:orgstack-backup-plans", ["ou:Workloads"]),
    ]


def test_standard_blueprint_has_the_aws_recommended_ous(tmp_path: Path) -> None:
    model = write_spec(preset("standard"), tmp_path / "o.yaml", schema_ref="s.json").model
    top = [o.path for o in model.ous if o.depth == 1]
    assert top == [
        "Security",
        "Infrastructure",
        "Workloads",
        "Deployments",
        "Sandbox",
        "Suspended",
        "PolicyStaging",
    ]
    assert {a.name: a.ou for a in model.accounts}["build"] == "Deployments"
    assert {a.name: a.ou for a in model.accounts}["network"] == "Infrastructure"


def test_enterprise_blueprint_puts_business_units_below_prod_and_nonprod(tmp_path: Path) -> None:
    model = write_spec(preset("enterprise"), tmp_path / "o.yaml", schema_ref="s.json").model
    assert [o.path for o in model.ous if o.depth == 3] == [
        "Workloads/Prod/Retail",
        "Workloads/Prod/Wholesale",
        "Workloads/NonProd/Retail",
        "Workloads/NonProd/Wholesale",
    ]
    orders = [(a.name, a.ou, a.business_unit) for a in model.accounts if a.workload == "orders"]
    assert orders == [
        ("orders-dev", "Workloads/NonProd/Wholesale", "wholesale"),
        ("orders-qa", "Workloads/NonProd/Wholesale", "wholesale"),
        ("orders-staging", "Workloads/NonProd/Wholesale", "wholesale"),
        ("orders-prod", "Workloads/Prod/Wholesale", "wholesale"),
    ]


@pytest.mark.parametrize("layout", BLUEPRINTS)
def test_every_ou_and_account_has_a_comment_saying_why(layout: Layout, tmp_path: Path) -> None:
    spec = tmp_path / "orgstack.yaml"
    model = write_spec(preset(layout), spec, schema_ref="s.json").model
    lines = spec.read_text(encoding="utf-8").splitlines()
    objects: list[OrganizationalUnit | Account] = [*model.ous, *model.accounts]
    for obj in objects:
        assert obj.source is not None
        above = lines[obj.source.line - 2].strip()
        assert above.startswith("# ") and len(above) > 20, (obj.address, above)


@pytest.mark.parametrize("layout", BLUEPRINTS)
def test_examples_are_current(layout: Layout, tmp_path: Path) -> None:
    """Fails when examples/ is stale: run `make examples`."""
    out = tmp_path / layout / "orgstack.yaml"
    write_spec(replace(preset(layout), domain="example.com"), out, schema_ref=EXAMPLE_SCHEMA_REF)
    expected = {
        p.relative_to(out.parent): p.read_text() for p in out.parent.rglob("*") if p.is_file()
    }
    example_dir = REPO / "examples" / layout
    actual = {
        p.relative_to(example_dir): p.read_text() for p in example_dir.rglob("*") if p.is_file()
    }
    assert actual == expected, "examples/ is stale: run `make examples`"
    assert load_spec(example_dir / "orgstack.yaml").accounts


STAGES = ("dev", "test", "qa", "int", "staging", "live", "prod", "uat")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    layout=st.sampled_from(BLUEPRINTS),
    stages=st.lists(st.sampled_from(STAGES), min_size=1, max_size=4, unique=True),
    teams=st.sampled_from([0, 1, 2, 3, 4, 50]),
    flags=st.tuples(st.booleans(), st.booleans(), st.booleans(), st.booleans()),
    identity=st.sampled_from(["iam", "identity-center"]),
)
def test_every_combination_of_answers_yields_a_spec_without_errors(
    tmp_path: Path, layout: Layout, stages: list[str], teams: int,
    flags: tuple[bool, bool, bool, bool], identity: str,
) -> None:  # fmt: skip
    from orgstack.api import validate
    from orgstack.rules.base import Severity
    from orgstack.spec.blueprints import BusinessUnit

    build, network, backup, sandbox = flags
    answers = replace(
        preset(layout),
        stages=tuple(stages),
        business_units=(
            BusinessUnit(
                "retail" if layout == "enterprise" else "", tuple(f"team{i}" for i in range(teams))
            ),
        )
        if teams
        else (),
        build=build,
        network=network,
        backup=backup,
        sandbox=sandbox,
        identity=identity,
    )
    path = tmp_path / f"{layout}-{'-'.join(stages)}-{teams}-{identity}" / "orgstack.yaml"
    write_spec(answers, path, schema_ref="s.json", force=True)
    errors = [f for f in validate(path).findings if f.severity == Severity.ERROR]
    assert errors == []


@pytest.mark.parametrize("layout", BLUEPRINTS)
@pytest.mark.parametrize("build", [True, False])
def test_a_blueprint_without_workloads_yet_is_clean(
    tmp_path: Path, layout: Layout, build: bool
) -> None:
    from orgstack.api import validate

    path = tmp_path / "orgstack.yaml"
    write_spec(replace(preset(layout), business_units=(), build=build), path, schema_ref="s.json")
    from orgstack.api import load_spec as load

    found = validate(path).findings
    # Only the network pools' room, information (the minimal blueprint has no network).
    assert [f.rule_id for f in found] == (["LZ022"] * 3 if layout != "minimal" else [])
    model = load(path)
    assert {a.purpose for a in model.accounts} <= {
        "management", "log-archive", "security", "shared-services", "network", "backup",
        "build", "sandbox",
    }  # fmt: skip
    assert model.access is not None
    grants = {(g.group, g.level, g.selector) for g in model.access.grants}
    shared = "purpose: [shared-services, build]" if build else "purpose: shared-services"
    assert ("devops", "poweruser", shared) in grants
    assert ("developers", "readonly", shared) in grants


def test_the_protect_access_role_guardrail_names_the_configured_role(tmp_path: Path) -> None:
    import json

    from orgstack.api import validate

    path = tmp_path / "orgstack.yaml"
    write_spec(replace(preset("standard"), access_role="OrgstackAccess"), path, schema_ref="s.json")
    model = load_spec(path)
    platform = json.loads(next(p for p in model.policies if p.name == "protect-platform").content)
    statement = platform["Statement"][0]
    assert statement["Sid"] == "ProtectOrganizationAccessRole"
    assert statement["Resource"] == "arn:aws:iam::*:role/OrgstackAccess"
    assert statement["Condition"] == {
        "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/OrgstackAccess"}
    }
    glass = platform["Statement"][1]
    assert glass["Sid"] == "OnlyOrgstackMakesTheBreakGlassRole"
    assert glass["Resource"] == "arn:aws:iam::*:role/OrgstackBreakGlass"
    assert glass["Condition"] == {
        "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/OrgstackAccess"}
    }
    assert platform["Statement"][2]["Condition"]["ArnNotLike"]["aws:PrincipalArn"] == [
        "arn:aws:iam::*:role/OrgstackAccess",
        "arn:aws:iam::*:role/OrgstackBreakGlass",
    ]
    report = validate(path)
    assert [f for f in report.findings if f.severity.value == "error"] == []
    assert "access_role: OrgstackAccess" in path.read_text()
    assert not (tmp_path / "policies").exists()  # the library is referred to, not copied


def test_the_region_guardrail_exempts_awss_published_global_services() -> None:
    from orgstack.spec.guardrails import library

    document = library()["deny-outside-allowed-regions"].document
    exempt = document["Statement"][0]["NotAction"]
    for action in ("acm:*", "cloudfront:*", "iam:*", "organizations:*", "route53:*", "sts:*",
                   "support:*", "kms:*", "globalaccelerator:*", "wafv2:*", "s3:ListAllMyBuckets"):  # fmt: skip
        assert action in exempt
    assert len(exempt) == 43


@pytest.mark.parametrize("layout", BLUEPRINTS)
def test_every_blueprint_is_yaml_a_yaml_1_1_parser_reads_too(
    layout: Layout, tmp_path: Path
) -> None:
    """Editors' and pre-commit's YAML tools (PyYAML: YAML 1.1) must read the spec: a cron
    expression's '?' in a flow mapping ends a plain scalar there, so schedules are quoted."""
    import yaml

    spec = tmp_path / "orgstack.yaml"
    write_spec(preset(layout), spec, schema_ref="s.json")
    data = yaml.safe_load(spec.read_text())
    assert data["backup"]["plans"]["daily"]["schedule"] == "cron(0 5 ? * * *)"
