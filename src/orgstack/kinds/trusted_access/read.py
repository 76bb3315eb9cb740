"""Trusted access as the organization read shows it (ListAWSServiceAccessForOrganization is
part of that read): no call of its own.

IAM actions: organizations:ListAWSServiceAccessForOrganization
"""

from __future__ import annotations

from orgstack.aws.reading import ReadContext
from orgstack.kinds.trusted_access.vocabulary import PREFIX
from orgstack.model.kind import Live, ReadRequest


def read(ctx: ReadContext, request: ReadRequest) -> Live:
    enabled = request.live.organization.service_access if request.live is not None else ()
    return Live({PREFIX + p: {"enabled": True} for p in enabled})
