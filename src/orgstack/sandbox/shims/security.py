"""Shims for the organization-level security service APIs moto lacks (each with a test and a
line in the shims' docstring): GuardDuty's organization configuration, Security Hub's admin
listing and standards."""

from __future__ import annotations

import json
from typing import Any

from moto.guardduty import responses as guardduty_responses
from moto.guardduty import urls as guardduty_urls
from moto.securityhub import responses as securityhub_responses
from moto.securityhub import urls as securityhub_urls

from orgstack.sandbox.shims.gaps import _INSTALLED
from orgstack.sandbox.shims.securityhub import standards_of

GUARDDUTY_ADMIN_PATH = "{0}/detector/(?P<detector_id>[^/]+)/admin$"
SECURITYHUB_PATHS = (
    "{0}/organization/admin$",
    "{0}/standards/register$",
    "{0}/standards/get$",
)


def _add_methods(cls: Any, methods: dict[str, Any]) -> list[str]:
    added = [name for name in methods if not hasattr(cls, name)]
    for name in added:
        setattr(cls, name, methods[name])
    return added


def guardduty_organization_configuration() -> None:
    """DescribeOrganizationConfiguration and UpdateOrganizationConfiguration of a detector
    (GET/POST /detector/{id}/admin): AWS keeps auto-enable per detector (NONE until set); moto
    has neither call."""
    cls = guardduty_responses.GuardDutyResponse
    if getattr(cls, "orgstack_shim", False):
        return

    def detector(self: Any) -> Any:
        return self.guardduty_backend.get_detector(self.path.split("/")[-2])

    def describe_organization_configuration(self: Any) -> str:
        auto = getattr(detector(self), "orgstack_auto_enable", "NONE")
        return json.dumps(
            {
                "autoEnable": auto != "NONE",
                "autoEnableOrganizationMembers": auto,
                "memberAccountLimitReached": False,
            }
        )

    def update_organization_configuration(self: Any) -> str:
        found = detector(self)
        auto = self._get_param("autoEnableOrganizationMembers")
        if auto is None:
            auto = "NEW" if self._get_param("autoEnable") else "NONE"
        found.orgstack_auto_enable = auto
        return "{}"

    added = _add_methods(
        cls,
        {
            "describe_organization_configuration": describe_organization_configuration,
            "update_organization_configuration": update_organization_configuration,
        },
    )
    guardduty_urls.url_paths[GUARDDUTY_ADMIN_PATH] = cls.dispatch
    cls.orgstack_shim = True  # type: ignore[attr-defined]

    def undo() -> None:
        for name in added:
            delattr(cls, name)
        guardduty_urls.url_paths.pop(GUARDDUTY_ADMIN_PATH, None)
        cls.orgstack_shim = False  # type: ignore[attr-defined]

    _INSTALLED.append(undo)


def securityhub_organization() -> None:
    """ListOrganizationAdminAccounts, BatchEnableStandards and GetEnabledStandards, which moto
    lacks: the administrator moto records for EnableOrganizationAdminAccount, and standards
    enabled per account and Region (READY at once; AWS takes a moment)."""
    cls = securityhub_responses.SecurityHubResponse
    if getattr(cls, "orgstack_shim", False):
        return

    def list_organization_admin_accounts(self: Any) -> str:
        admin = self.securityhub_backend._get_org_config().get("admin_account_id")
        accounts = [{"AccountId": admin, "Status": "ENABLED"}] if admin else []
        return json.dumps({"AdminAccounts": accounts})

    def standards(self: Any) -> dict[str, str]:
        return standards_of(self.securityhub_backend)

    def batch_enable_standards(self: Any) -> str:
        requests = json.loads(self.body or "{}").get("StandardsSubscriptionRequests", [])
        enabled = standards(self)
        region, account = self.region, self.current_account
        result = []
        for request in requests:
            arn = request["StandardsArn"]
            enabled[arn] = "READY"
            suffix = arn.split(":standards/", 1)[-1]
            result.append(
                {
                    "StandardsSubscriptionArn": (
                        f"arn:aws:securityhub:{region}:{account}:subscription/{suffix}"
                    ),
                    "StandardsArn": arn,
                    "StandardsStatus": "READY",
                }
            )
        return json.dumps({"StandardsSubscriptions": result})

    def get_enabled_standards(self: Any) -> str:
        found = [
            {"StandardsArn": arn, "StandardsStatus": status}
            for arn, status in sorted(standards(self).items())
        ]
        return json.dumps({"StandardsSubscriptions": found})

    added = _add_methods(
        cls,
        {
            "list_organization_admin_accounts": list_organization_admin_accounts,
            "batch_enable_standards": batch_enable_standards,
            "get_enabled_standards": get_enabled_standards,
        },
    )
    for path in SECURITYHUB_PATHS:
        securityhub_urls.url_paths[path] = cls.dispatch
    cls.orgstack_shim = True  # type: ignore[attr-defined]

    def undo() -> None:
        for name in added:
            delattr(cls, name)
        for path in SECURITYHUB_PATHS:
            securityhub_urls.url_paths.pop(path, None)
        cls.orgstack_shim = False  # type: ignore[attr-defined]

    _INSTALLED.append(undo)


