"""Integration fixtures: moto in-process, an AWS context with no rate limit, org builders."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from orgstack.aws.context import AwsContext, AwsOptions

FAST = AwsOptions(rates={"organizations": 1e6, "sts": 1e6, "iam": 1e6}, adaptive=False)
DENY_LEAVE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}],
}


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


@pytest.fixture
def serial_moto(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process moto answers one request at a time. Its backends are not thread-safe (AWS
    is): an apply creating two roles in one account at once can make moto iterate its role
    table while the other request adds to it ("dictionary changed size during iteration")."""
    import threading

    from moto.core.botocore_stubber import BotocoreStubber

    lock = threading.Lock()
    answer = BotocoreStubber.__call__

    def one_at_a_time(self: BotocoreStubber, *args: Any, **kwargs: Any) -> Any:
        with lock:
            return answer(self, *args, **kwargs)

    monkeypatch.setattr(BotocoreStubber, "__call__", one_at_a_time)


@pytest.fixture
def orgs(aws: None) -> Any:
    """An Organizations client of the management account (moto's default account)."""
    return boto3.client("organizations", region_name="us-east-1")


@pytest.fixture
def context(aws: None) -> AwsContext:
    return AwsContext(FAST)


class OrgBuilder:
    """Makes an organization by hand, as a brownfield customer would have it."""

    def __init__(self, client: Any) -> None:
        self.c = client
        self.c.create_organization(FeatureSet="ALL")
        self.root = self.c.list_roots()["Roots"][0]["Id"]
        self.c.enable_policy_type(RootId=self.root, PolicyType="SERVICE_CONTROL_POLICY")
        self.ids: dict[str, str] = {"root": self.root}

    def ou(self, path: str, **tags: str) -> str:
        parent, _, name = path.rpartition("/")
        parent_id = self.ids[parent or "root"]
        kwargs: dict[str, Any] = (
            {"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]} if tags else {}
        )
        self.ids[path] = self.c.create_organizational_unit(ParentId=parent_id, Name=name, **kwargs)[
            "OrganizationalUnit"
        ]["Id"]
        return self.ids[path]

    def account(self, name: str, ou: str = "root", **tags: str) -> str:
        kwargs: dict[str, Any] = (
            {"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]} if tags else {}
        )
        account_id = self.c.create_account(
            AccountName=name, Email=f"{name}@acme.example", **kwargs
        )["CreateAccountStatus"]["AccountId"]
        if ou != "root":
            self.c.move_account(
                AccountId=account_id, SourceParentId=self.root, DestinationParentId=self.ids[ou]
            )
        self.ids[name] = account_id
        return str(account_id)

    def scp(self, name: str, *targets: str, content: dict[str, Any] | None = None) -> str:
        policy = self.c.create_policy(
            Name=name, Description=f"{name} guardrail", Type="SERVICE_CONTROL_POLICY",
            Content=json.dumps(content or DENY_LEAVE),
        )["Policy"]["PolicySummary"]["Id"]  # fmt: skip
        for target in targets:
            self.c.attach_policy(PolicyId=policy, TargetId=self.ids[target])
        self.ids[name] = policy
        return str(policy)


@pytest.fixture
def brownfield(orgs: Any) -> OrgBuilder:
    """Workloads/{Prod,NonProd}, Sandbox, three accounts, one SCP on root and Workloads."""
    org = OrgBuilder(orgs)
    org.ou("Workloads")
    org.ou("Workloads/Prod", tier="1")
    org.ou("Workloads/NonProd")
    org.ou("Sandbox")
    org.account("web-prod", "Workloads/Prod", team="web")
    org.account("web-dev", "Workloads/NonProd", team="web")
    org.account("lab", "Sandbox")
    org.scp("DenyLeave", "root", "Workloads")
    return org


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty directory, with orgstack's state (journal, sandbox) kept there."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ORGSTACK_STATE_DIR", str(tmp_path / ".orgstack"))
    return tmp_path


@pytest.fixture(autouse=True)
def aws_like_account_emails() -> None:
    """The sandbox's shims: moto behaves like AWS where orgstack relies on it (unique root
    e-mails, managed policies in every account, Identity Center gaps)."""
    from orgstack.sandbox.shims import install_all

    install_all()
