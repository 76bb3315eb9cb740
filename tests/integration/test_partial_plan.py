"""plan --target: only the targets are read and planned (with what they depend on), the saved
plan says it is partial, apply of it converges, refuses changes outside it and refuses it once
stale; the rest of the spec is planned by the next whole plan."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import boto3
import pytest

from orgstack import api
from orgstack.apply.context import ApplyError
from orgstack.aws.context import AwsContext
from orgstack.errors import OrgstackError
from orgstack.plan.model import Action
from orgstack.plan.planfile import content_digest, plan_from_dict
from tests.integration.conftest import FAST
from tests.integration.test_access import account_ids
from tests.integration.test_apply import apply_now, plan_now

HEAD = """\
organization: {name: acme, home_region: us-east-1, email_pattern: 'aws+{account}@acme.example'}
organizational_units:
  Workloads: {children: {Prod: {}, NonProd: {}}}
  Sandbox: {}
accounts:
  management: {purpose: management, ou: root}
"""
GUARD = """\
policies:
  guard:
    type: service_control
    targets: [ou:Workloads, account:lab]
    content: {Version: '2012-10-17', Statement: [{Effect: Deny, Action: '%s', Resource: '*'}]}
"""
SPEC = (
    HEAD
    + """\
  web-prod: {purpose: workload, stage: prod, workload: web, ou: Workloads/Prod, iam_alias: acme-web-prod}
  web-dev: {purpose: workload, stage: dev, workload: web, ou: Workloads/NonProd}
  lab: {purpose: sandbox, ou: Sandbox}
"""
    + GUARD % "organizations:LeaveOrganization"
)


def counted(result: api.PlanResult) -> Counter[str]:
    return Counter(result.context.stats.calls)


CHANGED = (
    HEAD
    + """\
  web-prod: {id: '%(web-prod)s', purpose: workload, stage: prod, workload: web, ou: Workloads/Prod, iam_alias: acme-web-prod-2}
  web-dev: {id: '%(web-dev)s', purpose: workload, stage: dev, workload: web, ou: Workloads/NonProd, tags: {team: web}}
  web-qa: {purpose: workload, stage: qa, workload: web, ou: Workloads/NonProd}
  lab: {purpose: sandbox, ou: Sandbox, tags: {team: lab}}
