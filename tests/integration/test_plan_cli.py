"""`orgstack plan` / `import` / `drift` from the command line: exit codes, files, formats."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from orgstack.plan.planfile import plan_from_dict, read_plan
from tests.conftest import run_cli
from tests.integration.conftest import OrgBuilder

REPO = Path(__file__).resolve().parents[2]
PLAN_SCHEMA = json.loads((REPO / "schema" / "plan.schema.json").read_text())
FAST = ["--rate", "1000000"]


def test_detailed_exitcode_is_two_with_changes_and_zero_without(
    brownfield: OrgBuilder, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(capsys, "import", *FAST, "--name", "acme")[0] == 0
    code, out, _ = run_cli(capsys, "plan", *FAST, "--detailed-exitcode")
    assert (code, out) == (0, "No changes. Your organization matches orgstack.yaml.\n")
    brownfield.c.tag_resource(
        ResourceId=brownfield.ids["lab"], Tags=[{"Key": "owner", "Value": "x"}]
    )
    code, out, _ = run_cli(capsys, "plan", *FAST, "--detailed-exitcode", "-o", "plan.json")
    assert code == 2
    assert out.splitlines()[0] == "  ~ account:lab  untag   -owner"
    assert "Plan: 1 to untag." in out
    assert run_cli(capsys, "plan", *FAST)[0] == 0  # without the flag, changes are not an error
    code, _, _ = run_cli(capsys, "drift", *FAST, "--detailed-exitcode")
    assert code == 2


def test_plan_file_follows_the_documented_schema_and_reads_back(
    brownfield: OrgBuilder, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "orgstack.yaml").write_text(
        "organization: {name: acme, home_region: us-east-1}\norganizational_units: {Sandbox: {}, Security: {}}\n"
        "accounts:\n  lab: {purpose: sandbox, ou: Sandbox, email: lab@acme.example, tags: {owner: me}}\n"
    )
    code, out, _ = run_cli(capsys, "plan", *FAST, "-o", "plan.json", "--format", "json")
    assert code == 0
    data = json.loads(out)
    jsonschema.Draft202012Validator(PLAN_SCHEMA).validate(data)
    saved = json.loads((workdir / "plan.json").read_text())
    jsonschema.Draft202012Validator(PLAN_SCHEMA).validate(saved)
    assert [(c["action"], c["address"]) for c in saved["changes"]] == [
        ("create", "ou:Security"),
        ("tag", "account:lab"),
    ]
    assert saved["summary"] == {"create": 1, "tag": 1}
    assert [u["address"] for u in saved["unmanaged"]] == [
        "ou:Workloads",
        "ou:Workloads/Prod",
        "ou:Workloads/NonProd",
        "account:master",
        "account:web-prod",
        "account:web-dev",
        "scp:DenyLeave",
    ]
    plan, raw = read_plan(workdir / "plan.json")
    assert plan_from_dict(raw) == plan
    assert [c.address for c in plan.changes] == ["ou:Security", "account:lab"]


def test_a_plan_file_of_another_format_version_is_refused(workdir: Path) -> None:
    from orgstack.errors import OrgstackError

    with pytest.raises(OrgstackError) as caught:
        plan_from_dict({"format_version": 2})
    assert caught.value.message == "plan format version 2 is not supported (this orgstack reads 1)"


def test_hard_limit_errors_block_the_plan(
    orgs: object, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = "{A: {children: {B: {children: {C: {children: {D: {children: {E: {children: {F: {}}}}}}}}}}}}"
    (workdir / "orgstack.yaml").write_text(
        f"organization: {{name: acme, home_region: us-east-1}}\norganizational_units: {deep}\n"
    )
    code, out, _ = run_cli(capsys, "plan", *FAST)
    assert code == 1
    assert (
        "error: orgstack.yaml:2:99: LZ001 ou-nesting-too-deep: OU A/B/C/D/E/F is 6 levels below the root; AWS allows 5"
        in out
    )


def test_stats_report_calls_per_operation(
    brownfield: OrgBuilder, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "orgstack.yaml").write_text(
        "organization: {name: acme, home_region: us-east-1}\nunmanaged: ignore\n"
    )
    code, _, err = run_cli(capsys, "plan", *FAST, "--stats")
    assert code == 0
    assert "organizations.ListAccountsForParent                          5 calls" in err
    lines = err.splitlines()
    assert lines[-3].startswith("total: 21 calls, 21 HTTP attempts")
    # --rate 1000000 is a ceiling: each family still starts safe and grows while calls succeed.
    assert lines[-2].startswith("rate organizations: started 20/s, reached ")
    assert lines[-2].endswith(", 0 throttled")
    assert lines[-1] == "rate sts: started 20/s, reached 22/s, ended 22/s, 0 throttled"


SMALL = """\
organization: {name: acme, home_region: us-east-1, email_pattern: 'aws+{account}@acme.example'}
accounts:
  management: {purpose: management, ou: root}
  web-dev: {purpose: workload, ou: root, stage: dev}
  web-qa: {purpose: workload, ou: root, stage: qa}
