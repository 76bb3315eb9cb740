"""The core kind: the organization's OUs, accounts and policies go through the kind path (its
read, its diff hook, its executors), with what makes them special (matching, moves, tags,
attachments, suspension) in its own files."""

from __future__ import annotations

from orgstack.apply.engine import executor_for
from orgstack.kinds.organization import apply_account, apply_organization, apply_ou, apply_policy
from orgstack.model import (
    Account,
    Organization,
    OrganizationalUnit,
    OrgModel,
    Policy,
    PolicyType,
    Target,
)
from orgstack.model.kind import Kind
from orgstack.plan.lifecycle import MANAGED_TAG
from orgstack.plan.model import Action
from orgstack.registry import all_kinds, core_kind, pipeline

ORG = Organization("acme", "eu-west-1", ("eu-west-1",), "aws+{account}@acme.example")
DENY = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}'
ALLOW = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
NAMING = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*",'
NAMING += '"Condition":{"StringEquals":{"aws:PrincipalAccount":"{account:web}"}}}]}'


def spec() -> OrgModel:
    return OrgModel(
        ORG,
        ous=(OrganizationalUnit("Workloads", {"tier": "1"}), OrganizationalUnit("Sandbox")),
        accounts=(
            Account("management", "management", "root", "root@acme.example"),
            Account("web", "workload", "Workloads", "web@acme.example", tags={"team": "a"}),
        ),
        policies=(
            Policy(
                "deny-s3", PolicyType.SERVICE_CONTROL, DENY, "no S3", (Target("ou", "Sandbox"),)
            ),
            Policy("pin-web", PolicyType.SERVICE_CONTROL, NAMING, "web only", ()),
        ),
    )


def live() -> OrgModel:
    """web in Sandbox with a stray tag, renamed; deny-s3 changed and on Workloads; an account
    orgstack made that left the spec."""
    organization = Organization(
        "", "", (), None, id="o-1", management_account_id="111111111111", root_id="r-1",
        policy_types=("SERVICE_CONTROL_POLICY",),
    )  # fmt: skip
    return OrgModel(
        organization,
        ous=(
            OrganizationalUnit("Workloads", {}, id="ou-1"),
            OrganizationalUnit("Sandbox", {"old": "x"}, id="ou-2"),
        ),
        accounts=(
            Account("management", "workload", "root", "root@acme.example", id="111111111111"),
            Account(
                "web-old", "workload", "Sandbox", "web@acme.example", tags={"x": "1"}, id="2" * 12
            ),
            Account(
                "gone",
                "workload",
                "Sandbox",
                "gone@acme.example",
                tags={MANAGED_TAG: "true"},
                id="3" * 12,
            ),
        ),
        policies=(
            Policy(
                "deny-s3",
                PolicyType.SERVICE_CONTROL,
                ALLOW,
                "no S3",
                (Target("ou", "Workloads"),),
                id="p-1",
            ),
        ),
    )


def test_the_core_kind_owns_the_organizations_addresses_and_comes_first() -> None:
    core = core_kind()
    assert isinstance(core, Kind)
    assert core.name == "organization"
    assert core.info.core
    assert pipeline()[0] is core
    assert core not in all_kinds()
    assert [core.type_of(a) for a in ("organization", "root", "ou:A/B", "scp:x", "account:w")] == [
        "organization",
        "root",
        "ou",
        "scp",
        "account",
    ]


def test_desired_is_each_object_as_a_plan_from_nothing_creates_it() -> None:
    model = spec()
    values = core_kind().desired(model, {"account:web": "2" * 12})
    assert values["organization"] == {"feature_set": "ALL", "management_account": "management"}
    assert values["policy-type:SERVICE_CONTROL_POLICY"] == {"status": "ENABLED"}
    assert values["ou:Workloads"] == {"name": "Workloads", "parent": "root", "tags": {"tier": "1"}}
    assert values["account:web"] == {
        "name": "web",
        "email": "web@acme.example",
        "ou": "Workloads",
        "tags": {"team": "a"},
        "access_role": "OrganizationAccountAccessRole",
    }
    # A policy naming an account carries its id once the account exists.
    condition = values["scp:pin-web"]["content"]["Statement"][0]["Condition"]
    assert condition == {"StringEquals": {"aws:PrincipalAccount": "2" * 12}}
    assert "account:management" not in values
    created = {
        c.address: c.after
        for c in core_kind().diff(model, None).changes
        if c.action in (Action.CREATE, Action.ENABLE)
    }
    assert created == core_kind().desired(model, {})


def test_every_change_the_diff_plans_is_made_by_the_core_kinds_executors() -> None:
    plan = core_kind().diff(spec(), live(), allow_close=False)
    found = {(c.address, c.action): executor_for(c) for c in plan.changes}
    assert found == {
        ("ou:Workloads", Action.TAG): apply_ou.tag,
        ("ou:Sandbox", Action.UNTAG): apply_ou.untag,
        ("scp:pin-web", Action.CREATE): apply_policy.create,
        ("scp:deny-s3", Action.UPDATE): apply_policy.update,
        ("account:web", Action.UPDATE): apply_account.update,
        ("account:web", Action.MOVE): apply_account.move,
        ("account:web", Action.TAG): apply_ou.tag,
        ("account:web", Action.UNTAG): apply_ou.untag,
        ("scp:deny-s3", Action.ATTACH): apply_policy.attach,
        ("scp:deny-s3", Action.DETACH): apply_policy.detach,
        ("account:gone", Action.SUSPEND): apply_account.suspend,
        ("ou:Suspended", Action.CREATE): apply_ou.create,
        ("scp:orgstack-suspended-deny-all", Action.CREATE): apply_policy.create,
        ("scp:orgstack-suspended-deny-all", Action.ATTACH): apply_policy.attach,
    }
    closing = core_kind().diff(spec(), live(), allow_close=True)
    assert executor_for(next(c for c in closing.changes if c.action == Action.CLOSE)) is (
        apply_account.close
    )
    greenfield = core_kind().diff(spec(), None)
    assert executor_for(greenfield.changes[0]) is apply_organization.create
