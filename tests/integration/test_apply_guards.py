"""Apply's guards and its command line: permissions in sync, management account untouchable,
no SCP-less targets, no secrets in the journal, CLI flows and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgstack import api
from orgstack.apply.context import ApplyError, ExecContext
from orgstack.apply.journal import Journal, JournalState
from orgstack.apply.permissions import iam_policy
from orgstack.aws.context import AwsContext
from orgstack.kinds.organization import apply_account as account
from orgstack.kinds.organization import apply_policy as policy
from orgstack.plan.model import Action, Change
from orgstack.plan.planfile import plan_to_dict
from tests.conftest import run_cli
from tests.integration.conftest import FAST, OrgBuilder
from tests.integration.test_apply import COMPACT, QUICK

#: Operations whose IAM action has another name (S3 names several settings differently).
IAM_ACTION_OF = {
    "s3:GetBucketEncryption": "s3:GetEncryptionConfiguration",
    "s3:PutBucketEncryption": "s3:PutEncryptionConfiguration",
    "s3:GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
    "s3:PutPublicAccessBlock": "s3:PutBucketPublicAccessBlock",
    "s3:GetBucketLifecycleConfiguration": "s3:GetLifecycleConfiguration",
    "s3:PutBucketLifecycleConfiguration": "s3:PutLifecycleConfiguration",
    "s3:GetObjectLockConfiguration": "s3:GetBucketObjectLockConfiguration",
    "s3:PutObjectLockConfiguration": "s3:PutBucketObjectLockConfiguration",
}
LOGGED = (
    COMPACT.replace(
        "  lab: {purpose: sandbox, ou: Sandbox}\n",
        "  lab: {purpose: sandbox, ou: Sandbox}\n  logs: {purpose: log-archive, ou: Workloads}\n"
        "  sec: {purpose: security, ou: Workloads}\n  management: {purpose: management, ou: root}\n"
        "  vault: {purpose: backup, ou: Sandbox}\n",
    )
    + "security: {}\nlogging: {}\n"
    + "backup: {targets: [ou:Workloads/Prod], plans: {daily: {schedule: 'cron(0 5 ? * * *)', "
    "keep_days: 7, copy_keep_days: 35}}}\n"
)


def test_permissions_cover_every_call_plan_and_apply_make(aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(LOGGED)
    context = AwsContext(FAST)
    plan = api.make_plan("orgstack.yaml", FAST, context=context).plan
    api.apply_plan(plan, plan_to_dict(plan, "orgstack.yaml"), FAST, QUICK, context=context)
    text = (
        (workdir / "orgstack.yaml")
        .read_text()
        .replace("ou: Sandbox}", "ou: Workloads, tags: {x: y}}")
    )
    (workdir / "orgstack.yaml").write_text(text.replace("tier: '1'", "tier: '2'"))
    plan = api.make_plan("orgstack.yaml", FAST, context=context).plan
    api.apply_plan(plan, plan_to_dict(plan, "orgstack.yaml"), FAST, QUICK, context=context)
    # A partial plan and its stale check read otherwise (by id, per target).
    text = (workdir / "orgstack.yaml").read_text().replace("tags: {x: y}", "tags: {x: z}")
    (workdir / "orgstack.yaml").write_text(text)
    targets = ("ou:Workloads", "scp:guard")
    plan = api.make_plan("orgstack.yaml", FAST, context=context, targets=targets).plan
    assert [c.address for c in plan.changes] != []
    api.apply_plan(plan, plan_to_dict(plan, "orgstack.yaml"), FAST, QUICK, context=context)
    allowed = {a for s in iam_policy()["Statement"] for a in s["Action"]}
    called = {f"{op.split('.')[0]}:{op.split('.')[1]}" for op in context.stats.calls}
    called = {
        IAM_ACTION_OF.get(c, c).replace("accessanalyzer:", "access-analyzer:") for c in called
    }
    assert called - allowed == set()
    assert {
        "organizations:CreateAccount",
        "organizations:MoveAccount",
        "organizations:AttachPolicy",
        "organizations:RegisterDelegatedAdministrator",
        "s3:PutBucketObjectLockConfiguration",
        "kms:CreateKey",
        "cloudtrail:CreateTrail",
        "backup:PutBackupVaultLockConfiguration",
        "backup:PutBackupVaultAccessPolicy",
        "backup:UpdateGlobalSettings",
        "iam:AttachRolePolicy",
    } <= called


def context_for(org: OrgBuilder, tmp_path: Path) -> ExecContext:
    ids = {
        "root": org.root,
        **{f"ou:{k}": v for k, v in org.ids.items() if k.startswith("Work") or k == "Sandbox"},
    }
    ids |= {f"account:{k}": v for k, v in org.ids.items() if k in ("web-prod", "lab")}
    ids["account:master"] = "123456789012"
    ids["scp:FullAWSAccess"] = "p-FullAWSAccess"
    return ExecContext(AwsContext(FAST), Journal(tmp_path, "guards"), QUICK, ids, JournalState())


def test_the_management_account_is_never_moved_suspended_or_closed(
    brownfield: OrgBuilder, tmp_path: Path
) -> None:
    ctx = context_for(brownfield, tmp_path)
    for action, run in (
        (Action.MOVE, account.move),
        (Action.SUSPEND, account.suspend),
        (Action.CLOSE, account.close),
    ):
        change = Change("account:master", action, {"ou": "root"}, {"ou": "Sandbox"}, "test")
        with pytest.raises(ApplyError) as caught:
            run(change, 0, ctx)
        assert (
            caught.value.message
            == "account:master is the management account; orgstack never moves, suspends or closes it"
        )


def test_full_aws_access_is_never_detached_without_a_replacement(
    brownfield: OrgBuilder, tmp_path: Path
) -> None:
    ctx = context_for(brownfield, tmp_path)
    change = Change("scp:FullAWSAccess", Action.DETACH, {"target": "ou:Sandbox"}, None, "test")
    with pytest.raises(ApplyError) as caught:
        policy.detach(change, 0, ctx)
    assert (
        caught.value.message
        == "detaching scp:FullAWSAccess would leave ou:Sandbox without an SCP that allows anything"
    )
    client = brownfield.c
    allow = client.create_policy(
        Name="Allow",
        Description="",
        Type="SERVICE_CONTROL_POLICY",
        Content='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
    )
    client.attach_policy(
        PolicyId=allow["Policy"]["PolicySummary"]["Id"], TargetId=brownfield.ids["Sandbox"]
    )
    policy.detach(change, 0, ctx)
    remaining = client.list_policies_for_target(
        TargetId=brownfield.ids["Sandbox"], Filter="SERVICE_CONTROL_POLICY"
    )
    assert [p["Name"] for p in remaining["Policies"]] == ["Allow"]


def test_cli_apply_flows_and_exit_codes(
    aws: None, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "orgstack.yaml").write_text(COMPACT)
    code, _, err = run_cli(capsys, "apply", "--rate", "1000000")
    assert code == 1
    assert (
        "Error: no terminal to confirm the plan on\nHint: Pass --auto-approve, or apply a saved plan file."
        in err
    )
    code, _, err = run_cli(capsys, "apply", "--resume")
    assert (code, err) == (
        1,
        "Error: there is no unfinished apply to resume\nHint: Run `orgstack plan -o plan.json`.\n",
    )
    assert run_cli(capsys, "plan", "--rate", "1000000", "-o", "plan.json")[0] == 0
    code, out, _ = run_cli(capsys, "apply", "plan.json", "--rate", "1000000", "--format", "json")
    assert code == 0
    events = [__import__("json").loads(line) for line in out.splitlines()]
    assert {e["event"] for e in events} >= {"start", "done", "summary"}
    assert events[-1]["ok"] is True and events[-1]["failed"] == 0
    journal = Path(events[-1]["journal"]).read_text()
    for secret in ("SecretAccessKey", "SessionToken", "AccessKeyId", "testing"):
        assert secret not in journal
    code, out, _ = run_cli(capsys, "plan", "--rate", "1000000", "--detailed-exitcode")
    assert code == 0
    assert out.splitlines()[:3] == [
        "No changes. Your organization matches orgstack.yaml.",
        "",
        "Unmanaged: 1 live object is not in the spec; orgstack leaves it alone:",
    ]
    (workdir / "orgstack.yaml").write_text(COMPACT.replace("team: web", "team: shop"))
    code, out, _ = run_cli(capsys, "apply", "--rate", "1000000", "--auto-approve")
    assert code == 0
    assert "Apply complete: 1 tagged; 0 failed; 0 skipped." in out


def test_unfinished_applies_are_listed_named_on_resume_and_can_be_abandoned(
    aws: None, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.integration.test_apply import Crash, crash_at, plan_now

    (workdir / "orgstack.yaml").write_text(COMPACT)
    assert run_cli(capsys, "apply", "--list") == (0, "No unfinished applies.\n", "")
    plan, data = plan_now()
    with pytest.raises(Crash):
        api.apply_plan(plan, data, FAST, QUICK, checkpoint=crash_at(2, "start"))
    code, out, _ = run_cli(capsys, "apply", "--list", "--format", "json")
    listed = __import__("json").loads(out)
    assert code == 0
    assert [(i["plan_id"], i["spec"], i["changes"]) for i in listed] == [
        (data["plan_id"], "orgstack.yaml", len(plan.changes))
    ]
    assert 1 <= listed[0]["done"] < len(plan.changes)  # the organization, before the crash
    code, _, err = run_cli(capsys, "apply", "--abandon", "0" * 32)
    assert code == 1
    assert err.splitlines()[0] == f"Error: no unfinished apply {'0' * 32}"
    code, out, _ = run_cli(capsys, "apply", "--abandon", data["plan_id"])
    assert (code, out.split(";")[0]) == (0, f"Abandoned plan {data['plan_id']}")
    code, _, err = run_cli(capsys, "apply", "--resume")
    assert (code, err.splitlines()[0]) == (1, "Error: there is no unfinished apply to resume")


def test_resume_names_the_plan_it_continues(
    aws: None, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from orgstack.plan.planfile import write_plan
    from tests.integration.test_apply import Crash, crash_at, plan_now

    (workdir / "orgstack.yaml").write_text(COMPACT)
    plan, data = plan_now()
    write_plan(workdir / "plan.json", data)
    with pytest.raises(Crash):
        api.apply_plan(plan, data, FAST, QUICK, checkpoint=crash_at(1, "called"))
    code, _, err = run_cli(capsys, "apply", "--resume", "--rate", "1000000")
    assert code == 0
    assert err.splitlines()[0] == (
        f"Resuming plan {data['plan_id']} (made {data['created_at']} from orgstack.yaml); AWS is "
        "checked again before anything runs."
    )


def test_resume_is_refused_once_the_spec_declares_something_else(
    aws: None, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from orgstack.plan.planfile import write_plan
    from tests.integration.test_apply import Crash, crash_at, plan_now

    spec = workdir / "orgstack.yaml"
    spec.write_text(COMPACT)
    plan, data = plan_now()
    write_plan(workdir / "plan.json", data)
    with pytest.raises(Crash):
        api.apply_plan(plan, data, FAST, QUICK, checkpoint=crash_at(1, "called"))
    # A comment or the layout of the file is not a change of what it declares.
    spec.write_text("# reviewed\n" + COMPACT)
    spec.write_text(COMPACT.replace("team: web", "team: shop"))
    for args in (("--resume",), ("plan.json", "--resume")):
        code, _, err = run_cli(capsys, "apply", *args, "--rate", "1000000")
        assert code == 1
        assert err.splitlines() == [
            f"Error: cannot resume plan {data['plan_id']} (made {data['created_at']}): the "
            "spec orgstack.yaml changed since; resuming would apply what it no longer declares",
            f"Hint: Set the unfinished apply aside with `orgstack apply --abandon "
            f"{data['plan_id']}`, then `orgstack plan -o plan.json` and apply that.",
        ]
    spec.write_text("# reviewed, then put back\n" + COMPACT)
    code, _, _ = run_cli(capsys, "apply", "--resume", "--rate", "1000000")
    assert code == 0


def test_changes_that_wait_for_each_other_stop_the_apply_instead_of_spinning(
    aws: None, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dependency cycle (a bug) is named at once; the engine once looped forever on one."""
    from orgstack.apply import engine
    from tests.integration.test_apply import plan_now

    (workdir / "orgstack.yaml").write_text(COMPACT)
    plan, data = plan_now()
    cycle = engine.dependencies(plan.changes)
    assert 0 in cycle[1]  # the organization first
    cycle[0] = {1}
    monkeypatch.setattr(engine, "dependencies", lambda _changes: cycle)
    with pytest.raises(ApplyError) as stopped:
        api.apply_plan(plan, data, FAST, QUICK)
    assert stopped.value.message.startswith(
        f"these changes wait for each other: {plan.changes[0].address}, {plan.changes[1].address}"
    )


