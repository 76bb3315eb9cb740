"""The pure core without any emulator: diff, match, fingerprints, the stale check, the engine
with fake executors, the plan file round trip, the generic resource diff — exact values."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from orgstack.apply import engine
from orgstack.apply.context import ApplyError, ApplyOptions, ExecContext
from orgstack.apply.journal import Journal, JournalState
from orgstack.apply.stale import check_fresh
from orgstack.aws.errors import AwsError
from orgstack.kinds.organization.diff import diff
from orgstack.model import (
    Account,
    Organization,
    OrganizationalUnit,
    OrgModel,
    Policy,
    PolicyType,
    Target,
)
from orgstack.model.kind import Live
from orgstack.plan.fingerprint import digest, fingerprint, state
from orgstack.plan.match import match
from orgstack.plan.model import Action, Change, Plan, Preflight, Unmanaged
from orgstack.plan.planfile import plan_from_dict, plan_to_dict
from orgstack.plan.resources import change, placeholders, resolve, resource_changes

ORG = Organization("acme", "eu-west-1", ("eu-west-1",), "aws+{account}@acme.example")
DENY = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}'


def desired() -> OrgModel:
    return OrgModel(
        ORG,
        ous=(OrganizationalUnit("Workloads", {"tier": "1"}),),
        accounts=(
            Account("management", "management", "root", "root@acme.example"),
            Account("web", "workload", "Workloads", "web@acme.example", stage="dev"),
        ),
        policies=(
            Policy(
                "deny-s3", PolicyType.SERVICE_CONTROL, DENY, "no S3", (Target("ou", "Workloads"),)
            ),
        ),
    )


def live() -> OrgModel:
    """web sits in the root with an extra tag; the OU lost its tag; the SCP is not attached."""
    organization = Organization(
        "", "", (), None, id="o-1", management_account_id="111111111111", root_id="r-1",
        policy_types=("SERVICE_CONTROL_POLICY",),
    )  # fmt: skip
    return OrgModel(
        organization,
        ous=(OrganizationalUnit("Workloads", {}, id="ou-1"),),
        accounts=(
            Account("management", "workload", "root", "root@acme.example", id="111111111111"),
            Account("web", "workload", "root", "WEB@acme.example", tags={"x": "1"}, id="2" * 12),
        ),
        policies=(Policy("deny-s3", PolicyType.SERVICE_CONTROL, DENY, "no S3", (), id="p-1"),),
    )


def test_a_greenfield_plan_creates_everything_in_order() -> None:
    plan = diff(desired(), None)
    assert [(c.address, c.action) for c in plan.changes] == [
        ("organization", Action.CREATE),
        ("policy-type:SERVICE_CONTROL_POLICY", Action.ENABLE),
        ("ou:Workloads", Action.CREATE),
        ("scp:deny-s3", Action.CREATE),
        ("account:web", Action.CREATE),
        ("scp:deny-s3", Action.ATTACH),
    ]
    assert plan.changes[4].after == {
        "name": "web",
        "email": "web@acme.example",
        "ou": "Workloads",
        "tags": {},
        "access_role": "OrganizationAccountAccessRole",
    }
    assert plan.ids == {}


def test_a_plan_against_live_names_only_what_differs() -> None:
    plan = diff(desired(), live())
    assert [(c.address, c.action, c.before, c.after) for c in plan.changes] == [
        ("ou:Workloads", Action.TAG, {"tier": None}, {"tier": "1"}),
        ("account:web", Action.MOVE, {"id": "2" * 12, "ou": "root"}, {"ou": "Workloads"}),
        ("account:web", Action.UNTAG, {"x": "1"}, {}),
        ("scp:deny-s3", Action.ATTACH, None, {"target": "ou:Workloads"}),
    ]
    assert plan.ids == {
        "root": "r-1",
        "ou:Workloads": "ou-1",
        "account:management": "111111111111",
        "account:web": "2" * 12,
        "scp:deny-s3": "p-1",
    }
    assert plan.changes[1].fingerprints == {f"id:{'2' * 12}": digest(live().accounts[1])}


def test_matching_prefers_ids_then_emails_case_insensitively() -> None:
    found = match(desired(), live())
    assert {n: a.id for n, a in found.accounts.items()} == {
        "management": "111111111111",
        "web": "2" * 12,
    }
    assert found.ous["Workloads"].id == "ou-1"
    assert found.desired_address("ou:Workloads") == "ou:Workloads"
    assert found.desired_address("ou:Elsewhere") is None


def test_fingerprints_follow_the_managed_state_only() -> None:
    account = live().accounts[1]
    assert state(account) == {
        "name": "web",
        "email": "WEB@acme.example",
        "ou": "root",
        "tags": {"x": "1"},
    }
    same = Account("web", "sandbox", "root", "WEB@acme.example", tags={"x": "1"}, id="2" * 12)
    assert digest(same) == digest(account)  # purpose is not managed in AWS
    assert fingerprint(None, "account:new") == {"account:new": digest(None)}


def test_a_stale_plan_names_each_changed_value() -> None:
    plan = diff(desired(), live())
    check_fresh(plan, live(), skip=set())
    moved = live()
    moved = OrgModel(
        moved.organization,
        moved.ous,
        (
            moved.accounts[0],
            Account(
                "web", "workload", "Workloads", "WEB@acme.example", tags={"x": "1"}, id="2" * 12
            ),
        ),
        moved.policies,
    )
    with pytest.raises(ApplyError) as stale:
        check_fresh(plan, moved, skip=set())
    assert stale.value.message == (
        "the plan is stale: AWS changed since it was made\n"
        "  account:web: ou was 'root' when planned, is now 'Workloads'"
    )
    kind_plan = Plan((change("note:a/b", Action.UPDATE, {"t": 1}, {"t": 2}, "", {"t": 1}),))
    with pytest.raises(ApplyError) as gone:
        check_fresh(kind_plan, None, skip=set(), kinds={"note": Live()})
    assert gone.value.message.endswith("note:a/b: existed when planned (note:a/b), is gone now")


def test_the_plan_file_round_trips() -> None:
    plan = Plan(
        (
            Change(
                "ou:A",
                Action.CREATE,
                None,
                {"name": "A"},
                "why",
                {"ou:A": "0" * 16},
                {"ou:A": None},
            ),
        ),
        (Unmanaged("ou:B", "ou-2", "not in the spec"),),
        (Preflight("warning", "careful", "hint"),),
        "o-1",
        {"root": "r-1"},
    )
    data = json.loads(
        json.dumps(plan_to_dict(plan, "orgstack.yaml", "a" * 32, "2026-01-01T00:00:00+00:00"))
    )
    assert plan_from_dict(data) == plan
    assert data["summary"] == {"create": 1}


def test_the_generic_resource_diff() -> None:
    wanted = {"k:a/x": {"v": 1}, "k:a/y": {"v": 2}}
    current = {"k:a/y": {"v": 3}, "k:a/z": {"v": 4}, "k:a/w": {"v": 5}}
    changes, left = resource_changes(
        wanted, current, {"k:a/z", "k:a/w"}, lambda a: "delete" if a.endswith("z") else "detach"
    )
    assert [(c.address, c.action, c.before, c.after) for c in changes] == [
        ("k:a/x", Action.CREATE, None, {"v": 1}),
        ("k:a/y", Action.UPDATE, {"v": 3}, {"v": 2}),
        ("k:a/w", Action.DETACH, {"v": 5}, None),
    ]
    assert [(u.address, u.note) for u in left] == [
        ("k:a/z", "orgstack's, no longer in the spec (plan with --allow-delete to delete it)")
    ]
    # A fixed resource (wholly named by its address) is created or removed, never updated.
    fixed, _ = resource_changes(
        wanted, current, set(), lambda a: "detach", fixed=lambda a: a.endswith("y")
    )
    assert [(c.address, c.action) for c in fixed] == [("k:a/x", Action.CREATE)]
    assert placeholders({"a": ["{account:web}", "x"]}) == {"web"}
    assert resolve({"a": ["{account:web}"]}, {"account:web": "2" * 12}) == {"a": ["2" * 12]}


def context(tmp_path: Path, ids: dict[str, str] | None = None) -> ExecContext:
    options = ApplyOptions(max_workers=2, retries=2, retry_base_s=0.0)
    return ExecContext(
        None,  # type: ignore[arg-type]  # fake executors never reach AWS
        Journal(tmp_path, "p" * 32),
        options,
        ids or {},
        JournalState(),
        sleep=lambda _s: None,
    )


def test_the_engine_orders_retries_and_skips_dependents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = diff(desired(), None)
    done: list[str] = []
    attempts: dict[str, int] = {}

    def fake(result: dict[str, Any] | None = None, fail: str = "", flaky: int = 0) -> Any:
        def run(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
            key = f"{change.address} {change.action.value}"
            attempts[key] = attempts.get(key, 0) + 1
            if attempts[key] <= flaky:
                raise AwsError("busy", code="ConcurrentModificationException")
            if fail:
                raise AwsError(fail, code="AccessDenied")
            done.append(key)
            return result or {}

        return run

    table = {
        ("organization", Action.CREATE): fake({"id": "o-1", "root": "r-1"}),
        ("policy-type", Action.ENABLE): fake(flaky=2),
        ("ou", Action.CREATE): fake(fail="no OUs today"),
        ("scp", Action.CREATE): fake({"id": "p-1"}),
        ("scp", Action.ATTACH): fake(),
        ("account", Action.CREATE): fake({"id": "2" * 12}),
    }
    monkeypatch.setattr(
        engine, "executor_for", lambda c: table[(c.address.split(":", 1)[0], c.action)]
    )
    ctx = context(tmp_path)
    outcome = engine.run(plan, ctx)
    assert done == [
        "organization create",
        "policy-type:SERVICE_CONTROL_POLICY enable",
        "scp:deny-s3 create",
    ]
    assert attempts["policy-type:SERVICE_CONTROL_POLICY enable"] == 3
    assert {i: e.message for i, e in outcome.failed.items()} == {2: "no OUs today"}
    assert outcome.skipped == {
        4: "depends on ou:Workloads, which did not complete",
        5: "depends on ou:Workloads, which did not complete",
    }
    events = [json.loads(line)["event"] for line in ctx.journal.path.read_text().splitlines()]
    assert events.count("done") == 3 and events.count("failed") == 1
    assert events.count("skipped") == 2


def test_the_dependencies_of_a_greenfield_plan() -> None:
    plan = diff(desired(), None)
    assert engine.dependencies(plan.changes) == [set(), {0}, {0}, {0, 1}, {0, 2}, {0, 1, 2, 3}]


def test_the_apply_summary_has_a_word_for_every_action() -> None:
    from orgstack.report.apply_text import summary

    changes = tuple(Change(f"note:a/{a.value}", a, None, None, "") for a in Action)
    lines = summary(Plan(changes), {i: {} for i in range(len(changes))}, set(), {}, {})
    assert lines[0] == (
        "Apply complete: 1 created, 1 enabled, 1 updated, 1 moved, 1 tagged, 1 untagged, "
        "1 attached, 1 detached, 1 deleted, 1 suspended, 1 closed; 0 failed; 0 skipped."
    )


def test_a_plan_file_edited_after_review_is_refused(tmp_path: Path) -> None:
    from orgstack.errors import OrgstackError
    from orgstack.plan.planfile import read_plan, write_plan

    plan = diff(desired(), None)
    path = tmp_path / "plan.json"
    data = plan_to_dict(plan, "orgstack.yaml", "a" * 32, "2026-01-01T00:00:00+00:00")
    write_plan(path, data)
    assert read_plan(path)[0] == plan
    ou = next(c for c in data["changes"] if c["address"] == "ou:Workloads")
    ou["after"]["name"] = "Evil"
    write_plan(path, data)
    with pytest.raises(OrgstackError) as edited:
        read_plan(path)
    assert edited.value.message == (
        "the plan file contradicts itself: change 2 is ou:Workloads but would create "
        "{'name': 'Evil'}"
    )
    ou["after"]["name"] = "Workloads"
    ou["reason"] = "looks harmless"
    write_plan(path, data)
    with pytest.raises(OrgstackError) as changed:
        read_plan(path)
    assert changed.value.message == (
        f"the plan {path} was changed after `orgstack plan` wrote it: its content no longer "
        "matches its digest"
    )
    data["changes"][0]["action"] = "explode"
    write_plan(path, data)
    with pytest.raises(OrgstackError) as malformed:
        read_plan(path)
    assert malformed.value.message == (
        "the plan file is malformed (ValueError: 'explode' is not a valid Action)"
    )


def test_recently_closed_accounts_count_against_the_closure_quota() -> None:
    from orgstack.plan.lifecycle import MANAGED_TAG, retire

    organization = Organization("", "", (), None, id="o-1", management_account_id="1" * 12)
    gone = Account(
        "old",
        "workload",
        "root",
        "old@acme.example",
        tags={MANAGED_TAG: "true"},
        id="2" * 12,
        status="ACTIVE",
    )
    closed = tuple(
        Account(
            f"c{i}", "workload", "root", f"c{i}@acme.example", id=f"{i:012d}", status="SUSPENDED"
        )
        for i in range(10)
    )
    actual = OrgModel(organization, accounts=(gone, *closed))
    found, preflight = retire(desired(), actual, [gone], True, set())
    assert [(f[0], f[1]) for f in found if f[0] == "account:old"] == [
        ("account:old", Action.SUSPEND)
    ]
    assert [p.message for p in preflight] == [
        "closure quota reached; suspended instead, to close later: old"
    ]
    fewer = OrgModel(organization, accounts=(gone, *closed[:5]))
    found, _ = retire(desired(), fewer, [gone], True, set())
    assert [(f[0], f[1]) for f in found if f[0] == "account:old"] == [("account:old", Action.CLOSE)]


def test_a_derived_root_email_never_asks_to_change_an_existing_account() -> None:
    derived = Account(
        "web-renamed", "workload", "Workloads", "aws+web-renamed@acme.example",
        id="2" * 12, email_derived=True,
    )  # fmt: skip
    spec = OrgModel(ORG, desired().ous, (desired().accounts[0], derived), desired().policies)
    plan = diff(spec, live())
    assert [
        (c.address, c.action, c.after) for c in plan.changes if c.address.startswith("account:")
    ][:1] == [("account:web-renamed", Action.UPDATE, {"name": "web-renamed"})]
    explicit = Account("web", "workload", "Workloads", "new@acme.example", id="2" * 12)
    spec = OrgModel(ORG, desired().ous, (desired().accounts[0], explicit), desired().policies)
    plan = diff(spec, live())
    update = next(c for c in plan.changes if c.action == Action.UPDATE)
    assert update.after == {"email": "new@acme.example"}
    assert [p.message for p in plan.preflight] == [
        "account:web: the spec changes the root e-mail WEB@acme.example → new@acme.example; apply "
        "cannot (AWS sends a code to the new address)"
    ]


def test_no_changes_with_a_warning_does_not_claim_the_organization_matches() -> None:
    from orgstack.report.plan_text import to_text

    warned = Plan((), preflight=(Preflight("warning", "account:m is in ou:X", "never moved"),))
    assert to_text(warned, "orgstack.yaml")[1].splitlines() == [
        "No changes to apply; read what follows about orgstack.yaml.",
        "warning: account:m is in ou:X",
        "  hint: never moved",
    ]
    assert to_text(Plan(()), "orgstack.yaml")[1] == (
        "No changes. Your organization matches orgstack.yaml.\n"
    )


def test_ctrl_c_starts_nothing_more_and_says_how_to_resume(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orgstack.apply.engine import ApplyInterruptedError

    plan = diff(desired(), None)
    started: list[str] = []

    def interrupt_at_enable(change: Change, index: int, ctx: ExecContext) -> dict[str, Any]:
        started.append(change.address)
        if change.action == Action.ENABLE:
            raise KeyboardInterrupt
        return {}

    monkeypatch.setattr(engine, "executor_for", lambda _change: interrupt_at_enable)
    ctx = context(tmp_path)
    with pytest.raises(ApplyInterruptedError) as stopped:
        engine.run(plan, ctx)
    assert stopped.value.message == (
        "the apply was interrupted: 1 of 6 changes done, the rest not started"
    )
    assert (
        stopped.value.hint == "Continue it with `orgstack apply --resume` (the plan is journaled)."
    )
    assert int(stopped.value.exit_code) == 130
    assert "scp:deny-s3" not in started and "account:web" not in started
    events = [json.loads(line)["event"] for line in ctx.journal.path.read_text().splitlines()]
    assert events[-1] == "interrupted"


def test_a_renamed_ou_key_without_id_is_flagged_with_the_id_to_pin() -> None:
    renamed = OrganizationalUnit("Apps", {"tier": "1"})
    web = Account("web", "workload", "Apps", "web@acme.example", stage="dev")
    spec = OrgModel(ORG, (renamed,), (desired().accounts[0], web), desired().policies[:0])
    web_live = replace(live().accounts[1], ou="Workloads")
    actual = replace(live(), accounts=(live().accounts[0], web_live))
    plan = diff(spec, actual)
    assert [(p.message, p.hint) for p in plan.preflight if "renamed" in p.message] == [
        (
            "ou:Apps is created for accounts that ou:Workloads (ou-1) holds, which leaves the "
            "spec: a renamed OU?",
            "If it is a rename, pin the id in the spec (`organizational_units.Apps.id: 'ou-1'`) "
            "and plan again: the plan then renames it instead.",
        )
    ]
    pinned = replace(renamed, id="ou-1")
    spec = OrgModel(ORG, (pinned,), (desired().accounts[0], web), desired().policies[:0])
    plan = diff(spec, actual)
    assert ("ou:Apps", Action.UPDATE) in [(c.address, c.action) for c in plan.changes]
    assert not [p for p in plan.preflight if "renamed" in p.message]


def test_a_renamed_account_key_without_id_is_flagged_with_the_id_to_pin() -> None:
    orgstacks = replace(
        live().accounts[1],
        ou="Workloads",
        tags={"orgstack:managed": "true"},
        email="aws+web@acme.example",
    )
    actual = replace(live(), accounts=(live().accounts[0], orgstacks))
    renamed = Account(
        "web-app", "workload", "Workloads", "aws+web-app@acme.example", stage="dev",
        email_derived=True,
    )  # fmt: skip
    spec = OrgModel(ORG, desired().ous, (desired().accounts[0], renamed), desired().policies)
    plan = diff(spec, actual)
    actions = [(c.address, c.action) for c in plan.changes if c.address.startswith("account:")]
    assert ("account:web-app", Action.CREATE) in actions
    assert ("account:web", Action.SUSPEND) in actions
    assert [(p.message, p.hint) for p in plan.preflight if "renamed" in p.message] == [
        (
            "account:web-app is created while account:web (222222222222, aws+web@acme.example) "
            "in the same OU leaves the spec: a renamed key?",
            "If it is a rename, pin the id in the spec (`accounts.web-app.id: '222222222222'`) "
            "and plan again: the plan then renames it instead. Keep its e-mail too (`email:`): "
            "a root e-mail changes only by hand.",
        )
    ]


def test_a_changed_policy_document_is_shown_as_a_diff_in_plan_and_drift() -> None:
    from orgstack.plan.docdiff import document_diff
    from orgstack.plan.drift import drift
    from orgstack.report.plan_text import to_text

    spec_doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["s3:*","ec2:*"],"Resource":"*"}]}'
    live_doc = DENY
    spec = replace(desired(), policies=(replace(desired().policies[0], content=spec_doc),))
    plan = diff(spec, live())
    update = next(c for c in plan.changes if c.address == "scp:deny-s3")
    assert document_diff((update.before or {})["content"], (update.after or {})["content"]) == [
        "@@ -3,3 +3,6 @@",
        "     {",
        '-      "Action": "s3:*",',
        '+      "Action": [',
        '+        "s3:*",',
        '+        "ec2:*"',
        "+      ],",
        '       "Effect": "Deny",',
    ]
    text = to_text(plan, "orgstack.yaml")[1]
    assert "content changes (below)" in text
    assert '+        "ec2:*"' in text
    item = next(i for i in drift(plan, spec) if i.what == "content")
    assert (item.spec, item.live) == ("(changed)", "(differs)")
    assert any(line.startswith("+") and "ec2:*" in line for line in item.diff)
    assert live_doc != spec_doc


def test_a_kinds_change_naming_an_ou_the_plan_creates_waits_for_it_and_apply_resolves_it() -> None:
    from orgstack.plan.resources import ou_ref, resolve, unresolved

    share = {
        "principals": [
            "arn:aws:organizations::111111111111:ou/o-abc/" + ou_ref("Workloads/Prod", {})
        ]
    }
    changes = (
        Change("ou:Workloads", Action.CREATE, None, {"name": "Workloads"}, ""),
        Change("ou:Workloads/Prod", Action.CREATE, None, {"name": "Prod"}, ""),
        Change("network:net/eu-west-1/share", Action.CREATE, None, share, ""),
    )
    assert engine.dependencies(changes)[2] == {1}
    assert unresolved(share)
    ids = {"ou:Workloads/Prod": "ou-ab12-prod0000"}
    assert resolve(share, ids) == {
        "principals": ["arn:aws:organizations::111111111111:ou/o-abc/ou-ab12-prod0000"]
    }
    assert not unresolved(resolve(share, ids))
    assert ou_ref("Workloads/Prod", ids) == "ou-ab12-prod0000"


def test_an_apply_that_only_waits_on_aws_exits_3_and_one_that_failed_exits_1() -> None:
    from pathlib import Path

    from orgstack.apply.context import ApplyError, AwsPendingError
    from orgstack.flows.applying import ApplyResult

    def result(**outcome: Any) -> ApplyResult:
        return ApplyResult(Plan(()), engine.Outcome(**outcome), Path("j"), None)  # type: ignore[arg-type]

    waiting = {0: AwsPendingError("a share is not visible yet")}
    assert result().exit_code == 0
    assert result(waiting=waiting, skipped={1: "waits for x"}).exit_code == 3
    assert result(waiting=waiting, failed={2: ApplyError("no")}).exit_code == 1
    assert result(skipped={1: "depends on x"}).exit_code == 1
