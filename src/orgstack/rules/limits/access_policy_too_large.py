"""A switch-role trust policy or group policy is longer than IAM allows.

What it does: Measures, minified as orgstack uploads them, each role's trust policy (2,048
characters by default, 4,096 at most after a quota increase) and each group's switch-role
inline policy (5,120 characters for all of a group's inline policies).

Why it matters: IAM refuses a longer document (LimitExceeded / MalformedPolicyDocument), so
the apply fails half-way. Trust policies list each user a role trusts, and group policies each
role a group may enter, so both grow with the organization.

Example: 60 users granted the same level in one account (about 2,700 characters of trust).

Fix: Request the "Role trust policy length" quota increase (up to 4,096), split broad groups,
or move to IAM Identity Center, whose permission sets have no per-user trust.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel, minified
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import access_roles, access_values

RULE = define(__name__, __doc__, id="LZ018", severity="error", doc_url=sources.IAM_QUOTAS)
TRUST_DEFAULT, TRUST_MAX, GROUP_INLINE_MAX = 2048, 4096, 5120
#: An account id is 12 characters; ``{account:NAME}`` placeholders are measured as one.
ID_LENGTH = 12


def size(document: object) -> int:
    text = minified(document)
    for part in text.split("{account:")[1:]:
        text = text.replace("{account:" + part.split("}", 1)[0] + "}", "x" * ID_LENGTH)
    return len(text)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    roles = access_roles(model)
    # Roles of one level share one trust document: measured once (10,000 roles, 2 documents).
    sizes: dict[int, int] = {}
    for role in roles:
        length = sizes.get(id(role.trust)) or sizes.setdefault(id(role.trust), size(role.trust))
        if length > TRUST_MAX:
            yield RULE.finding(
                role.address,
                f"trust policy of {role.role} in {role.account} is {length} characters; "
                f"IAM allows at most {TRUST_MAX}",
                role.source,
            )
        elif length > TRUST_DEFAULT:
            yield RULE.finding(
                role.address,
                f"trust policy of {role.role} in {role.account} is {length} characters; the "
                f"default quota is {TRUST_DEFAULT} (request up to {TRUST_MAX} first)",
                role.source,
            )
    if model.access is None or model.access.mode != "iam":
        return
    from orgstack.kinds.access.vocabulary import kind_of

    for address, value in access_values(model).items():
        assume = value.get("assume") if kind_of(address) == "group" else None
        if assume and size(assume) > GROUP_INLINE_MAX:
            group = address.rsplit("/", 1)[-1]
            yield RULE.finding(
                address,
                f"switch-role policy of group {group} is {size(assume)} characters; IAM allows "
                f"{GROUP_INLINE_MAX} of inline policy per group",
                model.access.source,
            )
