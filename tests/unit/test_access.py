"""access: compiling, the resources the matrix implies, diffing, profiles and the matrix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orgstack.errors import SpecError, UsageError
from orgstack.kinds.access import matrix as access_view
from orgstack.kinds.access.desired import desired as desired_resources
from orgstack.kinds.access.vocabulary import REQUIRE_MFA, REVOKE_SESSIONS, TRUST_NOBODY
from orgstack.model import OrgModel
from orgstack.model.kind import Live
from orgstack.plan.kinds import kind_changes
from orgstack.plan.model import Action, Change, Plan, Unmanaged
from orgstack.plan.resources import canonical
from orgstack.registry import by_prefix
from orgstack.report.plan_text import to_text
from orgstack.spec.loader import load_spec


def access_changes(
    desired: dict[str, dict[str, object]], live: Live, *, allow_delete: bool = False
) -> tuple[list[Change], list[Unmanaged]]:
    return kind_changes(by_prefix()["access"], desired, live, allow_delete=allow_delete)


SPEC = """\
organization: {name: acme, home_region: eu-west-1, email_pattern: 'aws+{account}@acme.example'}
organizational_units: {Workloads: {children: {Prod: {}}}}
accounts:
  management: {purpose: management, ou: root}
  web-dev: {purpose: workload, ou: Workloads, stage: dev, tags: {team: web}}
  web-prod: {purpose: workload, ou: Workloads/Prod, stage: prod, tags: {team: web}}
access:
  mode: iam
  users: {ana: {email: ana@acme.example}, bo: {name: Bo Berg}}
  groups: {devs: {members: [ana, bo]}, ops: {members: [bo]}}
  levels:
    net-ops:
      managed: [arn:aws:iam::aws:policy/job-function/NetworkAdministrator]
      content: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'ec2:*', Resource: '*'}]}
  grants:
    - {group: devs, level: poweruser, accounts: {tag: {team: web}, stage: dev}, session_hours: 4}
    - {group: devs, level: readonly, accounts: {ou: Workloads/Prod}}
    - {group: ops, level: net-ops, accounts: {account: web-prod}, mfa: false}
