"""The log archive's names (the ``logging:`` section compiled), shared by the kinds that make
the archive and the trail and by the rules that check them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: The compiled ``logging:`` section in ``OrgModel.sections``.
SECTION = "logging"
#: Where the default bucket name puts the log archive account's id.
ACCOUNT_ID = "{account_id}"


def bucket_names(section: Mapping[str, Any], account_id: str) -> tuple[str, str]:
    """The log bucket's and the access-log bucket's names, ``account_id`` placed."""
    bucket = str(section["bucket"]).replace(ACCOUNT_ID, account_id)
    return bucket, f"{bucket[:55]}-access"


def key_alias_arn(section: Mapping[str, Any], region: str, account_id: str) -> str:
    """The archive key by its alias ARN (stable when the key is replaced; CloudTrail and S3
    take it)."""
    return f"arn:aws:kms:{region}:{account_id}:alias/{section['key_alias']}"
