"""plan/scope.py: what --target covers, the spec cut down to it, and which changes a partial
plan may hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgstack.model import OrgModel
from orgstack.plan.model import Action, Change
from orgstack.plan.scope import Scope, refused, resolve, restrict, within
from orgstack.spec.loader import load_spec

SPEC = """\
organization: {name: acme, home_region: us-east-1, email_pattern: 'aws+{account}@acme.example'}
organizational_units:
  Workloads: {children: {Prod: {children: {Eu: {}}}, NonProd: {}}}
  Sandbox: {}
accounts:
  management: {purpose: management, ou: root}
  web-prod: {purpose: workload, stage: prod, workload: web, ou: Workloads/Prod/Eu}
  web-dev: {purpose: workload, stage: dev, workload: web, ou: Workloads/NonProd}
  lab: {purpose: sandbox, ou: Sandbox}
policies:
  guard:
    type: service_control
    targets: [root, ou:Workloads/Prod, account:lab]
    content: {Version: '2012-10-17', Statement: [{Effect: Deny, Action: 'a:b', Resource: '*'}]}
"""


@pytest.fixture
def desired(tmp_path: Path) -> OrgModel:
    (tmp_path / "orgstack.yaml").write_text(SPEC)
    return load_spec(tmp_path / "orgstack.yaml")


def change(address: str, action: Action, **after: str) -> Change:
    before = after if action == Action.DETACH else None
    return Change(address, action, before, None if before else dict(after), "", {}, {})


def test_an_ou_covers_everything_below_it_and_needs_the_ous_above(desired: OrgModel) -> None:
    scope = resolve(desired, ("ou:Workloads/Prod", "account:lab", "account:lab"))
    assert scope == Scope(
        targets=("ou:Workloads/Prod", "account:lab"),
        accounts=frozenset({"web-prod", "lab"}),
        ous=frozenset({"Workloads/Prod", "Workloads/Prod/Eu"}),
        subtrees=("Workloads/Prod",),
        ancestors=frozenset({"Workloads", "Sandbox"}),
        policies=frozenset(),
    )
    assert Scope.from_dict(scope.to_dict()) == scope
    cut = restrict(desired, scope)
    assert [o.path for o in cut.ous] == [
        "Workloads",
        "Workloads/Prod",
        "Workloads/Prod/Eu",
        "Sandbox",
    ]
    assert [a.name for a in cut.accounts] == ["web-prod", "lab"]
    guard = next(p for p in cut.policies if p.name == "guard")
    assert [t.address for t in guard.targets] == ["ou:Workloads/Prod", "account:lab"]  # not root


def test_which_changes_a_partial_plan_may_hold(desired: OrgModel) -> None:
    scope = resolve(desired, ("account:web-dev",))
    attach = change("scp:guard", Action.ATTACH, target="account:web-dev")
    create = change("scp:guard", Action.CREATE, type="SERVICE_CONTROL_POLICY")
    planned = (create, attach)
    assert within(change("account:web-dev", Action.TAG), scope)
    assert within(change("ou:Workloads/NonProd", Action.CREATE), scope)  # a missing parent
    assert not within(change("ou:Workloads/NonProd", Action.TAG), scope)
    assert within(attach, scope)
    assert not within(change("scp:guard", Action.DETACH, target="account:lab"), scope)
    assert within(create, scope, planned)  # the policy its attachment needs
    assert not within(change("scp:guard", Action.UPDATE), scope, planned)
    assert within(change("policy-type:SERVICE_CONTROL_POLICY", Action.ENABLE), scope, planned)
    assert not within(change("policy-type:TAG_POLICY", Action.ENABLE), scope, planned)
    assert within(change("iam-alias:web-dev", Action.UPDATE), scope)
    assert not within(change("iam-alias:lab", Action.UPDATE), scope)
    assert within(change("trusted-access:organization/account.amazonaws.com", Action.CREATE), scope)
    assert not within(change("organization", Action.CREATE), scope)
    assert refused((change("account:lab", Action.TAG), attach), scope) == ["account:lab"]
    assert within(change("scp:guard", Action.UPDATE), resolve(desired, ("scp:guard",)))
