"""The log archive's key, buckets and their policies, from the ``logging:`` section."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.model import OrgModel
from orgstack.model.kind import resource_address
from orgstack.model.logs import bucket_names, key_alias_arn
from orgstack.plan.resources import account_ref, canonical, organization_ref

SECTION = "logging"
PREFIX = "log-archive"
#: Where CloudTrail and Config write (``AWSLogs/<org id>/...`` and ``AWSLogs/<account>/...``).
LOG_PREFIX = "AWSLogs/*"
ACCESS_PREFIX = "s3-access/"
SOURCE_ORG = "aws:SourceOrgID"
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
    "s3:PutBucketLogging",
    "s3:PutBucketObjectLockConfiguration",
    "s3:PutBucketPolicy",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutBucketVersioning",
    "s3:PutEncryptionConfiguration",
    "s3:PutLifecycleConfiguration",
]
BLOCK_ALL = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def address(account: str, part: str) -> str:
    return resource_address(PREFIX, account, part)


def names(section: Mapping[str, Any], ids: Mapping[str, str]) -> tuple[str, str]:
    """The log bucket's and the access-log bucket's names (the account id placed)."""
    return bucket_names(section, account_ref(section["account"], ids))


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


def key_policy(section: Mapping[str, Any], ids: Mapping[str, str]) -> dict[str, Any]:
    account_id = account_ref(section["account"], ids)
    org = {"StringEquals": {SOURCE_ORG: organization_ref(ids)}}
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "KeyAdministration",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Sid": "CloudTrailEncryptsLogs",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": ["kms:DescribeKey", "kms:GenerateDataKey*"],
                "Resource": "*",
                "Condition": org,
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


def bucket_policy(
    section: Mapping[str, Any], model: OrgModel, ids: Mapping[str, str]
) -> dict[str, Any]:
    bucket, _ = names(section, ids)
    arn, objects = f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"
    org = organization_ref(ids)
    writers = [("CloudTrail", "cloudtrail.amazonaws.com"), ("Config", "config.amazonaws.com")]
    statements: list[dict[str, Any]] = [_tls_only(arn, objects)]
    for name, service in writers:
        statements += [
            {
                "Sid": f"{name}ChecksTheBucket",
                "Effect": "Allow",
                "Principal": {"Service": service},
                "Action": ["s3:GetBucketAcl", "s3:ListBucket"],
                "Resource": arn,
                "Condition": {"StringEquals": {SOURCE_ORG: org}},
            },
            {
                "Sid": f"{name}WritesLogs",
                "Effect": "Allow",
                "Principal": {"Service": service},
                "Action": "s3:PutObject",
                "Resource": f"{arn}/{LOG_PREFIX}",
                "Condition": {"StringEquals": {SOURCE_ORG: org, **OWNER_FULL_CONTROL}},
            },
        ]
    statements += [
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
    return {"Version": "2012-10-17", "Statement": statements}


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
                "Resource": f"{arn}/{ACCESS_PREFIX}*",
                "Condition": {
                    "ArnLike": {"aws:SourceArn": f"arn:aws:s3:::{bucket}"},
                    "StringEquals": {"aws:SourceAccount": account_ref(section["account"], ids)},
                },
            },
        ],
    }


def desired(model: OrgModel, ids: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    section = model.sections.get(SECTION)
    if not section:
        return {}
    account = section["account"]
    bucket, access = names(section, ids)
    region = model.organization.home_region
    lifecycle = {
        "archive_after_days": section["archive_after_days"],
        "expire_after_days": section["expire_after_days"],
    }
    return {
        address(account, "key"): {
            "alias": f"alias/{section['key_alias']}",
            "policy": canonical(key_policy(section, ids)),
            "rotation": True,
            "region": region,
        },
        address(account, "access-logs"): {
            "name": access,
            "versioning": "Enabled",
            "encryption": {"algorithm": "AES256", "key": None},
            "public_access_block": dict(BLOCK_ALL),
            "policy": canonical(access_log_policy(section, ids)),
            "region": region,
        },
        address(account, "bucket"): {
            "name": bucket,
            "versioning": "Enabled",
            "object_lock": {"mode": "COMPLIANCE", "days": section["retention_days"]},
            "encryption": {"algorithm": "aws:kms", "key": key_arn(section, model, ids)},
            "public_access_block": dict(BLOCK_ALL),
            "policy": canonical(bucket_policy(section, model, ids)),
            "lifecycle": lifecycle,
            "logging": {"target": access, "prefix": ACCESS_PREFIX},
            "region": region,
        },
    }
