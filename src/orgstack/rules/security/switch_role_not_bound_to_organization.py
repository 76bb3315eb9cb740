"""A policy lets its holders assume roles in any AWS account, not only the organization's.

What it does: Looks at every orgstack group's switch-role policy and every level's inline
policy (as the matrix implies them, or as audit reads them from AWS): a statement that allows
sts:AssumeRole on a role ARN whose account is "*" (or on "*") must bound it with a condition on
aws:ResourceOrgID, aws:ResourceOrgPaths or aws:ResourceAccount.

Why it matters: arn:aws:iam::*:role/Admin matches a role of that name in every AWS account in
the world. Anyone who makes such a role in their own account, trusting your users, can make
your people's sessions run in an account your organization does not control (data can be
copied out there, and nothing your guardrails watch records it).

Example: An inline level policy with "Action": "sts:AssumeRole", "Resource":
"arn:aws:iam::*:role/*" and no condition.

Fix: Add "Condition": {"StringEquals": {"aws:ResourceOrgID": "<your organization id>"}} (orgstack
does so in the switch-role policies it writes), or name the accounts in the ARNs.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel, Source
from orgstack.model.access import group_name
from orgstack.model.kind import in_account
from orgstack.model.policydoc import assumes_roles_anywhere
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import access_values

RULE = define(__name__, __doc__, id="LZ213", severity="warning", doc_url=sources.RESOURCE_ORG_ID)

#: Which value of an access object holds which policy.
POLICIES = {"group": "assume", "role": "inline", "permission-set": "inline"}


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    if model.access is None:
        return
    sources_by_name: dict[str, Source | None] = {
        group_name(g.name): g.source for g in model.access.groups
    } | {level.role_name: level.source for level in model.access.levels}
    seen: set[tuple[str, str, str]] = set()
    for address, value in sorted(access_values(model).items()):
        kind, name = in_account(address).split("/", 1)[0], address.rsplit("/", 1)[-1]
        key = POLICIES.get(kind)
        if key is None:
            continue
        resources = assumes_roles_anywhere(value.get(key))
        # A level's policy is the same in every account it is granted in: one finding.
        if resources and (kind, name, str(resources)) not in seen:
            seen.add((kind, name, str(resources)))
            yield RULE.finding(
                address,
                f"{name} may assume roles in any AWS account ({', '.join(sorted(resources))}): "
                "no aws:ResourceOrgID, aws:ResourceOrgPaths or aws:ResourceAccount condition",
                sources_by_name.get(name),
            )
