"""AWS and network faults turned into errors that say what to do next."""

from __future__ import annotations

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ProfileNotFound,
)
from botocore.parsers import ResponseParserError

from orgstack.errors import OrgstackError

EXPIRED = {"ExpiredToken", "ExpiredTokenException", "RequestExpired", "InvalidClientTokenId"}
DENIED = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"}
THROTTLED = {
    "TooManyRequestsException",
    "Throttling",
    "ThrottlingException",
    "RequestLimitExceeded",
    "SlowDown",
    "ThrottledException",
    "RequestThrottledException",
}


class AwsError(OrgstackError):
    """An AWS call failed after retries; ``code`` is AWS's error code, when there is one."""

    def __init__(self, message: str, hint: str = "", code: str = "") -> None:
        super().__init__(message, hint)
        self.code = code


class NotInOrganizationError(AwsError):
    """The caller's account is in no organization (a new management account)."""


class CallTooSlowError(BotoCoreError):
    """A call that got no answer within its budget, every retry included."""

    fmt = "{operation} got no answer in {seconds:.0f} s ({attempts} attempts)"


def translate(exc: Exception, operation: str = "") -> OrgstackError:
    """The error to show for ``exc``, raised by AWS operation ``operation``."""
    where = f" ({operation})" if operation else ""
    if isinstance(exc, NoCredentialsError):
        return AwsError(
            "no AWS credentials found",
            "Use --profile, AWS_PROFILE or environment keys for the management account, "
            "or --sandbox to try orgstack locally.",
        )
    if isinstance(exc, ProfileNotFound):
        import botocore.session

        known = sorted(botocore.session.Session().available_profiles)
        return AwsError(
            f"no AWS profile named {exc.kwargs.get('profile')!r}",
            "Profiles in your AWS config: " + (", ".join(known) if known else "(none)") + ".",
        )
    if isinstance(exc, NoRegionError):
        return AwsError("no AWS Region configured", "Pass --region or set AWS_REGION.")
    if isinstance(exc, EndpointConnectionError):
        return AwsError(
            f"cannot reach AWS{where}: {exc}",
            "Check the network or proxy and retry; `orgstack sandbox status` if you use --sandbox.",
        )
    if isinstance(exc, CallTooSlowError):
        return AwsError(
            f"AWS did not answer{where}: {exc}",
            "The endpoint is slow or unreachable; check the network or proxy, then run the "
            "command again (an apply resumes with `orgstack apply --resume`).",
            "CallTooSlow",
        )
    if isinstance(exc, ResponseParserError):
        return AwsError(
            f"AWS returned an unreadable answer{where}",
            "Retry; with --sandbox, the emulator may lack this operation (see its log).",
        )
    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code", "")
        message = exc.response.get("Error", {}).get("Message", "")
        if code == "AWSOrganizationsNotInUseException":
            return NotInOrganizationError(
                "this account is not in an organization",
                "`orgstack plan` proposes creating one; `orgstack apply` creates it.",
                code,
            )
        if code in EXPIRED:
            return AwsError(
                f"the AWS credentials expired or are invalid{where}: {message}",
                "Refresh them (aws sso login, or new keys) and run the command again.",
                code,
            )
        if code in DENIED:
            return AwsError(
                f"access denied{where}: {message}",
                "Run orgstack with the management account's credentials; "
                "`orgstack permissions` lists the IAM actions it needs.",
                code,
            )
        if code in THROTTLED:
            return AwsError(
                f"AWS kept throttling the requests{where}",
                "Retry later, or lower the request rate (--rate).",
                code,
            )
        return AwsError(
            f"AWS error {code}{where}: {message}",
            "Check the message above; retry if it was transient.",
            code,
        )
    if isinstance(exc, BotoCoreError):
        return AwsError(f"AWS client error{where}: {exc}", "Retry; check the AWS configuration.")
    return AwsError(f"{type(exc).__name__}{where}: {exc}")
