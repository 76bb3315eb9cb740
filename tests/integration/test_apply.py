"""apply: blueprints converge, crashes resume without duplicates, faults are survived,
stale plans are refused, removed accounts are suspended, safety guards hold."""

from __future__ import annotations

import json
import random
import uuid
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse, HTTPHeaders

from orgstack import api
from orgstack.apply.context import ApplyError, ApplyOptions
from orgstack.apply.journal import Journal
from orgstack.aws.context import AwsContext
from orgstack.kinds.access.vocabulary import REVOKE_SESSIONS, TRUST_NOBODY
from orgstack.plan.model import Plan
from orgstack.plan.planfile import plan_to_dict
from orgstack.spec.blueprints import preset
from orgstack.spec.layouts import BLUEPRINTS, Layout
from tests.integration.conftest import FAST

QUICK = ApplyOptions(poll_initial_s=0.001, poll_max_s=0.002, retry_base_s=0.001)


class Crash(BaseException):
    """Stands for SIGKILL: nothing after it runs, nothing catches it."""


def plan_now(spec: str = "orgstack.yaml", **kwargs: Any) -> tuple[Plan, dict[str, Any]]:
    plan = api.make_plan(spec, FAST, **kwargs).plan
    return plan, plan_to_dict(plan, spec)


def apply_now(plan: Plan, data: dict[str, Any], **kwargs: Any) -> api.ApplyResult:
    return api.apply_plan(plan, data, FAST, kwargs.pop("options", QUICK), **kwargs)


def accounts_by_name() -> Counter[str]:
    client = boto3.client("organizations", region_name="us-east-1")
    return Counter(
        a["Name"]
        for page in client.get_paginator("list_accounts").paginate()
        for a in page["Accounts"]
    )


def write(layout: Layout, directory: Path) -> None:
    api.write_spec(preset(layout), directory / "orgstack.yaml", schema_ref="s.json")


@pytest.mark.parametrize("layout", BLUEPRINTS)
def test_each_blueprint_applies_on_a_new_account_and_then_plans_empty(
    layout: Layout, aws: None, workdir: Path
) -> None:
    write(layout, workdir)
    plan, data = plan_now()
    assert plan.changes[0].address == "organization"
    result = apply_now(plan, data)
    assert result.ok, result.outcome.failed
    after = api.make_plan("orgstack.yaml", FAST).plan
    assert after.changes == ()
    declared = [
        a.name for a in api.load_spec("orgstack.yaml").accounts if a.purpose != "management"
    ]
    names = accounts_by_name()
    assert all(names[n] == 1 for n in declared)
    records = [json.loads(line) for line in result.journal.read_text().splitlines()]
    assert sorted(r["index"] for r in records if r["event"] == "done") == list(
        range(len(plan.changes))
    )
    assert records[-1]["event"] == "finished"


def crash_at(index: int, phase: str) -> Any:
    def hook(i: int, p: str) -> None:
        if i == index and p == phase:
            raise Crash(f"killed at change {index} ({phase})")

    return hook


COMPACT = """\
organization: {name: acme, home_region: us-east-1, email_pattern: 'aws+{account}@acme.example'}
organizational_units: {Workloads: {children: {Prod: {tags: {tier: '1'}}}}, Sandbox: {}}
accounts:
  web-prod: {purpose: workload, stage: prod, workload: web, ou: Workloads/Prod, tags: {team: web}}
  lab: {purpose: sandbox, ou: Sandbox}
policies:
  guard: {type: service_control, targets: [root, ou:Workloads], content: {Version: '2012-10-17', Statement: [{Effect: Deny, Action: 'organizations:LeaveOrganization', Resource: '*'}]}}
  stage: {type: tag, targets: [root], content: {tags: {stage: {tag_key: {'@@assign': stage}}}}}
"""


def reset_moto() -> None:
    import requests

    requests.post("http://motoapi.amazonaws.com/moto-api/reset", timeout=5)


