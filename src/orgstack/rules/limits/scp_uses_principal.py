"""An SCP statement names a Principal or NotPrincipal.

What it does: Flags SCP statements with a Principal or NotPrincipal element.

Why it matters: SCPs apply to every principal of the accounts they are attached to and do not
support Principal or NotPrincipal; AWS rejects such a policy. To exempt a role, a Condition on
aws:PrincipalArn is the supported way.

Example: {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/Admin"}, ...}

Fix: Replace it with "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Admin"}}.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgstack.model import OrgModel
from orgstack.rules import sources
from orgstack.rules.base import Finding, define
from orgstack.rules.helpers import scp_statements

RULE = define(__name__, __doc__, id="LZ007", severity="error", doc_url=sources.SCP_SYNTAX)


@RULE.checker
def check(model: OrgModel) -> Iterator[Finding]:
    for policy, label, statement in scp_statements(model):
        for key in ("Principal", "NotPrincipal"):
            if key in statement:
                yield RULE.at(
                    policy,
                    f"SCP {policy.name}, statement {label}: SCPs do not support {key}; "
                    "use a Condition on aws:PrincipalArn",
                )
