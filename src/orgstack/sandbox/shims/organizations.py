"""AWS Organizations' limits and grammar, which moto does not enforce (the sandbox must refuse
what AWS refuses, so a plan tried on the sandbox fails where it would fail on AWS). Each
refusal uses AWS's error code and reason; each has a test against plain moto's behaviour."""

from __future__ import annotations

import json
from typing import Any

from moto.organizations import models
from moto.organizations.exceptions import (
    ConstraintViolationException,
    DuplicateOrganizationalUnitException,
    InvalidInputException,
    OrganizationsClientError,
    PolicyTypeNotEnabledException,
)

from orgstack.sandbox.shims.gaps import _INSTALLED

#: Characters of a policy document, by type (the document as sent; orgstack sends it minified).
POLICY_SIZE = {
    "SERVICE_CONTROL_POLICY": 5120,
    "RESOURCE_CONTROL_POLICY": 5120,
    "TAG_POLICY": 10000,
    "BACKUP_POLICY": 10000,
    "AISERVICES_OPT_OUT_POLICY": 2500,
    "CHATBOT_POLICY": 10000,
    "DECLARATIVE_POLICY_EC2": 10000,
    # AWS's quotas list Security Hub's as 10,000; the management policies after it the same
    "SECURITYHUB_POLICY": 10000,
    "SECURITYHUB_CSPM_POLICY": 10000,
    "INSPECTOR_POLICY": 10000,
    "UPGRADE_ROLLOUT_POLICY": 10000,
    "BEDROCK_POLICY": 10000,
    "S3_POLICY": 10000,
    "NETWORK_SECURITY_DIRECTOR_POLICY": 10000,
    "GUARDDUTY_POLICY": 10000,
}
#: Policies of one type attached directly to one root, OU or account.
PER_TARGET = {
    "SERVICE_CONTROL_POLICY": 5,
    "RESOURCE_CONTROL_POLICY": 5,
    "TAG_POLICY": 10,
    "BACKUP_POLICY": 10,
    "AISERVICES_OPT_OUT_POLICY": 5,
    "CHATBOT_POLICY": 5,
    "DECLARATIVE_POLICY_EC2": 10,
}
#: Management policy types beyond those above: AWS's quotas page gives 10 per target for the
#: management types it lists; the sandbox applies that to the others.
MANAGEMENT_PER_TARGET = 10
OU_DEPTH = 5
OU_NAME = 128
ACCOUNT_NAME = 50


class MalformedPolicyDocumentException(OrganizationsClientError):  # noqa: N818 (AWS's name)
    def __init__(self, message: str) -> None:
        super().__init__("MalformedPolicyDocumentException", message)


def _constraint(reason: str, message: str) -> ConstraintViolationException:
    """AWS's ConstraintViolationException, its reason named in the message."""
    return ConstraintViolationException(f"{message} (Reason: {reason})")


