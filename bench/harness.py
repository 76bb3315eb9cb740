"""Shared pieces: a sandbox per scenario, organizations of a given shape, the minimum calls."""

from __future__ import annotations

import contextlib
import json
import math
import os
import platform
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from orgstack.sandbox import control
from orgstack.sandbox.state import SandboxState

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}
PAGE = 20  # Organizations list calls return at most 20 items a page


@contextmanager
def sandbox(with_organization: bool = True) -> Iterator[tuple[SandboxState, Path]]:
    """A fresh sandbox in its own directory, stopped afterwards."""
    os.environ.update(CREDENTIALS)
    directory = Path(tempfile.mkdtemp(prefix="orgstack-bench-"))
    state, _ = control.start(directory / ".orgstack", with_organization=with_organization)
    try:
        yield state, directory
    finally:
        control.stop(directory / ".orgstack")


def client(endpoint: str) -> Any:
    return boto3.client(
        "organizations",
        endpoint_url=endpoint,
        region_name="us-east-1",
        config=Config(retries={"mode": "standard", "max_attempts": 5}, max_pool_connections=16),
    )


@dataclass(frozen=True)
class Shape:
    """An organization: accounts spread over a two-level OU tree, SCPs on OUs, tags on accounts."""

    accounts: int
    scps: int = 10

    @property
    def ous(self) -> int:
        return max(2, self.accounts // 5)

    @property
    def tops(self) -> int:
        return max(1, self.ous // 10)


def seed(endpoint: str, shape: Shape) -> dict[str, list[int]]:
    """Make the organization directly on the emulator (no proxy); returns, per parent (root and
    each OU), its number of child OUs and of accounts."""
    c = client(endpoint)
    root = c.list_roots()["Roots"][0]["Id"]
    c.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
    counts: dict[str, list[int]] = {root: [shape.tops, 1]}  # the management account is there
    tops = []
    for i in range(shape.tops):
        tops.append(
            c.create_organizational_unit(ParentId=root, Name=f"BU{i}")["OrganizationalUnit"]["Id"]
        )
        counts[tops[-1]] = [0, 0]

    def child(i: int) -> str:
        parent = tops[i % len(tops)]
        created = c.create_organizational_unit(ParentId=parent, Name=f"Team{i}")
        return str(created["OrganizationalUnit"]["Id"])

    with ThreadPoolExecutor(8) as pool:
        teams = list(pool.map(child, range(shape.ous - shape.tops)))
        for i, team in enumerate(teams):
            counts[tops[i % len(tops)]][0] += 1
            counts[team] = [0, 0]
        leaves = teams or tops

        def account(i: int) -> None:
            tags = [
                {"Key": "team", "Value": f"t{i % 50}"},
                {"Key": "cost-center", "Value": str(1000 + i % 20)},
            ]
            created = c.create_account(
                AccountName=f"acct-{i}", Email=f"acct-{i}@bench.example", Tags=tags
            )
            account_id = created["CreateAccountStatus"]["AccountId"]
            c.move_account(
                AccountId=account_id,
                SourceParentId=root,
                DestinationParentId=leaves[i % len(leaves)],
            )

        list(pool.map(account, range(shape.accounts)))
    for i in range(shape.accounts):
        counts[leaves[i % len(leaves)]][1] += 1
    deny = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "ec2:X", "Resource": "*"}],
    }
    # AWS allows 5 SCPs on a target, FullAWSAccess included: spread them over the root and the OUs.
    targets = [root, *tops, *teams]
    for p in range(shape.scps):
        policy = c.create_policy(
            Name=f"guard-{p}",
            Description="bench",
            Type="SERVICE_CONTROL_POLICY",
            Content=json.dumps(deny),
        )
        c.attach_policy(
            PolicyId=policy["Policy"]["PolicySummary"]["Id"],
            TargetId=targets[p % len(targets)],
        )
    return counts


def pages(items: int) -> int:
    return max(1, math.ceil(items / PAGE))


def minimum_calls(shape: Shape, counts: dict[str, list[int]]) -> dict[str, int]:
    """The fewest calls that read this organization with everything a plan needs.

    3 (DescribeOrganization, ListRoots, GetCallerIdentity) + for each parent, root and every OU,
    one ListOrganizationalUnitsForParent page and one ListAccountsForParent page per 20
    children (AWS has no call that returns accounts with their parents) + 2 ListPolicies (SCPs
    and tag policies) + for each policy one DescribePolicy and one ListTargetsForPolicy page + 2
    (trusted access, delegated administrators) + one ListTagsForResource per managed account
    and OU. On AWS, ListTargetsForPolicy pages by 20, so FullAWSAccess (attached to every
    target) costs ceil(targets / 20) pages; the emulator answers in one, and so does this count.
    """
    tree = sum(pages(ous) + pages(accounts) for ous, accounts in counts.values())
    policies = 2 + 2 * (shape.scps + 1)
    tags = shape.accounts + 1 + shape.ous
    return {"reads": 3 + tree + policies + 2, "tags": tags, "total": 3 + tree + policies + 2 + tags}


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": memory,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }
