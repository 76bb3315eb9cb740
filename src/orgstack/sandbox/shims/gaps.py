"""moto's gaps: behaviour AWS has that moto lacks (the list of shims is in ``__init__``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from moto.core.utils import unix_time, utcnow
from moto.organizations import models, utils

_INSTALLED: list[Callable[[], None]] = []


def kept(owner: Any, name: str) -> dict[Any, Any]:
    """A dictionary a shim keeps on one of moto's objects (made on first use): it lives and
    is reset with that object."""
    if not hasattr(owner, name):
        setattr(owner, name, {})
    found: dict[Any, Any] = getattr(owner, name)
    return found


def organization_of(account_id: str) -> Any:
    """The Organizations backend that holds the account's organization (the management
    account's: a member's own backend is empty in moto), or None."""
    management, partition = models.organizations_backends.master_accounts.get(
        account_id, (account_id, "aws")
    )
    backend = models.organizations_backends[management][partition]
    return backend if backend.org is not None else None


def undo_later(undo: Callable[[], None]) -> None:
    """Run ``undo`` when the shims are undone (a shim that is not a method replaced)."""
    _INSTALLED.append(undo)


def replace_method(owner: Any, name: str, shim: Callable[..., Any]) -> bool:
    """Put ``shim`` in place of ``owner.name`` once (False: this shim is there already), marked
    and undone with the others; ``shim`` may call the original it replaces, another shim's
    included (several shims may stack on one method)."""
    original = getattr(owner, name)
    if getattr(original, "orgstack_shim_id", None) == shim.__qualname__:
        return False
    shim.orgstack_shim = True  # type: ignore[attr-defined]
    shim.orgstack_shim_id = shim.__qualname__  # type: ignore[attr-defined]
    setattr(owner, name, shim)
    _INSTALLED.append(lambda: setattr(owner, name, original))
    return True


def add_methods(cls: Any, methods: dict[str, Callable[..., Any]]) -> None:
    """Put ``methods`` on ``cls`` (calls moto lacks, or answers wrongly), undone with the
    other shims: each replaced method comes back, each added one goes."""
    replaced = {name: cls.__dict__.get(name) for name in methods}
    for name, method in methods.items():
        setattr(cls, name, method)

    def undo() -> None:
        for name, method in replaced.items():
            if method is None:
                delattr(cls, name)
            else:
                setattr(cls, name, method)

    _INSTALLED.append(undo)


def unique_account_emails() -> None:
    """Make moto's CreateAccount fail with EMAIL_ALREADY_EXISTS like AWS (idempotent)."""
    backend = models.OrganizationsBackend
    if getattr(backend.create_account, "orgstack_shim", False):
        return
    create, describe = backend.create_account, backend.describe_create_account_status

    def create_account(self: Any, **kwargs: Any) -> dict[str, Any]:
        email = str(kwargs.get("Email", "")).lower()
        if self.org is None or not any(a.email.lower() == email for a in self.accounts):
            return create(self, **kwargs)
        now = unix_time(utcnow())
        status = {
            "Id": utils.make_random_create_account_status_id(),
            "AccountName": kwargs["AccountName"],
            "State": "FAILED",
            "FailureReason": "EMAIL_ALREADY_EXISTS",
            "RequestedTimestamp": now,
            "CompletedTimestamp": now,
        }
        failed = self.__dict__.setdefault("orgstack_failed_statuses", {})
        failed[status["Id"]] = {"CreateAccountStatus": status}
        return failed[status["Id"]]  # type: ignore[no-any-return]

    def describe_create_account_status(self: Any, **kwargs: Any) -> dict[str, Any]:
        failed = self.__dict__.get("orgstack_failed_statuses", {})
        request = kwargs["CreateAccountRequestId"]
        return failed[request] if request in failed else describe(self, **kwargs)

    create_account.orgstack_shim = True  # type: ignore[attr-defined]
    backend.create_account = create_account  # type: ignore[method-assign]
    backend.describe_create_account_status = describe_create_account_status  # type: ignore[method-assign]

    def undo() -> None:
        backend.create_account = create  # type: ignore[method-assign]
        backend.describe_create_account_status = describe  # type: ignore[method-assign]

    _INSTALLED.append(undo)


def fast_caller_lookup() -> None:
    """Remember moto's access key → account id lookups (idempotent)."""
    from moto.iam import models as iam

    lookup = iam.get_account_id_from
    if getattr(lookup, "orgstack_shim", False):
        return
    known: dict[str, str] = {}

    def get_account_id_from(access_key: str) -> str:
        if access_key not in known:
            known[access_key] = lookup(access_key)
        return known[access_key]

    get_account_id_from.orgstack_shim = True  # type: ignore[attr-defined]
    iam.get_account_id_from = get_account_id_from