@pytest.mark.parametrize("phase", ["start", "called"])
def test_a_crash_at_every_change_resumes_to_exactly_one_account_each(
    phase: str, aws: None, workdir: Path
) -> None:
    """Every kind of change: organization, policy types, nested OUs, policies, accounts, attachments."""
    (workdir / "orgstack.yaml").write_text(COMPACT)
    plan, data = plan_now()
    assert {c.action.value for c in plan.changes} == {"create", "enable", "attach"}
    for index in range(len(plan.changes)):
        reset_moto()
        fresh = dict(data, plan_id=uuid.uuid4().hex)
        with pytest.raises(Crash):
            apply_now(plan, fresh, checkpoint=crash_at(index, phase))
        result = apply_now(plan, fresh, resume=True)
        assert result.ok, (index, result.outcome.failed)
        assert api.make_plan("orgstack.yaml", FAST).plan.changes == (), index
        names = accounts_by_name()
        assert (names["web-prod"], names["lab"]) == (1, 1), (index, phase, names)


def test_a_fresh_plan_after_a_crash_converges_without_duplicates(aws: None, workdir: Path) -> None:
    write("minimal", workdir)
    plan, data = plan_now()
    first_account = next(i for i, c in enumerate(plan.changes) if c.address.startswith("account:"))
    with pytest.raises(Crash):
        apply_now(plan, data, checkpoint=crash_at(first_account, "called"))
    again, again_data = plan_now()
    assert apply_now(again, again_data).ok
    assert api.make_plan("orgstack.yaml", FAST).plan.changes == ()
    assert max(accounts_by_name().values()) == 1


def inject(context: AwsContext, rate: float, code: str, seed: int = 7) -> Counter[str]:
    """Answer a share of Organizations requests with ``code`` (throttling or a conflict)."""
    rng = random.Random(seed)
    injected: Counter[str] = Counter()
    body = json.dumps({"__type": code, "message": "injected"}).encode()

    class Raw:
        def stream(self, **_: Any) -> Any:
            yield body

    def maybe_fail(request: Any, event_name: str, **_: Any) -> AWSResponse | None:
        if rng.random() >= rate:
            return None
        injected[event_name.rsplit(".", 1)[-1]] += 1
        headers = HTTPHeaders()
        headers["Content-Type"] = "application/x-amz-json-1.1"
        return AWSResponse(request.url, 400, headers, Raw())

    context.client("organizations").meta.events.register_first(
        "before-send.organizations.*", maybe_fail
    )
    return injected


@pytest.mark.parametrize("code", ["TooManyRequestsException", "ConcurrentModificationException"])
def test_apply_converges_with_30_percent_of_calls_failing(
    code: str, aws: None, workdir: Path
) -> None:
    (workdir / "orgstack.yaml").write_text(COMPACT)
    plan, data = plan_now()
    context = AwsContext(FAST)
    injected = inject(context, 0.3, code)
    result = apply_now(plan, data, context=context, options=replace(QUICK, retries=12))
    assert result.ok, result.outcome.failed
    assert sum(injected.values()) >= 8
    assert api.make_plan("orgstack.yaml", FAST).plan.changes == ()


def slow_creation(
    context: AwsContext, polls: int, final: dict[str, Any] | None = None
) -> Counter[str]:
    """CreateAccount answers IN_PROGRESS, then ``polls`` IN_PROGRESS polls, then the real answer
    (or ``final``)."""
    seen: Counter[str] = Counter()

    def on_create(parsed: dict[str, Any], **_: Any) -> None:
        status = parsed.get("CreateAccountStatus")
        if status:
            status["State"] = "IN_PROGRESS"
            status.pop("AccountId", None)

    def on_describe(parsed: dict[str, Any], **_: Any) -> None:
        status = parsed["CreateAccountStatus"]
        seen[status["Id"]] += 1
        if seen[status["Id"]] <= polls:
            status["State"] = "IN_PROGRESS"
            status.pop("AccountId", None)
        elif final is not None and status.get("AccountName") == final["AccountName"]:
            status.update(final)
            status.pop("AccountId", None)

    events = context.client("organizations").meta.events
    events.register("after-call.organizations.CreateAccount", on_create)
    events.register("after-call.organizations.DescribeCreateAccountStatus", on_describe)
    return seen


