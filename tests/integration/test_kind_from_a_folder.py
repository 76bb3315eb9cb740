"""A new kind is one folder: a dummy kind, written to a temporary folder and found by the
registry, is planned, applied, read back (the next plan is empty) and rendered, with no file of
orgstack touched. Its reader cannot write."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

import orgstack.kinds
from orgstack import registry
from orgstack.aws.readonly import WriteRefusedError
from orgstack.report.plan_text import to_text
from tests.integration.test_access import account_ids
from tests.integration.test_apply import apply_now, plan_now

FILES = {
    "__init__.py": '''
        """Notes: SSM parameters ``/orgstack/notes/<name>`` in an account."""

        from orgstack.model.kind import KindInfo, Removal

        KIND = KindInfo(prefix="note", summary="notes", types=("",), removal={"": Removal.DELETE})
    ''',
    "schema.py": '''
        """The ``notes:`` section: account name → note name → text."""

        SECTION = "notes"
        Schema = dict[str, dict[str, str]]
    ''',
    "desired.py": '''
        """One resource per note."""


        def desired(model, ids):
            notes = model.sections.get("notes") or {}
            return {
                f"note:{account}/{name}": {"text": text}
                for account, by_name in notes.items()
                for name, text in by_name.items()
            }
    ''',
    "read.py": '''
        """Read the notes of the accounts the targets name.

        IAM actions: ssm:GetParametersByPath
        """

        from orgstack.model.kind import Live


        def read(ctx, request):
            live = Live()
            for account in sorted(request.target_accounts()):
                account_id = request.account_id(account)
                if account_id is None:
                    continue
                client = ctx.member(account_id, "ssm")
                found = ctx.call(client, "get_parameters_by_path", Path="/orgstack/notes")
                for parameter in found["Parameters"]:
                    address = f"note:{account}/{parameter['Name'].rsplit('/', 1)[-1]}"
                    live.resources[address] = {"text": parameter["Value"]}
                    live.managed.add(address)
            if any(a.endswith("/write-from-reader") for a in request.targets):
                client = ctx.member(next(iter(request.accounts.values())), "ssm")
                ctx.call(client, "put_parameter", Name="/x", Value="x", Type="String")
            return live
    ''',
    "apply.py": '''
        """Write a note."""

        from orgstack.model.kind import account_of


        def put(change, index, ctx):
            """Set the note.

            IAM actions: ssm:PutParameter
            """
            name = change.address.rsplit("/", 1)[-1]
            client = ctx.member_client(account_of(change.address), "ssm")
            ctx.aws.call(
                client,
                "put_parameter",
                Name=f"/orgstack/notes/{name}",
                Value=change.after["text"],
                Type="String",
                Overwrite=True,
            )
            return {}


        EXECUTORS = {("", "create"): put, ("", "update"): put}
    ''',
    "render.py": '''
        """One plan line for a note."""


        def detail(change):
            return f"says {change.after['text']!r}"
    ''',
}
SPEC = """\
organization: {name: acme, home_region: us-east-1, email_pattern: 'aws+{account}@acme.example'}
accounts:
  management: {purpose: management, ou: root}
  web-dev: {purpose: workload, ou: root, stage: dev}
notes:
  web-dev: {hello: world}
"""


@pytest.fixture
def dummy_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "kinds" / "note"
    folder.mkdir(parents=True)
    for name, text in FILES.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip())
    monkeypatch.setattr(orgstack.kinds, "__path__", [*orgstack.kinds.__path__, str(folder.parent)])
    registry.reset()
    yield folder
    registry.reset()


def test_a_kind_in_a_folder_of_its_own_is_planned_applied_read_and_rendered(
    dummy_kind: Path, aws: None, workdir: Path
) -> None:
    assert "note" in [k.name for k in registry.all_kinds()]
    (workdir / "orgstack.yaml").write_text(SPEC)
    plan, data = plan_now()
    notes = [(c.address, c.action.value, c.after) for c in plan.changes if c.address[:5] == "note:"]
    assert notes == [("note:web-dev/hello", "create", {"text": "world"})]
    _, text = to_text(plan, "orgstack.yaml")
    assert "  + note:web-dev/hello" in text and "create  says 'world'" in text
    assert apply_now(plan, data).ok
    dev = account_ids()["web-dev"]
    creds = boto3.client("sts", region_name="us-east-1").assume_role(
        RoleArn=f"arn:aws:iam::{dev}:role/OrganizationAccountAccessRole", RoleSessionName="test"
    )["Credentials"]
    ssm = boto3.client(
        "ssm",
        region_name="us-east-1",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    assert ssm.get_parameter(Name="/orgstack/notes/hello")["Parameter"]["Value"] == "world"
    assert plan_now()[0].empty
    (workdir / "orgstack.yaml").write_text(SPEC.replace("world", "moon"))
    plan, data = plan_now()
    assert [(c.address, c.action.value, c.before, c.after) for c in plan.changes] == [
        ("note:web-dev/hello", "update", {"text": "world"}, {"text": "moon"})
    ]
    assert apply_now(plan, data).ok
    assert plan_now()[0].empty


def test_a_reader_that_writes_is_refused_before_anything_is_sent(
    dummy_kind: Path, aws: None, workdir: Path
) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC + "  management: {write-from-reader: x}\n")
    with pytest.raises(WriteRefusedError) as refused:
        plan_now()
    assert refused.value.message == (
        "a reader called ssm:PutParameter, which is not a read; readers may only Describe, "
        "List and Get"
    )
