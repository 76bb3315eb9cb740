"""The ``security:`` section: the delegated administrator and the Regions, checked offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgstack.errors import SpecError
from orgstack.spec.loader import load_spec

ORG = """\
organization: {name: acme, home_region: eu-west-1, allowed_regions: [eu-central-1], email_pattern: 'aws+{account}@acme.example'}
accounts:
  management: {purpose: management, ou: root}
  security: {purpose: security, ou: root}
"""


def _load(tmp_path: Path, text: str) -> object:
    path = tmp_path / "orgstack.yaml"
    path.write_text(ORG + text)
    return load_spec(path).sections.get("security")


def _problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(SpecError) as raised:
        _load(tmp_path, text)
    return [str(p).split("orgstack.yaml:", 1)[1] for p in raised.value.problems]


def test_defaults_are_the_security_account_and_every_service(
    tmp_path: Path,
) -> None:
    assert _load(tmp_path, "security: {}\n") == {
        "regions": ["eu-west-1", "eu-central-1"],
        "account": "security",
        "services": ["guardduty", "securityhub", "access-analyzer", "config"],
        "standards": ["standards/aws-foundational-security-best-practices/v/1.0.0"],
        "principals": [
            "guardduty.amazonaws.com",
            "securityhub.amazonaws.com",
            "access-analyzer.amazonaws.com",
            "config.amazonaws.com",
            "config-multiaccountsetup.amazonaws.com",
        ],
    }


def test_standards_are_named_once_each(tmp_path: Path) -> None:
    section = "security: {standards: [cis-1.2, pci-dss-4.0.1]}\n"
    assert _load(tmp_path, section)["standards"] == [  # type: ignore[index]
        "ruleset/cis-aws-foundations-benchmark/v/1.2.0",
        "standards/pci-dss/v/4.0.1",
    ]
    assert _problems(tmp_path, "security: {standards: [cis-3.0, cis-3.0]}\n") == [
        "5:23: security.standards: a standard is listed twice"
    ]


def test_wrong_accounts_services_and_regions_are_precise_errors(tmp_path: Path) -> None:
    assert _problems(tmp_path, "security: {account: securty}\n") == [
        "5:21: security.account: no account 'securty' (did you mean 'security'?)"
    ]
    assert _problems(tmp_path, "security: {account: management}\n") == [
        "5:21: security.account: management is the management account; AWS delegates "
        "administration to a member account only"
    ]
    assert _problems(tmp_path, "security: {regions: [eu-west-1, us-east-1]}\n") == [
        "5:33: security.regions: us-east-1 is not an allowed Region (eu-west-1, eu-central-1); "
        "add it to organization.allowed_regions first"
    ]
    assert _problems(tmp_path, "security: {services: [guardduty, guardduty]}\n") == [
        "5:22: security.services: a service is listed twice"
    ]
    assert _problems(tmp_path, "security: {services: [inspector]}\n")[0].startswith(
        "5:23: security.services[0]: 'inspector' is not allowed; allowed: guardduty, "
        "securityhub, access-analyzer, config"
    )
    no_security = ORG.replace("  security: {purpose: security, ou: root}\n", "")
    path = tmp_path / "orgstack.yaml"
    path.write_text(no_security + "security: {}\n")
    with pytest.raises(SpecError) as raised:
        load_spec(path)
    assert [p.message for p in raised.value.problems] == [
        "security: no account has purpose security; set security.account"
    ]


def test_logging_needs_the_management_account_declared(tmp_path: Path) -> None:
    path = tmp_path / "orgstack.yaml"
    path.write_text(
        ORG.replace("  management: {purpose: management, ou: root}\n", "")
        + "  logs: {purpose: log-archive, ou: root}\nlogging: {}\n"
    )
    with pytest.raises(SpecError) as raised:
        load_spec(path)
    assert [p.message for p in raised.value.problems] == [
        "logging: the spec declares no management account, where the organization trail "
        "lives; declare it (purpose: management)"
    ]
