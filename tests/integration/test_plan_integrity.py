"""A plan runs only as its spec would make it: a plan file edited with its digest recomputed
(a trust for a stranger's account without MFA, a deletion of what the spec declares, a
revocation that keeps the access) or a spec changed since the plan is refused with one line,
and nothing in AWS changes."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from orgstack.errors import OrgstackError
from orgstack.plan.planfile import content_digest, plan_from_dict
from tests.integration.test_access import account_ids, iam_in
from tests.integration.test_apply import apply_now, plan_now
from tests.integration.test_break_glass import SPEC, hand_made

STRANGER = "arn:aws:iam::999999999999:root"


def forged(data: dict[str, Any], edit: Any) -> tuple[Any, dict[str, Any]]:
    """The plan file as an attacker leaves it: edited, its digest recomputed."""
    changed = copy.deepcopy(data)
    edit(changed["changes"])
    changed.pop("digest")
    changed["digest"] = content_digest(changed)
    return plan_from_dict(changed), changed


def refused(plan: Any, data: dict[str, Any]) -> str:
    with pytest.raises(OrgstackError) as error:
        apply_now(plan, data)
    assert "\n" not in error.value.message
    return error.value.message


def trust_for_a_stranger(changes: list[dict[str, Any]]) -> None:
    for change in changes:
        trust = (change.get("after") or {}).get("trust")
        if trust:
            trust["Statement"][0]["Principal"] = {"AWS": [STRANGER]}
            trust["Statement"][0].pop("Condition", None)


def test_an_edited_plan_with_its_digest_recomputed_is_refused(aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    plan, data = plan_now()
    bad_plan, bad = forged(data, trust_for_a_stranger)
    message = refused(bad_plan, bad)
    assert message.startswith("the plan holds changes its spec does not make: change ")
    assert "trust not as the spec says" in message
    client = boto3.client("organizations", region_name="us-east-1")
    with pytest.raises(client.exceptions.AWSOrganizationsNotInUseException):
        client.describe_organization()  # nothing was made
    assert apply_now(plan, data).ok  # the plan as made still applies


def test_a_revocation_that_keeps_the_access_and_a_deletion_of_the_declared_are_refused(
    aws: None, workdir: Path
) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    prod = account_ids()["web-prod"]
    hand_made(prod)
    plan, data = plan_now()
    [index] = [
        i for i, c in enumerate(data["changes"]) if c["address"] == "break-glass:web-prod/role"
    ]

    def keep_access(changes: list[dict[str, Any]]) -> None:
        changes[index]["after"]["policies"] = ["arn:aws:iam::aws:policy/AdministratorAccess"]

    message = refused(*forged(data, keep_access))
    assert message == (
        f"the plan holds changes its spec does not make: change {index} "
        "(break-glass:web-prod/role): the spec declares no break-glass:web-prod/role"
    )

    def delete_declared(changes: list[dict[str, Any]]) -> None:
        glass = next(c for c in changes if c["address"] == "break-glass:web-prod/role")
        changes.append(
            {
                **glass,
                "index": len(changes),
                "address": "break-glass:log-archive/role",
                "action": "delete",
            }
        )

    assert "delete of what the spec declares" in refused(*forged(data, delete_declared))
    assert (
        iam_in(prod).get_role(RoleName="OrgstackBreakGlass")["Role"]["AssumeRolePolicyDocument"][
            "Statement"
        ][0]["Effect"]
        == "Allow"
    )
    assert apply_now(plan, data).ok


def test_a_spec_changed_since_the_plan_is_refused(aws: None, workdir: Path) -> None:
    spec = workdir / "orgstack.yaml"
    spec.write_text(SPEC)
    plan, data = plan_now()
    spec.write_text(SPEC.replace("max_session_hours: 2", "max_session_hours: 3"))
    assert refused(plan, data) == "the spec orgstack.yaml is not the one the plan was made from"
    spec.unlink()
    assert refused(plan, data).startswith("the plan's spec orgstack.yaml cannot be read")
    assert json.dumps(data)  # the file itself is untouched


def test_an_expired_plan_another_accounts_plan_and_a_path_as_plan_id_are_refused(
    aws: None, workdir: Path
) -> None:
    from datetime import UTC, datetime, timedelta

    from orgstack.plan.planfile import plan_to_dict

    (workdir / "orgstack.yaml").write_text(SPEC)
    plan, _ = plan_now()
    made = (datetime.now(UTC) - timedelta(hours=5)).isoformat(timespec="seconds")
    old = plan_to_dict(plan, "orgstack.yaml", created_at=made)
    message = refused(plan, old)
    assert message.startswith(f"the plan {old['plan_id']} expired at ")
    kept = plan_to_dict(plan, "orgstack.yaml", created_at=made, valid_hours=6)
    other = plan_from_dict(kept)
    assert other == plan
    elsewhere = plan_from_dict({**kept, "management_account": "210987654321"})
    assert refused(elsewhere, kept) == (
        "the plan was made for management account 210987654321; these credentials are of "
        "account 123456789012"
    )
    for plan_id in ("../../etc/passwd", "A" * 32, None):
        with pytest.raises(OrgstackError) as error:
            plan_from_dict({**kept, "plan_id": plan_id})
        assert "is not one `orgstack plan` writes (32 hexadecimal digits)" in error.value.message
    assert apply_now(plan, kept).ok


def test_the_cli_refuses_an_edited_plan_file_in_one_line(
    aws: None, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from orgstack.plan.planfile import write_plan
    from tests.conftest import run_cli

    (workdir / "orgstack.yaml").write_text(SPEC)
    _, data = plan_now()
    _, bad = forged(data, trust_for_a_stranger)
    write_plan(workdir / "plan.json", bad)
    code, out, err = run_cli(capsys, "apply", "plan.json", "--rate", "1000000")
    assert code == 1
    lines = [line for line in err.splitlines() if line]
    assert lines[0].startswith("Error: the plan holds changes its spec does not make: change ")
    assert lines[1] == (
        "Hint: The file was edited after `orgstack plan` wrote it; make and review a new plan."
    )
    assert "Traceback" not in out + err


def test_a_plan_for_another_organization_is_refused(aws: None, workdir: Path) -> None:
    spec = workdir / "orgstack.yaml"
    spec.write_text(SPEC)
    assert apply_now(*plan_now()).ok
    spec.write_text(SPEC.replace("max_session_hours: 2", "max_session_hours: 3"))
    plan, data = plan_now()
    assert plan.organization_id and not plan.empty
    other = {**data, "organization_id": "o-aaaaaaaaaa"}
    other.pop("digest")
    other["digest"] = content_digest(other)
    assert refused(plan_from_dict(other), other) == (
        f"the plan was made for organization o-aaaaaaaaaa; this management account's is "
        f"{plan.organization_id}"
    )
    assert apply_now(plan, data).ok
