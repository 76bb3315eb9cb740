"""The break-glass role (``break_glass:``): the one role the log archive's and the backup
account's guardrails exempt — it may delete logs, disable the archive's keys, loosen a vault —
made by orgstack itself in the accounts that need it, trusting only the principals the spec
names, with MFA. No one else can make it: the protect-break-glass-role guardrail denies
creating, re-trusting or changing a role of that name in every member account to all but
orgstack's access role, and a role of that name found in any other account of the
organization (made before the guardrail, or by hand) is revoked in every plan: it trusts
nobody and loses its policies.

Trusted names that are orgstack's IAM users (access.mode iam) also get an inline policy in
the identity account allowing sts:AssumeRole on the role, with MFA: across accounts AWS asks
both the role's trust and the caller's own policies.

Without access.mode iam (Identity Center, or no access:), the trusted names are IAM users this
kind makes in the management account (no password, no key: the person sets up their
credentials and MFA), since a trust policy may only name a principal that exists.

Addresses: ``break-glass:<account>/role``, ``break-glass:<identity account>/permission/<user>``,
``break-glass:<management>/user/<name>``.
"""

from orgstack.model.kind import KindInfo, Removal

KIND = KindInfo(
    prefix="break-glass",
    summary="the break-glass role in the log archive and backup accounts (break_glass)",
    types=("user", "role", "permission"),
    type_index=1,
    removal={"role": Removal.REVOKE, "permission": Removal.DELETE, "user": Removal.REPORT},
    after=("access",),
    phase=55,
    group_title="Break-glass role, by account:",
    full_updates=True,
    detach_reason="not a break-glass account of the spec",
)
