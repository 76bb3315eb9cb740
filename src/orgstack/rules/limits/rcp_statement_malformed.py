"""A resource control policy (RCP) statement is not well-formed.

What it does: Checks every statement of every RCP you declare: Effect is "Deny" (AWS allows
"Allow" only in its own RCPFullAWSAccess); Principal is "*" and NotPrincipal is absent (an RCP
applies to every principal; narrow it with a Condition); Action (NotAction is not supported)
of "*" or "service:Action" patterns; exactly one of Resource and NotResource, each "*" or an
ARN; only the keys Sid, Effect, Principal, Action, Resource, NotResource and Condition; a
Condition of operators AWS has. Version must be "2012-10-17".

Why it matters: AWS rejects a malformed RCP when orgstack uploads it, in the middle of an
apply.

Example: {"Effect": "Deny", "Action": "s3:*", "Resource": "*"} (no Principal).

Fix: Correct the statement; see the RCP syntax reference linked here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from orgstack.model import OrgModel, PolicyType
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import (
    action_problems,
    condition_problems,
    document,
    resource_problems,
    statements,
)

KEYS = {"Sid", "Effect", "Principal", "Action", "Resource", "NotResource", "Condition"}
RULE = define(__name__, __doc__, id="LZ021", severity="error", doc_url=sources.RCP_SYNTAX)


def problems(statement: dict[str, Any]) -> Iterator[str]:
    if statement.get("Effect") != "Deny":
        yield f'Effect is {statement.get("Effect")!r}; an RCP you write can only "Deny"'
    if statement.get("Principal") != "*":
        yield f'Principal is {statement.get("Principal")!r}; an RCP needs "Principal": "*"'
    if "Action" not in statement:
        yield "needs Action (RCPs do not support NotAction)"
    if ("Resource" in statement) == ("NotResource" in statement):
        yield "needs exactly one of Resource and NotResource"
    yield from action_problems(statement)
    yield from resource_problems(statement)
    for key in sorted(set(statement) - KEYS):
        yield f"has unknown key {key!r}" + (" (not supported in RCPs)" if key[:3] == "Not" else "")
    yield from condition_problems(statement)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for policy in model.policies:
        if policy.type != PolicyType.RESOURCE_CONTROL or policy.aws_managed:
            continue
        if document(policy).get("Version") != "2012-10-17":
            yield RULE.at(policy, f'RCP {policy.name}: Version must be "2012-10-17"')
        for index, statement in enumerate(statements(policy)):
            label = str(statement.get("Sid") or f"#{index + 1}")
            for problem in problems(statement):
                yield RULE.at(policy, f"RCP {policy.name}, statement {label}: {problem}")
