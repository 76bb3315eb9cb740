"""The security services on moto (with the sandbox's shims), per allowed Region: GuardDuty
(the security account made the administrator from the management account, a detector
enrolling every account) and Security Hub (a hub enrolling new accounts with none of AWS's
default standards, every account there already enrolled as a member, each running the spec's
standards); plan is empty afterwards; out-of-band changes are drift and are restored; a
standard a team adds is left alone; audit reports what AWS has."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from orgstack.plan.model import Action
from tests.integration.test_access import account_ids
from tests.integration.test_apply import apply_now, plan_now
from tests.integration.test_log_archive import member

SPEC = """\
organization: {name: acme, home_region: eu-west-1, allowed_regions: [eu-central-1], email_pattern: 'aws+{account}@acme.example'}
accounts:
  management: {purpose: management, ou: root}
  security: {purpose: security, ou: root}
security: {services: [guardduty]}
"""
REGIONS = ("eu-west-1", "eu-central-1")
HUB_SPEC = SPEC.replace(
    "security: {services: [guardduty]}", "security: {services: [securityhub], regions: [eu-west-1]}"
).replace(
    "  security: {purpose: security, ou: root}",
    "  security: {purpose: security, ou: root}\n  web-dev: {purpose: workload, ou: root, stage: dev}",
)
FSBP = "arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0"
CIS = "arn:aws:securityhub:eu-west-1::standards/cis-aws-foundations-benchmark/v/1.4.0"
CIS_1_2 = "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0"


def guardduty_in(account_id: str, region: str) -> Any:
    return member(account_id, "guardduty", region)


def changes(plan: Any, service: str = "guardduty") -> list[tuple[str, Action]]:
    return [
        (c.address, c.action)
        for c in plan.changes
        if c.address.startswith("security-service:") and f"/{service}-" in c.address
    ]


def test_every_region_gets_the_administrator_and_a_detector(aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    plan, data = plan_now()
    assert changes(plan) == sorted(
        (f"security-service:{account}/{region}/guardduty-{part}", Action.CREATE)
        for region in REGIONS
        for account, part in (("management", "admin"), ("security", "detector"))
    )
    assert apply_now(plan, data).ok
    security = account_ids()["security"]
    for region in REGIONS:
        admins = boto3.client("guardduty", region_name=region).list_organization_admin_accounts()
        assert [a["AdminAccountId"] for a in admins["AdminAccounts"]] == [security]
        client = guardduty_in(security, region)
        detector = client.list_detectors()["DetectorIds"][0]
        assert client.get_detector(DetectorId=detector)["Status"] == "ENABLED"
        config = client.describe_organization_configuration(DetectorId=detector)
        assert config["AutoEnableOrganizationMembers"] == "ALL"
    assert plan_now()[0].empty


def test_auto_enable_off_or_a_disabled_detector_is_restored(aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    security = account_ids()["security"]
    west, central = guardduty_in(security, "eu-west-1"), guardduty_in(security, "eu-central-1")
    west_id = west.list_detectors()["DetectorIds"][0]
    central_id = central.list_detectors()["DetectorIds"][0]
    west.update_organization_configuration(DetectorId=west_id, AutoEnableOrganizationMembers="NONE")
    central.update_detector(DetectorId=central_id, Enable=False)
    plan, data = plan_now()
    assert [(c.address, c.action, c.before) for c in plan.changes] == [
        (
            "security-service:security/eu-central-1/guardduty-detector",
            Action.UPDATE,
            {"enabled": False},
        ),
        (
            "security-service:security/eu-west-1/guardduty-detector",
            Action.UPDATE,
            {"auto_enable": "NONE"},
        ),
    ]
    assert apply_now(plan, data).ok
    assert plan_now()[0].empty


def test_plain_moto_lacks_the_organization_configuration() -> None:
    script = """
import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
with mock_aws():
    g = boto3.client("guardduty", region_name="us-east-1")
    d = g.create_detector(Enable=True)["DetectorId"]
    for call in (
        lambda: g.describe_organization_configuration(DetectorId=d),
        lambda: g.list_members(DetectorId=d),
        lambda: g.disassociate_members(DetectorId=d, AccountIds=["111122223333"]),
        lambda: g.disable_organization_admin_account(AdminAccountId="111122223333"),
    ):
        try:
            call()
            print("answered")
        except Exception as e:
            print("missing")
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["missing"] * 4