"""


def test_a_reviewed_plan_can_hold_closures_and_apply_json_is_one_stream(
    orgs: object, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "orgstack.yaml").write_text(SMALL)
    code, out, _ = run_cli(capsys, "apply", *FAST, "--auto-approve", "--format", "json")
    events = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert events[0]["event"] == "plan" and events[-1]["event"] == "summary"
    jsonschema.Draft202012Validator(PLAN_SCHEMA).validate(events[0]["plan"])
    assert events[-1]["ok"] is True
    (workdir / "orgstack.yaml").write_text(
        SMALL.replace("  web-qa: {purpose: workload, ou: root, stage: qa}\n", "")
    )
    code, _, _ = run_cli(capsys, "plan", *FAST, "--allow-close", "-o", "close.json")
    plan, _ = read_plan(workdir / "close.json")
    assert code == 0
    assert [(c.action.value, c.address) for c in plan.changes if c.address == "account:web-qa"] == [
        ("close", "account:web-qa")
    ]


def test_answering_no_applies_nothing_and_exits_non_zero(
    orgs: object, workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    import click

    (workdir / "orgstack.yaml").write_text(SMALL)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(click, "confirm", lambda *_a, **_k: False)
    code, _, err = run_cli(capsys, "apply", *FAST)
    assert (code, err.splitlines()[-1]) == (1, "Nothing applied.")
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError):  # no organization was created
        orgs.describe_organization()  # type: ignore[attr-defined]


def test_a_partial_plan_from_the_command_line_says_so_and_the_rates_are_kept(
    brownfield: OrgBuilder, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(capsys, "import", "--name", "acme")[0] == 0
    # The import learned a rate (it grew from 20/s while calls succeeded): the plan starts
    # at 90 % of it.
    kept = json.loads((workdir / ".orgstack" / "rates.json").read_text())["default@aws"]
    assert kept["rates"]["organizations"] > 20
    brownfield.c.tag_resource(
        ResourceId=brownfield.ids["lab"], Tags=[{"Key": "owner", "Value": "x"}]
    )
    brownfield.c.tag_resource(
        ResourceId=brownfield.ids["web-dev"], Tags=[{"Key": "owner", "Value": "y"}]
    )
    code, out, err = run_cli(
        capsys, "plan", "--target", "account:lab", "--stats", "-o", "plan.json"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "  ~ account:lab  untag   -owner"  # web-dev's drift is not in it
    assert lines[-2] == (
        "Partial plan (--target account:lab): 1 of the spec's accounts and 0 OUs, with what "
        "they depend on; the rest of the spec was neither read nor planned. Apply refuses any "
        "change outside the targets."
    )
    assert "organizations.ListAccountsForParent" not in err
    rates = [line for line in err.splitlines() if line.startswith("rate ")]
    start = 0.9 * kept["rates"]["organizations"]
    assert rates[0].startswith(f"rate organizations: started {start:.0f}/s, reached ")
    saved = json.loads((workdir / "plan.json").read_text())
    jsonschema.Draft202012Validator(PLAN_SCHEMA).validate(saved)
    assert saved["scope"]["targets"] == ["account:lab"]


def test_apply_with_targets_plans_and_applies_only_them(
    brownfield: OrgBuilder, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(capsys, "import", *FAST, "--name", "acme")[0] == 0
    for name in ("lab", "web-dev"):
        brownfield.c.tag_resource(
            ResourceId=brownfield.ids[name], Tags=[{"Key": "owner", "Value": "x"}]
        )
    code, _, _ = run_cli(capsys, "apply", *FAST, "--target", "account:lab", "--auto-approve")
    assert code == 0
    code, out, _ = run_cli(capsys, "plan", *FAST)
    assert out.splitlines()[0] == "  ~ account:web-dev  untag   -owner"  # lab's was applied
    assert "Plan: 1 to untag." in out
    run_cli(capsys, "plan", *FAST, "-o", "plan.json")
    code, _, err = run_cli(capsys, "apply", "plan.json", *FAST, "--target", "account:lab")
    assert code == 1
    assert err.splitlines()[-2:] == [
        "Error: --target plans here; a saved plan has the targets it was made with",
        "Hint: Run `orgstack plan --target … -o plan.json`, then `orgstack apply plan.json`.",
    ]
