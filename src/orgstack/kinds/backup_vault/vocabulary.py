"""The central vaults, their keys and policies, and the cross-account setting, from
``backup:``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgstack.model import OrgModel
from orgstack.model.backup import COPY_INTO, DELETES, LOOSENING
from orgstack.model.kind import resource_address
from orgstack.model.policydoc import key_administration, key_guard
from orgstack.plan.resources import account_ref, organization_ref

PREFIX = "backup-vault"
ORG_ID = "aws:PrincipalOrgID"


def address(account: str, region: str, part: str) -> str:
    return resource_address(PREFIX, account, region, part)


def _role(name: str) -> str:
    return f"arn:aws:iam::*:role/{name}"


def key_policy(
    section: Mapping[str, Any], model: OrgModel, region: str, ids: Mapping[str, str]
) -> dict[str, Any]:
    """The backup account administers the key; the organization's accounts may use it through
    AWS Backup only (their copies are encrypted with it); no one but the break-glass role may
    disable or delete it, or rewrite its policy (orgstack's access role keeps it as declared):
    without the key, every copy in the vault is unreadable."""
    account_id = account_ref(section["account"], ids)
    guard = key_guard(
        f"arn:aws:iam::{account_id}:role/{section['break_glass_role']}",
        f"arn:aws:iam::{account_id}:role/{model.organization.access_role}",
    )
    return {
        "Version": "2012-10-17",
        "Statement": [
            key_administration(account_id),
            *guard,
            {
                "Sid": "OrganizationCopiesThroughBackup",
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": [
                    "kms:CreateGrant",
                    "kms:Decrypt",
                    "kms:DescribeKey",
                    "kms:Encrypt",
                    "kms:GenerateDataKey*",
                    "kms:ReEncrypt*",
                ],
                "Resource": "*",
                "Condition": {
                    "StringEquals": {
                        ORG_ID: organization_ref(ids),
                        "kms:ViaService": f"backup.{region}.amazonaws.com",
                    }
                },
            },
        ],
    }


def vault_policy(
    section: Mapping[str, Any], model: OrgModel, ids: Mapping[str, str]
) -> dict[str, Any]:
    """Copies come in from the organization only; deleting or shortening them is denied to all
    but the break-glass role, loosening the vault to all but it and orgstack's role."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "CopiesFromTheOrganization",
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": COPY_INTO,
                "Resource": "*",
                "Condition": {"StringEquals": {ORG_ID: organization_ref(ids)}},
            },
            {
                "Sid": "OnlyBreakGlassDeletes",
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": list(DELETES),
                "Resource": "*",
                "Condition": {
                    "ArnNotLike": {"aws:PrincipalArn": _role(section["break_glass_role"])}
                },
            },
            {
                "Sid": "OnlyBreakGlassAndOrgstackChangeTheVault",
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": list(LOOSENING),
                "Resource": "*",
                "Condition": {
                    "ArnNotLike": {
                        "aws:PrincipalArn": [
                            _role(section["break_glass_role"]),
                            _role(model.organization.access_role),
                        ]
                    }
                },
            },
        ],
    }


def key_alias(section: Mapping[str, Any]) -> str:
    return f"alias/{section['key_alias']}"
