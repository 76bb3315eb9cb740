"""The log archive's names (the ``logging:`` section compiled), shared by the kinds that make
the archive, the trail and the Config recorders, and by the rules that check them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: The compiled ``logging:`` section in ``OrgModel.sections``.
SECTION = "logging"
#: Where the default bucket name puts the log archive account's id.
ACCOUNT_ID = "{account_id}"


def config_bucket_default(bucket: str) -> str:
    """AWS Config's bucket beside the log bucket (Config cannot deliver into a bucket with
    Object Lock): ``<log bucket>-config``, within S3's 63 characters."""
    return f"{bucket[:56]}-config"


def bucket_names(section: Mapping[str, Any], account_id: str) -> tuple[str, str]:
    """The log bucket's and the access-log bucket's names, ``account_id`` placed."""
    bucket = str(section["bucket"]).replace(ACCOUNT_ID, account_id)
    return bucket, f"{bucket[:55]}-access"


def config_bucket_name(section: Mapping[str, Any], account_id: str) -> str:
    """AWS Config's delivery bucket, ``account_id`` placed (the default is made from the
    placed log bucket's name, so the id is never cut)."""
    named = section.get("config_bucket")
    if named:
        return str(named).replace(ACCOUNT_ID, account_id)
    return config_bucket_default(bucket_names(section, account_id)[0])


def key_alias_arn(section: Mapping[str, Any], region: str, account_id: str) -> str:
    """The archive key by its alias ARN (stable when the key is replaced; CloudTrail and S3
    take it)."""
    return f"arn:aws:kms:{region}:{account_id}:alias/{section['key_alias']}"


def trail_arn(section: Mapping[str, Any], region: str, management_id: str) -> str:
    """The organization trail's ARN (in the management account, the home Region): what the
    bucket and key policies bind CloudTrail's writes to (``aws:SourceArn``)."""
    return f"arn:aws:cloudtrail:{region}:{management_id}:trail/{section['trail_name']}"


#: The diagram's node every account's logs come from (one, whichever kinds draw into it).
EVERY_ACCOUNT = {"id": "every_account", "label": "every account", "address": "", "kind": "every"}


def into_archive(
    sections: Mapping[str, Any], resources: Mapping[str, Any], label: str
) -> list[dict[str, Any]]:
    """The diagram's arrow from every account into the log archive, for a kind that sends
    logs there (``label``: what it sends), when the kind has resources and the archive is
    declared."""
    archive = (sections.get(SECTION) or {}).get("account")
    if not archive or not resources:
        return []
    return [
        {"node": EVERY_ACCOUNT, "to": archive, "label": label, "suffix": "logs", "style": "logs"}
    ]
