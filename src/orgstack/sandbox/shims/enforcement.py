"""The enforcing sandbox's checks beyond AssumeRole (``sandbox start --enforce-iam``): the calls
that undo a guardrail are decided as AWS decides them (``evaluation.py``), so that a test can
show an account's own admin refused: SCPs, the caller's identity policies, and the resource's
policy (a KMS key's, an S3 bucket's). moto checks none of them.

Guarded calls (only these; every other call stays as moto answers it):
- KMS: ScheduleKeyDeletion, DisableKey, DisableKeyRotation, PutKeyPolicy, DeleteAlias,
  UpdateAlias (on the key; an alias's key for the alias calls);
- IAM: every call that makes, re-trusts, changes or deletes a role (on the role);
- S3: changing a bucket's policy, ACL, ownership, replication, versioning, lifecycle,
  encryption, logging, Object Lock or public access block, deleting the bucket or an object
  (version);
- EC2 and RAM: connecting networks (Transit Gateway attachments, peerings, VPNs, RAM shares)
  and changing a tagged VPC, subnet or route table (``guarded_network.py``).

And what AWS gives and moto lacks for them to work: the role that CreateAccount makes in a new
account (``OrganizationAccountAccessRole``) has AdministratorAccess, as AWS attaches it."""

from __future__ import annotations

from typing import Any

from orgstack.sandbox.shims.callers import (
    caller_of,
    context_of,
    document,
    identity_documents,
    scps_of,
    tags_of,
)
from orgstack.sandbox.shims.evaluation import Policies, Request, decide
from orgstack.sandbox.shims.gaps import replace_method
from orgstack.sandbox.shims.guarded_network import network_call

KMS = frozenset(
    {
        "ScheduleKeyDeletion",
        "DisableKey",
        "DisableKeyRotation",
        "PutKeyPolicy",
        "DeleteAlias",
        "UpdateAlias",
    }
)
IAM = frozenset(
    {
        "CreateRole",
        "DeleteRole",
        "UpdateRole",
        "UpdateAssumeRolePolicy",
        "AttachRolePolicy",
        "DetachRolePolicy",
        "PutRolePolicy",
        "DeleteRolePolicy",
        "PutRolePermissionsBoundary",
        "DeleteRolePermissionsBoundary",
        "TagRole",
        "UntagRole",
    }
)
#: S3 bucket sub-resources (query string) → the IAM action of PUT and of DELETE on them.
S3_BUCKET = {
    "policy": ("s3:PutBucketPolicy", "s3:DeleteBucketPolicy"),
    "acl": ("s3:PutBucketAcl", None),
    "ownershipControls": ("s3:PutBucketOwnershipControls", "s3:PutBucketOwnershipControls"),
    "replication": ("s3:PutReplicationConfiguration", "s3:PutReplicationConfiguration"),
    "versioning": ("s3:PutBucketVersioning", None),
    "lifecycle": ("s3:PutLifecycleConfiguration", "s3:PutLifecycleConfiguration"),
    "encryption": ("s3:PutEncryptionConfiguration", "s3:PutEncryptionConfiguration"),
    "logging": ("s3:PutBucketLogging", None),
    "object-lock": ("s3:PutBucketObjectLockConfiguration", None),
    "publicAccessBlock": ("s3:PutBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock"),
}
ADMINISTRATOR = "arn:aws:iam::aws:policy/AdministratorAccess"
ACCESS_ROLE = "OrganizationAccountAccessRole"


class RefusedError(Exception):
    """A guarded call AWS would refuse: why, and the action and resource."""

    def __init__(self, action: str, resource: str, why: str) -> None:
        super().__init__(why)
        self.action, self.resource, self.why = action, resource, why


def _kms(response: Any, operation: str) -> tuple[str, str, Policies, dict[str, str]] | None:
    from moto.kms.models import kms_backends

    if operation not in KMS:
        return None
    if operation in ("DeleteAlias", "UpdateAlias"):
        wanted = response._get_param("AliasName")
    else:
        wanted = response._get_param("KeyId")
    if not wanted:
        return None
    account = wanted.split(":")[4] if wanted.startswith("arn:") else response.current_account
    backend = kms_backends[account][response.region]
    try:
        key = backend.describe_key(wanted)
    except Exception:
        return None  # moto answers NotFound itself
    tags = {
        t["TagKey"]: t["TagValue"] for t in backend.tagger.list_tags_for_resource(key.id)["Tags"]
    }
    policies = Policies(
        resource=document(key.policy or "{}"),
        resource_name=f"the key policy of {key.arn}",
        key=True,
        resource_account=account,
    )
    return f"kms:{operation}", key.arn, policies, tags


def _iam(response: Any, operation: str) -> tuple[str, str, Policies, dict[str, str]] | None:
    from moto.iam.models import iam_backends

    if operation not in IAM:
        return None
    name = response._get_param("RoleName")
    if not name:
        return None
    account = response.current_account
    role = next((r for r in iam_backends[account]["aws"].roles.values() if r.name == name), None)
    path = role.path if role is not None else (response._get_param("Path") or "/")
    arn = f"arn:aws:iam::{account}:role{path}{name}"
    tags = tags_of(role) if role is not None else {}
    return f"iam:{operation}", arn, Policies(resource_account=account), tags


