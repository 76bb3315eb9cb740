"""The ``security:`` section: which account administers the organization's security services,
and which services (the security-service kinds read it too)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from orgstack.errors import Problem
from orgstack.spec.fields import Strict
from orgstack.spec.yamlread import Located

SECTION = "security"
DESCRIPTION = "The security account's delegated administration of the security services."
#: The services orgstack delegates, and the service principals each registers.
SERVICES: dict[str, tuple[str, ...]] = {
    "guardduty": ("guardduty.amazonaws.com",),
    "securityhub": ("securityhub.amazonaws.com",),
    "access-analyzer": ("access-analyzer.amazonaws.com",),
    "config": ("config.amazonaws.com", "config-multiaccountsetup.amazonaws.com"),
}
Service = Literal["guardduty", "securityhub", "access-analyzer", "config"]
#: Security Hub's standards by the name a spec gives them, and the part of the standard's ARN
#: after ``arn:aws:securityhub:<region>::`` (AWS's ``DescribeStandards``; CIS 1.2.0 is a
#: ``ruleset`` of no Region).
STANDARDS: dict[str, str] = {
    "aws-foundational-security-best-practices": (
        "standards/aws-foundational-security-best-practices/v/1.0.0"
    ),
    "cis-1.2": "ruleset/cis-aws-foundations-benchmark/v/1.2.0",
    "cis-1.4": "standards/cis-aws-foundations-benchmark/v/1.4.0",
    "cis-3.0": "standards/cis-aws-foundations-benchmark/v/3.0.0",
    "nist-800-53": "standards/nist-800-53/v/5.0.0",
    "nist-800-171": "standards/nist-800-171/v/2.0.0",
    "pci-dss-3.2.1": "standards/pci-dss/v/3.2.1",
    "pci-dss-4.0.1": "standards/pci-dss/v/4.0.1",
    "resource-tagging": "standards/aws-resource-tagging-standard/v/1.0.0",
}
Standard = Literal[
    "aws-foundational-security-best-practices",
    "cis-1.2",
    "cis-1.4",
    "cis-3.0",
    "nist-800-53",
    "nist-800-171",
    "pci-dss-3.2.1",
    "pci-dss-4.0.1",
    "resource-tagging",
]
assert tuple(Standard.__args__) == tuple(STANDARDS)  # type: ignore[attr-defined]


class SecuritySpec(Strict):
    """Delegated administration of the security services to one account."""

    account: Annotated[
        str | None,
        Field(
            description=(
                "The delegated administrator (an account name); default: the account whose "
                "purpose is security."
            )
        ),
    ] = None
    services: Annotated[
        list[Service],
        Field(
            description="guardduty, securityhub, access-analyzer, config (default: all four).",
        ),
    ] = ["guardduty", "securityhub", "access-analyzer", "config"]
    standards: Annotated[
        list[Standard],
        Field(
            description=(
                "Security Hub standards every account runs, the security account and every "
                "member (enrolled with none of AWS's defaults, then these): "
                + ", ".join(STANDARDS)
                + "."
            ),
        ),
    ] = ["aws-foundational-security-best-practices"]
    regions: Annotated[
        list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[a-z]+)+-\d$")]] | None,
        Field(
            description=(
                "Where GuardDuty and Security Hub run (default: organization.allowed_regions); "
                "each must be an allowed Region."
            )
        ),
    ] = None


Schema = SecuritySpec


def compile(
    section: SecuritySpec, model: Any, located: Located, problems: list[Problem]
) -> dict[str, Any] | None:
    """``{"regions", "account", "services", "standards", "principals"}`` (standards as the
    ARN's part after the Region), or None with problems."""
    from orgstack.spec.purpose import section_account

    before = len(problems)
    account = section_account(SECTION, section.account, "security", model, located, problems)
    if account is None:
        return None
    found = model.account(account)
    if found is not None and found.purpose == "management":
        problems.append(
            located.value_pos((SECTION, "account")).problem(
                f"{SECTION}.account: {account} is the management account; AWS delegates "
                "administration to a member account only"
            )
        )
    if len(set(section.services)) != len(section.services):
        problems.append(
            located.value_pos((SECTION, "services")).problem(
                f"{SECTION}.services: a service is listed twice"
            )
        )
    if len(set(section.standards)) != len(section.standards):
        problems.append(
            located.value_pos((SECTION, "standards")).problem(
                f"{SECTION}.standards: a standard is listed twice"
            )
        )
    allowed = list(model.organization.allowed_regions)
    regions = section.regions if section.regions is not None else allowed
    for index, region in enumerate(regions):
        if regions.index(region) != index:
            problems.append(
                located.value_pos((SECTION, "regions", index)).problem(
                    f"{SECTION}.regions: {region} is listed twice"
                )
            )
        elif region not in allowed:
            problems.append(
                located.value_pos((SECTION, "regions", index)).problem(
                    f"{SECTION}.regions: {region} is not an allowed Region "
                    f"({', '.join(allowed)}); add it to organization.allowed_regions first"
                )
            )
    if len(problems) > before:
        return None
    return {
        "regions": list(regions),
        "account": account,
        "services": list(section.services),
        "standards": sorted(STANDARDS[s] for s in section.standards),
        "principals": [p for s in section.services for p in SERVICES[s]],
    }