"""
    + GUARD % "account:CloseAccount"
)


@pytest.fixture
def applied(aws: None, workdir: Path) -> Path:
    """Applied; then the spec moves on in five places at once (web-prod and web-dev with the
    ids apply records, lab without)."""
    spec = workdir / "orgstack.yaml"
    spec.write_text(SPEC)
    plan, data = plan_now()
    assert apply_now(plan, data).ok
    assert plan_now()[0].empty
    spec.write_text(CHANGED % account_ids())
    return spec


def accounts_tags(name: str) -> dict[str, str]:
    orgs = boto3.client("organizations", region_name="us-east-1")
    found = orgs.list_tags_for_resource(ResourceId=account_ids()[name])["Tags"]
    return {t["Key"]: t["Value"] for t in found}


def changes(result: api.PlanResult) -> list[tuple[str, Action]]:
    return [(c.address, c.action) for c in result.plan.changes]


def test_an_account_target_plans_it_alone_reading_neither_the_tree_nor_other_accounts(
    applied: Path,
) -> None:
    result = api.make_plan(None, FAST, targets=("account:web-dev",))
    assert changes(result) == [("account:web-dev", Action.TAG)]
    calls = counted(result)
    assert calls["organizations.ListAccountsForParent"] == calls["organizations.ListAccounts"] == 0
    assert calls["organizations.ListTargetsForPolicy"] == 0
    assert calls["organizations.ListTagsForResource"] == 1
    assert sum(calls.values()) <= 30, calls
    assert result.plan.scope == {
        "targets": ["account:web-dev"],
        "accounts": ["web-dev"],
        "ous": [],
        "subtrees": [],
        "ancestors": ["Workloads", "Workloads/NonProd"],
        "policies": [],
    }


def test_an_ou_target_plans_everything_below_it_and_a_kind_follows_its_account(
    applied: Path,
) -> None:
    nonprod = api.make_plan(None, FAST, targets=("ou:Workloads/NonProd",))
    assert changes(nonprod) == [
        ("account:web-qa", Action.CREATE),
        ("account:web-dev", Action.TAG),
    ]
    workloads = api.make_plan(None, FAST, targets=("ou:Workloads",))
    assert changes(workloads) == [
        ("account:web-qa", Action.CREATE),
        ("account:web-dev", Action.TAG),
        ("iam-alias:web-prod", Action.UPDATE),
    ]
    calls = counted(workloads)
    assert calls["iam.ListAccountAliases"] == 1  # web-prod's only, not every account's


def test_a_policy_target_plans_its_content_and_attachments_follow_their_targets(
    applied: Path,
) -> None:
    assert changes(api.make_plan(None, FAST, targets=("scp:guard",))) == [
        ("scp:guard", Action.UPDATE)
    ]


def test_an_account_the_spec_records_no_id_for_is_found_in_its_ou(applied: Path) -> None:
    lab = api.make_plan(None, FAST, targets=("account:lab",))
    assert changes(lab) == [("account:lab", Action.TAG)]
    calls = counted(lab)
    assert (calls["organizations.ListAccountsForParent"], calls["organizations.ListAccounts"]) == (
        1,
        0,
    )
    moved = api.make_plan(None, FAST, targets=("account:web-qa",))
    assert changes(moved) == [("account:web-qa", Action.CREATE)]  # not there: not anywhere
    assert counted(moved)["organizations.ListAccounts"] == 1


def test_unknown_targets_are_refused_saying_what_a_target_is(applied: Path) -> None:
    for target, what in (("account:nope", "account"), ("ou:Nope", "OU"), ("scp:nope", "object")):
        with pytest.raises(OrgstackError) as caught:
            api.make_plan(None, FAST, targets=(target,))
        assert caught.value.message == f"--target {target}: the spec has no such {what}"
        assert caught.value.hint == (
            "A target is account:NAME, ou:PATH (with everything below it) or a policy's "
            "address (e.g. scp:NAME), as the spec names them; `orgstack show` lists them."
        )


def test_a_partial_plan_applies_then_the_whole_plan_holds_the_rest(applied: Path) -> None:
    plan, data = plan_now(targets=("ou:Workloads/NonProd",))
    assert data["scope"]["targets"] == ["ou:Workloads/NonProd"]
    assert apply_now(plan, data).ok
    assert plan_now(targets=("ou:Workloads/NonProd",))[0].empty
    rest, _ = plan_now()
    assert [(c.address, c.action) for c in rest.changes] == [
        ("scp:guard", Action.UPDATE),
        ("account:lab", Action.TAG),
        ("iam-alias:web-prod", Action.UPDATE),
    ]


def test_a_partial_plan_file_with_a_change_outside_its_targets_is_refused(
    applied: Path,
) -> None:
    _, data = plan_now(targets=("account:web-dev",))
    whole = plan_now()[1]
    outside = next(c for c in whole["changes"] if c["address"] == "account:lab")
    forged: dict[str, Any] = json.loads(json.dumps(data))
    forged["changes"].append({**outside, "index": len(forged["changes"])})
    forged["digest"] = content_digest(forged)
    expected = (
        "the plan is partial (--target account:web-dev) but holds changes outside its "
        "targets: account:lab"
    )
    with pytest.raises(OrgstackError) as caught:
        plan_from_dict(forged)
    assert caught.value.message == expected
    plan = plan_now(targets=("account:web-dev",))[0]
    lab = next(c for c in plan_from_dict(whole).changes if c.address == "account:lab")
    widened = replace(plan, changes=(*plan.changes, lab))
    with pytest.raises(OrgstackError) as caught:  # handed to apply as an object
        apply_now(widened, forged)
    assert caught.value.message.startswith("the plan is partial (--target account:web-dev)")
    assert "team" not in accounts_tags("lab")  # nothing applied


def test_a_stale_partial_plan_is_refused_reading_only_its_scope(applied: Path) -> None:
    plan, data = plan_now(targets=("account:web-dev",))
    orgs = boto3.client("organizations", region_name="us-east-1")
    web_dev = plan.ids["account:web-dev"]
    orgs.tag_resource(ResourceId=web_dev, Tags=[{"Key": "team", "Value": "other"}])
    context = AwsContext(FAST)
    with pytest.raises(ApplyError) as caught:
        apply_now(plan, data, context=context)
    before = {"orgstack:managed": "true", "purpose": "workload", "stage": "dev", "workload": "web"}
    after = dict(sorted({**before, "team": "other"}.items()))
    assert caught.value.message.splitlines() == [
        "the plan is stale: AWS changed since it was made",
        f"  account:web-dev: tags was {before!r} when planned, is now {after!r}",
    ]
    read = Counter(context.stats.calls)
    assert read["organizations.ListAccountsForParent"] == 0  # the scope only, as planned
    assert read["organizations.DescribeAccount"] == 1