def fast_service_lookup() -> None:
    """Remember the list of moto's service modules (idempotent): moto's server lists its
    package folder on every request to route it, a tenth of the sandbox's CPU time."""
    from moto import backends

    listing = backends.list_of_moto_modules
    if getattr(listing, "orgstack_shim", False):
        return
    modules = tuple(listing())

    def list_of_moto_modules() -> tuple[str, ...]:
        return modules

    list_of_moto_modules.orgstack_shim = True  # type: ignore[attr-defined]
    backends.list_of_moto_modules = list_of_moto_modules


def lazy_managed_policies() -> None:
    """Materialize an AWS managed policy in an account when it is first used (idempotent)."""
    import json
    import threading

    from moto.iam import models as iam

    backend = iam.IAMBackend
    if getattr(backend.attach_role_policy, "orgstack_shim", False):
        return
    arn_re = re.compile(r"^arn:aws:iam::aws:policy(/(?:[^/]+/)*)([^/]+)$")
    catalogue: dict[str, Any] = {}
    lock = threading.Lock()

    def ensure(self: Any, arn: str) -> None:
        found = arn_re.match(arn or "")
        if found is None or arn in self.managed_policies:
            return
        with lock:
            if not catalogue:
                from moto.iam.aws_managed_policies import aws_managed_policies_data

                catalogue.update(json.loads(aws_managed_policies_data))
        data = catalogue.get(found.group(2))
        if data is None or data.get("Path", "/") != found.group(1):
            return
        policy = iam.AWSManagedPolicy.from_data(
            found.group(2), self.account_id, self.region_name, data
        )
        if self.managed_policies.setdefault(policy.arn, policy) is policy:
            self.aws_managed_policies.append(policy)  # not "local" in listings

    originals = {
        name: getattr(backend, name)
        for name in (
            "attach_role_policy",
            "attach_group_policy",
            "attach_user_policy",
            "get_policy",
            "get_policy_version",
        )
    }

    # moto's attach/get iterate an account's policies while ensure() may add one from another
    # request thread of the same account: one at a time ("dictionary changed size").
    serial = threading.RLock()

    def wrap(original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(self: Any, policy_arn: str, *args: Any, **kwargs: Any) -> Any:
            with serial:
                ensure(self, policy_arn)
                return original(self, policy_arn, *args, **kwargs)

        wrapped.orgstack_shim = True  # type: ignore[attr-defined]
        return wrapped

    for name, original in originals.items():
        setattr(backend, name, wrap(original))

    def undo() -> None:
        for name, original in originals.items():
            setattr(backend, name, original)

    _INSTALLED.append(undo)


def permission_set_policy_paths() -> None:
    """Find AWS managed policies with a path for permission sets, as AWS does (idempotent)."""
    from moto.ssoadmin import models as sso
    from moto.ssoadmin.exceptions import ResourceNotFoundException

    backend = sso.SSOAdminBackend
    find = backend._find_managed_policy
    if getattr(find, "orgstack_shim", False):
        return
    arn_re = re.compile(r"^arn:aws:iam::aws:policy(/(?:[^/]+/)*)([^/]+)$")

    def find_managed_policy(self: Any, managed_policy_arn: str) -> Any:
        try:
            return find(self, managed_policy_arn)
        except ResourceNotFoundException:
            found = arn_re.match(managed_policy_arn)
            data = (self.aws_managed_policies or {}).get(found.group(2)) if found else None
            if found is None or data is None or data.get("Path", "/") != found.group(1):
                raise
            return sso.ManagedPolicy(managed_policy_arn, found.group(2))

    find_managed_policy.orgstack_shim = True  # type: ignore[attr-defined]
    backend._find_managed_policy = find_managed_policy  # type: ignore[method-assign]

    def undo() -> None:
        backend._find_managed_policy = find  # type: ignore[method-assign]

    _INSTALLED.append(undo)


def identity_store_update_user() -> None:
    """UpdateUser for display name and e-mails, as AWS has it (idempotent)."""
    import json

    from moto.identitystore.responses import IdentityStoreResponse

    if hasattr(IdentityStoreResponse, "update_user"):
        return
    fields = {"displayName": "DisplayName", "emails": "Emails"}

    def update_user(self: Any) -> str:
        backend = self.identitystore_backend
        found = backend._IdentityStoreBackend__get_identity_store(
            self._get_param("IdentityStoreId")
        )
        user_id = self._get_param("UserId")
        user = found.users[user_id]
        for operation in self._get_param("Operations"):
            key = fields.get(operation["AttributePath"])
            value = operation.get("AttributeValue")
            if key == "Emails":  # the API takes the SCIM spelling: value, type, primary
                value = [{k.capitalize(): v for k, v in email.items()} for email in value or []]
            if key is not None:
                user = user._replace(**{key: value})
        found.users[user_id] = user
        return json.dumps({})

    IdentityStoreResponse.update_user = update_user  # type: ignore[attr-defined]

    def undo() -> None:
        del IdentityStoreResponse.update_user  # type: ignore[attr-defined]

    _INSTALLED.append(undo)


def unique_account_aliases() -> None:
    """Make CreateAccountAlias fail with EntityAlreadyExists when another account has the
    alias, like AWS (idempotent)."""
    from moto.iam import models as iam
    from moto.iam.exceptions import EntityAlreadyExists

    backend = iam.IAMBackend
    if getattr(backend.create_account_alias, "orgstack_shim", False):
        return
    original = backend.create_account_alias

    def create_account_alias(self: Any, alias: str) -> None:
        for account_id, partitions in list(iam.iam_backends.items()):
            for other in list(partitions.values()):
                if (
                    other is not self
                    and account_id != self.account_id
                    and (alias in other.account_aliases)
                ):
                    raise EntityAlreadyExists(f"The account alias {alias} already exists.")
        original(self, alias)

    create_account_alias.orgstack_shim = True  # type: ignore[attr-defined]
    backend.create_account_alias = create_account_alias  # type: ignore[method-assign]

    def undo() -> None:
        backend.create_account_alias = original  # type: ignore[method-assign]

    _INSTALLED.append(undo)


def contacts_need_trusted_access() -> None:
    """Refuse another account's alternate contacts until trusted access for
    ``account.amazonaws.com`` is enabled, like AWS (idempotent)."""
    from moto.account.responses import AccountResponse
    from moto.core.exceptions import JsonRESTError
    from moto.organizations.models import organizations_backends

    if getattr(AccountResponse.put_alternate_contact, "orgstack_shim", False):
        return
    originals = {
        name: getattr(AccountResponse, name)
        for name in ("put_alternate_contact", "get_alternate_contact", "delete_alternate_contact")
    }

    def guarded(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def call(self: Any) -> Any:
            target = self._get_param("AccountId")
            if target and target != self.current_account:
                org = organizations_backends[self.current_account][self.partition]
                enabled = {s["ServicePrincipal"] for s in org.services} if org.org else set()
                if "account.amazonaws.com" not in enabled:
                    operation = "".join(p.title() for p in name.split("_"))
                    raise JsonRESTError(
                        "AccessDeniedException",
                        f"not authorized to perform account:{operation} on account {target}: "
                        "trusted access for account.amazonaws.com is not enabled",
                    )
            return original(self)

        call.orgstack_shim = True  # type: ignore[attr-defined]
        return call

    for name, original in originals.items():
        setattr(AccountResponse, name, guarded(name, original))

    def undo() -> None:
        for name, original in originals.items():
            setattr(AccountResponse, name, original)

    _INSTALLED.append(undo)


def update_role_keeps_omitted_fields() -> None:
    """Make UpdateRole leave the fields it is not given as they are, like AWS (idempotent)."""
    from moto.iam.responses import IamResponse

    original = IamResponse.update_role
    if getattr(original, "orgstack_shim", False):
        return

    def update_role(self: Any) -> Any:
        role = self.backend.get_role(self._get_param("RoleName"))
        description = self._get_param("Description", role.description)
        duration = self._get_param("MaxSessionDuration", role.max_session_duration)
        self.backend.update_role(role.name, description, duration)
        from moto.core.responses import EmptyResult

        return EmptyResult()

    update_role.orgstack_shim = True  # type: ignore[attr-defined]
    IamResponse.update_role = update_role  # type: ignore[method-assign]

    def undo() -> None:
        IamResponse.update_role = original  # type: ignore[method-assign]

    _INSTALLED.append(undo)


def service_specific_credentials_listing() -> None:
    """ListServiceSpecificCredentials, which moto lacks (idempotent): the sandbox's users have
    none (moto cannot create them), so the answer is an empty list, as AWS gives a user without
    any."""
    from moto.iam.responses import IamResponse

    if hasattr(IamResponse, "list_service_specific_credentials"):
        return

    def list_service_specific_credentials(_self: Any) -> str:
        return (
            '<ListServiceSpecificCredentialsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">'
            "<ListServiceSpecificCredentialsResult><ServiceSpecificCredentials/>"
            "</ListServiceSpecificCredentialsResult>"
            "<ResponseMetadata><RequestId>orgstack-sandbox</RequestId></ResponseMetadata>"
            "</ListServiceSpecificCredentialsResponse>"
        )

    IamResponse.list_service_specific_credentials = list_service_specific_credentials  # type: ignore[attr-defined]

    def undo() -> None:
        del IamResponse.list_service_specific_credentials  # type: ignore[attr-defined]

    _INSTALLED.append(undo)