def test_audit_reports_a_region_that_stopped_enrolling(aws: None, workdir: Path) -> None:
    from orgstack import api
    from tests.integration.conftest import FAST

    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    assert api.audit("orgstack.yaml", FAST, ("LZ217",))[0].findings == ()
    client = guardduty_in(account_ids()["security"], "eu-central-1")
    detector = client.list_detectors()["DetectorIds"][0]
    client.update_organization_configuration(
        DetectorId=detector, AutoEnableOrganizationMembers="NEW"
    )
    report, _ = api.audit("orgstack.yaml", FAST, ("LZ217",))
    assert [(f.address, f.message) for f in report.findings] == [
        (
            "security-service:security/eu-central-1/guardduty-detector",
            "auto_enable is 'NEW', not 'ALL'",
        )
    ]


def standards_in(account_id: str) -> list[str]:
    hub = member(account_id, "securityhub")
    return sorted(s["StandardsArn"] for s in hub.get_enabled_standards()["StandardsSubscriptions"])


def management_id() -> str:
    organizations = boto3.client("organizations", region_name="us-east-1")
    return str(organizations.describe_organization()["Organization"]["MasterAccountId"])


def members_of(security: str) -> list[tuple[str, str]]:
    listed = member(security, "securityhub").list_members(OnlyAssociated=False)["Members"]
    return sorted((m["AccountId"], m["MemberStatus"]) for m in listed)


