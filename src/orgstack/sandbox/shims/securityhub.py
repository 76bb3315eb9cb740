"""Security Hub's organization membership as AWS documents it (a shim with a test and a line
in the shims' docstring), which moto lacks:

- the organization configuration is per Region (moto keeps one for every Region);
- CreateMembers, the administrator's only, makes an organization account a member at once and
  turns Security Hub on in it with AWS's default standards unless the configuration's
  AutoEnableStandards is NONE (an account that has Security Hub keeps its standards); it
  refuses the management account until that account turned Security Hub on itself;
- AutoEnable enrols only accounts that join the organization later (moto enrols none);
- EnableSecurityHub turns the default standards on unless told not to;
- ListMembers answers ``MemberStatus`` as AWS does and honours ``OnlyAssociated=false``.
"""

from __future__ import annotations

import datetime
from typing import Any

from moto.core.exceptions import JsonRESTError

from orgstack.sandbox.shims.gaps import kept, organization_of, replace_method

#: What AWS turns on with Security Hub unless told not to (EnableDefaultStandards, or an
#: organization configuration with AutoEnableStandards NONE).
DEFAULT_STANDARDS = (
    "arn:aws:securityhub:{region}::standards/aws-foundational-security-best-practices/v/1.0.0",
    "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0",
)
ENABLED = "Enabled"
MANAGEMENT_FIRST = (
    "The organization management account must enable Security Hub before it can be added as a "
    "member account"
)


def standards_of(backend: Any) -> dict[str, str]:
    """Standard ARN → status of the standards on in one account and Region."""
    return kept(backend, "orgstack_standards")


def _defaults(backend: Any) -> None:
    for arn in DEFAULT_STANDARDS:
        standards_of(backend)[arn.format(region=backend.region_name)] = "READY"


def _turn_on(backend: Any, default_standards: bool) -> None:
    """Security Hub on in the backend's account and Region, as AWS does it for a member."""
    if backend.enabled:
        return  # AWS changes nothing in an account that has Security Hub already
    backend.enabled = True
    backend.enabled_at = datetime.datetime.now(datetime.UTC).isoformat()
    backend.tags = {}
    if default_standards:
        _defaults(backend)


def _record(account_id: str, admin_id: str, status: str = ENABLED) -> dict[str, str]:
    now = datetime.datetime.now(datetime.UTC).isoformat()
    return {
        "AccountId": account_id,
        "AdministratorId": admin_id,
        "MasterId": admin_id,
        "MemberStatus": status,
        "InvitedAt": now,
        "UpdatedAt": now,
    }


def _org_config(self: Any) -> dict[str, Any]:
    """The organization configuration of this Region."""
    from moto.organizations.exceptions import AWSOrganizationsNotInUseException
    from moto.securityhub.models import SecurityHubBackend

    try:
        org = self.org_backend.describe_organization()["Organization"]
    except AWSOrganizationsNotInUseException:
        raise JsonRESTError(
            "AWSOrganizationsNotInUseException",
            "Your account is not a member of an organization.",
        ) from None
    found: dict[str, Any] = SecurityHubBackend._org_configs.setdefault(
        f"{org['Id']}/{self.region_name}",
        {
            "admin_account_id": None,
            "auto_enable": False,
            "auto_enable_standards": "DEFAULT",
            "configuration": {"ConfigurationType": "LOCAL", "Status": "ENABLED"},
        },
    )
    return found


def _enrol(self: Any, account_id: str, config: dict[str, Any]) -> str | None:
    """Make an organization account a member (None), or say why not."""
    from moto.securityhub.models import securityhub_backends

    member = securityhub_backends[account_id][self.region_name]
    if account_id == organization_of(self.account_id).org.master_account_id and not member.enabled:
        return MANAGEMENT_FIRST
    _turn_on(member, config["auto_enable_standards"] != "NONE")
    self.members[account_id] = _record(account_id, self.account_id)
    return None


def _create_members(self: Any, account_details: list[dict[str, str]]) -> list[dict[str, str]]:
    if not self.enabled:
        raise JsonRESTError(
            "InvalidAccessException", "Account is not subscribed to AWS Security Hub"
        )
    config = _org_config(self)
    organization = organization_of(self.account_id)
    in_org = {a.id for a in organization.accounts} if organization is not None else set()
    unprocessed: list[dict[str, str]] = []
    for detail in account_details:
        account_id = detail.get("AccountId", "")
        if self.members.get(account_id, {}).get("MemberStatus") == ENABLED:
            why: str | None = f"Account {account_id} is already a member"
        elif account_id in in_org and config["admin_account_id"] == self.account_id:
            why = _enrol(self, account_id, config)
        else:  # outside the organization: created, then invited by e-mail
            self.members[account_id] = _record(account_id, self.account_id, "Created")
            why = None
        if why is not None:
            unprocessed.append({"AccountId": account_id, "ProcessingResult": why})
    return unprocessed


def _list_members(
    self: Any, only_associated: Any = None, **_page: Any
) -> tuple[list[dict[str, str]], None]:
    only = str(only_associated).lower() != "false"
    found = [
        dict(m)
        for m in self.members.values()
        if not only or str(m.get("MemberStatus", "")).lower() == "enabled"
    ]
    return found, None


def securityhub_membership() -> None:
    """Install the membership shim (see the module's docstring)."""
    from moto.organizations.models import OrganizationsBackend
    from moto.securityhub.models import SecurityHubBackend, securityhub_backends

    enable = SecurityHubBackend.enable_security_hub
    create_account = OrganizationsBackend.create_account

    def enable_security_hub(
        self: Any, enable_default_standards: bool = True, tags: dict[str, str] | None = None
    ) -> dict[str, Any]:
        was = self.enabled
        enable(self, enable_default_standards=enable_default_standards, tags=tags)
        if not was and enable_default_standards:
            _defaults(self)
        return {}

    def create_account_and_enrol(self: Any, **kwargs: Any) -> dict[str, Any]:
        answer: dict[str, Any] = create_account(self, **kwargs)
        new = answer.get("CreateAccountStatus", {}).get("AccountId")
        prefix = f"{self.org.id}/" if self.org is not None else None
        for key, config in list(SecurityHubBackend._org_configs.items()):
            admin = config.get("admin_account_id")
            if new and prefix and key.startswith(prefix) and config.get("auto_enable") and admin:
                region = key.split("/", 1)[1]
                _turn_on(
                    securityhub_backends[new][region], config["auto_enable_standards"] != "NONE"
                )
                securityhub_backends[admin][region].members[new] = _record(new, admin)
        return answer

    replace_method(SecurityHubBackend, "_get_org_config", _org_config)
    replace_method(SecurityHubBackend, "enable_security_hub", enable_security_hub)
    replace_method(SecurityHubBackend, "create_members", _create_members)
    replace_method(SecurityHubBackend, "list_members", _list_members)
    replace_method(OrganizationsBackend, "create_account", create_account_and_enrol)
