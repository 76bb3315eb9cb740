"""IAM authorization of ``sts:AssumeRole``, which moto does not check (it lets any caller
assume any role). Opt-in per sandbox (``orgstack sandbox start --enforce-iam``, on in the demo)
so that the access matrix can be proven: a role is assumable exactly when AWS would allow it.

What it evaluates, as AWS does for one request (``evaluation.py``; failing closed: a Deny it
cannot evaluate denies):
- the role's trust policy: an Allow naming the caller (its ARN, its role's, its account's root
  or id, or ``*``; ``NotPrincipal`` too), its conditions met, no Deny that matches;
- the SCPs of the caller's account, when it is a member account (the management account is
  outside SCPs);
- the caller's identity policies: an IAM user's (inline and attached, its groups' too) or a
  role session's role's: an Allow of ``sts:AssumeRole`` on the role, no Deny; in the role's own
  account a trust that names the caller itself is enough on its own; an account's root (moto's
  default credentials) is not limited by identity policies;
- condition keys: ``aws:MultiFactorAuthPresent`` (``true`` only when the call passes
  ``SerialNumber`` of one of the user's MFA devices and a six-digit ``TokenCode``, or the
  calling session was made so; absent for long-term keys otherwise, as on AWS),
  ``aws:TokenIssueTime``, ``aws:PrincipalArn``, ``aws:PrincipalAccount``, ``aws:PrincipalOrgID``,
  ``aws:PrincipalTag/<key>``, ``aws:username``, ``aws:ResourceAccount``, ``aws:ResourceOrgID``,
  ``aws:ResourceTag/<key>``.
Each session it lets through is remembered (MFA, issue time) for the checks of later calls.
"""

from __future__ import annotations

import re
from typing import Any

from orgstack.sandbox.shims.callers import (
    USER_ARN,
    caller_of,
    context_of,
    document,
    identity_documents,
    principal,
    remember_session,
    scps_of,
    tags_of,
)
from orgstack.sandbox.shims.evaluation import Caller, Request, evaluate
from orgstack.sandbox.shims.gaps import _INSTALLED

#: Set by ``enforce(True)`` (the sandbox server's ``--enforce-iam``, or a test).
_STATE = {"enforce": False}
ACCESS_KEY = re.compile(r"<AccessKeyId>([^<]+)</AccessKeyId>")


def enforce(on: bool) -> None:
    _STATE["enforce"] = on


def enforcing() -> bool:
    return _STATE["enforce"]


def _mfa(caller: Caller, context: dict[str, Any], serial: str | None, token: str | None) -> bool:
    """Whether the request carries MFA: a user's device and code, or an MFA session's."""
    if USER_ARN.match(caller.arn):
        user = principal(caller)
        return (
            user is not None
            and serial is not None
            and serial in user.mfa_devices
            and bool(token and re.fullmatch(r"\d{6}", token))
        )
    return context.get("aws:MultiFactorAuthPresent") == "true"


def decide(
    caller: Caller, access_key: str, role_arn: str, serial: str | None, token: str | None
) -> tuple[str | None, bool]:
    """(why AWS would refuse ``caller`` assuming ``role_arn``, or None; whether MFA was
    presented)."""
    from moto.iam.models import iam_backends

    role_account = role_arn.split(":")[4]
    try:
        role = iam_backends[role_account]["aws"].get_role_by_arn(role_arn)
    except Exception:
        return f"the role {role_arn} does not exist", False
    context = context_of(caller, access_key, role_account)
    mfa = _mfa(caller, context, serial, token)
    context.pop("aws:MultiFactorAuthPresent", None)
    if mfa:
        context["aws:MultiFactorAuthPresent"] = "true"
    elif not USER_ARN.match(caller.arn) and access_key in _sessions():
        context["aws:MultiFactorAuthPresent"] = "false"
    context |= {f"aws:ResourceTag/{k}": v for k, v in tags_of(role).items()}
    request = Request(caller, "sts:AssumeRole", role_arn, context)
    without = "" if mfa else " (without MFA)"
    trust = evaluate([document(role.assume_role_policy_document)], request, principals=True)
    if trust.denied or not trust.allowed:
        return f"the trust policy of {role_arn} does not allow {caller.arn}{without}", mfa
    for where, documents in scps_of(caller.account):
        verdict = evaluate(documents, request, principals=False)
        if verdict.denied or not verdict.allowed:
            return f"an SCP at {where} does not allow {caller.arn} sts:AssumeRole{without}", mfa
    identity = identity_documents(caller)
    if identity is None:
        return None, mfa
    own = evaluate(identity, request, principals=False)
    if own.denied:
        return f"an identity policy of {caller.arn} denies sts:AssumeRole{without}", mfa
    if own.allowed or (trust.named and role_account == caller.account):
        return None, mfa
    return f"no identity policy of {caller.arn} allows sts:AssumeRole on {role_arn}", mfa


def _sessions() -> dict[str, dict[str, str]]:
    from orgstack.sandbox.shims.callers import SESSIONS

    return SESSIONS


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
        if not _STATE["enforce"]:
            return original(self)
        access_key = self.get_access_key()
        caller = caller_of(access_key, self.current_account, self.region)
        role_arn = self._get_param("RoleArn")
        why, mfa = decide(
            caller,
            access_key,
            role_arn,
            self._get_param("SerialNumber"),
            self._get_param("TokenCode"),
        )
        if why is not None:
            raise STSClientError(
                "AccessDenied",
                f"User: {caller.arn} is not authorized to perform: sts:AssumeRole on "
                f"resource: {role_arn}: {why}",
            )
        answer = original(self)
        issued = ACCESS_KEY.search(answer if isinstance(answer, str) else str(answer))
        if issued:
            remember_session(issued.group(1), mfa)
        return answer

    assume_role.orgstack_shim = True  # type: ignore[attr-defined]
    TokenResponse.assume_role = assume_role  # type: ignore[method-assign]

    def undo() -> None:
        TokenResponse.assume_role = original  # type: ignore[method-assign]

    _INSTALLED.append(undo)
