"""plan, import and drift against moto: exact changes, convergence, drift and adoption."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from orgstack import api
from orgstack.plan.drift import DriftItem
from orgstack.spec.blueprints import preset
from tests.integration.conftest import FAST, OrgBuilder


def changes(spec: Path | str) -> list[tuple[str, str, Any]]:
    plan = api.make_plan(spec, FAST).plan
    return [(c.action.value, c.address, c.after) for c in plan.changes]


def edit(path: Path, change: Any) -> None:
    yaml = YAML(typ="rt")
    doc = yaml.load(path)
    change(doc)
    yaml.dump(doc, path)


#: The minimal blueprint's accounts, by name.
EVERY_ACCOUNT = (
    "app-dev",
    "app-prod",
    "app-qa",
    "backup",
    "log-archive",
    "management",
    "sandbox",
    "security",
    "shared-services",
)


def test_a_new_customer_account_plans_the_whole_minimal_blueprint(aws: None, workdir: Path) -> None:
    api.write_spec(preset("minimal"), workdir / "orgstack.yaml", schema_ref="s.json")
    planned = [(action, address) for action, address, _ in changes("orgstack.yaml")]
    assert planned == [
        ("create", "organization"),
        ("enable", "policy-type:BACKUP_POLICY"),
        ("enable", "policy-type:SERVICE_CONTROL_POLICY"),
        ("enable", "policy-type:TAG_POLICY"),
        *[
            ("create", f"ou:{p}")
            for p in (
                "Security",
                "Infrastructure",
                "Workloads",
                "Sandbox",
                "Workloads/Prod",
                "Workloads/NonProd",
            )
        ],
        *[
            ("create", f"scp:{p}")
            for p in (
                "deny-leave-organization",
                "deny-root-user",
                "protect-platform",
                "deny-outside-allowed-regions",
            )
        ],
        ("create", "tag-policy:stage-tag"),
        ("create", "backup-policy:orgstack-backup-plans"),
        *[
            ("create", f"account:{a}")
            for a in (
                "log-archive",
                "security",
                "shared-services",
                "backup",
                "app-dev",
                "app-qa",
                "app-prod",
                "sandbox",
            )
        ],
        ("tag", "account:management"),  # purpose: management, once the organization exists
        ("attach", "scp:deny-leave-organization"),
        ("attach", "scp:deny-root-user"),
        ("attach", "scp:protect-platform"),
        ("attach", "scp:deny-outside-allowed-regions"),
        ("attach", "scp:deny-outside-allowed-regions"),
        ("attach", "tag-policy:stage-tag"),
        ("attach", "backup-policy:orgstack-backup-plans"),
        # Trusted access for the services the security, logging and backup kinds use, then
        # the delegated administrators, the log archive, the central vault and the trail.
        *[
            ("create", f"trusted-access:organization/{p}.amazonaws.com")
            for p in (
                "access-analyzer",
                "backup",
                "cloudtrail",
                "config-multiaccountsetup",
                "config",
                "guardduty",
                "securityhub",
            )
        ],
        *[
            ("create", f"delegated-admin:organization/{p}.amazonaws.com")
            for p in (
                "access-analyzer",
                "config-multiaccountsetup",
                "config",
                "guardduty",
                "securityhub",
            )
        ],
        *[
            ("create", f"log-archive:log-archive/{p}")
            for p in ("key", "access-logs", "bucket", "config-bucket")
        ],
        ("create", "backup-vault:management/us-east-1/settings"),
        ("create", "backup-vault:backup/us-east-1/key"),
        ("create", "backup-vault:backup/us-east-1/vault"),
        ("create", "org-trail:management/orgstack-organization-trail"),
        # Access: the identity side in the management account, then a role per grant.
        ("create", "access:management/policy/orgstack-RequireMFA"),
        *[
            ("create", f"access:management/user/{u}")
            for u in ("dana.dev", "fay.fin", "oscar.ops", "sam.sec")
        ],
        *[
            ("create", f"access:management/group/orgstack-{g}")
            for g in ("developers", "devops", "finance", "security")
        ],
        *[
            ("create", f"access:{role}")
            for role in (
                "app-dev/role/orgstack-PowerUser",
                "app-dev/role/orgstack-SecurityAudit",
                "app-prod/role/orgstack-PowerUser",
                "app-prod/role/orgstack-ReadOnly",
                "app-prod/role/orgstack-SecurityAudit",
                "app-qa/role/orgstack-ReadOnly",
                "app-qa/role/orgstack-SecurityAudit",
                "backup/role/orgstack-SecurityAudit",
                "log-archive/role/orgstack-Admin",
                "log-archive/role/orgstack-SecurityAudit",
                "management/role/orgstack-Billing",
                "management/role/orgstack-SecurityAudit",
                "sandbox/role/orgstack-PowerUser",
                "sandbox/role/orgstack-SecurityAudit",
                "security/role/orgstack-Admin",
                "security/role/orgstack-SecurityAudit",
                "shared-services/role/orgstack-SecurityAudit",
            )
        ],
        # The break-glass role in the log archive and backup accounts, and its user's right
        # to assume it.
        ("create", "break-glass:backup/role"),
        ("create", "break-glass:log-archive/role"),
        ("create", "break-glass:management/permission/sam.sec"),
        # GuardDuty and Security Hub in the home Region: the administrator, then its part,
        # then every other account a Security Hub member (auto-enable covers only new ones).
        *[
            ("create", f"security-service:{a}/us-east-1/{p}")
            for a, p in (
                ("management", "guardduty-admin"),
                ("management", "securityhub-admin"),
                ("security", "guardduty-detector"),
                ("security", "securityhub-hub"),
                *((a, "securityhub-member") for a in EVERY_ACCOUNT if a != "security"),
                ("security", "accessanalyzer-analyzer"),
                ("security", "config-aggregator"),
            )
        ],
        # AWS Config recording in every account, into the log archive.
        *[("create", f"config-recorder:{a}/us-east-1") for a in EVERY_ACCOUNT],
        # Backups: the service role where copy jobs run, the local vault in each workload.
        *[
            ("create", f"backup-account:{a}/role")
            for a in ("app-dev", "app-prod", "app-qa", "backup")
        ],
        # ... and each workload's source key (shared with the backup account) and local vault.
        *[
            ("create", f"backup-account:{a}/{p}/us-east-1")
            for p in ("key", "vault")
            for a in ("app-dev", "app-prod", "app-qa")
        ],
    ]


def test_import_then_plan_shows_no_changes(brownfield: OrgBuilder, workdir: Path) -> None:
    result = api.import_organization(workdir / "orgstack.yaml", FAST, name="acme")
    assert [a.name for a in result.model.accounts] == ["master", "lab", "web-dev", "web-prod"]
    assert (workdir / "policies" / "DenyLeave.json").is_file()
    text = (workdir / "orgstack.yaml").read_text()
    assert (
        "  # purpose guessed from the name; check it; stage: prod? (from the name)\n  web-prod:\n"
        in text
    )
    plan = api.make_plan("orgstack.yaml", FAST).plan
    assert (plan.changes, plan.unmanaged, plan.preflight) == ((), (), ())


def test_spec_edits_show_exactly_those_changes(brownfield: OrgBuilder, workdir: Path) -> None:
    api.import_organization(workdir / "orgstack.yaml", FAST, name="acme")

    def edits(doc: Any) -> None:
        doc["accounts"]["web-qa"] = {
            "purpose": "workload",
            "ou": "Workloads/NonProd",
            "email": "web-qa@acme.example",
        }
        doc["accounts"]["web-prod"]["team"] = "payments"  # import took it from its tag
        doc["accounts"]["lab"]["ou"] = "Workloads/NonProd"
        doc["policies"]["DenyLeave"]["targets"].append("ou:Sandbox")

    edit(workdir / "orgstack.yaml", edits)
    assert changes("orgstack.yaml") == [
        (
            "create",
            "account:web-qa",
            {
                "name": "web-qa",
                "email": "web-qa@acme.example",
                "ou": "Workloads/NonProd",
                "tags": {},
                "access_role": "OrganizationAccountAccessRole",
            },
        ),
        ("move", "account:lab", {"ou": "Workloads/NonProd"}),
        ("tag", "account:web-prod", {"team": "payments"}),
        ("attach", "scp:DenyLeave", {"target": "ou:Sandbox"}),
    ]


def test_out_of_band_changes_are_drift_and_adopting_them_converges(
    brownfield: OrgBuilder, workdir: Path
) -> None:
    api.import_organization(workdir / "orgstack.yaml", FAST, name="acme")
    c, ids = brownfield.c, brownfield.ids
    c.move_account(
        AccountId=ids["web-prod"],
        SourceParentId=ids["Workloads/Prod"],
        DestinationParentId=ids["Workloads"],
    )
    c.detach_policy(PolicyId=ids["DenyLeave"], TargetId=ids["Workloads"])
    c.tag_resource(ResourceId=ids["web-dev"], Tags=[{"Key": "team", "Value": "mobile"}])
    c.update_organizational_unit(OrganizationalUnitId=ids["Workloads/Prod"], Name="Production")

    found = api.drift("orgstack.yaml", FAST).items
    assert [(i.address, i.what, i.spec, i.live) for i in found] == [
        ("ou:Workloads/Prod", "name", "Prod", "Production"),
        ("account:web-prod", "ou", "Workloads/Prod", "Workloads"),
        ("account:web-dev", "tag team", "web", "mobile"),
        ("scp:DenyLeave", "attachment", "attached to ou:Workloads", "not attached"),
    ]
    assert all(
        isinstance(i, DriftItem) and i.origin is not None and i.origin.file == "orgstack.yaml"
        for i in found
    )

    adopted = api.drift("orgstack.yaml", FAST, adopt=True)
    assert (adopted.written, adopted.skipped) == (["orgstack.yaml"], [])
    text = (workdir / "orgstack.yaml").read_text()
    assert "      Production:\n        id: " in text
    assert "# Accounts as they are in AWS." in text  # comments survive
    plan = api.make_plan("orgstack.yaml", FAST).plan
    assert (plan.changes, plan.unmanaged) == ((), ())


SMALL = """\
organization: {name: acme, home_region: us-east-1, attribute_tags: {purpose: null, stage: null}}
organizational_units: {Workloads: {children: {Prod: {tags: {tier: '1'}}}}}
accounts:
  master: {purpose: management, ou: root}
  web-prod: {purpose: workload, stage: prod, ou: Workloads/Prod, email: web-prod@acme.example, tags: {team: web}}