def test_the_hub_enrols_every_account_with_fsbp(aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(HUB_SPEC)
    plan, data = plan_now()
    assert changes(plan, "securityhub") == [
        ("security-service:management/eu-west-1/securityhub-admin", Action.CREATE),
        ("security-service:security/eu-west-1/securityhub-hub", Action.CREATE),
        ("security-service:management/eu-west-1/securityhub-member", Action.CREATE),
        ("security-service:web-dev/eu-west-1/securityhub-member", Action.CREATE),
    ]
    assert apply_now(plan, data).ok
    ids = account_ids()
    security = ids["security"]
    admins = boto3.client("securityhub", region_name="eu-west-1").list_organization_admin_accounts()
    assert [a["AccountId"] for a in admins["AdminAccounts"]] == [security]
    hub = member(security, "securityhub")
    configuration = hub.describe_organization_configuration()
    assert (configuration["AutoEnable"], configuration["AutoEnableStandards"]) == (True, "NONE")
    assert standards_in(security) == [FSBP]
    # Every other account a member, running the spec's standard and none of AWS's defaults.
    assert members_of(security) == sorted(
        [(management_id(), "Enabled"), (ids["web-dev"], "Enabled")]
    )
    assert standards_in(ids["web-dev"]) == [FSBP]
    assert standards_in(management_id()) == [FSBP]
    assert plan_now()[0].empty


def test_auto_enable_alone_leaves_the_accounts_already_there_outside(
    aws: None, workdir: Path
) -> None:
    """What orgstack did before: AutoEnable on the administrator's hub. The sandbox, as AWS,
    enrols only accounts that join afterwards, and with AWS's default standards."""
    (workdir / "orgstack.yaml").write_text(HUB_SPEC)
    plan, data = plan_now()
    kept = [c for c in plan.changes if not c.address.endswith("/securityhub-member")]
    assert apply_now(replace(plan, changes=tuple(kept)), data).ok
    ids = account_ids()
    hub = member(ids["security"], "securityhub")
    hub.update_organization_configuration(AutoEnable=True, AutoEnableStandards="DEFAULT")
    assert members_of(ids["security"]) == []
    late = boto3.client("organizations", region_name="us-east-1").create_account(
        AccountName="late", Email="late@acme.example"
    )["CreateAccountStatus"]["AccountId"]
    assert members_of(ids["security"]) == [(late, "Enabled")]
    assert standards_in(late) == sorted([FSBP, CIS_1_2])
    refused = hub.create_members(AccountDetails=[{"AccountId": management_id()}])
    assert refused["UnprocessedAccounts"] == [
        {
            "AccountId": management_id(),
            "ProcessingResult": "The organization management account must enable Security Hub "
            "before it can be added as a member account",
        }
    ]
    # The plan now enrols the accounts that are not members, with the spec's standard.
    plan, data = plan_now()
    assert sorted((c.address, c.action, c.before) for c in plan.changes) == [
        ("security-service:management/eu-west-1/securityhub-member", Action.CREATE, None),
        (
            "security-service:security/eu-west-1/securityhub-hub",
            Action.UPDATE,
            {"auto_enable_standards": "DEFAULT"},
        ),
        ("security-service:web-dev/eu-west-1/securityhub-member", Action.CREATE, None),
    ]
    assert apply_now(plan, data).ok
    assert members_of(ids["security"]) == sorted(
        [(management_id(), "Enabled"), (ids["web-dev"], "Enabled"), (late, "Enabled")]
    )
    assert plan_now()[0].empty


def test_audit_names_accounts_that_are_not_members(aws: None, workdir: Path) -> None:
    from orgstack import api
    from tests.integration.conftest import FAST

    (workdir / "orgstack.yaml").write_text(HUB_SPEC)
    assert apply_now(*plan_now()).ok
    assert api.audit("orgstack.yaml", FAST, ("LZ217",))[0].findings == ()
    ids = account_ids()
    organizations = boto3.client("organizations", region_name="us-east-1")
    organizations.create_account(AccountName="auto", Email="auto@acme.example")
    # A new account outside the spec is enrolled by auto-enable: nothing to report.
    assert api.audit("orgstack.yaml", FAST, ("LZ217",))[0].findings == ()
    hub = member(ids["security"], "securityhub")
    hub.update_organization_configuration(AutoEnable=False)
    outside = organizations.create_account(AccountName="by-hand", Email="by-hand@acme.example")[
        "CreateAccountStatus"
    ]["AccountId"]
    report, _ = api.audit("orgstack.yaml", FAST, ("LZ217",))
    assert [(f.address, f.message) for f in report.findings] == [
        (
            "security-service:by-hand/eu-west-1/securityhub-member",
            f"by-hand ({outside}) is not a Security Hub member in eu-west-1; it sends no "
            "findings to the security account",
        ),
        ("security-service:security/eu-west-1/securityhub-hub", "auto_enable is False, not True"),
    ]


def test_auto_enable_off_is_restored_and_another_standard_left_alone(
    aws: None, workdir: Path
) -> None:
    (workdir / "orgstack.yaml").write_text(HUB_SPEC)
    assert apply_now(*plan_now()).ok
    hub = member(account_ids()["security"], "securityhub")
    hub.update_organization_configuration(AutoEnable=False)
    hub.batch_enable_standards(StandardsSubscriptionRequests=[{"StandardsArn": CIS}])
    plan, data = plan_now()
    assert [(c.address, c.action, c.before) for c in plan.changes] == [
        (
            "security-service:security/eu-west-1/securityhub-hub",
            Action.UPDATE,
            {"auto_enable": False},
        )
    ]
    assert apply_now(plan, data).ok
    assert hub.describe_organization_configuration()["AutoEnable"] is True
    assert plan_now()[0].empty


def test_plain_moto_lacks_the_standards_and_the_admin_listing() -> None:
    script = """
import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
with mock_aws():
    h = boto3.client("securityhub", region_name="us-east-1")
    for call in (h.list_organization_admin_accounts, h.get_enabled_standards):
        try:
            call()
            print("answered")
        except Exception as e:
            print("missing:", type(e).__name__)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert [line.split(":")[0] for line in out.stdout.splitlines()] == ["missing", "missing"]


ANALYZER_SPEC = SPEC.replace(
    "security: {services: [guardduty]}", "security: {services: [access-analyzer, config]}"
)


def test_the_organization_analyzer_is_made_in_the_delegated_administrator(
    aws: None, workdir: Path
) -> None:
    (workdir / "orgstack.yaml").write_text(
        ANALYZER_SPEC.replace(
            "  security: {purpose",
            "  log-archive: {purpose: log-archive, ou: root}\n  security: {purpose",
        )
        + "logging: {}\n"
    )
    plan, data = plan_now()
    assert changes(plan, "accessanalyzer") == [
        (f"security-service:security/{region}/accessanalyzer-analyzer", Action.CREATE)
        for region in sorted(REGIONS)
    ]
    assert apply_now(plan, data).ok
    security = account_ids()["security"]
    for region in REGIONS:
        found = member(security, "accessanalyzer", region).list_analyzers(type="ORGANIZATION")
        assert [a["name"] for a in found["analyzers"]] == ["orgstack-organization"]
    aggregators = member(security, "config").describe_configuration_aggregators()
    source = aggregators["ConfigurationAggregators"][0]["OrganizationAggregationSource"]
    assert source == {
        "RoleArn": f"arn:aws:iam::{security}:role/OrgstackConfigAggregator",
        "AllAwsRegions": True,
    }
    assert plan_now()[0].empty


def test_the_sandbox_refuses_an_organization_analyzer_elsewhere(aws: None, orgs: Any) -> None:
    orgs.create_organization(FeatureSet="ALL")
    account = orgs.create_account(AccountName="w", Email="w@x.example")["CreateAccountStatus"][
        "AccountId"
    ]
    client = member(account, "accessanalyzer")
    with pytest.raises(client.exceptions.AccessDeniedException):
        client.create_analyzer(analyzerName="org", type="ORGANIZATION")


def test_plain_moto_has_no_access_analyzer() -> None:
    script = "import importlib.util; print(importlib.util.find_spec('moto.accessanalyzer'))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "None"


def test_the_sandbox_keeps_one_administrator_per_service(aws: None, orgs: Any) -> None:
    """AWS refuses a second GuardDuty or Security Hub administrator until the first is
    removed; so does the sandbox (shim one_administrator_per_service)."""
    orgs.create_organization(FeatureSet="ALL")
    first, second = (
        orgs.create_account(AccountName=n, Email=f"{n}@x.example")["CreateAccountStatus"][
            "AccountId"
        ]
        for n in ("a", "b")
    )
    for service in ("guardduty", "securityhub"):
        client = boto3.client(service, region_name="eu-west-1")
        client.enable_organization_admin_account(AdminAccountId=first)
        with pytest.raises(client.exceptions.ClientError):
            client.enable_organization_admin_account(AdminAccountId=second)
        client.disable_organization_admin_account(AdminAccountId=first)
        client.enable_organization_admin_account(AdminAccountId=second)


def test_plain_moto_enrols_no_one_and_keeps_one_configuration() -> None:
    """Why the membership shim exists: plain moto's CreateMembers turns nothing on in the
    member, AutoEnable enrols no new account, one organization configuration serves every
    Region, and the management account is enrolled without its own Security Hub."""
    script = """
import boto3
from moto import mock_aws
with mock_aws():
    o = boto3.client("organizations", region_name="us-east-1")
    o.create_organization(FeatureSet="ALL")
    management = o.describe_organization()["Organization"]["MasterAccountId"]
    admin = o.create_account(AccountName="sec", Email="s@x.example")["CreateAccountStatus"]["AccountId"]
    member = o.create_account(AccountName="dev", Email="d@x.example")["CreateAccountStatus"]["AccountId"]
    boto3.client("securityhub", region_name="eu-west-1").enable_organization_admin_account(
        AdminAccountId=admin)
    c = boto3.client("sts", region_name="us-east-1").assume_role(
        RoleArn=f"arn:aws:iam::{admin}:role/OrganizationAccountAccessRole", RoleSessionName="test")["Credentials"]
    s = boto3.Session(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
        aws_session_token=c["SessionToken"])
    hub = s.client("securityhub", region_name="eu-west-1")
    hub.enable_security_hub()
    hub.update_organization_configuration(AutoEnable=True)
    other = s.client("securityhub", region_name="eu-central-1").describe_organization_configuration()
    print("other region auto:", other["AutoEnable"])
    late = o.create_account(AccountName="late", Email="l@x.example")["CreateAccountStatus"]["AccountId"]
    print("after a new account:", len(hub.list_members(OnlyAssociated=False)["Members"]))
    print("management:", hub.create_members(AccountDetails=[{"AccountId": management}])["UnprocessedAccounts"])
    hub.create_members(AccountDetails=[{"AccountId": member}])
    d = boto3.client("sts", region_name="us-east-1").assume_role(
        RoleArn=f"arn:aws:iam::{member}:role/OrganizationAccountAccessRole", RoleSessionName="test")["Credentials"]
    mine = boto3.client("securityhub", region_name="eu-west-1", aws_access_key_id=d["AccessKeyId"],
        aws_secret_access_key=d["SecretAccessKey"], aws_session_token=d["SessionToken"])
    try:
        mine.describe_hub()
        print("member hub: on")
    except Exception as e:
        print("member hub:", type(e).__name__)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == [
        "other region auto: True",
        "after a new account: 0",
        "management: []",
        "member hub: InvalidAccessException",
    ]


HANDOVER_SPEC = """\
organization: {name: acme, home_region: eu-west-1, allowed_regions: [eu-central-1], email_pattern: 'aws+{account}@acme.example'}
accounts:
  management: {purpose: management, ou: root}
  security: {purpose: security, ou: root}
  audit: {purpose: security, ou: root}
  web-dev: {purpose: workload, ou: root, stage: dev}
security: {account: security, services: [guardduty, securityhub]}
"""


def guardduty_members(account_id: str, region: str) -> list[str]:
    client = guardduty_in(account_id, region)
    detector = client.list_detectors()["DetectorIds"][0]
    listed = client.list_members(DetectorId=detector, OnlyAssociated="false")["Members"]
    return sorted(m["AccountId"] for m in listed)


def test_a_new_security_account_takes_over_as_the_services_document_it(
    aws: None, workdir: Path
) -> None:
    """GuardDuty's documented order: the old administrator releases its members, the
    management account removes it, then the Organizations registration moves. The sandbox
    refuses to remove an administrator that still has members, as AWS does."""
    from orgstack.apply.engine import dependencies

    spec = workdir / "orgstack.yaml"
    spec.write_text(HANDOVER_SPEC)
    assert apply_now(*plan_now()).ok
    ids = account_ids()
    everyone = sorted([management_id(), ids["audit"], ids["web-dev"]])
    for region in REGIONS:
        assert guardduty_members(ids["security"], region) == everyone
    management = boto3.client("guardduty", region_name="eu-west-1")
    with pytest.raises(ClientError, match="still has member accounts"):
        management.disable_organization_admin_account(AdminAccountId=ids["security"])
    old = guardduty_in(ids["security"], "eu-west-1")
    with pytest.raises(ClientError, match="auto-enable setting is ALL"):
        old.disassociate_members(
            DetectorId=old.list_detectors()["DetectorIds"][0], AccountIds=[ids["web-dev"]]
        )

    spec.write_text(HANDOVER_SPEC.replace("account: security,", "account: audit,"))
    plan, data = plan_now()
    addresses = [c.address for c in plan.changes]
    needs = dependencies(plan.changes)
    for service in ("guardduty", "securityhub"):
        registration = addresses.index(f"delegated-admin:organization/{service}.amazonaws.com")
        for region in REGIONS:
            handover = addresses.index(f"security-service:management/{region}/{service}-admin")
            assert handover in needs[registration]  # the handover first
            assert registration not in needs[handover]
    result = apply_now(plan, data)
    assert result.ok, {plan.changes[i].address: e.message for i, e in result.outcome.failed.items()}
    everyone = sorted([management_id(), ids["security"], ids["web-dev"]])
    for region in REGIONS:
        admins = boto3.client("guardduty", region_name=region).list_organization_admin_accounts()
        assert [a["AdminAccountId"] for a in admins["AdminAccounts"]] == [ids["audit"]]
        assert guardduty_members(ids["security"], region) == []  # released
        assert guardduty_members(ids["audit"], region) == everyone
        assert members_of_in(ids["audit"], region) == [(a, "Enabled") for a in everyone]
    assert plan_now()[0].empty


def members_of_in(security: str, region: str) -> list[tuple[str, str]]:
    hub = member(security, "securityhub", region)
    listed = hub.list_members(OnlyAssociated=False)["Members"]
    return sorted((m["AccountId"], m["MemberStatus"]) for m in listed)
