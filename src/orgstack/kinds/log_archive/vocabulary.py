"""The log archive's key, buckets and their policies, from the ``logging:`` section."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.model import OrgModel
from orgstack.model.kind import resource_address
from orgstack.model.logs import bucket_names, config_bucket_name, key_alias_arn, trail_arn
from orgstack.model.policydoc import key_administration, key_guard
from orgstack.plan.resources import account_ref, organization_ref

SECTION = "logging"
PREFIX = "log-archive"
#: Where AWS Config writes in its bucket (``AWSLogs/<account>/Config/...``).
CONFIG_PREFIX = "AWSLogs/*/Config/*"
#: Where S3 writes the access logs of the log bucket and of Config's bucket.
ACCESS_PREFIX = "s3-access/"
CONFIG_ACCESS_PREFIX = "s3-access-config/"
SOURCE_ORG = "aws:SourceOrgID"
SOURCE_ARN = "aws:SourceArn"
#: The encryption context CloudTrail gives KMS: the ARN of the trail that writes.
TRAIL_CONTEXT = "kms:EncryptionContext:aws:cloudtrail:arn"
OWNER_FULL_CONTROL = {"s3:x-amz-acl": "bucket-owner-full-control"}
#: Everything that removes logs: only the break-glass role may.
DELETES = [
    "s3:BypassGovernanceRetention",
    "s3:DeleteBucket",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:PutObjectLegalHold",
    "s3:PutObjectRetention",
]
#: Everything that loosens the bucket: the break-glass role and orgstack's access role may.
LOOSENING = [
    "s3:DeleteBucketPolicy",
    "s3:PutBucketAcl",
    "s3:PutBucketOwnershipControls",
    "s3:PutBucketLogging",
    "s3:PutBucketObjectLockConfiguration",
    "s3:PutBucketPolicy",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutBucketVersioning",
    "s3:PutEncryptionConfiguration",
    "s3:PutLifecycleConfiguration",
    "s3:PutReplicationConfiguration",
]
BLOCK_ALL = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}

#: The log buckets' lifecycle rule (archive, then expire).
LIFECYCLE_RULE = "orgstack-archive"


def address(account: str, part: str) -> str:
    return resource_address(PREFIX, account, part)


def names(section: Mapping[str, Any], ids: Mapping[str, str]) -> tuple[str, str]:
    """The log bucket's and the access-log bucket's names (the account id placed)."""
    return bucket_names(section, account_ref(section["account"], ids))


def config_name(section: Mapping[str, Any], ids: Mapping[str, str]) -> str:
    """AWS Config's bucket's name (the account id placed)."""
    return config_bucket_name(section, account_ref(section["account"], ids))


def management_ref(model: OrgModel, ids: Mapping[str, str]) -> str:
    """The management account's id (``{account:NAME}`` until known), where the trail lives."""
    management = model.management
    return account_ref(management.name, ids) if management is not None else "*"


def trail(section: Mapping[str, Any], model: OrgModel, ids: Mapping[str, str]) -> str:
    """The organization trail's ARN, which alone may write the log bucket and use the key."""
    return trail_arn(section, model.organization.home_region, management_ref(model, ids))


def key_arn(section: Mapping[str, Any], model: OrgModel, ids: Mapping[str, str]) -> str:
    account_id = account_ref(section["account"], ids)
    return key_alias_arn(section, model.organization.home_region, account_id)


def _role(name: str) -> str:
    return f"arn:aws:iam::*:role/{name}"


def _tls_only(*resources: str) -> dict[str, Any]:
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": list(resources),
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def key_policy(
    section: Mapping[str, Any], model: OrgModel, ids: Mapping[str, str]
) -> dict[str, Any]:
    """The archive key's policy as CloudTrail's and Config's guides write it: this account
    administers it; CloudTrail may use it only for the organization trail (``aws:SourceArn``
    and the trail in the encryption context), Config only for this organization; no one but
    the break-glass role may disable or delete it, or rewrite its policy (orgstack's access
    role keeps it as declared): without the key the logs are unreadable and the trail stops."""
    account_id = account_ref(section["account"], ids)
    guard = key_guard(
        f"arn:aws:iam::{account_id}:role/{section['break_glass_role']}",
        f"arn:aws:iam::{account_id}:role/{model.organization.access_role}",
    )
    org = {"StringEquals": {SOURCE_ORG: organization_ref(ids)}}
    arn = trail(section, model, ids)
    return {
        "Version": "2012-10-17",
        "Statement": [
            key_administration(account_id),
            *guard,
            {
                "Sid": "CloudTrailDescribesKey",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "kms:DescribeKey",
                "Resource": "*",
                "Condition": {"StringEquals": {SOURCE_ARN: arn}},
            },
            {
                "Sid": "CloudTrailEncryptsLogs",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "kms:GenerateDataKey*",
                "Resource": "*",
                "Condition": {
                    "StringEquals": {SOURCE_ORG: organization_ref(ids), SOURCE_ARN: arn},
                    "StringLike": {
                        TRAIL_CONTEXT: f"arn:aws:cloudtrail:*:{management_ref(model, ids)}:trail/*"
                    },
                },
            },
            {
                "Sid": "ConfigEncryptsLogs",
                "Effect": "Allow",
                "Principal": {"Service": "config.amazonaws.com"},
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": "*",
                "Condition": org,
            },
        ],
    }


