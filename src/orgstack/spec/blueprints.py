"""``orgstack init``: answers (or a named blueprint) → a commented spec and its policy files."""

from __future__ import annotations

from dataclasses import dataclass
from io import StringIO
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from orgstack.model.core import DEFAULT_ACCESS_ROLE
from orgstack.spec.blueprint_sections import (
    access_section,
    backup_section,
    break_glass_section,
    contacts_section,
    isolation_section,
    logging_section,
    network_section,
    section_comments,
    security_section,
)
from orgstack.spec.layouts import Layout

#: A ``{name}`` inside a policy template's string.

NEXT_LAYOUT: dict[Layout, str] = {
    "minimal": "you can grow into the standard blueprint later",
    "standard": "you can grow into the enterprise blueprint later",
    "enterprise": "business units sit below Prod and NonProd, grouped by function as AWS advises",
}


@dataclass(frozen=True)
class BusinessUnit:
    """A business unit and the teams (one workload each) that belong to it."""

    name: str
    teams: tuple[str, ...]


@dataclass(frozen=True)
class Answers:
    """Everything ``init`` asks; a blueprint is a preset of these."""

    layout: Layout
    name: str = "example"
    domain: str = "example.com"
    home_region: str = "us-east-1"
    allowed_regions: tuple[str, ...] = ()
    business_units: tuple[BusinessUnit, ...] = (BusinessUnit("", ("app",)),)
    stages: tuple[str, ...] = ("dev", "qa", "prod")
    build: bool = False
    network: bool = False
    backup: bool = True
    sandbox: bool = True
    #: How people sign in: IAM users who switch role, or IAM Identity Center.
    identity: str = "iam"
    #: The role orgstack assumes in member accounts (the protect-access-role SCP guards it).
    access_role: str = DEFAULT_ACCESS_ROLE

    @property
    def regions(self) -> tuple[str, ...]:
        return (self.home_region, *(r for r in self.allowed_regions if r != self.home_region))


def preset(layout: Layout) -> Answers:
    """The answers a named blueprint stands for."""
    if layout == "minimal":
        return Answers("minimal")
    if layout == "standard":
        return Answers("standard", build=True, network=True)
    return Answers(
        "enterprise",
        business_units=(
            BusinessUnit("retail", ("web", "mobile")),
            BusinessUnit("wholesale", ("orders",)),
        ),
        stages=("dev", "qa", "staging", "prod"),
        build=True,
        network=True,
    )


@dataclass
class Generated:
    """A spec's YAML text (its policies refer to the guardrail library) and a summary."""

    yaml: str
    accounts: int
    ous: int
    summary: str


class _Builder:
    def __init__(self, answers: Answers) -> None:
        self.a = answers
        self.ous = CommentedMap()
        self.accounts = CommentedMap()
        self.policies = CommentedMap()
        self.ou_count = 0

    def ou(self, path: str, why: str) -> None:
        parts = path.split("/")
        level = self.ous
        for part in parts[:-1]:
            node = level[part]
            if "children" not in node:
                node["children"] = CommentedMap()
            level = node["children"]
        level[parts[-1]] = CommentedMap()
        indent = 2 + 4 * (len(parts) - 1)
        level.yaml_set_comment_before_after_key(parts[-1], before=why, indent=indent)
        self.ou_count += 1

    def account(self, name: str, why: str, **fields: Any) -> None:
        item = CommentedMap()
        for key, value in fields.items():
            if value is not None:
                item[key] = value
        self.accounts[name] = item
        self.accounts.yaml_set_comment_before_after_key(name, before=why, indent=2)

    def policy(
        self,
        name: str,
        targets: list[str],
        guardrails: list[str] | None = None,
        why: str = "",
        parameters: dict[str, Any] | None = None,
    ) -> None:
        """A policy of guardrails from the library (by default the one named ``name``)."""
        from orgstack.spec.guardrails import library

        chosen = guardrails or [name]
        first = library()[chosen[0]]
        item = CommentedMap()
        item["type"] = first.type
        item["guardrails"] = _flow(chosen)
        if parameters:
            values = CommentedMap()
            for key, value in parameters.items():
                values[key] = _flow(value) if isinstance(value, list) else value
            values.fa.set_flow_style()
            item["parameters"] = values
        item["description"] = why or first.purpose
        item["targets"] = _flow(targets)
        self.policies[name] = item


