"""GuardDuty's organization membership as AWS documents it (a shim with a test and a line in
the shims' docstring), which moto lacks entirely:

- auto-enable ALL on the administrator's detector makes every account of the organization a
  member, NEW and ALL enrol accounts that join later;
- ListMembers, DisassociateMembers and DeleteMembers (moto has none): members cannot be
  disassociated or deleted while auto-enable is ALL;
- DisableOrganizationAdminAccount is refused while the administrator still has members:
  "Before you remove a delegated GuardDuty administrator account, you must disassociate all
  the member accounts ... and then delete them" (GuardDuty User Guide, Changing the delegated
  GuardDuty administrator account).
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.guardduty import responses, urls

from orgstack.sandbox.shims.gaps import kept, organization_of, replace_method

PATHS = (
    "{0}/detector/(?P<detector_id>[^/]+)/member$",
    "{0}/detector/(?P<detector_id>[^/]+)/member/disassociate$",
    "{0}/detector/(?P<detector_id>[^/]+)/member/delete$",
)
ENABLED, REMOVED = "Enabled", "Removed"


def _members(detector: Any) -> dict[str, str]:
    """Account id → relationship status of the detector's members."""
    return kept(detector, "orgstack_members")


def _detector(self: Any) -> Any:
    return self.guardduty_backend.get_detector(self.path.split("/")[2])


def _admin_detectors(org_backend: Any) -> dict[tuple[str, str], Any]:
    """(administrator, Region) → its detector whose organization configuration was set."""
    return kept(org_backend, "orgstack_guardduty")


def _refuse_while_all(detector: Any, what: str) -> None:
    if getattr(detector, "orgstack_auto_enable", "NONE") == "ALL":
        raise JsonRESTError(
            "BadRequestException",
            f"The request is rejected because the organization's auto-enable setting is ALL: "
            f"{what} is not allowed; set autoEnableOrganizationMembers to NEW or NONE first.",
        )


def list_members(self: Any) -> str:
    detector = _detector(self)
    only = str(self._get_param("onlyAssociated", "true")).lower() != "false"
    now = datetime.datetime.now(datetime.UTC).isoformat()
    found = [
        {
            "accountId": account,
            "detectorId": detector.id,
            "administratorId": self.current_account,
            "masterId": self.current_account,
            "email": "",
            "relationshipStatus": status,
            "invitedAt": now,
            "updatedAt": now,
        }
        for account, status in sorted(_members(detector).items())
        if not only or status == ENABLED
    ]
    return json.dumps({"members": found})


def disassociate_members(self: Any) -> str:
    detector = _detector(self)
    _refuse_while_all(detector, "disassociating members")
    unprocessed = []
    for account in json.loads(self.body or "{}").get("accountIds", []):
        if account in _members(detector):
            _members(detector)[account] = REMOVED
        else:
            unprocessed.append({"accountId": account, "result": "The account is not a member."})
    return json.dumps({"unprocessedAccounts": unprocessed})


def delete_members(self: Any) -> str:
    detector = _detector(self)
    _refuse_while_all(detector, "deleting members")
    unprocessed = []
    for account in json.loads(self.body or "{}").get("accountIds", []):
        if _members(detector).get(account) == REMOVED:
            del _members(detector)[account]
        else:
            unprocessed.append(
                {"accountId": account, "result": "Disassociate the member account first."}
            )
    return json.dumps({"unprocessedAccounts": unprocessed})


def guardduty_membership() -> None:
    """Install the membership shim (see the module's docstring); after the shims of
    ``security.py`` whose calls it extends."""
    from moto.guardduty.models import guardduty_backends
    from moto.organizations.models import OrganizationsBackend

    cls = responses.GuardDutyResponse
    update = cls.update_organization_configuration  # type: ignore[attr-defined]
    disable = cls.disable_organization_admin_account  # type: ignore[attr-defined]
    create_account = OrganizationsBackend.create_account

    def update_organization_configuration(self: Any) -> str:
        answer: str = update(self)
        detector = _detector(self)
        organization = organization_of(self.current_account)
        if organization is None:
            return answer
        _admin_detectors(organization)[(self.current_account, self.region)] = detector
        if detector.orgstack_auto_enable == "ALL":
            for account in organization.accounts:
                if account.id != self.current_account:
                    _members(detector)[account.id] = ENABLED
        return answer

    def disable_organization_admin_account(self: Any) -> str:
        admin = self._get_param("adminAccountId")
        for detector in guardduty_backends[admin][self.region].detectors.values():
            if _members(detector):
                raise JsonRESTError(
                    "BadRequestException",
                    f"The request is rejected because the delegated administrator {admin} still "
                    "has member accounts; disassociate and delete them first.",
                )
        return str(disable(self))

    def create_account_and_enrol(self: Any, **kwargs: Any) -> dict[str, Any]:
        answer: dict[str, Any] = create_account(self, **kwargs)
        new = answer.get("CreateAccountStatus", {}).get("AccountId")
        for detector in _admin_detectors(self).values() if new else ():
            if getattr(detector, "orgstack_auto_enable", "NONE") in ("ALL", "NEW"):
                _members(detector)[new] = ENABLED
        return answer

    replace_method(cls, "update_organization_configuration", update_organization_configuration)
    replace_method(cls, "disable_organization_admin_account", disable_organization_admin_account)
    for method in (list_members, disassociate_members, delete_members):
        if not hasattr(cls, method.__name__):
            setattr(cls, method.__name__, method)
    for path in PATHS:
        urls.url_paths[path] = cls.dispatch
    replace_method(OrganizationsBackend, "create_account", create_account_and_enrol)