def _too_long(what: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise InvalidInputException(
            f"You provided a value that exceeds the maximum allowed length: {what} has "
            f"{len(value)} characters, at most {limit} are allowed."
        )


def _check_content(policy_type: str, content: str) -> None:
    try:
        json.loads(content)
    except ValueError:
        raise MalformedPolicyDocumentException(
            "The provided policy document does not meet the requirements of the specified "
            "policy type."
        ) from None
    limit = POLICY_SIZE.get(policy_type)
    if limit is not None and len(content) > limit:
        raise _constraint(
            "POLICY_CONTENT_LIMIT_EXCEEDED",
            f"You attempted to create a policy larger than the maximum size: {len(content)} "
            f"characters, at most {limit} for {policy_type}.",
        )


def _depth(backend: Any, parent_id: str) -> int:
    """How many OUs stand between the root and a new OU under ``parent_id``, the new one
    included."""
    depth = 1
    parents = {ou.id: ou.parent_id for ou in backend.ou if getattr(ou, "type", "") != "ROOT"}
    while parent_id in parents:
        depth, parent_id = depth + 1, parents[parent_id]
    return depth


def organizations_limits() -> None:
    """Refuse what AWS refuses: policy size and JSON, policies per target, attaching a type
    the root has not enabled, OU depth, duplicate OU names under one parent, name lengths
    (idempotent)."""
    backend = models.OrganizationsBackend
    if getattr(backend.create_policy, "orgstack_shim", False):
        return
    originals = {
        name: getattr(backend, name)
        for name in (
            "create_policy",
            "update_policy",
            "attach_policy",
            "create_organizational_unit",
            "update_organizational_unit",
            "create_account",
        )
    }

    def create_policy(self: Any, **kwargs: Any) -> Any:
        _check_content(kwargs["Type"], kwargs["Content"])
        return originals["create_policy"](self, **kwargs)

    def update_policy(self: Any, **kwargs: Any) -> Any:
        if "Content" in kwargs:
            _check_content(self.get_policy_by_id(kwargs["PolicyId"]).type, kwargs["Content"])
        return originals["update_policy"](self, **kwargs)

    def attach_policy(self: Any, **kwargs: Any) -> Any:
        policy = self.get_policy_by_id(kwargs["PolicyId"])
        if not getattr(policy, "aws_managed", False):  # moto attaches its defaults itself
            root = next((o for o in self.ou if getattr(o, "type", "") == "ROOT"), None)
            enabled = {t["Type"] for t in getattr(root, "policy_types", [])}
            if policy.type not in enabled:
                raise PolicyTypeNotEnabledException
            target = next(
                (t for t in [*self.ou, *self.accounts] if t.id == kwargs["TargetId"]), None
            )
            attached = [
                p for p in getattr(target, "attached_policies", []) if p.type == policy.type
            ]
            limit = PER_TARGET.get(policy.type, MANAGEMENT_PER_TARGET)
            if policy not in attached and len(attached) >= limit:
                raise _constraint(
                    "POLICY_NUMBER_LIMIT_EXCEEDED",
                    f"You attempted to exceed the number of policies of type {policy.type} "
                    f"that you can attach to a target: at most {limit}.",
                )
        return originals["attach_policy"](self, **kwargs)

    def create_organizational_unit(self: Any, **kwargs: Any) -> Any:
        name, parent = kwargs["Name"], kwargs["ParentId"]
        _too_long("the OU name", name, OU_NAME)
        if any(getattr(o, "parent_id", None) == parent and o.name == name for o in self.ou):
            raise DuplicateOrganizationalUnitException
        if _depth(self, parent) > OU_DEPTH:
            raise _constraint(
                "OU_DEPTH_LIMIT_EXCEEDED",
                f"You attempted to create an OU tree that is too many levels deep: at most "
                f"{OU_DEPTH} levels of OUs under the root.",
            )
        return originals["create_organizational_unit"](self, **kwargs)

    def update_organizational_unit(self: Any, **kwargs: Any) -> Any:
        # AWS refuses a name another OU under the same parent has (moto: under any parent).
        ou = self.get_organizational_unit_by_id(kwargs["OrganizationalUnitId"])
        _too_long("the OU name", kwargs["Name"], OU_NAME)
        if any(o is not ou and o.parent_id == ou.parent_id and o.name == kwargs["Name"]
               for o in self.ou if hasattr(o, "parent_id")):  # fmt: skip
            raise DuplicateOrganizationalUnitException
        ou.name = kwargs["Name"]
        return ou.describe()

    def create_account(self: Any, **kwargs: Any) -> Any:
        _too_long("the account name", kwargs["AccountName"], ACCOUNT_NAME)
        return originals["create_account"](self, **kwargs)

    for name, shim in (
        ("create_policy", create_policy),
        ("update_policy", update_policy),
        ("attach_policy", attach_policy),
        ("create_organizational_unit", create_organizational_unit),
        ("update_organizational_unit", update_organizational_unit),
        ("create_account", create_account),
    ):
        shim.orgstack_shim = True  # type: ignore[attr-defined]
        setattr(backend, name, shim)

    def undo() -> None:
        for name, original in originals.items():
            setattr(backend, name, original)

    _INSTALLED.append(undo)


def account_names() -> None:
    """PutAccountName, which moto lacks, with AWS's rules: another account's name needs
    trusted access for account.amazonaws.com, the management account renames itself without
    AccountId, at most 50 characters (idempotent)."""
    from moto.account.responses import AccountResponse
    from moto.core.exceptions import JsonRESTError
    from moto.core.responses import EmptyResult

    if hasattr(AccountResponse, "put_account_name"):
        return

    def put_account_name(self: Any) -> Any:
        target, name = self._get_param("AccountId"), self._get_param("AccountName")
        if len(name or "") > ACCOUNT_NAME:
            raise JsonRESTError(
                "ValidationException", f"AccountName is longer than {ACCOUNT_NAME} characters."
            )
        backend = models.organizations_backends[self.current_account][self.partition]
        if target and target == self.current_account:
            raise JsonRESTError(
                "ValidationException",
                "The management account can't specify its own AccountId; omit it.",
            )
        if target:
            enabled = {s["ServicePrincipal"] for s in backend.services} if backend.org else set()
            if "account.amazonaws.com" not in enabled:
                raise JsonRESTError(
                    "AccessDeniedException",
                    f"not authorized to perform account:PutAccountName on account {target}: "
                    "trusted access for account.amazonaws.com is not enabled",
                )
        wanted = target or self.current_account
        found = [
            account
            for partitions in models.organizations_backends.values()
            for other in partitions.values()
            for account in other.accounts
            if account.id == wanted
        ]
        if not found:
            raise JsonRESTError("ResourceNotFoundException", f"account {wanted} not found")
        for account in found:
            account.name = name
        return EmptyResult()

    AccountResponse.put_account_name = put_account_name  # type: ignore[attr-defined]
    from moto.account import urls

    path = "{0}/putAccountName$"
    urls.url_paths[path] = AccountResponse.dispatch

    def undo() -> None:
        del AccountResponse.put_account_name  # type: ignore[attr-defined]
        urls.url_paths.pop(path, None)

    _INSTALLED.append(undo)


#: Policy types AWS has and moto lacks (BACKUP_POLICY is enabled but cannot be created), with
#: the segment AWS puts in their ARNs.
MISSING_TYPES = {
    t: t.lower()
    for t in (
        "BACKUP_POLICY",
        "CHATBOT_POLICY",
        "DECLARATIVE_POLICY_EC2",
        "SECURITYHUB_POLICY",
        "SECURITYHUB_CSPM_POLICY",
        "INSPECTOR_POLICY",
        "UPGRADE_ROLLOUT_POLICY",
        "BEDROCK_POLICY",
        "S3_POLICY",
        "NETWORK_SECURITY_DIRECTOR_POLICY",
        "GUARDDUTY_POLICY",
    )
}


def every_policy_type() -> None:
    """Every policy type AWS's API lists that moto refuses (InvalidInput: chatbot, EC2
    declarative, Security Hub, Inspector, Bedrock, S3, upgrade rollout, network security
    director, GuardDuty) or fails on (an internal error: backup): created, listed, attached and
    enabled like AWS's (idempotent)."""
    policy_class, root_class = models.FakePolicy, models.FakeRoot
    if getattr(policy_class.__init__, "orgstack_shim", False):
        return
    original_init = policy_class.__init__
    lists = (policy_class.SUPPORTED_POLICY_TYPES, root_class.SUPPORTED_POLICY_TYPES)
    added = [[t for t in MISSING_TYPES if t not in types] for types in lists]
    for types, extra in zip(lists, added, strict=True):
        types.extend(extra)

    def init(self: Any, organization: Any, **kwargs: Any) -> None:
        wanted = kwargs.get("Type", "")
        if wanted not in MISSING_TYPES:
            original_init(self, organization, **kwargs)
            return
        original_init(self, organization, **{**kwargs, "Type": "TAG_POLICY"})
        self.type = wanted
        self._arn_format = "arn:{0}:organizations::{1}:policy/{2}/" + MISSING_TYPES[wanted] + "/{3}"

    init.orgstack_shim = True  # type: ignore[attr-defined]
    policy_class.__init__ = init  # type: ignore[method-assign]

    def undo() -> None:
        policy_class.__init__ = original_init  # type: ignore[method-assign]
        for types, extra in zip(lists, added, strict=True):
            for t in extra:
                types.remove(t)

    _INSTALLED.append(undo)


#: Service principals AWS lets a member account administer ("Supports delegated
#: administrator" in AWS's list of integrated services) that moto does not accept.
DELEGATED_PRINCIPALS = (
    "account.amazonaws.com",
    "backup.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "config.amazonaws.com",
    "detective.amazonaws.com",
    "fms.amazonaws.com",
    "inspector2.amazonaws.com",
    "ipam.amazonaws.com",
    "member.org.stacksets.cloudformation.amazonaws.com",
    "securityhub.amazonaws.com",
    "securitylake.amazonaws.com",
    "sso.amazonaws.com",
)


def delegated_admins() -> None:
    """RegisterDelegatedAdministrator as AWS has it: every principal of AWS's list (moto takes
    6), and only once the organization has enabled the service's trusted access (AWS answers
    "unrecognized service principal" before; moto registers)."""
    backend = models.OrganizationsBackend
    original = backend.register_delegated_administrator
    if getattr(original, "orgstack_shim", False):
        return
    supported = models.FakeDelegatedAdministrator.SUPPORTED_SERVICES
    added = [p for p in DELEGATED_PRINCIPALS if p not in supported]
    supported.extend(added)

    def register(self: Any, **kwargs: str) -> None:
        enabled = {s["ServicePrincipal"] for s in self.services}
        if kwargs["ServicePrincipal"] not in enabled:
            raise InvalidInputException("You specified an unrecognized service principal.")
        original(self, **kwargs)

    register.orgstack_shim = True  # type: ignore[attr-defined]
    backend.register_delegated_administrator = register  # type: ignore[method-assign]

    def undo() -> None:
        backend.register_delegated_administrator = original  # type: ignore[method-assign]
        for principal in added:
            supported.remove(principal)

    _INSTALLED.append(undo)
