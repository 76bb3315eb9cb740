"""The one vocabulary: frozen dataclasses of an organization, from a spec or from AWS."""

from orgstack.model.core import (
    FULL_AWS_ACCESS,
    KNOWN_STAGES,
    MANAGED_POLICY_TYPES,
    PURPOSES,
    ROOT,
    Account,
    Organization,
    OrganizationalUnit,
    OrgModel,
    Policy,
    PolicyType,
    Root,
    Source,
    Suppression,
    Target,
    minified,
)

__all__ = [
    "FULL_AWS_ACCESS",
    "KNOWN_STAGES",
    "MANAGED_POLICY_TYPES",
    "PURPOSES",
    "ROOT",
    "Account",
    "OrgModel",
    "Organization",
    "OrganizationalUnit",
    "Policy",
    "PolicyType",
    "Root",
    "Source",
    "Suppression",
    "Target",
    "minified",
]