def _guarded(
    section: Mapping[str, Any], model: OrgModel, arn: str, objects: str
) -> list[dict[str, Any]]:
    """Deletes denied to all but the break-glass role; loosening the bucket to all but it and
    orgstack's access role."""
    return [
        {
            "Sid": "OnlyBreakGlassDeletes",
            "Effect": "Deny",
            "Principal": "*",
            "Action": DELETES,
            "Resource": [arn, objects],
            "Condition": {"ArnNotLike": {"aws:PrincipalArn": _role(section["break_glass_role"])}},
        },
        {
            "Sid": "OnlyBreakGlassAndOrgstackChangeTheBucket",
            "Effect": "Deny",
            "Principal": "*",
            "Action": LOOSENING,
            "Resource": arn,
            "Condition": {
                "ArnNotLike": {
                    "aws:PrincipalArn": [
                        _role(section["break_glass_role"]),
                        _role(model.organization.access_role),
                    ]
                }
            },
        },
    ]


def _writer(
    name: str, checks: list[str], arn: str, where: list[str], source: dict[str, str]
) -> list[dict[str, Any]]:
    """The statements a writing service needs: check the bucket, put objects ``where`` with
    the bucket owner's control, both bound to ``source`` (its conditions)."""
    service = {"Service": f"{name.lower()}.amazonaws.com"}
    return [
        {
            "Sid": f"{name}ChecksTheBucket",
            "Effect": "Allow",
            "Principal": service,
            "Action": checks,
            "Resource": arn,
            "Condition": {"StringEquals": dict(source)},
        },
        {
            "Sid": f"{name}WritesLogs",
            "Effect": "Allow",
            "Principal": service,
            "Action": "s3:PutObject",
            "Resource": where,
            "Condition": {"StringEquals": {**source, **OWNER_FULL_CONTROL}},
        },
    ]


def bucket_policy(
    section: Mapping[str, Any], model: OrgModel, ids: Mapping[str, str]
) -> dict[str, Any]:
    """The log bucket: only the organization trail writes, as CloudTrail's guide writes the
    policy for an organization trail (``AWSLogs/<management id>/`` and ``AWSLogs/<org id>/``,
    ``aws:SourceArn`` the trail), and only within this organization."""
    bucket, _ = names(section, ids)
    arn, objects = f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"
    org = organization_ref(ids)
    source = {SOURCE_ORG: org, SOURCE_ARN: trail(section, model, ids)}
    return {
        "Version": "2012-10-17",
        "Statement": [
            _tls_only(arn, objects),
            *_writer(
                "CloudTrail",
                ["s3:GetBucketAcl"],
                arn,
                [f"{arn}/AWSLogs/{management_ref(model, ids)}/*", f"{arn}/AWSLogs/{org}/*"],
                source,
            ),
            *_guarded(section, model, arn, objects),
        ],
    }


def config_bucket_policy(
    section: Mapping[str, Any], model: OrgModel, ids: Mapping[str, str]
) -> dict[str, Any]:
    """AWS Config's bucket: only the organization's Config writes (Config's guide for a
    bucket in another account: the service principal checks the bucket and puts
    ``AWSLogs/<account>/Config/``), deletes and loosening guarded like the log bucket's."""
    bucket = config_name(section, ids)
    arn, objects = f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"
    org = {SOURCE_ORG: organization_ref(ids)}
    return {
        "Version": "2012-10-17",
        "Statement": [
            _tls_only(arn, objects),
            *_writer(
                "Config", ["s3:GetBucketAcl", "s3:ListBucket"], arn, [f"{arn}/{CONFIG_PREFIX}"], org
            ),
            *_guarded(section, model, arn, objects),
        ],
    }


def access_log_policy(section: Mapping[str, Any], ids: Mapping[str, str]) -> dict[str, Any]:
    bucket, access = names(section, ids)
    arn = f"arn:aws:s3:::{access}"
    return {
        "Version": "2012-10-17",
        "Statement": [
            _tls_only(arn, f"{arn}/*"),
            {
                "Sid": "S3WritesAccessLogs",
                "Effect": "Allow",
                "Principal": {"Service": "logging.s3.amazonaws.com"},
                "Action": "s3:PutObject",
                "Resource": [f"{arn}/{ACCESS_PREFIX}*", f"{arn}/{CONFIG_ACCESS_PREFIX}*"],
                "Condition": {
                    "ArnLike": {
                        "aws:SourceArn": [
                            f"arn:aws:s3:::{bucket}",
                            f"arn:aws:s3:::{config_name(section, ids)}",
                        ]
                    },
                    "StringEquals": {"aws:SourceAccount": account_ref(section["account"], ids)},
                },
            },
        ],
    }


def lifecycle(section: Mapping[str, Any]) -> dict[str, Any]:
    """Objects move to Glacier Instant Retrieval, and (when ``expire_after_days`` is set)
    expire, current and old versions alike: a versioned bucket keeps an old version (and bills
    it) until a rule expires it."""
    expire = section["expire_after_days"]
    return {
        "archive_after_days": section["archive_after_days"],
        "expire_after_days": expire,
        "noncurrent_expire_after_days": expire,
    }