def _flow(items: list[str]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def generate(answers: Answers, schema_ref: str) -> Generated:
    """Write the spec for ``answers`` (comments included) and the policy files it uses."""
    b = _Builder(answers)
    _add_ous(b)
    _add_accounts(b)
    _add_policies(b)
    access = access_section(b.a)
    count = len(b.accounts)
    summary = f"{count} accounts in {b.ou_count} OUs; {NEXT_LAYOUT[answers.layout]}"
    header = (
        f"# yaml-language-server: $schema={schema_ref}\n"
        f"# orgstack spec ({answers.layout} blueprint): {summary}.\n"
        "# Every OU and account says why it exists. Check it with `orgstack validate`.\n"
    )
    return Generated(header + dump(_document(b, access)), count, b.ou_count, summary)


def _add_ous(b: _Builder) -> None:
    a = b.a
    b.ou("Security", "Security: log archive and security tooling, owned by the security team.")
    b.ou("Infrastructure", "Infrastructure: shared network and services; no application workloads.")
    b.ou(
        "Workloads", "Workloads: the stage accounts of every team, production apart from the rest."
    )
    b.ou("Workloads/Prod", "Prod: production accounts only; the strictest guardrails apply here.")
    b.ou("Workloads/NonProd", "NonProd: dev, test and staging accounts, kept identical to prod.")
    if a.layout == "enterprise":
        for bu in a.business_units:
            for parent in ("Prod", "NonProd"):
                b.ou(
                    f"Workloads/{parent}/{_ou_name(bu.name)}",
                    f"{_ou_name(bu.name)}: {parent} accounts of the {bu.name} business unit.",
                )
    if a.build:
        b.ou("Deployments", "Deployments: CI/CD that deploys into the stage accounts.")
    if a.sandbox:
        b.ou("Sandbox", "Sandbox: experiments, cut off from internal networks and budget-capped.")
    if a.layout != "minimal":
        b.ou("Suspended", "Suspended: accounts taken out of use; a deny-all SCP blocks everything.")
        b.ou(
            "PolicyStaging", "PolicyStaging: test changed guardrails here before rolling them out."
        )


def _add_accounts(b: _Builder) -> None:
    a = b.a
    b.account(
        "management",
        "The payer: organization, billing and identities; no workloads.",
        purpose="management",
        ou="root",
    )
    b.account(
        "log-archive",
        "Central, tamper-proof logs (CloudTrail, Config) of every account.",
        purpose="log-archive",
        ou="Security",
    )
    b.account(
        "security",
        "Security tooling and delegated admin (GuardDuty, Security Hub).",
        purpose="security",
        ou="Security",
    )
    if a.network:
        b.account(
            "network",
            "Transit Gateway and on-premise links; network specialists only.",
            purpose="network",
            ou="Infrastructure",
        )
    b.account(
        "shared-services",
        "Shared infrastructure: DNS, directory, golden images.",
        purpose="shared-services",
        ou="Infrastructure",
    )
    if a.backup:
        b.account(
            "backup",
            "Backup copies that a compromised workload account cannot delete.",
            purpose="backup",
            ou="Infrastructure",
        )
    if a.build:
        b.account(
            "build",
            "Build tools: pipelines that deploy into the stage accounts.",
            purpose="build",
            ou="Deployments",
        )
    for bu in a.business_units:
        for team in bu.teams:
            for stage in a.stages:
                ou = f"Workloads/{'Prod' if stage == 'prod' else 'NonProd'}"
                if a.layout == "enterprise":
                    ou += f"/{_ou_name(bu.name)}"
                b.account(
                    f"{team}-{stage}",
                    f"{team} {stage}: one stage of the {team} workload, in its own account.",
                    purpose="workload",
                    ou=ou,
                    stage=stage,
                    workload=team,
                    team=team,
                    business_unit=bu.name or None,
                )
    if not a.sandbox:
        return
    if a.layout != "enterprise":
        b.account(
            "sandbox",
            "Experiments and learning, budget-capped, never promoted.",
            purpose="sandbox",
            ou="Sandbox",
        )
        return
    for bu in a.business_units:
        for team in bu.teams:
            b.account(
                f"{team}-sandbox",
                f"Experiments of the {team} team, budget-capped.",
                purpose="sandbox",
                ou="Sandbox",
                team=team,
                business_unit=bu.name,
            )


def _add_policies(b: _Builder) -> None:
    a = b.a
    b.policy("deny-leave-organization", ["root"])
    b.policy("deny-root-user", ["root"])
    # One SCP for everything that keeps the platform working, so the root stays well below
    # AWS's 5 SCPs per target (FullAWSAccess is one of them).
    b.policy(
        "protect-platform",
        ["root"],
        [
            "protect-access-role",
            "protect-break-glass-role",
            "protect-logging",
            "protect-log-bucket",
            "protect-security-services",
        ],
        "Member accounts cannot change orgstack's role, logging or security tools.",
    )
    workload_ous = ["ou:Workloads"] + (["ou:Sandbox"] if a.sandbox else [])
    b.policy(
        "deny-outside-allowed-regions",
        workload_ous,
        why="Workloads and sandboxes stay in the allowed Regions.",
    )
    if a.network:
        b.policy(
            "protect-network",
            workload_ous,
            why="Only the network account connects networks: no attaching, peering or re-routing.",
        )
    if a.layout != "minimal":
        b.policy("deny-all", ["ou:Suspended"])
    b.policy("stage-tag", ["root"], parameters={"stages": list(a.stages)})


def _document(b: _Builder, access: CommentedMap) -> CommentedMap:
    a = b.a
    org = CommentedMap()
    org["name"] = a.name
    org["home_region"] = a.home_region
    regions = CommentedSeq(a.regions)
    regions.fa.set_flow_style()
    org["allowed_regions"] = regions
    org["email_pattern"] = f"aws+{{account}}@{a.domain}"
    org["feature_set"] = "ALL"
    if a.access_role != DEFAULT_ACCESS_ROLE:
        org["access_role"] = a.access_role
    spec = CommentedMap()
    spec["version"] = 1
    spec["organization"] = org
    spec["organizational_units"] = b.ous
    spec["accounts"] = b.accounts
    spec["policies"] = b.policies
    spec["access"] = access
    if a.layout != "minimal":
        spec["alternate_contacts"] = contacts_section(a.domain)
    # Every blueprint: the log archive and the security accounts do their jobs.
    spec["security"] = security_section()
    spec["logging"] = logging_section()
    if a.backup:
        spec["backup"] = backup_section(list(a.regions[:1]))
    if a.network:
        spec["network"] = network_section(a)
        spec["isolation"] = isolation_section(a)
    spec["break_glass"] = break_glass_section(a)
    for key, comment in section_comments(a):
        if key in spec:
            spec.yaml_set_comment_before_after_key(key, before=comment)
    return spec


def _ou_name(text: str) -> str:
    return "".join(part.capitalize() for part in text.replace("_", "-").split("-"))


def dump(data: Any) -> str:
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    out = StringIO()
    yaml.dump(data, out)
    return out.getvalue()
