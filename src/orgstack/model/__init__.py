"""The one vocabulary: frozen dataclasses of an organization, from a spec or from AWS."""

from orgstack.model.core import (
    KNOWN_STAGES,
    PURPOSES,
    Account,
    Organization,
    OrganizationalUnit,
    OrgModel,
    Policy,
    PolicyType,
    Source,
    Target,
)

__all__ = [
    "KNOWN_STAGES",
    "PURPOSES",
    "Account",
    "OrgModel",
    "Organization",
    "OrganizationalUnit",
    "Policy",
    "PolicyType",
    "Source",
    "Target",
]