def test_a_damaged_journal_is_named_and_the_way_out_works(
    aws: None, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A journal with a line that is no record (a disk fault, a hand edit) is listed as
    damaged; resume refuses it in one line; abandon sets it aside. No internal error."""
    from tests.integration.test_apply import Crash, crash_at, plan_now

    (workdir / "orgstack.yaml").write_text(COMPACT)
    plan, data = plan_now()
    with pytest.raises(Crash):
        api.apply_plan(plan, data, FAST, QUICK, checkpoint=crash_at(1, "called"))
    journal = workdir / ".orgstack" / "journal" / f"{data['plan_id']}.jsonl"
    lines = journal.read_text().splitlines()
    journal.write_bytes(
        (
            "\n".join([lines[0], '["not", "a", "record"]', '{"event": 5}', "\xff\xfe", *lines[1:]])
            + "\n"
        ).encode("latin-1")
    )
    code, out, err = run_cli(capsys, "apply", "--list")
    assert (code, err) == (0, "")
    assert out.rstrip().endswith("DAMAGED at line 2")
    code, _, err = run_cli(capsys, "apply", "--resume")
    assert code == 1
    assert (
        f"Error: the journal {journal} of plan {data['plan_id']} is damaged (line 2, 3, 4 is "
        "not a record): it cannot say what was done"
    ) in err.splitlines()
    assert "Traceback" not in err and "Internal error" not in err
    code, out, _ = run_cli(capsys, "apply", "--abandon", data["plan_id"])
    assert (code, out.split(";")[0]) == (0, f"Abandoned plan {data['plan_id']}")
    assert run_cli(capsys, "apply", "--list") == (0, "No unfinished applies.\n", "")


def test_start_is_journaled_when_a_change_runs_not_when_it_is_queued(
    aws: None, workdir: Path
) -> None:
    """One worker; Ctrl-C while the first change runs: what waited in the queue was never
    started, and the journal says so (resume checks it against AWS as planned)."""
    from dataclasses import replace

    from tests.integration.test_apply import plan_now

    (workdir / "orgstack.yaml").write_text(COMPACT)
    plan, data = plan_now()

    import os
    import signal
    import time

    def interrupt(index: int, phase: str) -> None:
        if phase == "called" and index == 1:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C: the main thread gets it
            time.sleep(0.5)  # while this change still runs, the queue is cancelled

    with pytest.raises(ApplyError):
        api.apply_plan(plan, data, FAST, replace(QUICK, max_workers=1), checkpoint=interrupt)
    journal = Journal(workdir / ".orgstack" / "journal", data["plan_id"])
    records = journal.records()
    started = [r["index"] for r in records if r["event"] == "start"]
    done = [r["index"] for r in records if r["event"] == "done"]
    assert len(started) == len(done) + 1  # the one interrupted while it ran, no more