"""


#: The same matrix in Identity Center (which requires MFA for the whole instance).
CENTER = SPEC.replace("mode: iam", "mode: identity-center").replace(", mfa: false", "")


def load(tmp_path: Path, text: str = SPEC) -> OrgModel:
    (tmp_path / "orgstack.yaml").write_text(text)
    return load_spec(tmp_path / "orgstack.yaml")


def test_selectors_resolve_to_accounts(tmp_path: Path) -> None:
    access = load(tmp_path).access
    assert access is not None
    assert [
        (g.group, g.level, g.accounts, g.selector, g.session_s, g.mfa) for g in access.grants
    ] == [
        ("devs", "poweruser", ("web-dev",), "stage: dev, tag: team=web", 14400, True),
        ("devs", "readonly", ("web-prod",), "ou: Workloads/Prod", 3600, True),
        ("ops", "net-ops", ("web-prod",), "account: web-prod", 3600, False),
    ]
    assert access.identity_account == "management"
    assert access.level("net-ops").role_name == "orgstack-NetOps"


def test_bad_references_are_reported_with_positions(tmp_path: Path) -> None:
    text = SPEC.replace("members: [bo]}", "members: [bo, carl]}").replace(
        "{account: web-prod}", "{account: web-prd}"
    )
    text = text.replace("level: readonly", "level: read-only").replace(
        "  grants:\n", "  identity_account: nobody\n  grants:\n"
    )
    with pytest.raises(SpecError) as raised:
        load(tmp_path, text)
    assert [str(p) for p in raised.value.problems] == [
        f"{tmp_path}/orgstack.yaml:10:60: access.groups.ops.members: no user 'carl'; "
        "declare it under access.users",
        f"{tmp_path}/orgstack.yaml:15:21: access.identity_account: no account 'nobody'",
        f"{tmp_path}/orgstack.yaml:18:28: access.grants[1].level: no level 'read-only' (did you "
        "mean 'readonly'?); allowed: admin, poweruser, readonly, billing, security-audit, "
        "network-admin, net-ops",
        f"{tmp_path}/orgstack.yaml:19:56: access.grants[2].accounts.account: no account "
        "'web-prd' (did you mean 'web-prod'?)",
    ]


def test_a_selector_matching_nothing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as raised:
        load(tmp_path, SPEC.replace("stage: dev}", "stage: qa}"))
    assert [p.message for p in raised.value.problems] == [
        "access.grants[0].accounts: stage: qa, tag: team=web selects no account; "
        "stages in the spec: dev, prod"
    ]


def test_a_purpose_selector_matching_nothing_lists_the_purposes(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as raised:
        load(tmp_path, SPEC.replace("stage: dev}", "purpose: sandbox}"))
    assert [p.message for p in raised.value.problems] == [
        "access.grants[0].accounts: purpose: sandbox, tag: team=web selects no account; "
        "purposes in the spec: management, workload"
    ]


def test_the_matrix_implies_exactly_these_iam_resources(tmp_path: Path) -> None:
    model = load(tmp_path)
    ids = {"account:management": "111111111111", "account:web-prod": "333333333333"}
    resources = desired_resources(model, ids)
    user = "arn:aws:iam::111111111111:user/"
    assert list(resources) == [
        "access:management/policy/orgstack-RequireMFA",
        "access:management/user/ana",
        "access:management/user/bo",
        "access:management/group/orgstack-devs",
        "access:management/group/orgstack-ops",
        "access:web-dev/role/orgstack-PowerUser",
        "access:web-prod/role/orgstack-NetOps",
        "access:web-prod/role/orgstack-ReadOnly",
    ]
    assert resources["access:management/policy/orgstack-RequireMFA"] == {
        "document": canonical(REQUIRE_MFA)
    }
    assert resources["access:management/group/orgstack-devs"] == {
        "members": ["ana", "bo"],
        "assume": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "SwitchRole",
                    "Effect": "Allow",
                    "Action": ["sts:AssumeRole"],
                    "Resource": [
                        "arn:aws:iam::*:role/orgstack-PowerUser",
                        "arn:aws:iam::*:role/orgstack-ReadOnly",
                    ],
                    # No organization yet: apply fills in the id of the one it creates.
                    "Condition": {
                        "StringEquals": {
                            "aws:ResourceOrgID": ["{organization}"],
                            "aws:ResourceTag/orgstack:grant/devs": ["true"],
                        }
                    },
                }
            ],
        },
        "managed": ["arn:aws:iam::111111111111:policy/orgstack-RequireMFA"],
    }
    with_org = desired_resources(model, {**ids, "organization": "o-abc123"})
    condition = with_org["access:management/group/orgstack-devs"]["assume"]["Statement"][0]
    assert condition["Condition"]["StringEquals"]["aws:ResourceOrgID"] == ["o-abc123"]
    # ops' only grant goes without MFA: the MFA-enforcing policy would block it.
    assert resources["access:management/group/orgstack-ops"]["managed"] == []
    assert resources["access:web-dev/role/orgstack-PowerUser"] == {
        "trust": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "SwitchRoleWithMFA",
                    "Effect": "Allow",
                    "Principal": {"AWS": [user + "ana", user + "bo"]},
                    "Action": ["sts:AssumeRole"],
                    "Condition": {"Bool": {"aws:MultiFactorAuthPresent": ["true"]}},
                }
            ],
        },
        "tags": {"orgstack:grant/devs": "true"},
        "max_session_s": 14400,
        "managed": ["arn:aws:iam::aws:policy/PowerUserAccess"],
        "inline": None,
        "description": "AWS managed PowerUserAccess",
    }
    network = resources["access:web-prod/role/orgstack-NetOps"]
    assert network["trust"]["Statement"] == [
        {
            "Sid": "SwitchRole",
            "Effect": "Allow",
            "Principal": {"AWS": [user + "bo"]},
            "Action": ["sts:AssumeRole"],
        }
    ]
    assert network["inline"] == {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["ec2:*"], "Resource": ["*"]}],
    }


def test_identity_center_resources(tmp_path: Path) -> None:
    model = load(tmp_path, CENTER)
    resources = desired_resources(model, {})
    assert resources["access:identity-center/permission-set/orgstack-PowerUser"] == {
        "session": "PT4H",
        "managed": ["arn:aws:iam::aws:policy/PowerUserAccess"],
        "inline": None,
        "description": "AWS managed PowerUserAccess",
    }
    assert resources["access:identity-center/sso-user/bo"] == {
        "display_name": "Bo Berg",
        "email": None,
    }
    assert resources["access:web-prod/assignment/orgstack-ReadOnly/orgstack-devs"] == {
        "account": "{account:web-prod}",
        "permission_set": "orgstack-ReadOnly",
        "group": "orgstack-devs",
    }


def test_changes_name_only_what_differs_and_leftovers_are_revoked_then_need_the_flag(
    tmp_path: Path,
) -> None:
    model = load(tmp_path)
    ids = {"account:management": "111111111111", "account:web-dev": "2" * 12}
    desired = desired_resources(model, ids)
    live = Live({a: dict(v) for a, v in desired.items()})
    role = "access:web-dev/role/orgstack-PowerUser"
    live.resources[role]["max_session_s"] = 3600
    live.resources["access:web-dev/role/orgstack-Old"] = {"trust": {}}
    live.managed |= {"access:web-dev/role/orgstack-Old", role}
    del live.resources["access:management/user/bo"]
    changes, unmanaged = access_changes(desired, live)
    assert [(c.action, c.address, c.before, c.after) for c in changes] == [
        (Action.CREATE, "access:management/user/bo", None, {"email": None, "name": "Bo Berg"}),
        (
            Action.UPDATE,
            "access:web-dev/role/orgstack-Old",
            {"trust": {}},
            {"trust": TRUST_NOBODY, "tags": {}, "managed": [], "inline": REVOKE_SESSIONS},
        ),
        (Action.UPDATE, role, {"max_session_s": 3600}, {"max_session_s": 14400}),
    ]
    assert [(u.address, u.note) for u in unmanaged] == [
        (
            "access:web-dev/role/orgstack-Old",
            "orgstack's, no longer in the spec (plan with --allow-delete to delete it)",
        )
    ]
    changes, unmanaged = access_changes(desired, live, allow_delete=True)
    assert [(c.action, c.address) for c in changes][-1] == (
        Action.DELETE,
        "access:web-dev/role/orgstack-Old",
    )
    assert unmanaged == []


def test_a_stale_assignment_is_detached(tmp_path: Path) -> None:
    model = load(tmp_path, CENTER)
    desired = desired_resources(model, {})
    old = "access:web-dev/assignment/orgstack-Admin/orgstack-devs"
    value = {"account": "2" * 12, "permission_set": "orgstack-Admin", "group": "orgstack-devs"}
    live = Live({a: dict(v) for a, v in desired.items()} | {old: value}, {old})
    changes, _ = access_changes(desired, live)
    assert [(c.action, c.address, c.before) for c in changes] == [(Action.DETACH, old, value)]


def test_plan_text_groups_access_changes_by_account(tmp_path: Path) -> None:
    model = load(tmp_path)
    ids = {"account:management": "111111111111", "account:web-dev": "2" * 12}
    desired = desired_resources(model, ids)
    live = Live({a: dict(v) for a, v in desired.items()})
    live.resources["access:web-dev/role/orgstack-PowerUser"]["max_session_s"] = 3600
    live.resources["access:management/group/orgstack-devs"]["members"] = ["ana", "carl"]
    changes, _ = access_changes(desired, live)
    _, text = to_text(Plan(tuple(changes), ids=ids), "orgstack.yaml")
    assert text.splitlines()[:6] == [
        "",
        "Access, by account:",
        "  management (111111111111)",
        "    ~ group/orgstack-devs  update  members +bo -carl",
        "  web-dev (222222222222)",
        "    ~ role/orgstack-PowerUser  update  session 1h → 4h",
    ]


def test_profiles_for_a_user(tmp_path: Path) -> None:
    model = load(tmp_path)
    ids = {"account:management": "111111111111", "account:web-dev": "2" * 12}
    ids["account:web-prod"] = "3" * 12
    entries = access_view.entries_for(model, "bo", ids)
    config = access_view.aws_config(
        model,
        "bo",
        entries,
        identity_id="111111111111",
        source_profile="me",
        region="eu-west-1",
        mfa_serial="arn:aws:iam::111111111111:mfa/bo",
    )
    assert config.splitlines()[2:] == [
        "",
        "[profile web-dev-poweruser]",
        "role_arn = arn:aws:iam::222222222222:role/orgstack-PowerUser",
        "source_profile = me",
        "mfa_serial = arn:aws:iam::111111111111:mfa/bo",
        "duration_seconds = 14400",
        "region = eu-west-1",
        "",
        "[profile web-prod-net-ops]",
        "role_arn = arn:aws:iam::333333333333:role/orgstack-NetOps",
        "source_profile = me",
        "duration_seconds = 3600",
        "region = eu-west-1",
        "",
        "[profile web-prod-readonly]",
        "role_arn = arn:aws:iam::333333333333:role/orgstack-ReadOnly",
        "source_profile = me",
        "mfa_serial = arn:aws:iam::111111111111:mfa/bo",
        "duration_seconds = 3600",
        "region = eu-west-1",
    ]
    with pytest.raises(UsageError) as unknown:
        access_view.entries_for(model, "ann", ids)
    assert unknown.value.message == "--user: no user 'ann' (did you mean 'ana'?)"


def test_identity_center_profiles_use_an_sso_session(tmp_path: Path) -> None:
    model = load(tmp_path, CENTER)
    ids = {"account:web-dev": "2" * 12, "account:web-prod": "3" * 12}
    entries = access_view.entries_for(model, "ana", ids)
    config = access_view.aws_config(
        model,
        "ana",
        entries,
        identity_id="",
        source_profile="",
        region="eu-west-1",
        sso_start_url="https://d-123.awsapps.com/start",
    )
    assert config.splitlines()[1:12] == [
        "",
        "[sso-session acme]",
        "sso_start_url = https://d-123.awsapps.com/start",
        "sso_region = eu-west-1",
        "sso_registration_scopes = sso:account:access",
        "",
        "[profile web-dev-poweruser]",
        "sso_session = acme",
        "sso_account_id = 222222222222",
        "sso_role_name = orgstack-PowerUser",
        "region = eu-west-1",
    ]
    assert access_view.console_links(model, entries[:1], "https://d-123.awsapps.com/start") == [
        "https://d-123.awsapps.com/start/#/console?account_id=222222222222"
        "&role_name=orgstack-PowerUser"
    ]


def test_the_matrix_as_csv_and_json(tmp_path: Path) -> None:
    model = load(tmp_path)
    assert access_view.matrix_csv(model) == (
        "account,devs,ops\nmanagement,,\nweb-dev,poweruser,\nweb-prod,readonly,net-ops\n"
    )
    data = json.loads(access_view.matrix_json(model))
    assert data["accounts"][2] == {
        "account": "web-prod",
        "grants": {"devs": ["readonly"], "ops": ["net-ops"]},
    }


def test_drift_speaks_of_access_changes_briefly(tmp_path: Path) -> None:
    from orgstack.plan.drift import drift

    model = load(tmp_path, CENTER)
    desired = desired_resources(model, {})
    old = "access:web-dev/assignment/orgstack-Admin/orgstack-devs"
    value = {"account": "2" * 12, "permission_set": "orgstack-Admin", "group": "orgstack-devs"}
    live = Live({a: dict(v) for a, v in desired.items()} | {old: value}, {old})
    live.resources["access:identity-center/permission-set/orgstack-PowerUser"]["inline"] = {
        "Version": "2012-10-17",
        "Statement": [],
    }
    changes, _ = access_changes(desired, live)
    items = drift(Plan(tuple(changes)), model)
    assert [(i.address, i.what, i.spec, i.live) for i in items] == [
        (
            "access:identity-center/permission-set/orgstack-PowerUser",
            "inline",
            "(changed)",
            "(differs)",
        ),
        (old, "existence", "not granted", "exists"),
    ]


def test_the_access_command_prints_the_matrix_or_says_what_to_choose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import run_cli

    (tmp_path / "orgstack.yaml").write_text(SPEC)
    spec = str(tmp_path / "orgstack.yaml")
    code, out, _ = run_cli(capsys, "access", "-f", spec, "--matrix", "--format", "csv")
    assert (code, out) == (0, access_view.matrix_csv(load(tmp_path)))
    code, out, _ = run_cli(capsys, "access", "-f", spec, "--matrix")
    assert code == 0 and "web-prod" in out and "net-ops" in out
    code, _, err = run_cli(capsys, "access", "-f", spec)
    assert code == 1
    assert err.splitlines() == [
        "Error: choose one of --user NAME, --matrix or --verify",
        "Hint: e.g. `orgstack access --matrix` or `orgstack access --user alice --sandbox`.",
    ]


def test_a_widened_trust_shows_who_comes_and_goes() -> None:
    from orgstack.kinds.access.render import detail

    wanted = {
        "Statement": [
            {
                "Principal": {"AWS": ["arn:aws:iam::111111111111:user/ana"]},
                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": ["true"]}},
            }
        ]
    }
    widened = {"Statement": [{"Principal": {"AWS": "arn:aws:iam::999999999999:root"}}]}
    change = Change("access:x/role/r", Action.UPDATE, {"trust": widened}, {"trust": wanted}, "")
    assert detail(change) == "trust +ana (MFA) -arn:aws:iam::999999999999:root"


def test_settings_of_the_other_mode_are_refused(tmp_path: Path) -> None:
    center = SPEC.replace("mode: iam", "mode: identity-center")
    with pytest.raises(SpecError) as raised:
        load(tmp_path, center)
    assert [p.message for p in raised.value.problems] == [
        "access.grants[2].mfa: Identity Center requires MFA for the whole instance "
        "(Settings → Authentication), not per grant; remove mfa here"
    ]
    iam = SPEC.replace("  mode: iam\n", "  mode: iam\n  sso_region: eu-west-1\n")
    with pytest.raises(SpecError) as raised:
        load(tmp_path, iam)
    assert [p.message for p in raised.value.problems] == [
        "access.sso_region: only identity-center mode has an access portal; "
        "remove it or set mode: identity-center"
    ]


def test_identity_center_lives_in_the_declared_or_the_home_region(tmp_path: Path) -> None:
    model = load(tmp_path, CENTER)
    assert model.access is not None and model.access.sso_region == "eu-west-1"
    declared = load(
        tmp_path,
        CENTER.replace(
            "mode: identity-center", "mode: identity-center\n  sso_region: eu-central-1"
        ),
    )
    assert declared.access is not None and declared.access.sso_region == "eu-central-1"
    assert load(tmp_path).access is not None and load(tmp_path).access.sso_region is None  # type: ignore[union-attr]


def test_the_matrix_shows_what_a_management_grant_reaches(tmp_path: Path) -> None:
    """PowerUser in the management account: admin in every member account through the
    organization access role (LZ222), in the JSON and under the text table."""
    text = SPEC.replace(
        "    - {group: ops, level: net-ops",
        "    - {group: ops, level: poweruser, accounts: {purpose: management}}\n"
        "    - {group: ops, level: net-ops",
    )
    model = load(tmp_path, text)
    assert json.loads(access_view.matrix_json(model))["reach"] == [
        {
            "group": "ops",
            "level": "poweruser",
            "effective": "admin",
            "accounts": ["web-dev", "web-prod"],
            "chain": [
                {"account": "management", "role": "orgstack-PowerUser"},
                {"account": "<each member account>", "role": "OrganizationAccountAccessRole"},
            ],
        }
    ]
    assert access_view.reach_lines(model) == [
        "ops: admin in every member account (2) via orgstack-PowerUser (management) → "
        "OrganizationAccountAccessRole (<each member account>)"
    ]
    assert json.loads(access_view.matrix_json(load(tmp_path, SPEC)))["reach"] == []
