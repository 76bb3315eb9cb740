"""Who is calling the sandbox, and every policy that applies to them (for the enforcing
sandbox's checks, ``authorization.py`` and ``enforcement.py``): the caller behind an access key
(an IAM user, a role session, or moto's default credentials, taken as the account's root),
its identity policies (a user's, its groups', a session's role's), the request context AWS
would give (MFA, the session's issue time, principal tags, organization ids), and the SCPs
from the organization's root down to an account."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from orgstack.sandbox.shims.evaluation import Caller

USER_ARN = re.compile(r"^arn:aws:iam::(\d{12}):user/(?:.*/)?([^/]+)$")
SESSION_ARN = re.compile(r"^arn:aws:sts::(\d{12}):assumed-role/([^/]+)/")
#: What AssumeRole knew when it made a session, by the session's access key id: whether MFA
#: was presented, when it was issued (``aws:MultiFactorAuthPresent``, ``aws:TokenIssueTime``).
SESSIONS: dict[str, dict[str, str]] = {}


def document(text: Any) -> dict[str, Any]:
    if isinstance(text, dict):
        return text
    try:
        found = json.loads(text)
    except ValueError:
        found = json.loads(unquote(text))
    return found if isinstance(found, dict) else {}


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def remember_session(access_key: str, mfa: bool) -> None:
    SESSIONS[access_key] = {"mfa": "true" if mfa else "false", "issued": now()}


def caller_of(access_key: str, account: str, region: str) -> Caller:
    """The caller behind an access key, as STS's GetCallerIdentity would name it."""
    from moto.sts.models import sts_backends

    _, arn, owner = sts_backends[account]["aws"].get_caller_identity(access_key, region)
    session = SESSION_ARN.match(arn)
    if session:
        return Caller(arn, owner, f"arn:aws:iam::{owner}:role/{session.group(2)}")
    if USER_ARN.match(arn):
        return Caller(arn, owner, arn)
    return Caller(f"arn:aws:iam::{owner}:root", owner, f"arn:aws:iam::{owner}:root")


def _iam(account: str) -> Any:
    from moto.iam.models import iam_backends

    return iam_backends[account]["aws"]


def _managed(policy: Any) -> dict[str, Any]:
    versions = getattr(policy, "versions", [])
    default = next((v for v in versions if getattr(v, "is_default", False)), None)
    return document(default.document if default else getattr(policy, "document", "{}"))


def principal(caller: Caller) -> Any:
    """The IAM user or role behind the caller (None: an account's root)."""
    backend = _iam(caller.account)
    user = USER_ARN.match(caller.arn)
    if user:
        return backend.users.get(user.group(2))
    if SESSION_ARN.match(caller.arn):
        name = caller.principal_arn.rsplit("/", 1)[-1]
        return next((r for r in backend.roles.values() if r.name == name), None)
    return None


def identity_documents(caller: Caller) -> tuple[Any, ...] | None:
    """The caller's identity policies (a user's and its groups', a session's role's); None for
    an account's root, whom identity policies do not limit."""
    found = principal(caller)
    if found is None:
        if caller.arn == caller.root:
            return None
        return ()  # a user or role that no longer exists: nothing allows it
    documents = [document(d) for d in found.policies.values()]
    documents += [_managed(p) for p in found.managed_policies.values()]
    if USER_ARN.match(caller.arn):
        for group in list(_iam(caller.account).groups.values()):
            if found in group.users:
                documents += [document(d) for d in group.policies.values()]
                documents += [_managed(p) for p in group.managed_policies.values()]
    return tuple(documents)


def tags_of(thing: Any) -> dict[str, str]:
    raw = getattr(thing, "tags", None) or {}
    items = raw.values() if isinstance(raw, dict) else raw
    found: dict[str, str] = {}
    for item in items:
        if isinstance(item, dict) and "Key" in item:
            found[str(item["Key"])] = str(item.get("Value", ""))
    if isinstance(raw, dict) and not found:  # moto keeps some tags as {key: value}
        found = {str(k): str(v) for k, v in raw.items() if not isinstance(v, dict)}
    return found


def context_of(caller: Caller, access_key: str, resource_account: str) -> dict[str, Any]:
    """The request context AWS gives every request of this caller (the resource's keys are
    the caller's to add)."""
    context: dict[str, Any] = {
        "aws:PrincipalArn": caller.principal_arn,
        "aws:PrincipalAccount": caller.account,
        "aws:ResourceAccount": resource_account,
        "aws:SecureTransport": "true",  # AWS's endpoints are TLS; the sandbox stands for them
        "aws:CurrentTime": now(),
    }
    session = SESSIONS.get(access_key)
    if session is not None:
        context["aws:MultiFactorAuthPresent"] = session["mfa"]
        context["aws:TokenIssueTime"] = session["issued"]
    found = principal(caller)
    if found is not None:
        context |= {f"aws:PrincipalTag/{k}": v for k, v in tags_of(found).items()}
        if USER_ARN.match(caller.arn):
            context["aws:username"] = found.name
    for key, account in (
        ("aws:PrincipalOrgID", caller.account),
        ("aws:ResourceOrgID", resource_account),
    ):
        organization = organization_id(account)
        if organization:
            context[key] = organization
    return context


def _organizations(account: str) -> Any:
    from orgstack.sandbox.shims.gaps import organization_of

    return organization_of(account)


def organization_id(account: str) -> str | None:
    backend = _organizations(account)
    return str(backend.org.id) if backend is not None and backend.org else None


def scps_of(account: str) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    """The SCPs that apply to principals of ``account``, per level from the root down (none for
    the management account or an account outside an organization)."""
    backend = _organizations(account)
    if backend is None or not backend.org or backend.org.master_account_id == account:
        return ()
    found = next((a for a in backend.accounts if a.id == account), None)
    if found is None:
        return ()
    levels: list[Any] = [found]
    parent = found.parent_id
    while parent:  # the root is one of moto's OUs (a FakeRoot), without a parent
        node = next((o for o in backend.ou if o.id == parent), None)
        if node is None:
            break
        levels.append(node)
        parent = getattr(node, "parent_id", None) if node.type != "ROOT" else None
    chain: list[tuple[str, tuple[Any, ...]]] = []
    for level in reversed(levels):
        documents = tuple(
            document(p.content)
            for p in backend.policies
            if p.type == "SERVICE_CONTROL_POLICY" and level in p.attachments
        )
        chain.append((_where(level), documents))
    return tuple(chain)


def _where(level: Any) -> str:
    kind = getattr(level, "type", "")
    if kind == "ROOT":
        return "the root"
    if kind == "ORGANIZATIONAL_UNIT":
        return f"OU {level.name}"
    return f"account {level.id}"