def one_administrator_per_service() -> None:
    """GuardDuty and Security Hub have one delegated administrator per organization: AWS
    refuses to designate a second one until the first is removed
    (DisableOrganizationAdminAccount); moto adds (GuardDuty) or replaces (Security Hub) it and
    has no DisableOrganizationAdminAccount. The shim refuses and removes as AWS does."""
    from moto.core.exceptions import JsonRESTError
    from moto.guardduty.models import GuardDutyBackend
    from moto.securityhub.models import SecurityHubBackend

    if getattr(GuardDutyBackend.enable_organization_admin_account, "orgstack_shim", False):
        return
    guardduty_enable = GuardDutyBackend.enable_organization_admin_account
    securityhub_enable = SecurityHubBackend.enable_organization_admin_account

    def guardduty_enable_one(self: Any, admin_account_id: str) -> None:
        others = [a for a in self.admin_account_ids if a != admin_account_id]
        if others:
            raise JsonRESTError(
                "BadRequestException",
                f"The request failed because account {others[0]} is already the delegated "
                "administrator of GuardDuty for the organization.",
            )
        if admin_account_id not in self.admin_account_ids:
            guardduty_enable(self, admin_account_id)

    def securityhub_enable_one(self: Any, admin_account_id: str) -> None:
        current = self._get_org_config().get("admin_account_id")
        if current and current != admin_account_id:
            raise JsonRESTError(
                "ResourceConflictException",
                f"Account {current} is already the delegated administrator of Security Hub.",
            )
        securityhub_enable(self, admin_account_id)

    def guardduty_disable(self: Any) -> str:
        admin = self._get_param("adminAccountId")
        backend = self.guardduty_backend
        backend.admin_account_ids = [a for a in backend.admin_account_ids if a != admin]
        return "{}"

    def securityhub_disable(self: Any) -> str:
        admin = json.loads(self.body or "{}").get("AdminAccountId")
        config = self.securityhub_backend._get_org_config()
        if config.get("admin_account_id") == admin:
            config["admin_account_id"] = None
        return "{}"

    guardduty_enable_one.orgstack_shim = True  # type: ignore[attr-defined]
    GuardDutyBackend.enable_organization_admin_account = guardduty_enable_one  # type: ignore[method-assign]
    SecurityHubBackend.enable_organization_admin_account = securityhub_enable_one  # type: ignore[method-assign]
    gd_cls = guardduty_responses.GuardDutyResponse
    sh_cls = securityhub_responses.SecurityHubResponse
    disable = "disable_organization_admin_account"
    added: list[tuple[Any, str]] = [
        (gd_cls, n) for n in _add_methods(gd_cls, {disable: guardduty_disable})
    ]
    added += [(sh_cls, n) for n in _add_methods(sh_cls, {disable: securityhub_disable})]
    paths = [
        (guardduty_urls.url_paths, "{0}/admin/disable$", gd_cls.dispatch),
        (securityhub_urls.url_paths, "{0}/organization/admin/disable$", sh_cls.dispatch),
    ]
    for table, path, handler in paths:
        table[path] = handler

    def undo() -> None:
        GuardDutyBackend.enable_organization_admin_account = guardduty_enable  # type: ignore[method-assign]
        SecurityHubBackend.enable_organization_admin_account = securityhub_enable  # type: ignore[method-assign]
        for cls, name in added:
            delattr(cls, name)
        for table, path, _ in paths:
            table.pop(path, None)

    _INSTALLED.append(undo)
