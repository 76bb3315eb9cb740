"""An SCP statement is not well-formed.

What it does: Checks every statement of every SCP: Effect is Allow or Deny; exactly one of
Action and NotAction; exactly one of Resource and NotResource, each a string or a list of
strings ("Action": 5 is refused); actions are "*" or
"service:Action" patterns (case-insensitive); resources are "*" or ARNs of six parts
(partition, service, region, account as AWS has them; wildcards and policy variables allowed);
no keys other than Sid, Effect, Action, NotAction, Resource, NotResource and Condition;
Condition is an object of operators AWS has (checked against parliament's list:
"StringNotEqual" or "ForAnyValues:" are refused). Principal and NotPrincipal are reported by
LZ007.

Why it matters: AWS rejects a malformed SCP only when orgstack uploads it, in the middle of an
apply; a typo such as "Effects" is refused outright.

Example: {"Effect": "deny", "Action": "s3:*"} (lower-case effect, no Resource).

Fix: Correct the statement; see the SCP syntax reference linked here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import (
    SCP,
    action_problems,
    condition_problems,
    resource_problems,
    shape_problems,
    statement_path,
    statements,
)

KEYS = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"}

RULE = define(__name__, __doc__, id="LZ006", severity="error", doc_url=sources.SCP_SYNTAX)


def problems(statement: dict[str, Any]) -> Iterator[tuple[str | None, str]]:
    """(the key to fix, or None for the statement, problem) of one statement."""
    shapes = shape_problems(statement)
    yield from shapes
    if statement.get("Effect") not in ("Allow", "Deny") and isinstance(
        statement.get("Effect"), str
    ):
        yield "Effect", f'Effect is {statement.get("Effect")!r}, not "Allow" or "Deny"'
    elif "Effect" not in statement:
        yield None, 'Effect is None, not "Allow" or "Deny"'
    for one, other in (("Action", "NotAction"), ("Resource", "NotResource")):
        if (one in statement) == (other in statement):
            yield None, f"needs exactly one of {one} and {other}"
    yield from (("Action", p) for p in action_problems(statement))
    yield from (("Resource", p) for p in resource_problems(statement))
    for key in sorted(set(statement) - KEYS - {"Principal", "NotPrincipal"}):
        yield key, f"has unknown key {key!r}"
    yield from (("Condition", p) for p in condition_problems(statement))


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for policy in model.policies:
        if policy.type != SCP:
            continue
        for index, statement in enumerate(statements(policy)):
            label = str(statement.get("Sid") or f"#{index + 1}")
            at = statement_path(policy, index)
            for key, problem in problems(statement):
                yield RULE.finding(
                    policy.address,
                    f"SCP {policy.name}, statement {label}: {problem}",
                    policy.located((*at, key) if key else at),
                )
