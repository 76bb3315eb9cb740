"""An SCP names an action, or a service prefix, that AWS does not have.

What it does: Looks up every Action and NotAction of every SCP and RCP in parliament's offline
database of IAM actions (names compare case-insensitively; wildcards must match at least one
action of the service).

Why it matters: AWS accepts a policy that names an action it does not have, and the
statement then does nothing: a Deny of "s3:GetObjectt" denies nothing, and a misspelt
exemption in a NotAction list denies what was meant to stay allowed.

Example: {"Effect": "Deny", "Action": "s3:GetObjectt", "Resource": "*"}.

Fix: Correct the name (the message suggests the closest one); the Service Authorization
Reference lists every action.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from orgstack.model import OrgModel, PolicyType
from orgstack.model.policydoc import as_list
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import statements

RULE = define(__name__, __doc__, id="LZ019", severity="warning", doc_url=sources.SCP_SYNTAX)
TYPES = (PolicyType.SERVICE_CONTROL, PolicyType.RESOURCE_CONTROL)


def unknown(action: str) -> str | None:
    """Why ``action`` names nothing AWS has (None: it names something)."""
    from parliament import (
        UnknownActionException,
        UnknownPrefixException,
        expand_action,
        iam_definition,
    )

    if action == "*" or ":" not in action:
        return None  # "*", or a malformed name LZ006 reports
    try:
        expand_action(action)
    except UnknownPrefixException:
        return f"no AWS service has the prefix {action.split(':', maxsplit=1)[0]!r}"
    except UnknownActionException:
        prefix, name = action.split(":", 1)
        names = [
            p["privilege"]
            for s in iam_definition
            if s["prefix"] == prefix.lower()
            for p in s["privileges"]
        ]
        close = difflib.get_close_matches(name, names, n=1)
        return f"{prefix} has no action matching {name!r}" + (
            f" (did you mean {prefix}:{close[0]}?)" if close else ""
        )
    return None


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for policy in model.policies:
        if policy.type not in TYPES or policy.aws_managed:
            continue
        for index, statement in enumerate(statements(policy)):
            label = statement.get("Sid") or f"#{index + 1}"
            for action in as_list(statement.get("Action")) + as_list(statement.get("NotAction")):
                why = unknown(action)
                if why is not None:
                    yield RULE.at(policy, f"{policy.name}, statement {label}: {action}: {why}")
