"""A Config recorder and delivery channel for every account of the spec in every Region of
``security:``, when it lists ``config`` and ``logging:`` gives the log archive: the channel
delivers into the archive's Config bucket (AWS Config does not support a delivery channel into
a bucket with Object Lock, so never the locked log bucket)."""

from __future__ import annotations

from orgstack.model.kind import resource_address

PREFIX = "config-recorder"
#: The role Config records with: AWS's service-linked role, created in each account.
ROLE = "arn:aws:iam::{account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"


def address(account: str, region: str) -> str:
    return resource_address(PREFIX, account, region)