def _s3_action(response: Any, resource: str) -> str | None:
    query = response.querystring or {}
    method = response.method
    if "/" in resource.split(":::", 1)[-1]:  # an object
        if method == "DELETE":
            return "s3:DeleteObjectVersion" if "versionId" in query else "s3:DeleteObject"
        return None
    for part, (put, delete) in S3_BUCKET.items():
        if part in query:
            return put if method == "PUT" else delete if method == "DELETE" else None
    return "s3:DeleteBucket" if method == "DELETE" else None


def _s3(response: Any, resource: str) -> tuple[str, str, Policies, dict[str, str]] | None:
    from moto.s3.models import s3_backends

    action = _s3_action(response, resource)
    if action is None:
        return None
    bucket_name = resource.split(":::", 1)[-1].split("/", 1)[0]
    bucket = None
    for partitions in list(s3_backends.values()):
        backend = partitions.get("aws")
        if backend is not None and bucket_name in backend.buckets:
            bucket = backend.buckets[bucket_name]
            break
    if bucket is None:
        return None
    policy = bucket.policy.decode() if isinstance(bucket.policy, bytes) else bucket.policy
    policies = Policies(
        resource=document(policy) if policy else None,
        resource_name=f"the bucket policy of {bucket_name}",
        resource_account=str(bucket.account_id),
    )
    return action, resource, policies, {}


def check(response: Any, resource: str) -> None:
    """Raise ``RefusedError`` when AWS would refuse this guarded call (nothing for other calls)."""
    service = getattr(response, "service_name", "")
    extra: dict[str, Any] = {}
    if service == "s3":
        found = _s3(response, resource)
    else:
        operation = response._get_action()
        found = (
            _kms(response, operation)
            if service == "kms"
            else _iam(response, operation)
            if service == "iam"
            else None
        )
        if found is None and (network := network_call(response, operation)) is not None:
            action, arn, extra = network
            found = action, arn, Policies(resource_account=response.current_account), {}
    if found is None:
        return
    action, arn, policies, tags = found
    access_key = response.get_access_key()
    caller = caller_of(access_key, response.current_account, response.region or "us-east-1")
    context = context_of(caller, access_key, policies.resource_account or caller.account)
    context |= {f"aws:ResourceTag/{k}": v for k, v in tags.items()}
    context |= extra
    context["aws:RequestedRegion"] = response.region or "us-east-1"
    request = Request(caller, action, arn, context)
    full = Policies(
        scps=scps_of(caller.account),
        identity=identity_documents(caller),
        resource=policies.resource,
        resource_name=policies.resource_name,
        key=policies.key,
        resource_account=policies.resource_account,
    )
    why = decide(request, full)
    if why is not None:
        raise RefusedError(
            action,
            arn,
            f"User: {caller.arn} is not authorized to perform: {action} "
            f"on resource: {arn} because {why}",
        )


def _error(service: str, refused: RefusedError) -> Exception:
    from moto.core.exceptions import AccessDeniedError, JsonRESTError
    from moto.s3.exceptions import S3ClientError

    if service in ("kms", "ram", "directconnect"):
        return JsonRESTError("AccessDeniedException", refused.why)
    if service == "s3":
        return S3ClientError("AccessDenied", refused.why)
    caller, _, rest = refused.why.removeprefix("User: ").partition(
        " is not authorized to perform: "
    )
    return AccessDeniedError(caller, rest)


def guarded_calls() -> None:
    """Decide the guarded calls as AWS would while ``enforce(True)`` (idempotent)."""
    from moto.core.authorization import ActionAuthenticatorMixin

    from orgstack.sandbox.shims.authorization import enforcing

    original = ActionAuthenticatorMixin._authenticate_and_authorize_action

    def authorize(self: Any, iam_request_cls: type, resource: str = "*") -> None:
        original(self, iam_request_cls, resource)
        if not enforcing():
            return
        try:
            check(self, resource)
        except RefusedError as refused:
            raise _error(getattr(self, "service_name", ""), refused) from None

    replace_method(ActionAuthenticatorMixin, "_authenticate_and_authorize_action", authorize)


def administrator_access_role() -> None:
    """The role CreateAccount makes has AdministratorAccess, as on AWS (moto attaches none)."""
    from moto.organizations import models

    original = models.OrganizationsBackend.create_account

    def create_account(self: Any, **kwargs: Any) -> Any:
        from moto.iam.models import iam_backends

        answer = original(self, **kwargs)
        account = answer["CreateAccountStatus"].get("AccountId")
        role_name = kwargs.get("RoleName") or ACCESS_ROLE
        if account:
            backend = iam_backends[account]["aws"]
            role = next((r for r in backend.roles.values() if r.name == role_name), None)
            if role is not None and ADMINISTRATOR not in role.managed_policies:
                backend.attach_role_policy(ADMINISTRATOR, role_name)
        return answer

    replace_method(models.OrganizationsBackend, "create_account", create_account)
