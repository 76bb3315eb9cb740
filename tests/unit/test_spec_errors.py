"""Malformed specs: each gives exactly the expected ``file:line:column`` problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgstack.errors import SpecError
from orgstack.spec.loader import load_spec
from tests.conftest import WriteFiles

ORG = """\
organization:
  name: acme
  home_region: eu-central-1
  email_pattern: aws+{account}@acme.example
"""
OUS = """\
organizational_units:
  Workloads:
    children:
      Prod: {}
"""
PURPOSES = (
    "management, security, log-archive, network, backup, shared-services, build, workload, sandbox"
)
ORG_KEYS = "name, home_region, allowed_regions, email_pattern, feature_set, access_role, account_quota, full_aws_access, attribute_tags, root_tags"
TOP_KEYS = (
    "version, organization, organizational_units, accounts, policies, ignore, isolation, security, "
    "logging, backup, network, access, alternate_contacts, break_glass, unmanaged"
)
ACCOUNT_KEYS = (
    "purpose, id, ou, email, stage, workload, team, business_unit, owner, iam_alias, tags"
)
POLICY = """\
policies:
  guard:
    type: service_control
    file: guard.json
    targets: [root]
"""
GOOD_POLICY = '{"Version": "2012-10-17", "Statement": []}'

CASES: dict[str, tuple[dict[str, str], list[str]]] = {
    "yaml-syntax": (
        {"orgstack.yaml": ORG + "accounts: [\n"},
        [
            "orgstack.yaml:6:1: YAML syntax error: expected the node content, but found '<stream end>'"
        ],
    ),
    "tab-indent": (
        {"orgstack.yaml": ORG + "accounts:\n\tweb: {}\n"},
        ["orgstack.yaml:6:1: YAML syntax error: found character '\\t' that cannot start any token"],
    ),
    "duplicate-top-key": (
        {"orgstack.yaml": ORG + "accounts: {}\naccounts: {}\n"},
        [
            "orgstack.yaml:6:1: duplicate key 'accounts' (first defined at line 5); each key may appear once"
        ],
    ),
    "duplicate-account": (
        {
            "orgstack.yaml": ORG
            + "accounts:\n  web:\n    purpose: sandbox\n    ou: root\n  web:\n    purpose: sandbox\n    ou: root\n"
        },
        [
            "orgstack.yaml:9:3: duplicate key 'web' (first defined at line 6); each key may appear once"
        ],
    ),
    "unknown-top-key": (
        {"orgstack.yaml": ORG + "acounts: {}\n"},
        [
            f"orgstack.yaml:5:1: the spec: unknown key 'acounts' (did you mean 'accounts'?); allowed: {TOP_KEYS}"
        ],
    ),
    "unknown-and-missing": (
        {"orgstack.yaml": ORG + "accounts:\n  web:\n    purpse: sandbox\n    ou: root\n"},
        [
            "orgstack.yaml:6:3: accounts.web: missing required key 'purpose'",
            f"orgstack.yaml:7:5: accounts.web: unknown key 'purpse' (did you mean 'purpose'?); allowed: {ACCOUNT_KEYS}",
        ],
    ),
    "unknown-org-key": (
        {"orgstack.yaml": ORG + "  home_regoin: eu-west-1\n"},
        [
            f"orgstack.yaml:5:3: organization: unknown key 'home_regoin' (did you mean 'home_region'?); allowed: {ORG_KEYS}"
        ],
    ),
    "stage-not-string": (
        {
            "orgstack.yaml": ORG
            + "accounts:\n  web:\n    purpose: workload\n    ou: root\n    stage: 7\n"
        },
        [
            "orgstack.yaml:9:12: accounts.web.stage: expected a string, got an integer (7); put it in quotes"
        ],
    ),
    "tag-value-not-string": (
        {
            "orgstack.yaml": ORG
            + "accounts:\n  web:\n    purpose: sandbox\n    ou: root\n    tags:\n      cost-center: 0123\n"
        },
        [
            "orgstack.yaml:10:20: accounts.web.tags.cost-center: expected a string, got an integer (123); put it in quotes"
        ],
    ),
    "ous-as-list": (
        {"orgstack.yaml": ORG + "organizational_units:\n  - Workloads\n"},
        ["orgstack.yaml:6:3: organizational_units: expected a mapping (key: value), got a list"],
    ),
    "bad-purpose": (
        {"orgstack.yaml": ORG + "accounts:\n  web:\n    purpose: workloads\n    ou: root\n"},
        [
            f"orgstack.yaml:7:14: accounts.web.purpose: 'workloads' is not allowed (did you mean 'workload'?); allowed: {PURPOSES}"
        ],
    ),
    "bad-feature-set": (
        {"orgstack.yaml": ORG + "  feature_set: CONSOLIDATED_BILLING\n"},
        [
            "orgstack.yaml:5:16: organization.feature_set: 'CONSOLIDATED_BILLING' is not allowed; allowed: ALL"
        ],
    ),
    "bad-region": (
        {"orgstack.yaml": ORG.replace("eu-central-1", "eu-centrall")},
        [
            "orgstack.yaml:3:16: organization.home_region: 'eu-centrall' is not a Region name such as eu-central-1"
        ],
    ),
    "bad-email-pattern": (
        {"orgstack.yaml": ORG.replace("{account}", "{acount}")},
        [
            "orgstack.yaml:4:18: organization.email_pattern: must contain {account} and no other {placeholder}"
        ],
    ),
    "missing-organization": (
        {"orgstack.yaml": "accounts: {}\n"},
        ["orgstack.yaml:1:1: the spec: missing required key 'organization'"],
    ),
    "dangling-ou": (
        {
            "orgstack.yaml": ORG
            + OUS
            + "accounts:\n  web:\n    purpose: workload\n    ou: Workload/Prod\n"
        },
        [
            "orgstack.yaml:12:9: accounts.web.ou: no OU 'Workload/Prod' (did you mean 'Workloads/Prod'?); use root or one of: Workloads, Workloads/Prod"
        ],
    ),
    "missing-policy-file": (
        {"orgstack.yaml": ORG + POLICY},
        ["orgstack.yaml:8:11: policies.guard.file: no file guard.json (looked for guard.json)"],
    ),
    "invalid-policy-json": (
        {
            "orgstack.yaml": ORG + POLICY,
            "guard.json": '{\n  "Version": "2012-10-17"\n  "Statement": []\n}\n',
        },
        ["guard.json:3:3: invalid JSON: Expecting ',' delimiter"],
    ),
    "policy-not-object": (
        {"orgstack.yaml": ORG + POLICY, "guard.json": "[]\n"},
        ["guard.json:1:1: a policy document must be a JSON object"],
    ),
    "policy-file-and-content": (
        {
            "orgstack.yaml": ORG + POLICY + "    content: {Version: '2012-10-17'}\n",
            "guard.json": GOOD_POLICY,
        },
        [
            "orgstack.yaml:6:3: policies.guard: give exactly one of 'file', 'content' or 'guardrails' (it has file and content)"
        ],
    ),
    "policy-unknown-ou": (
        {
            "orgstack.yaml": ORG + OUS + POLICY.replace("[root]", "[ou:Workloads/Prd]"),
            "guard.json": GOOD_POLICY,
        },
        [
            "orgstack.yaml:13:15: policies.guard.targets: no ou 'Workloads/Prd' (did you mean 'Workloads/Prod'?)"
        ],
    ),
    "policy-unknown-account": (
        {
            "orgstack.yaml": ORG + POLICY.replace("[root]", "[account:web]"),
            "guard.json": GOOD_POLICY,
        },
        ["orgstack.yaml:9:15: policies.guard.targets: no account 'web'"],
    ),
    "policy-bad-target": (
        {
            "orgstack.yaml": ORG + POLICY.replace("[root]", "[root, Workloads]"),
            "guard.json": GOOD_POLICY,
        },
        [
            "orgstack.yaml:9:21: policies.guard.targets[1]: 'Workloads' is not root, ou:<OU path> or account:<account name>"
        ],
    ),
    "policy-duplicate-target": (
        {
            "orgstack.yaml": ORG + POLICY.replace("[root]", "[root, root]"),
            "guard.json": GOOD_POLICY,
        },
        ["orgstack.yaml:9:21: policies.guard.targets: root is listed twice"],
    ),
    "duplicate-email": (
        {
            "orgstack.yaml": ORG
            + "accounts:\n  web:\n    purpose: sandbox\n    ou: root\n  api:\n    purpose: sandbox\n    ou: root\n    email: AWS+web@acme.example\n"
        },
        [
            "orgstack.yaml:12:12: accounts.api: email AWS+web@acme.example is already the root e-mail of account 'web' (orgstack.yaml:6:3); every account needs its own"
        ],
    ),
    "two-management": (
        {
            "orgstack.yaml": ORG
            + "accounts:\n  payer:\n    purpose: management\n    ou: root\n  other:\n    purpose: management\n    ou: root\n"
        },
        [
            "orgstack.yaml:10:14: accounts.other.purpose: 'payer' is already the management account; an organization has exactly one"
        ],
    ),
    "no-email-no-pattern": (
        {
            "orgstack.yaml": "organization:\n  name: acme\n  home_region: eu-west-1\naccounts:\n  web:\n    purpose: sandbox\n    ou: root\n"
        },
        [
            "orgstack.yaml:5:3: accounts.web: no email, and organization.email_pattern is not set; set one of them"
        ],
    ),
    "empty-file": (
        {"orgstack.yaml": "# nothing yet\n"},
        ["orgstack.yaml:1:1: the spec is empty; it needs at least 'organization:'"],
    ),
    "top-level-list": (
        {"orgstack.yaml": "- organization\n"},
        ["orgstack.yaml:1:1: the top level must be a mapping (organization:, accounts:, …)"],
    ),
    "bad-account-name": (
        {"orgstack.yaml": ORG + "accounts:\n  café:\n    purpose: sandbox\n    ou: root\n"},
        [
            "orgstack.yaml:6:3: accounts: name 'café' is not an account name of printable ASCII characters"
        ],
    ),
    "bad-version": (
        {"orgstack.yaml": "version: 2\n" + ORG},
        ["orgstack.yaml:1:10: version: 2 is not allowed; allowed: 1"],
    ),
    "two-documents": (
        {"orgstack.yaml": ORG + "---\n" + ORG},
        ["orgstack.yaml:6:1: one YAML document per file (found a second '---')"],
    ),
    "bad-iam-alias": (
        {
            "orgstack.yaml": ORG
            + "accounts:\n  web:\n    purpose: sandbox\n    ou: root\n    iam_alias: Web--Prod\n"
        },
        [
            "orgstack.yaml:9:16: accounts.web.iam_alias: 'Web--Prod' is not lower-case letters, digits and single hyphens, not starting or ending with a hyphen"
        ],
    ),
    "directory-clash": (
        {
            "orgstack__org.yaml": ORG,
            "orgstack__a.yaml": "accounts:\n  web:\n    purpose: sandbox\n    ou: root\n",
            "orgstack__b.yaml": "accounts:\n  web:\n    purpose: sandbox\n    ou: root\n",
        },
        ["orgstack/b.yaml:2:3: accounts.web is defined twice: here and at orgstack/a.yaml:2:3"],
    ),
    "directory-two-organizations": (
        {"orgstack__a.yaml": ORG, "orgstack__b.yaml": ORG},
        ["orgstack/b.yaml:1:1: 'organization' is defined twice: here and at orgstack/a.yaml:1:1"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_spec_reports_exact_problems(case: str, write_files: WriteFiles) -> None:
    files, expected = CASES[case]
    write_files(**files)
    target = "orgstack" if any(name.startswith("orgstack__") for name in files) else "orgstack.yaml"
    with pytest.raises(SpecError) as caught:
        load_spec(target)
    assert [str(p) for p in caught.value.problems] == expected


def test_all_problems_of_a_file_are_reported_at_once(write_files: WriteFiles) -> None:
    write_files(
        **{
            "orgstack.yaml": ORG.replace("eu-central-1", "mars-1")
            + "accounts:\n  web:\n    purpose: app\n    ou: root\n    colour: blue\n"
        }
    )
    with pytest.raises(SpecError) as caught:
        load_spec("orgstack.yaml")
    assert [(p.line, p.column) for p in caught.value.problems] == [(3, 16), (7, 14), (9, 5)]
    assert caught.value.message.startswith("3 problems in the spec:\n")


def test_a_selector_typo_names_the_selector_keys_not_pydantics_union_branches(
    tmp_path: Path,
) -> None:
    (tmp_path / "orgstack.yaml").write_text(
        "organization: {name: acme, home_region: us-east-1, email_pattern: 'a+{account}@a.example'}\n"
        "accounts:\n  management: {purpose: management, ou: root}\n"
        "  web: {purpose: workload, ou: root, stage: dev}\n"
        "access:\n  mode: iam\n  users: {ana: {}}\n  groups: {devs: {members: [ana]}}\n"
        "  grants:\n    - {group: devs, level: readonly, accounts: {stag: dev}}\n"
    )
    with pytest.raises(SpecError) as error:
        load_spec(tmp_path / "orgstack.yaml")
    assert [str(p) for p in error.value.problems] == [
        f"{tmp_path / 'orgstack.yaml'}:10:49: access.grants[0].accounts: unknown key 'stag' "
        "(did you mean 'stage'?); allowed: stage, purpose, ou, tag, account"
    ]
