"""LZ108 stages-differ-in-guardrails."""

from pathlib import Path

from tests.unit.rules.helpers import DENY_LEAVE, run, scp, spec

OUS = "organizational_units:\n  Workloads: {children: {Prod: {}, NonProd: {}}}\n"
ACCOUNTS = (
    "accounts:\n  web-dev: {purpose: workload, ou: Workloads/NonProd, workload: web, stage: dev}\n"
    "  web-prod: {purpose: workload, ou: Workloads/Prod, workload: web, stage: prod}\n"
)


def test_guardrails_on_the_common_parent_pass(tmp_path: Path) -> None:
    text = spec(OUS + ACCOUNTS + "policies:\n" + scp("regions", DENY_LEAVE, "[ou:Workloads]"))
    assert run("LZ108", text, tmp_path) == []


def test_guardrail_only_on_prod_fails(tmp_path: Path) -> None:
    text = spec(
        OUS
        + ACCOUNTS
        + "policies:\n"
        + scp("regions", DENY_LEAVE, "[ou:Workloads/Prod]")
        + scp("dev-only", DENY_LEAVE, "[ou:Workloads/NonProd]")
    )
    assert run("LZ108", text, tmp_path) == [
        (
            "account:web-dev",
            "web-dev has dev-only and lacks regions compared with web-prod (stages of workload web)",
        )
    ]
