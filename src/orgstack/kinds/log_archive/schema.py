"""The ``logging:`` section: where the organization's logs are kept and for how long."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import Field

from orgstack.errors import Problem
from orgstack.model.logs import ACCOUNT_ID
from orgstack.spec.fields import Strict
from orgstack.spec.yamlread import Located

SECTION = "logging"
DESCRIPTION = "The log archive: locked log bucket, its KMS key and the organization trail."
#: S3's bucket-name rules (general purpose buckets): 3-63 characters, lower-case letters,
#: digits, dots and hyphens, starting and ending with a letter or digit.
BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
ROLE = r"^[\w+=,.@-]{1,64}$"


class LoggingSpec(Strict):
    """The log archive account's bucket and key, and the organization trail writing to it."""

    account: Annotated[
        str | None,
        Field(
            description="The log archive account; default: the one whose purpose is log-archive."
        ),
    ] = None
    bucket: Annotated[
        str | None,
        Field(
            description=(
                "The log bucket's name (globally unique); default: "
                "<organization name>-logs-<log archive account id>."
            )
        ),
    ] = None
    config_bucket: Annotated[
        str | None,
        Field(
            description=(
                "AWS Config's delivery bucket (globally unique; AWS Config cannot deliver into "
                "a bucket with Object Lock, so it has its own); default: <bucket>-config."
            )
        ),
    ] = None
    retention_days: Annotated[
        int,
        Field(
            ge=1,
            le=36500,
            description=(
                "S3 Object Lock retention in compliance mode: no one can delete a log object "
                "for this many days, not even the root user."
            ),
        ),
    ] = 365
    archive_after_days: Annotated[
        int,
        Field(ge=1, description="Move log objects to Glacier Instant Retrieval after these days."),
    ] = 90
    expire_after_days: Annotated[
        int | None,
        Field(
            ge=1,
            description="Delete log objects after these days (at least the retention); or keep.",
        ),
    ] = None
    break_glass_role: Annotated[
        str,
        Field(
            pattern=ROLE,
            description="The only role that may delete logs or loosen the bucket (emergencies).",
        ),
    ] = "OrgstackBreakGlass"
    trail_name: Annotated[
        str,
        Field(
            pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$",
            description="The organization trail's name (in the management account).",
        ),
    ] = "orgstack-organization-trail"
    key_alias: Annotated[
        str,
        Field(
            pattern=r"^[a-zA-Z0-9/_-]{1,250}$", description="The KMS key's alias (without alias/)."
        ),
    ] = "orgstack-logs"


Schema = LoggingSpec


def _default_bucket(organization: str) -> str:
    """``<organization>-logs-{account_id}``, the name made S3-safe."""
    stem = re.sub(r"[^a-z0-9-]+", "-", organization.lower()).strip("-")[:40] or "org"
    return f"{stem}-logs-{ACCOUNT_ID}"


def compile(
    section: LoggingSpec, model: Any, located: Located, problems: list[Problem]
) -> dict[str, Any] | None:
    """The archive's settings with the account resolved, or None with problems."""
    from orgstack.spec.purpose import section_account

    before = len(problems)
    account = section_account(SECTION, section.account, "log-archive", model, located, problems)
    if account is None:
        return None
    if not any(a.purpose == "management" for a in model.accounts):
        problems.append(
            located.key_pos((SECTION,)).problem(
                f"{SECTION}: the spec declares no management account, where the organization "
                "trail lives; declare it (purpose: management)"
            )
        )
    bucket = section.bucket or _default_bucket(model.organization.name)
    if section.bucket is not None and (not BUCKET.match(bucket) or ".." in bucket):
        problems.append(
            located.value_pos((SECTION, "bucket")).problem(
                f"{SECTION}.bucket: {bucket!r} is not an S3 bucket name (3 to 63 lower-case "
                "letters, digits, dots and hyphens, starting and ending with a letter or digit)"
            )
        )
    if section.config_bucket is not None:
        config = section.config_bucket
        if not BUCKET.match(config) or ".." in config:
            problems.append(
                located.value_pos((SECTION, "config_bucket")).problem(
                    f"{SECTION}.config_bucket: {config!r} is not an S3 bucket name (3 to 63 "
                    "lower-case letters, digits, dots and hyphens, starting and ending with a "
                    "letter or digit)"
                )
            )
        elif config in (bucket, f"{bucket[:55]}-access"):
            problems.append(
                located.value_pos((SECTION, "config_bucket")).problem(
                    f"{SECTION}.config_bucket: {config!r} is the log bucket or its access-log "
                    "bucket; AWS Config needs a bucket of its own (it cannot deliver into a "
                    "bucket with Object Lock)"
                )
            )
    if section.expire_after_days is not None:
        floor = max(section.retention_days, section.archive_after_days + 1)
        if section.expire_after_days < floor:
            problems.append(
                located.value_pos((SECTION, "expire_after_days")).problem(
                    f"{SECTION}.expire_after_days: {section.expire_after_days} is before the "
                    f"retention ({section.retention_days} days) or the move to archive "
                    f"({section.archive_after_days} days); use at least {floor}"
                )
            )
    if len(problems) > before:
        return None
    return {
        "account": account,
        "bucket": bucket,
        **section.model_dump(exclude={"account", "bucket"}),
    }
