"""IAM authorization of ``sts:AssumeRole``, which moto does not check (it lets any caller
assume any role). Opt-in per sandbox (``orgstack sandbox start --enforce-iam``, on in the demo)
so that the access matrix can be proven: a role is assumable exactly when AWS would allow it.

What it evaluates, as AWS does for one request (SCPs and session policies left out: the
identity account is the management account, which SCPs do not restrict):
- the role's trust policy: an Allow naming the caller (its ARN, its account's root or id, or
  ``*``), its conditions met, no Deny that matches;
- for an IAM user, its identity policies (inline and attached, its groups' too): an Allow of
  ``sts:AssumeRole`` on the role, no Deny; in the role's own account a trust that names the
  user's ARN is enough on its own;
- condition keys: ``aws:MultiFactorAuthPresent`` (present, ``true``, only when the call
  passes ``SerialNumber`` of one of the user's MFA devices and a six-digit ``TokenCode``; absent
  for long-term keys otherwise, as on AWS), ``aws:PrincipalArn``, ``aws:PrincipalAccount``,
  ``aws:PrincipalOrgID``, ``aws:username``, ``aws:ResourceAccount``, ``aws:ResourceOrgID``,
  ``aws:ResourceTag/<key>``; operators String*, Arn*, Bool, Null, with ``IfExists``; a key not
  in the request fails a positive operator and passes a negated one. Unknown operators fail.
Callers that are not IAM users (moto's default credentials, assumed-role sessions) are judged
by the trust policy alone, as the account's root or their role.
"""

from __future__ import annotations

import json
import re
from fnmatch import fnmatchcase
from typing import Any
from urllib.parse import unquote

from orgstack.sandbox.shims.gaps import _INSTALLED

#: Set by ``enforce(True)`` (the sandbox server's ``--enforce-iam``, or a test).
_STATE = {"enforce": False}
USER_ARN = re.compile(r"^arn:aws:iam::(\d{12}):user/(?:.*/)?([^/]+)$")
SESSION_ARN = re.compile(r"^arn:aws:sts::(\d{12}):assumed-role/([^/]+)/")


def enforce(on: bool) -> None:
    _STATE["enforce"] = on


def _document(text: Any) -> dict[str, Any]:
    if isinstance(text, dict):
        return text
    try:
        found = json.loads(text)
    except ValueError:
        found = json.loads(unquote(text))
    return found if isinstance(found, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in _list(document.get("Statement")) if isinstance(s, dict)]


def _matches_action(statement: dict[str, Any]) -> bool:
    wanted = "sts:assumerole"
    if "Action" in statement:
        return any(fnmatchcase(wanted, str(a).lower()) for a in _list(statement["Action"]))
    return not any(fnmatchcase(wanted, str(a).lower()) for a in _list(statement.get("NotAction")))


def _matches_resource(statement: dict[str, Any], arn: str) -> bool:
    if "Resource" in statement:
        return any(fnmatchcase(arn, str(r)) for r in _list(statement["Resource"]))
    if "NotResource" in statement:
        return not any(fnmatchcase(arn, str(r)) for r in _list(statement["NotResource"]))
    return True  # a trust policy has no Resource


def _condition(operator: str, values: list[str], actual: str | None) -> bool:
    if_exists = operator.endswith("IfExists")
    base = operator.removesuffix("IfExists").split(":")[-1]
    if base == "Null":
        return (actual is None) == (str(values[0]).lower() == "true")
    negated = "Not" in base
    if actual is None:
        return if_exists or negated
    if base.startswith("Bool"):
        return any(actual.lower() == str(v).lower() for v in values)
    plain = base.replace("Not", "")
    if plain in ("StringEquals", "ArnEquals"):
        hit = any(actual == str(v) for v in values)
    elif plain == "StringEqualsIgnoreCase":
        hit = any(actual.lower() == str(v).lower() for v in values)
    elif plain in ("StringLike", "ArnLike"):
        hit = any(fnmatchcase(actual, str(v)) for v in values)
    else:
        return False  # an operator this evaluator does not know: fail closed
    return not hit if negated else hit


def _conditions_met(statement: dict[str, Any], context: dict[str, str]) -> bool:
    block = statement.get("Condition") or {}
    if not isinstance(block, dict):
        return False
    lowered = {k.lower(): v for k, v in context.items()}
    for operator, tests in block.items():
        if not isinstance(tests, dict):
            return False
        for key, values in tests.items():
            if not _condition(operator, [str(v) for v in _list(values)], lowered.get(key.lower())):
                return False
    return True


def _names(statement: dict[str, Any], caller: dict[str, str]) -> tuple[bool, bool]:
    """(the statement's Principal covers the caller, it names the caller's ARN itself)."""
    principal = statement.get("Principal")
    if principal == "*":
        return True, False
    listed = (
        [str(p) for p in _list((principal or {}).get("AWS"))] if isinstance(principal, dict) else []
    )
    exact = caller["arn"] in listed or caller.get("role_arn", "") in listed
    account = caller["account"]
    covers = exact or "*" in listed or account in listed or f"arn:aws:iam::{account}:root" in listed
    return covers, exact