def test_account_creation_polls_while_in_progress(aws: None, workdir: Path) -> None:
    write("minimal", workdir)
    plan, data = plan_now()
    context = AwsContext(FAST)
    seen = slow_creation(context, polls=3)
    events: list[dict[str, Any]] = []
    result = apply_now(plan, data, context=context, emit=events.append)
    assert result.ok
    assert len(seen) == 8 and set(seen.values()) == {4}  # 3 × IN_PROGRESS, then SUCCEEDED
    waits = [e for e in events if e["event"] == "waiting"]
    assert len(waits) == 24 and {w["state"] for w in waits} == {"IN_PROGRESS"}


def test_a_failed_creation_is_explained_and_independent_work_goes_on(
    aws: None, workdir: Path
) -> None:
    write("minimal", workdir)
    plan, data = plan_now()
    context = AwsContext(FAST)
    slow_creation(
        context,
        polls=1,
        final={
            "AccountName": "app-qa",
            "State": "FAILED",
            "FailureReason": "ACCOUNT_LIMIT_EXCEEDED",
        },
    )
    result = apply_now(plan, data, context=context)
    assert not result.ok
    failures = {
        plan.changes[i].address: (e.message, e.hint) for i, e in result.outcome.failed.items()
    }
    assert failures == {
        "account:app-qa": (
            "creating account app-qa failed (ACCOUNT_LIMIT_EXCEEDED): the organization has reached its account quota",
            "Request more accounts (Service Quotas, L-29A0C5DF, us-east-1), then apply again.",
        )
    }
    skipped = sorted(plan.changes[i].address for i in result.outcome.skipped)
    assert skipped == [
        # Roles, the backup role and vault, the Config recorder and the Security Hub
        # membership of app-qa wait for app-qa;
        # no group does: switch-role policies select roles by organization and grant tag,
        # never by account id.
        "access:app-qa/role/orgstack-ReadOnly",
        "access:app-qa/role/orgstack-SecurityAudit",
        "backup-account:app-qa/key/us-east-1",
        "backup-account:app-qa/role",
        "backup-account:app-qa/vault/us-east-1",
        "config-recorder:app-qa/us-east-1",
        "security-service:app-qa/us-east-1/securityhub-member",
    ]
    assert len(result.outcome.done) == len(plan.changes) - 1 - len(skipped)


def test_a_lost_create_answer_is_adopted_not_duplicated(aws: None, workdir: Path) -> None:
    """The first CreateAccount is made but its answer lost; botocore retries; AWS answers
    EMAIL_ALREADY_EXISTS; apply adopts the account the first request made."""
    (workdir / "orgstack.yaml").write_text(COMPACT)
    plan, data = plan_now()
    context = AwsContext(FAST)
    lost = {"n": 0}

    def lose_first_answer(request: Any, event_name: str, **_: Any) -> AWSResponse | None:
        if event_name.endswith("CreateAccount") and lost["n"] == 0:
            lost["n"] += 1
            headers = HTTPHeaders()
            headers["Content-Type"] = "application/x-amz-json-1.1"

            class Raw:
                def stream(self, **_: Any) -> Any:
                    yield b'{"__type": "ServiceException", "message": "timed out"}'

            return AWSResponse(request.url, 500, headers, Raw())  # moto still made the account
        return None

    context.client("organizations").meta.events.register_first(
        "before-send.organizations.*", lose_first_answer
    )
    assert apply_now(plan, data, context=context).ok
    assert lost["n"] == 1
    assert (accounts_by_name()["web-prod"], accounts_by_name()["lab"]) == (1, 1)
    assert api.make_plan("orgstack.yaml", FAST).plan.changes == ()


def test_every_failure_reason_has_a_message_and_remedy() -> None:
    import botocore.session

    from orgstack.kinds.organization.apply_account import FAILURES

    model = botocore.session.get_session().get_service_model("organizations")
    reasons: list[str] = model.shape_for("CreateAccountFailureReason").enum  # type: ignore[attr-defined]
    assert sorted(FAILURES) == sorted(reasons)


