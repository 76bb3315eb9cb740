"""kinds/organization/read_touched.py: apply's stale check of a whole plan reads only what the plan fingerprinted,
and every object reads as the whole organization read shows it (same digest)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from orgstack import api
from orgstack.apply.context import ApplyError
from orgstack.apply.stale import _by_key
from orgstack.aws.context import AwsContext
from orgstack.kinds.organization.read import read
from orgstack.kinds.organization.vocabulary import OrgRequest, cheaper, wanted_from
from orgstack.plan.fingerprint import state
from tests.integration.conftest import FAST, OrgBuilder
from tests.integration.test_apply import apply_now, plan_now

ABSENT = ("account:ghost", "ou:Workloads/Ghost", "scp:Ghost", "ou:Nowhere/Deep")


def keys_of(context: AwsContext) -> list[str]:
    """A fingerprint key for every live object, and some for objects that do not exist."""
    live = read(context, OrgRequest())
    assert live is not None
    found = [f"id:{live.organization.id}", f"id:{live.organization.root_id}"]
    found += [f"id:{o.id}" for o in live.ous]
    found += [f"id:{a.id}" for a in live.accounts]
    found += [f"id:{p.id}" for p in live.policies]
    return [*found, *ABSENT, "organization"]


def both_reads(context: AwsContext, keys: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Each key's state in the whole read (tags of the fingerprinted objects) and alone."""
    ids = {k[3:] for k in keys if k.startswith("id:")}
    whole = read(context, OrgRequest(lambda object_id, _: object_id in ids))
    wanted = wanted_from(keys, {})
    assert wanted is not None
    alone = read(context, OrgRequest(touched=wanted))
    return (
        {k: state(_by_key(whole, k)) for k in keys},
        {k: state(_by_key(alone, k)) for k in keys},
    )


def test_every_object_reads_alone_as_the_whole_read_shows_it(
    brownfield: OrgBuilder, context: AwsContext
) -> None:
    keys = keys_of(context)
    whole, alone = both_reads(context, keys)
    assert alone == whole
    assert [k for k in ABSENT if whole[k] is not None] == []


def test_after_changes_in_aws_both_reads_still_agree_and_see_them(
    brownfield: OrgBuilder, context: AwsContext
) -> None:
    keys = keys_of(context)
    before, _ = both_reads(context, keys)
    c, ids = brownfield.c, brownfield.ids
    c.move_account(
        AccountId=ids["web-prod"],
        SourceParentId=ids["Workloads/Prod"],
        DestinationParentId=ids["Sandbox"],
    )
    c.tag_resource(ResourceId=ids["Workloads/NonProd"], Tags=[{"Key": "tier", "Value": "3"}])
    c.update_organizational_unit(OrganizationalUnitId=ids["Workloads"], Name="Apps")
    deny_id = next(
        p["Id"]
        for p in c.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]
        if p["Name"] == "DenyLeave"
    )
    c.detach_policy(PolicyId=deny_id, TargetId=ids["root"])
    c.update_policy(PolicyId=deny_id, Description="changed")
    brownfield.account("ghost", "Sandbox")
    c.create_organizational_unit(ParentId=ids["Workloads"], Name="Ghost")
    c.create_policy(
        Name="Ghost",
        Type="SERVICE_CONTROL_POLICY",
        Description="",
        Content=json.dumps({"Version": "2012-10-17", "Statement": []}),
    )
    after, alone = both_reads(context, keys)
    assert alone == after
    changed = sorted(k for k in keys if before[k] != after[k])
    by_name = {v["name"]: k for k, v in before.items() if v and "name" in v}
    assert changed == sorted(
        [
            f"id:{ids['web-prod']}",  # moved
            f"id:{ids['web-dev']}",  # its OU is Apps/NonProd now
            f"id:{ids['Workloads']}",  # renamed
            f"id:{ids['Workloads/Prod']}",
            f"id:{ids['Workloads/NonProd']}",  # renamed above, and tagged
            by_name["DenyLeave"],  # detached from the root, described otherwise
            by_name["FullAWSAccess"],  # its OU targets' paths
            "account:ghost",
            "scp:Ghost",
        ]
    )
    assert after["ou:Workloads/Ghost"] is None  # Workloads is Apps now


def test_an_object_gone_from_aws_reads_as_absent(
    brownfield: OrgBuilder, context: AwsContext
) -> None:
    c, ids = brownfield.c, brownfield.ids
    c.move_account(
        AccountId=ids["lab"], SourceParentId=ids["Sandbox"], DestinationParentId=ids["root"]
    )
    keys = keys_of(context)
    c.delete_organizational_unit(OrganizationalUnitId=ids["Sandbox"])
    whole, alone = both_reads(context, keys)
    assert alone == whole
    assert alone[f"id:{ids['Sandbox']}"] is None


def test_a_key_it_does_not_know_reads_the_whole_tree() -> None:
    assert wanted_from(["id:something-else"], {}) is None
    assert wanted_from(["weird:thing"], {}) is None


def test_reading_alone_is_chosen_only_when_it_takes_fewer_calls() -> None:
    ids = {f"ou:OU{i}": f"ou-{i}" for i in range(100)}
    ids |= {f"account:a{i}": f"{i:012d}" for i in range(500)}
    one = wanted_from([f"id:{1:012d}"], {f"id:{1:012d}": {"ou": "OU1"}})
    assert one is not None and one.above == {"OU1"}
    assert cheaper(one, ids)
    many = wanted_from([f"id:{i:012d}" for i in range(200)], {})
    assert many is not None
    assert not cheaper(many, ids)


def test_a_one_change_plan_in_a_large_organization_reads_a_few_objects(
    orgs: Any, workdir: Path, context: AwsContext
) -> None:
    org = OrgBuilder(orgs)
    for i in range(12):
        org.ou(f"Unit{i}")
        org.account(f"acct-{i}", f"Unit{i}")
    api.import_organization(workdir / "orgstack.yaml", FAST, name="acme")
    spec = workdir / "orgstack.yaml"
    spec.write_text(spec.read_text().replace("    ou: Unit3\n", "    ou: Unit4\n", 1))
    plan, data = plan_now()
    assert [(c.action.value, c.address) for c in plan.changes] == [("move", "account:acct-3")]
    org.c.tag_resource(ResourceId=org.ids["acct-3"], Tags=[{"Key": "x", "Value": "1"}])
    stale = AwsContext(FAST)
    with pytest.raises(ApplyError) as caught:
        apply_now(plan, data, context=stale)
    assert caught.value.message == (
        "the plan is stale: AWS changed since it was made\n"
        "  account:acct-3: tags was {} when planned, is now {'x': '1'}"
    )
    reads = dict(stale.stats.calls)
    assert "organizations.ListOrganizationalUnitsForParent" not in reads
    assert "organizations.ListAccountsForParent" not in reads
    assert reads["organizations.DescribeAccount"] == 1
    assert reads["organizations.DescribeOrganizationalUnit"] == 1  # Unit3, the account's OU
    # The shared apply state: the table made once, the lock taken, the last plan looked up,
    # the lock released (apply/ledger.py).
    ledger = {k: v for k, v in reads.items() if k.startswith("dynamodb.")}
    assert ledger == {
        "dynamodb.DescribeTable": 1,
        "dynamodb.CreateTable": 1,
        "dynamodb.PutItem": 1,
        "dynamodb.GetItem": 1,
        "dynamodb.DeleteItem": 1,
    }
    assert sum(reads.values()) - sum(ledger.values()) <= 14
