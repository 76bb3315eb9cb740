"""Loading good specs: compile results, derived e-mails, directories, policy files."""

from __future__ import annotations

import json

from orgstack.model import Target
from orgstack.spec.loader import find_spec_path, load_spec
from tests.conftest import WriteFiles

SPEC = """
organization:
  name: acme
  home_region: eu-central-1
  allowed_regions: [eu-west-1, eu-central-1]
  email_pattern: aws+{account}@acme.example
organizational_units:
  Workloads:
    tags: {owner: platform}
    children:
      Prod: {}
      NonProd: {}
accounts:
  payer:
    purpose: management
    ou: root
  Web Prod:
    purpose: workload
    ou: Workloads/Prod
    stage: prod
    workload: web
    tags: {cost-center: "0123"}
  web-dev:
    purpose: workload
    ou: Workloads/NonProd
    stage: dev
    workload: web
    email: Web.Dev@acme.example
policies:
  guard:
    type: service_control
    file: policies/guard.json
    targets: [root, ou:Workloads/Prod, account:web-dev]
  stage:
    type: tag
    content: {tags: {stage: {tag_key: {"@@assign": stage}}}}
    targets: [root]
"""
GUARD = '{\n  "Version": "2012-10-17",\n  "Statement": [ { "Effect": "Deny", "Action": "x:Y", "Resource": "*" } ]\n}\n'


def test_compiles_ous_accounts_and_policies(write_files: WriteFiles) -> None:
    write_files(**{"orgstack.yaml": SPEC, "policies__guard.json": GUARD})
    model = load_spec()
    assert model.organization.allowed_regions == ("eu-central-1", "eu-west-1")
    assert [(o.address, o.parent_path, o.depth) for o in model.ous] == [
        ("ou:Workloads", "root", 1),
        ("ou:Workloads/Prod", "Workloads", 2),
        ("ou:Workloads/NonProd", "Workloads", 2),
    ]
    assert dict(model.ous[0].tags) == {"owner": "platform"}
    assert [(a.address, a.ou, a.email) for a in model.accounts] == [
        ("account:payer", "root", None),
        ("account:Web Prod", "Workloads/Prod", "aws+web-prod@acme.example"),
        ("account:web-dev", "Workloads/NonProd", "Web.Dev@acme.example"),
    ]
    assert dict(model.accounts[1].tags) == {
        "cost-center": "0123",
        "purpose": "workload",
        "stage": "prod",
        "workload": "web",
    }
    full, guard, stage = model.policies
    assert (full.address, full.aws_managed, [t.address for t in full.targets]) == (
        "scp:FullAWSAccess",
        True,
        [
            *("root", "ou:Workloads", "ou:Workloads/Prod", "ou:Workloads/NonProd"),
            *("account:payer", "account:Web Prod", "account:web-dev"),
        ],
    )
    assert guard.address == "scp:guard"
    assert (
        guard.content
        == '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"x:Y","Resource":"*"}]}'
    )
    assert guard.targets == (
        Target("root"),
        Target("ou", "Workloads/Prod"),
        Target("account", "web-dev"),
    )
    assert stage.address == "tag-policy:stage"
    assert json.loads(stage.content) == {"tags": {"stage": {"tag_key": {"@@assign": "stage"}}}}
    assert str(model.accounts[1].source) == "orgstack.yaml:16:3"


def test_directory_spec_merges_files_and_resolves_policy_files_per_file(
    write_files: WriteFiles,
) -> None:
    write_files(
        **{
            "orgstack__org.yaml": "organization: {name: acme, home_region: eu-west-1, email_pattern: 'a+{account}@x.io'}\n",
            "orgstack__ous.yaml": "organizational_units: {Sandbox: {}}\n",
            "orgstack__teams__web.yaml": "accounts:\n  web-sbx: {purpose: sandbox, ou: Sandbox}\n",
            "orgstack__teams__api.yml": "accounts:\n  api-sbx: {purpose: sandbox, ou: Sandbox}\n"
            "policies:\n  g: {type: service_control, file: g.json, targets: [ou:Sandbox]}\n",
            "orgstack__teams__g.json": '{"Version": "2012-10-17", "Statement": []}',
            "orgstack__.hidden__x.yaml": "not: [valid",
        }
    )
    assert str(find_spec_path(None)) == "orgstack"
    model = load_spec()
    assert [a.name for a in model.accounts] == ["api-sbx", "web-sbx"]
    assert model.policies[1].content == '{"Version":"2012-10-17","Statement":[]}'
    assert str(model.accounts[1].source) == "orgstack/teams/web.yaml:2:3"


def test_yaml_merge_keys_and_anchors(write_files: WriteFiles) -> None:
    write_files(
        **{
            "orgstack.yaml": """
            organization: {name: acme, home_region: eu-west-1, email_pattern: 'a+{account}@x.io'}
            accounts:
              one: &sbx {purpose: sandbox, ou: root, tags: {team: a}}
              two:
                <<: *sbx
                tags: {team: b}
            """
        }
    )
    model = load_spec("orgstack.yaml")
    assert [(a.name, a.purpose, dict(a.tags)) for a in model.accounts] == [
        ("one", "sandbox", {"team": "a", "purpose": "sandbox"}),
        ("two", "sandbox", {"team": "b", "purpose": "sandbox"}),
    ]


def test_full_aws_access_false_leaves_allow_policies_to_the_spec(write_files: WriteFiles) -> None:
    write_files(
        **{
            "orgstack.yaml": """
            organization:
              name: acme
              home_region: eu-west-1
              email_pattern: 'a+{account}@x.io'
              full_aws_access: false
              access_role: Admin
              account_quota: 40
            ignore:
              - {rule: LZ114, target: "account:*", reason: moving them soon}
            """
        }
    )
    model = load_spec("orgstack.yaml")
    assert model.policies == ()
    assert (model.organization.access_role, model.organization.account_quota) == ("Admin", 40)
    assert [(s.rule, s.target, s.reason, str(s.source)) for s in model.suppressions] == [
        ("LZ114", "account:*", "moving them soon", "orgstack.yaml:9:5")
    ]
