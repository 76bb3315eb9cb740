"""`orgstack audit`: the rules on the live organization, seen through the spec when there is one."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgstack import api
from tests.conftest import run_cli
from tests.integration.conftest import FAST, OrgBuilder

STRUCTURE = ("LZ102", "LZ105", "LZ114", "LZ203", "LZ204")


def findings(spec: str | None) -> list[tuple[str, str, str]]:
    report, _ = api.audit(spec, FAST, STRUCTURE)
    return [(f.rule_id, f.address, f.message) for f in report.findings]


def test_audit_without_a_spec_judges_names(brownfield: OrgBuilder, workdir: Path) -> None:
    assert findings(None) == [  # web-prod and web-dev have stages in their names; lab has not
        ("LZ102", "organization", "no account has purpose log-archive"),
        ("LZ105", "account:lab", "workload account lab has no stage"),
        ("LZ204", "organization", "no SCP at the root restricts member accounts' root users"),
    ]


def test_audit_with_a_spec_uses_its_purposes_and_positions(
    brownfield: OrgBuilder, workdir: Path
) -> None:
    api.import_organization(workdir / "orgstack.yaml", FAST, name="acme")
    text = (workdir / "orgstack.yaml").read_text()
    for name, stage in (("web-prod", "prod"), ("web-dev", "dev")):
        text = text.replace(f"  {name}:\n    id:", f"  {name}:\n    stage: {stage}\n    id:")
    text = text.replace("purpose: workload\n    ou: Sandbox", "purpose: sandbox\n    ou: Sandbox")
    (workdir / "orgstack.yaml").write_text(text)
    report, _ = api.audit("orgstack.yaml", FAST, STRUCTURE)
    assert [(f.rule_id, f.address, str(f.source)) for f in report.findings] == [
        ("LZ102", "organization", "orgstack.yaml:5:1"),
        ("LZ204", "organization", "orgstack.yaml:5:1"),
    ]


def test_audit_exit_codes(orgs: object, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "audit", "--rate", "1000000")
    assert (code, err) == (
        1,
        "Error: this account is in no organization; there is nothing to audit\n"
        "Hint: `orgstack validate` checks a spec offline.\n",
    )
    OrgBuilder(orgs)
    code, out, _ = run_cli(capsys, "audit", "--rate", "1000000", "--select", "LZ102")
    assert (code, out.splitlines()[-1]) == (0, "0 errors, 1 warning, 0 info (1 rules)")


REGION_DENY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Deny",
            "NotAction": "iam:*",
            "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1"]}},
        }
    ],
}


def test_audit_finds_the_workload_ou_that_lost_its_region_guardrail(
    orgs: object, workdir: Path
) -> None:
    org = OrgBuilder(orgs)
    org.ou("Workloads")
    org.ou("Workloads/Dev")
    org.ou("Workloads/Prod")
    org.account("web-dev", "Workloads/Dev")
    org.account("web-prod", "Workloads/Prod")
    org.scp("regions", "Workloads/Dev", content=REGION_DENY)  # Prod lost it
    api.import_organization(workdir / "orgstack.yaml", FAST, name="acme")  # purpose: workload
    report, _ = api.audit("orgstack.yaml", FAST, ("LZ207",))
    assert [(f.address, f.message) for f in report.findings] == [
        (
            "ou:Workloads/Prod",
            "web-prod (Workloads/Prod): no SCP on the root, the OUs above or the account "
            "denies Regions outside us-east-1",
        )
    ]
