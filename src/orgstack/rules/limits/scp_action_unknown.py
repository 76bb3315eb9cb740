"""An SCP names an action, or a service prefix, that AWS does not have.

What it does: Looks up every Action and NotAction of every SCP and RCP in parliament's offline
database of IAM actions and in the operations of every service botocore's models describe
(newer than parliament's database: account:PutAccountName), names compared
case-insensitively; wildcards must match at least one action of the service. An action found
in neither is a warning naming the closest action of that service.

Why it matters: AWS accepts a policy that names an action it does not have, and the
statement then does nothing: a Deny of "s3:GetObjectt" denies nothing, and a misspelt
exemption in a NotAction list denies what was meant to stay allowed.

Example: {"Effect": "Deny", "Action": "s3:GetObjectt", "Resource": "*"}.

Fix: Correct the name (the message suggests the closest one); the Service Authorization
Reference lists every action.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel, PolicyType
from orgstack.model.policydoc import as_list
from orgstack.rules import sources
from orgstack.rules.actions import unknown
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import statements

RULE = define(__name__, __doc__, id="LZ019", severity="warning", doc_url=sources.SCP_SYNTAX)
TYPES = (PolicyType.SERVICE_CONTROL, PolicyType.RESOURCE_CONTROL)


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
