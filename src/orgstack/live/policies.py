"""The policies that decide who may enter an account, read for the isolation check: every IAM
role's trust, and the resource policies of the services IAM Access Analyzer covers that the
sandbox holds — S3 buckets, KMS keys, SQS queues, SNS topics, Secrets Manager secrets, Lambda
functions and ECR repositories. One pass per account (IAM, S3) and per account and Region
(the others), every account at once under the shared rate; each service's list, then one
read per resource (AWS has no batch read of these policies).

IAM actions: iam:ListRoles, s3:ListAllMyBuckets, s3:GetBucketPolicy, kms:ListKeys,
kms:GetKeyPolicy, sqs:ListQueues, sqs:GetQueueAttributes, sns:ListTopics,
sns:GetTopicAttributes, secretsmanager:ListSecrets, secretsmanager:GetResourcePolicy,
lambda:ListFunctions, lambda:GetPolicy, ecr:DescribeRepositories, ecr:GetRepositoryPolicy
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from orgstack.aws.reading import NOT_FOUND, ReadContext

#: What AWS answers for a resource without a policy, beyond the common "not found" codes.
NO_POLICY = NOT_FOUND | {"RepositoryPolicyNotFoundException", "NoSuchBucketPolicy"}


@dataclass(frozen=True)
class Policy:
    """A trust or resource policy, where it is and how to close what it opens."""

    kind: str
    account: str
    region: str
    resource: str
    document: dict[str, Any]
    fix: str


def _json(text: Any) -> dict[str, Any]:
    if isinstance(text, dict):
        return text
    try:
        found = json.loads(text) if text else {}
    except (TypeError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _roles(ctx: ReadContext, account: str, account_id: str) -> Iterator[Policy]:
    for role in ctx.pages(ctx.member(account_id, "iam"), "list_roles", "Roles"):
        if str(role.get("Path", "")).startswith("/aws-service-role/"):
            continue  # AWS's own, trusting its service only
        yield Policy(
            "iam-trust", account, "global", role["Arn"], _json(role["AssumeRolePolicyDocument"]),
            f"narrow the trust policy of role {role['RoleName']} (iam:UpdateAssumeRolePolicy)",
        )  # fmt: skip


def _buckets(ctx: ReadContext, account: str, account_id: str) -> Iterator[Policy]:
    s3 = ctx.member(account_id, "s3")
    for bucket in ctx.call(s3, "list_buckets").get("Buckets", []):
        name = bucket["Name"]
        found = ctx.absent(s3, "get_bucket_policy", NO_POLICY, Bucket=name)
        if found is not None:
            yield Policy(
                "resource-policy", account, "global", f"arn:aws:s3:::{name}",
                _json(found.get("Policy")), f"narrow the bucket policy of {name}",
            )  # fmt: skip


def _each(
    ctx: ReadContext,
    client: Any,
    listing: tuple[str, str],
    get: str,
    asked: Callable[[dict[str, Any]], dict[str, Any]],
    found: Callable[[dict[str, Any], dict[str, Any]], tuple[str, Any, str] | None],
) -> Iterator[tuple[str, Any, str]]:
    """For each item a paginated list answers, its policy read (none: AWS says not there):
    ``found(item, answer)`` gives (ARN, policy text, how to close it)."""
    for item in ctx.pages(client, listing[0], listing[1]):
        answer = ctx.absent(client, get, NO_POLICY, **asked(item))
        if answer is not None and (hit := found(item, answer)) is not None:
            yield hit


def _queues(ctx: ReadContext, account: str, account_id: str, region: str) -> Iterator[Policy]:
    sqs = ctx.member(account_id, "sqs", region)
    for url in ctx.call(sqs, "list_queues").get("QueueUrls", []):
        found = ctx.call(sqs, "get_queue_attributes", QueueUrl=url,
                         AttributeNames=["Policy", "QueueArn"]).get("Attributes", {})  # fmt: skip
        if found.get("Policy"):
            yield Policy(
                "resource-policy", account, region, found.get("QueueArn", url),
                _json(found["Policy"]), f"narrow the access policy of queue {url}",
            )  # fmt: skip


def _topics(ctx: ReadContext, account: str, account_id: str, region: str) -> Iterator[Policy]:
    sns = ctx.member(account_id, "sns", region)
    for topic in ctx.pages(sns, "list_topics", "Topics"):
        arn = topic["TopicArn"]
        found = ctx.call(sns, "get_topic_attributes", TopicArn=arn).get("Attributes", {})
        if found.get("Policy"):
            yield Policy("resource-policy", account, region, arn, _json(found["Policy"]),
                         f"narrow the access policy of topic {arn}")  # fmt: skip


#: service → (its list and the list's key, the policy read, its arguments from an item, and
#: from an item and the answer: (ARN, policy text, how to close it), or None when unset).
LISTED: dict[str, tuple[Any, ...]] = {
    "kms": (
        ("list_keys", "Keys"), "get_key_policy",
        lambda k: {"KeyId": k["KeyId"], "PolicyName": "default"},
        lambda k, a: (k["KeyArn"], a.get("Policy"),
                      f"narrow the key policy of {k['KeyId']} (kms:PutKeyPolicy)"),
    ),
    "secretsmanager": (
        ("list_secrets", "SecretList"), "get_resource_policy",
        lambda s: {"SecretId": s["ARN"]},
        lambda s, a: (s["ARN"], a["ResourcePolicy"], f"narrow the resource policy of {s['Name']}")
        if a.get("ResourcePolicy") else None,
    ),
    "lambda": (
        ("list_functions", "Functions"), "get_policy",
        lambda f: {"FunctionName": f["FunctionArn"]},
        lambda f, a: (f["FunctionArn"], a.get("Policy"),
                      f"remove the permission from {f['FunctionName']} (lambda:RemovePermission)"),
    ),
    "ecr": (
        ("describe_repositories", "repositories"), "get_repository_policy",
        lambda r: {"repositoryName": r["repositoryName"]},
        lambda r, a: (r["repositoryArn"], a.get("policyText"),
                      f"narrow the repository policy of {r['repositoryName']}"),
    ),
}  # fmt: skip


def _listed(
    service: str, ctx: ReadContext, account: str, account_id: str, region: str
) -> Iterator[Policy]:
    client = ctx.member(account_id, service, region)
    for arn, text, fix in _each(ctx, client, *LISTED[service]):
        yield Policy("resource-policy", account, region, arn, _json(text), fix)


#: The readers of one account (its global services) and of one account and Region.
GLOBAL: tuple[Callable[[ReadContext, str, str], Iterator[Policy]], ...] = (_roles, _buckets)
REGIONAL: tuple[Callable[[ReadContext, str, str, str], Iterator[Policy]], ...] = (
    _queues, _topics, *(functools.partial(_listed, service) for service in LISTED),
)  # fmt: skip


def _all(read: Callable[..., Iterator[Policy]], *args: Any) -> list[Policy]:
    return list(read(*args))


def read_policies(
    ctx: ReadContext, accounts: Mapping[str, str], regions: list[str]
) -> list[Policy]:
    """Every trust and resource policy of ``accounts`` (name → id) in ``regions``, in a
    stable order (account, resource)."""
    # Account by account, every service of one account at once: each service's calls (under
    # its own rate) run beside the others'. The accounts' AssumeRoles are made first, at once.
    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        list(pool.map(lambda i: ctx.member(i, "iam"), accounts.values()))
    jobs: list[Callable[[], list[Policy]]] = []
    for name, account_id in accounts.items():
        jobs += [functools.partial(_all, read, ctx, name, account_id) for read in GLOBAL]
        jobs += [
            functools.partial(_all, regional, ctx, name, account_id, region)
            for region in regions
            for regional in REGIONAL
        ]
    with ThreadPoolExecutor(max_workers=ctx.max_workers) as pool:
        found = [p for batch in pool.map(lambda job: job(), jobs) for p in batch]
    return sorted(found, key=lambda p: (p.account, p.resource))