def _effect(
    documents: list[dict[str, Any]],
    arn: str,
    context: dict[str, str],
    caller: dict[str, str] | None,
) -> tuple[bool, bool, bool]:
    """(some Allow matches, some Deny matches, an Allow names the caller's ARN itself)."""
    allowed = denied = exact = False
    for document in documents:
        for statement in _statements(document):
            if not (_matches_action(statement) and _matches_resource(statement, arn)):
                continue
            named = True
            if caller is not None:
                covers, named_exactly = _names(statement, caller)
                if not covers:
                    continue
                named = named_exactly
            if not _conditions_met(statement, context):
                continue
            if statement.get("Effect") == "Deny":
                denied = True
            elif statement.get("Effect") == "Allow":
                allowed = True
                exact = exact or named
    return allowed, denied, exact


def _organization_of(account: str) -> str | None:
    from moto.organizations.models import organizations_backends

    for partitions in list(organizations_backends.values()):
        for backend in list(partitions.values()):
            if backend.org and any(a.id == account for a in backend.accounts):
                return str(backend.org.id)
    return None


def _identity_documents(user: Any, backend: Any) -> list[dict[str, Any]]:
    def managed(policy: Any) -> dict[str, Any]:
        versions = getattr(policy, "versions", [])
        default = next((v for v in versions if getattr(v, "is_default", False)), None)
        return _document(default.document if default else getattr(policy, "document", "{}"))

    found = [_document(d) for d in user.policies.values()]
    found += [managed(p) for p in user.managed_policies.values()]
    for group in list(backend.groups.values()):
        if user in group.users:
            found += [_document(d) for d in group.policies.values()]
            found += [managed(p) for p in group.managed_policies.values()]
    return found


def _tags(role: Any) -> dict[str, str]:
    raw = role.tags.values() if isinstance(role.tags, dict) else (role.tags or [])
    return {t["Key"]: t["Value"] for t in raw if isinstance(t, dict)}


def decide(caller_arn: str, role_arn: str, serial: str | None, token: str | None) -> str | None:
    """Why AWS would refuse ``caller_arn`` assuming ``role_arn`` (None: allowed)."""
    from moto.iam.models import iam_backends

    role_account = role_arn.split(":")[4]
    role_backend = iam_backends[role_account]["global"]
    try:
        role = role_backend.get_role_by_arn(role_arn)
    except Exception:
        return f"the role {role_arn} does not exist"
    user_match, session_match = USER_ARN.match(caller_arn), SESSION_ARN.match(caller_arn)
    account = caller_arn.split(":")[4]
    caller = {"arn": caller_arn, "account": account}
    user = None
    if user_match:
        backend = iam_backends[account]["global"]
        user = backend.users.get(user_match.group(2))
    if session_match:
        caller["role_arn"] = f"arn:aws:iam::{account}:role/{session_match.group(2)}"
    mfa = (
        user is not None
        and serial is not None
        and serial in user.mfa_devices
        and bool(token and re.fullmatch(r"\d{6}", token))
    )
    context = {
        "aws:PrincipalArn": caller.get("role_arn", caller_arn),
        "aws:PrincipalAccount": account,
        "aws:ResourceAccount": role_account,
        **({"aws:MultiFactorAuthPresent": "true"} if mfa else {}),
        **({"aws:username": user.name} if user is not None else {}),
        **{f"aws:ResourceTag/{k}": v for k, v in _tags(role).items()},
    }
    for key, account_id in (("aws:ResourceOrgID", role_account), ("aws:PrincipalOrgID", account)):
        org = _organization_of(account_id)
        if org:
            context[key] = org
    trust = _document(role.assume_role_policy_document)
    trusted, trust_denied, named = _effect([trust], role_arn, context, caller)
    if trust_denied or not trusted:
        return f"the trust policy of {role_arn} does not allow {caller_arn}" + (
            "" if mfa else " (without MFA)"
        )
    if user is None:
        return None
    allowed, denied, _ = _effect(
        _identity_documents(user, iam_backends[account]["global"]), role_arn, context, None
    )
    if denied:
        return f"an identity policy of {caller_arn} denies sts:AssumeRole" + (
            "" if mfa else " (without MFA)"
        )
    if allowed or (named and role_account == account):
        return None
    return f"no identity policy of {caller_arn} allows sts:AssumeRole on {role_arn}"


def assume_role_authorization() -> None:
    """Check AssumeRole against trust and identity policies while ``enforce(True)``
    (idempotent)."""
    from moto.sts.exceptions import STSClientError
    from moto.sts.responses import TokenResponse

    original = TokenResponse.assume_role
    if getattr(original, "orgstack_shim", False):
        return
    import warnings

    # STS's model has no shape for AccessDenied (AWS sends it as a generic error); moto says so.
    warnings.filterwarnings("ignore", message=r".*code AccessDenied does not match an error shape")

    def assume_role(self: Any) -> Any:
        if _STATE["enforce"]:
            _, caller_arn, _ = self.backend.get_caller_identity(self.get_access_key(), self.region)
            role_arn = self._get_param("RoleArn")
            why = decide(
                caller_arn, role_arn, self._get_param("SerialNumber"), self._get_param("TokenCode")
            )
            if why is not None:
                raise STSClientError(
                    "AccessDenied",
                    f"User: {caller_arn} is not authorized to perform: sts:AssumeRole on "
                    f"resource: {role_arn}: {why}",
                )
        return original(self)

    assume_role.orgstack_shim = True  # type: ignore[attr-defined]
    TokenResponse.assume_role = assume_role  # type: ignore[method-assign]

    def undo() -> None:
        TokenResponse.assume_role = original  # type: ignore[method-assign]

    _INSTALLED.append(undo)