policies:
  DenyLeave: {type: service_control, description: DenyLeave guardrail, content: {Version: '2012-10-17', Statement: [{Effect: Deny, Action: 'organizations:LeaveOrganization', Resource: '*'}]}, targets: [root, ou:Workloads]}
"""


def test_unmanaged_live_objects_are_reported_and_can_be_ignored(
    brownfield: OrgBuilder, workdir: Path
) -> None:
    (workdir / "orgstack.yaml").write_text(SMALL)
    plan = api.make_plan("orgstack.yaml", FAST).plan
    assert plan.changes == ()
    assert [(u.address, u.note) for u in plan.unmanaged] == [
        ("ou:Sandbox", "OU not in the spec"),
        ("ou:Workloads/NonProd", "OU not in the spec"),
        ("account:lab", "account not in the spec (lab@acme.example)"),
        ("account:web-dev", "account not in the spec (web-dev@acme.example)"),
    ]
    (workdir / "orgstack.yaml").write_text(
        SMALL + "ignore:\n  - {target: 'account:*', reason: not adopted yet}\n"
    )
    assert [u.address for u in api.make_plan("orgstack.yaml", FAST).plan.unmanaged] == [
        "ou:Sandbox",
        "ou:Workloads/NonProd",
    ]
    (workdir / "orgstack.yaml").write_text(SMALL + "unmanaged: ignore\n")
    assert api.make_plan("orgstack.yaml", FAST).plan.unmanaged == ()


def test_consolidated_billing_only_blocks_the_plan_and_says_how(orgs: Any, workdir: Path) -> None:
    orgs.create_organization(FeatureSet="CONSOLIDATED_BILLING")
    (workdir / "orgstack.yaml").write_text("organization: {name: acme, home_region: us-east-1}\n")
    plan = api.make_plan("orgstack.yaml", FAST).plan
    assert plan.blocked
    assert [(p.level, p.message) for p in plan.preflight] == [
        (
            "error",
            "the organization runs in consolidated-billing-only mode; SCPs and tag policies need all features",
        )
    ]
    assert plan.preflight[0].hint.startswith(
        "From the management account run `aws organizations enable-all-features`"
    )


def test_a_disabled_policy_type_is_enabled_before_policies(orgs: Any, workdir: Path) -> None:
    orgs.create_organization(FeatureSet="ALL")
    (workdir / "orgstack.yaml").write_text(
        SMALL.replace("  master: {purpose: management, ou: root}\n", "")
    )
    planned = [(a, addr) for a, addr, _ in changes("orgstack.yaml")]
    assert planned[:2] == [
        ("enable", "policy-type:SERVICE_CONTROL_POLICY"),
        ("create", "ou:Workloads"),
    ]


def test_an_ou_under_another_parent_cannot_be_moved(brownfield: OrgBuilder, workdir: Path) -> None:
    ids = brownfield.ids
    (workdir / "orgstack.yaml").write_text(
        "organization: {name: acme, home_region: us-east-1}\nunmanaged: ignore\n"
        f"organizational_units: {{Sandbox: {{id: {ids['Sandbox']}}}, Workloads: {{id: {ids['Workloads']}, children: {{Play: {{id: {ids['Workloads/NonProd']}}}}}}}}}\n"
    )
    plan = api.make_plan("orgstack.yaml", FAST).plan
    assert [(c.action.value, c.address, c.after) for c in plan.changes] == [
        ("update", "ou:Workloads/Play", {"name": "Play"})
    ]
    (workdir / "orgstack.yaml").write_text(
        "organization: {name: acme, home_region: us-east-1}\nunmanaged: ignore\n"
        f"organizational_units: {{Sandbox: {{id: {ids['Sandbox']}, children: {{Prod: {{id: {ids['Workloads/Prod']}}}}}}}}}\n"
    )
    plan = api.make_plan("orgstack.yaml", FAST).plan
    assert plan.blocked
    assert (
        plan.preflight[0].message
        == "ou:Sandbox/Prod is under Workloads in AWS but under Sandbox in the spec"
    )


def test_import_takes_stages_from_stage_and_environment_tags_and_plans_nothing(
    orgs: Any, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import run_cli

    org = OrgBuilder(orgs)
    org.ou("Workloads")
    org.account("shop-a", "Workloads", Environment="Prod")
    org.account("shop-b", "Workloads", stage="dev")
    org.account("shop-c", "Workloads", env="not a word")
    code, out, _ = run_cli(
        capsys, "import", "--rate", "1000000", "--name", "acme", "-o", "org.yaml"
    )
    assert code == 0
    assert out.splitlines()[-1] == (
        "Next: review the guessed purposes and stages in org.yaml, then `orgstack plan -f "
        "org.yaml` (no changes expected)."
    )
    model = api.load_spec("org.yaml")
    stages = {a.name: a.stage for a in model.accounts if a.name.startswith("shop")}
    assert stages == {"shop-a": "prod", "shop-b": "dev", "shop-c": None}
    assert "check it; stage from its tag Environment" in (workdir / "org.yaml").read_text()
    assert api.make_plan("org.yaml", FAST).plan.changes == ()