def test_a_stale_plan_is_refused_naming_the_changed_value(brownfield: Any, workdir: Path) -> None:
    api.import_organization(workdir / "orgstack.yaml", FAST, name="acme")
    text = (
        (workdir / "orgstack.yaml")
        .read_text()
        .replace("    ou: Workloads/Prod\n", "    ou: Workloads/NonProd\n")
    )
    (workdir / "orgstack.yaml").write_text(text)
    plan, data = plan_now()
    assert [(c.action.value, c.address) for c in plan.changes] == [("move", "account:web-prod")]
    ids = brownfield.ids
    brownfield.c.move_account(
        AccountId=ids["web-prod"],
        SourceParentId=ids["Workloads/Prod"],
        DestinationParentId=ids["Sandbox"],
    )
    with pytest.raises(ApplyError) as caught:
        apply_now(plan, data)
    assert caught.value.message == (
        "the plan is stale: AWS changed since it was made\n"
        "  account:web-prod: ou was 'Workloads/Prod' when planned, is now 'Sandbox'"
    )
    assert (
        caught.value.hint
        == "Run `orgstack plan -o plan.json` again, review it, and apply the new plan."
    )


def test_a_plan_is_applied_once(aws: None, workdir: Path) -> None:
    write("minimal", workdir)
    plan, data = plan_now()
    assert apply_now(plan, data).ok
    with pytest.raises(ApplyError) as caught:
        apply_now(plan, data)
    assert caught.value.message == f"plan {data['plan_id']} was applied already"


def test_an_account_removed_from_the_spec_is_suspended_not_closed(aws: None, workdir: Path) -> None:
    write("minimal", workdir)
    assert apply_now(*plan_now()).ok
    text = (workdir / "orgstack.yaml").read_text()
    start = text.index("  # app qa:")
    end = text.index("  # app prod:")
    (workdir / "orgstack.yaml").write_text(text[:start] + text[end:])
    plan, data = plan_now()
    assert [(c.action.value, c.address, c.after) for c in plan.changes] == [
        ("create", "ou:Suspended", {"name": "Suspended", "parent": "root", "tags": {}}),
        (
            "create",
            "scp:orgstack-suspended-deny-all",
            {
                "name": "orgstack-suspended-deny-all",
                "type": "SERVICE_CONTROL_POLICY",
                "description": "orgstack: nothing may run in suspended accounts",
                "content": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Sid": "DenyEverything", "Effect": "Deny", "Action": "*", "Resource": "*"}
                    ],
                },
            },
        ),
        ("attach", "scp:orgstack-suspended-deny-all", {"target": "ou:Suspended"}),
        ("suspend", "account:app-qa", {"ou": "Suspended", "tags": {"orgstack:suspended": "true"}}),
        # app-qa leaves the matrix too; no group policy changes (they name no account): its
        # roles are revoked where they are (access ends where the spec ends), and the
        # account itself is parked under deny-all.
        *[
            (
                "update",
                f"access:app-qa/role/{role}",
                {"trust": TRUST_NOBODY, "tags": {}, "managed": [], "inline": REVOKE_SESSIONS},
            )
            for role in ("orgstack-ReadOnly", "orgstack-SecurityAudit")
        ],
    ]
    assert apply_now(plan, data).ok
    after = api.make_plan("orgstack.yaml", FAST).plan
    assert after.changes == ()
    # The Suspended OU and its deny-all SCP are orgstack's; the revoked roles wait for
    # --allow-delete.
    assert [u.address for u in after.unmanaged] == [
        "access:app-qa/role/orgstack-ReadOnly",
        "access:app-qa/role/orgstack-SecurityAudit",
    ]
    client = boto3.client("organizations", region_name="us-east-1")
    app_qa = next(a for a in client.list_accounts()["Accounts"] if a["Name"] == "app-qa")
    assert app_qa["Status"] == "ACTIVE"
    assert client.list_parents(ChildId=app_qa["Id"])["Parents"][0]["Type"] == "ORGANIZATIONAL_UNIT"


def test_closing_needs_allow_close(aws: None, workdir: Path) -> None:
    write("minimal", workdir)
    assert apply_now(*plan_now()).ok
    text = (workdir / "orgstack.yaml").read_text()
    (workdir / "orgstack.yaml").write_text(
        text[: text.index("  # app qa:")] + text[text.index("  # app prod:") :]
    )
    plan, _ = plan_now(allow_close=True)
    assert [(c.action.value, c.address) for c in plan.changes if c.address == "account:app-qa"] == [
        ("close", "account:app-qa")
    ]
    assert apply_now(plan, plan_to_dict(plan, "orgstack.yaml")).ok
    client = boto3.client("organizations", region_name="us-east-1")
    assert (
        next(a for a in client.list_accounts()["Accounts"] if a["Name"] == "app-qa")["Status"]
        == "SUSPENDED"
    )


