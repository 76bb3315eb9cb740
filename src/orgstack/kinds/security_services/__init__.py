"""The organization's security services (``security:``), per Region: GuardDuty, Security Hub
and IAM Access Analyzer administered by the security account. In each Region the management
account makes the security account the service's administrator, and the security account runs
the service for every account: a GuardDuty detector that enrols all accounts (auto-enable
ALL), a Security Hub hub that enrols new accounts (with none of AWS's default standards) and
runs the spec's standards, every other account of the spec enrolled as a Security Hub member
(auto-enable covers only accounts that join later) running the same standards, an
organization analyzer (administered through the Organizations delegation), and in the home
Region the organization's Config aggregator.

Addresses: ``security-service:<account>/<region>/<service>-<part>``:
``<management>/<region>/guardduty-admin``, ``<security>/<region>/guardduty-detector``,
``<management>/<region>/securityhub-admin``, ``<security>/<region>/securityhub-hub``,
``<account>/<region>/securityhub-member``, ``<security>/<region>/accessanalyzer-analyzer``,
``<security>/<home>/config-aggregator``.
Anything changed out of band is drift and is restored; orgstack never disables a service.
"""

from orgstack.model.kind import KindInfo

KIND = KindInfo(
    sections=("security",),
    prefix="security-service",
    summary="GuardDuty and Security Hub administered by the security account, per Region",
    types=(
        "guardduty-admin",
        "securityhub-admin",
        "guardduty-detector",
        "securityhub-hub",
        "securityhub-member",
        "accessanalyzer-analyzer",
        "config-aggregator",
    ),
    type_index=2,
    after=("delegated-admin", "trusted-access"),
    phase=60,
    group_title="Security services, by account:",
    full_updates=True,
)
