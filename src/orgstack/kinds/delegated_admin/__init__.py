"""Delegated administrators (``security:``): the security account administers GuardDuty,
Security Hub, IAM Access Analyzer and AWS Config for the whole organization, so the security
team sees every account's findings without working in the management account.

Addresses: ``delegated-admin:organization/<service principal>``; the value names the account.
Registered from the management account (RegisterDelegatedAdministrator) after the plan has
enabled the service's trusted access. A registration the spec no longer declares, or one of
another account, is deregistered only with ``--allow-delete`` (deregistering stops the
service's organization-wide administration), else reported.
"""

from orgstack.model.kind import KindInfo, Removal

KIND = KindInfo(
    prefix="delegated-admin",
    summary="delegated administrators of the security services (security)",
    removal={"": Removal.DELETE},
    after=("trusted-access",),
    phase=20,
    absent="registered in AWS, not in the spec",
)