def test_an_scp_that_locks_out_the_access_role_is_refused(aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(
        "organization: {name: acme, home_region: us-east-1}\n"
        "organizational_units: {Workloads: {}}\n"
        "policies:\n  stop: {type: service_control, targets: [ou:Workloads], content: "
        "{Version: '2012-10-17', Statement: [{Effect: Deny, Action: '*', Resource: '*'}]}}\n"
        "  mfa: {type: service_control, targets: [ou:Workloads], content: "
        "{Version: '2012-10-17', Statement: [{Effect: Deny, Action: '*', Resource: '*', "
        "Condition: {BoolIfExists: {'aws:MultiFactorAuthPresent': 'false'}}}]}}\n"
        "ignore:\n  - {rule: LZ202, target: 'scp:stop', reason: testing the apply-time guard}\n"
        "  - {rule: LZ202, target: 'scp:mfa', reason: testing the apply-time guard}\n"
    )
    plan, data = plan_now()
    result = apply_now(plan, data)
    failed = {plan.changes[i].address: e.message for i, e in result.outcome.failed.items()}
    assert failed == {
        f"scp:{name}": f"scp:{name} may deny OrganizationAccountAccessRole every service orgstack "
        "uses (as AWS evaluates it, conditions not provably false counting); attaching it to "
        "ou:Workloads would lock orgstack and every administrator out of those accounts"
        for name in ("stop", "mfa")
    }
    plan, data = plan_now()
    assert apply_now(plan, data, options=replace(QUICK, allow_lockout=True)).ok


def test_a_request_aws_failed_transiently_is_made_again_on_resume(aws: None, workdir: Path) -> None:
    """AWS answers the first CreateAccount, then reports it FAILED (INTERNAL_FAILURE): the apply
    fails that account; the resume makes a new request instead of polling the failed one.
    (``before-call`` handlers answer in AWS's place; their ``params`` is the request.)"""
    from types import SimpleNamespace

    (workdir / "orgstack.yaml").write_text(COMPACT)
    plan, data = plan_now()
    context = AwsContext(FAST)
    failed: dict[str, Any] = {
        "Id": "car-failed0000000000000000000000000",
        "AccountName": "lab",
        "State": "FAILED",
        "FailureReason": "INTERNAL_FAILURE",
    }

    def fake_create(params: dict[str, Any], **_: Any) -> Any:
        if json.loads(params["body"] or b"{}").get("AccountName") != "lab" or failed.get("used"):
            return None
        failed["used"] = True
        answer = {k: v for k, v in failed.items() if k != "used"} | {"State": "IN_PROGRESS"}
        return SimpleNamespace(status_code=200, headers={}), {"CreateAccountStatus": answer}

    def fake_describe(params: dict[str, Any], **_: Any) -> Any:
        if json.loads(params["body"] or b"{}").get("CreateAccountRequestId") != failed["Id"]:
            return None
        answer = {k: v for k, v in failed.items() if k != "used"}
        return SimpleNamespace(status_code=200, headers={}), {"CreateAccountStatus": answer}

    events = context.client("organizations").meta.events
    events.register("before-call.organizations.CreateAccount", fake_create)
    events.register("before-call.organizations.DescribeCreateAccountStatus", fake_describe)
    result = apply_now(plan, data, context=context)
    lab = next(i for i, c in enumerate(plan.changes) if c.address == "account:lab")
    assert result.outcome.failed[lab].message == (
        "creating account lab failed (INTERNAL_FAILURE): AWS failed internally"
    )
    resumed = apply_now(plan, data, resume=True, context=context)
    assert resumed.ok, {i: e.message for i, e in resumed.outcome.failed.items()}
    assert accounts_by_name()["lab"] == 1
    requests = [
        r["request_id"]
        for r in Journal(workdir / ".orgstack" / "journal", data["plan_id"]).records()
        if r["event"] == "request" and r["address"] == "account:lab"
    ]
    assert requests[0] == failed["Id"] and len(requests) == 2, requests
