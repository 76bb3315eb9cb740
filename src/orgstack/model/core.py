"""Frozen dataclasses describing an organization; each object carries its ``address``."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from orgstack.model import paths

if TYPE_CHECKING:
    from orgstack.model.access import Access

#: Account purposes, in the order the docs list them.
PURPOSES: tuple[str, ...] = (
    "management",
    "security",
    "log-archive",
    "network",
    "backup",
    "shared-services",
    "build",
    "workload",
    "sandbox",
)

#: Stages orgstack knows by name; any other lower-case word is allowed too.
KNOWN_STAGES: tuple[str, ...] = ("dev", "qa", "test", "int", "staging", "prod")

ROOT = "root"
#: The AWS-managed SCP that Organizations attaches to the root and every new OU and account.
FULL_AWS_ACCESS = "FullAWSAccess"
FULL_AWS_ACCESS_CONTENT = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
)
DEFAULT_ACCESS_ROLE = "OrganizationAccountAccessRole"
DEFAULT_ACCOUNT_QUOTA = 10


def minified(document: object) -> str:
    """A policy document as AWS stores and measures it: compact JSON, Unicode kept."""
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def _frozen(mapping: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Source:
    """Where an object was declared: a spec file and 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Places:
    """Where a kind's section wrote its parts (a dotted path → ``Source``), for the rules'
    findings; positions are not what a spec declares, so the spec's digest leaves them out."""

    at: Mapping[str, Source] = field(default_factory=dict, compare=False, hash=False)

    def of(self, path: str, fallback: str = "") -> Source | None:
        return self.at.get(path) or self.at.get(fallback)


class PolicyType(StrEnum):
    """Organization policy types orgstack manages, with their AWS names: every type AWS's
    Organizations API lists (botocore's ``PolicyType``). Types whose grammar orgstack knows
    are checked by rules; the others are kept as written (JSON, size, attachments)."""

    SERVICE_CONTROL = "service_control"
    TAG = "tag"
    RESOURCE_CONTROL = "resource_control"
    BACKUP = "backup"
    AI_OPT_OUT = "aiservices_opt_out"
    DECLARATIVE = "declarative"
    CHATBOT = "chatbot"
    SECURITYHUB = "securityhub"
    SECURITYHUB_CSPM = "securityhub_cspm"
    INSPECTOR = "inspector"
    UPGRADE_ROLLOUT = "upgrade_rollout"
    BEDROCK = "bedrock"
    S3 = "s3"
    NETWORK_SECURITY_DIRECTOR = "network_security_director"
    GUARDDUTY = "guardduty"

    @property
    def aws_name(self) -> str:
        return _AWS_NAMES[self.value]

    @property
    def address_prefix(self) -> str:
        return _PREFIXES[self.value]


#: The policy types a spec declares and orgstack manages (plans, applies, reads with content):
#: every type Organizations has.
MANAGED_POLICY_TYPES: tuple[PolicyType, ...] = tuple(PolicyType)

_AWS_NAMES = {
    "service_control": "SERVICE_CONTROL_POLICY",
    "tag": "TAG_POLICY",
    "resource_control": "RESOURCE_CONTROL_POLICY",
    "backup": "BACKUP_POLICY",
    "aiservices_opt_out": "AISERVICES_OPT_OUT_POLICY",
    "declarative": "DECLARATIVE_POLICY_EC2",
    "chatbot": "CHATBOT_POLICY",
    "securityhub": "SECURITYHUB_POLICY",
    "securityhub_cspm": "SECURITYHUB_CSPM_POLICY",
    "inspector": "INSPECTOR_POLICY",
    "upgrade_rollout": "UPGRADE_ROLLOUT_POLICY",
    "bedrock": "BEDROCK_POLICY",
    "s3": "S3_POLICY",
    "network_security_director": "NETWORK_SECURITY_DIRECTOR_POLICY",
    "guardduty": "GUARDDUTY_POLICY",
}
_PREFIXES = {
    "service_control": "scp",
    "tag": "tag-policy",
    "resource_control": "rcp",
    "backup": "backup-policy",
    "aiservices_opt_out": "ai-opt-out-policy",
    "declarative": "declarative-policy",
    "chatbot": "chatbot-policy",
    "securityhub": "securityhub-policy",
    "securityhub_cspm": "securityhub-cspm-policy",
    "inspector": "inspector-policy",
    "upgrade_rollout": "upgrade-rollout-policy",
    "bedrock": "bedrock-policy",
    "s3": "s3-policy",
    "network_security_director": "network-security-director-policy",
    "guardduty": "guardduty-policy",
}


@dataclass(frozen=True)
class Organization:
    """The organization itself: its name, regions, e-mail pattern and feature set."""

    name: str
    home_region: str
    allowed_regions: tuple[str, ...]
    email_pattern: str | None
    feature_set: str = "ALL"
    access_role: str = DEFAULT_ACCESS_ROLE
    account_quota: int = DEFAULT_ACCOUNT_QUOTA
    #: Read from AWS only: ids, enabled policy types (AWS names), integrations.
    id: str | None = None
    management_account_id: str | None = None
    root_id: str | None = None
    policy_types: tuple[str, ...] = ()
    service_access: tuple[str, ...] = ()
    delegated_admins: tuple[tuple[str, str], ...] = ()
    #: (account field, tag key) pairs apply records as account tags (purpose, stage, owner…).
    attribute_tags: tuple[tuple[str, str], ...] = ()
    #: The root's tags; None: not managed (the spec leaves them out) or not read.
    root_tags: Mapping[str, str] | None = None
    source: Source | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.root_tags is not None:
            object.__setattr__(self, "root_tags", _frozen(self.root_tags))

    @property
    def address(self) -> str:
        return "organization"


@dataclass(frozen=True)
class Root:
    """The organization's root as a tagged object (its policies are the model's targets)."""

    id: str | None
    tags: Mapping[str, str] = field(default_factory=lambda: _frozen(None))

    @property
    def address(self) -> str:
        return ROOT


@dataclass(frozen=True)
class OrganizationalUnit:
    """An OU addressed by its path from the root, e.g. ``Workloads/Prod``."""

    path: str
    tags: Mapping[str, str] = field(default_factory=lambda: _frozen(None))
    id: str | None = None
    source: Source | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", _frozen(self.tags))

    @property
    def name(self) -> str:
        return paths.names(self.path)[-1]

    @property
    def parent_path(self) -> str:
        """The parent OU's path, or ``root`` for a top-level OU."""
        return paths.parent(self.path) or ROOT

    @property
    def depth(self) -> int:
        return len(paths.raw_segments(self.path))

    @property
    def address(self) -> str:
        return f"ou:{self.path}"


@dataclass(frozen=True)
class Account:
    """A member (or the management) account; ``ou`` is an OU path or ``root``."""

    name: str
    purpose: str
    ou: str
    email: str | None
    stage: str | None = None
    workload: str | None = None
    team: str | None = None
    business_unit: str | None = None
    owner: str | None = None
    iam_alias: str | None = None
    tags: Mapping[str, str] = field(default_factory=lambda: _frozen(None))
    id: str | None = None
    #: The e-mail came from ``organization.email_pattern``, not the spec: it names a new
    #: account's root user but never asks to change an existing account's.
    email_derived: bool = False
    #: Read from AWS only.
    status: str | None = None
    joined_method: str | None = None
    joined: str | None = None
    source: Source | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", _frozen(self.tags))

    @property
    def address(self) -> str:
        return f"account:{self.name}"


@dataclass(frozen=True)
class Target:
    """Where a policy is attached: ``root``, ``ou:<path>`` or ``account:<name>``."""

    kind: str
    name: str = ""

    @property
    def address(self) -> str:
        return ROOT if self.kind == ROOT else f"{self.kind}:{self.name}"

    @classmethod
    def parse(cls, text: str) -> Target:
        if text == ROOT:
            return cls(ROOT)
        kind, _, name = text.partition(":")
        return cls(kind, name)


@dataclass(frozen=True)
class Policy:
    """An organization policy with its minified JSON content and attachment targets."""

    name: str
    type: PolicyType
    content: str
    description: str = ""
    targets: tuple[Target, ...] = ()
    aws_managed: bool = False
    id: str | None = None
    source: Source | None = field(default=None, compare=False)
    #: Where each part of the document was written (its JSON path: keys and indexes), when
    #: the spec wrote it (a file or inline content): findings point at the line to fix.
    positions: Mapping[tuple[str | int, ...], Source] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, hash=False
    )

    @property
    def address(self) -> str:
        return f"{self.type.address_prefix}:{self.name}"

    def located(self, path: tuple[str | int, ...]) -> Source | None:
        """Where the document's part at ``path`` (or the nearest part above it) was written,
        else where the policy is declared."""
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.source


@dataclass(frozen=True)
class Suppression:
    """An ``ignore:`` entry: with a rule, that rule is silenced for the objects whose address
    matches ``target`` (a glob); without one, orgstack leaves those live objects alone."""

    rule: str | None
    target: str
    reason: str
    source: Source | None = field(default=None, compare=False)


@dataclass(frozen=True)
class OrgModel:
    """A whole organization: the organization, its OUs, accounts and policies."""

    organization: Organization
    ous: tuple[OrganizationalUnit, ...] = ()
    accounts: tuple[Account, ...] = ()
    policies: tuple[Policy, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    #: What to do with live objects the spec does not declare: "report" or "ignore".
    unmanaged: str = "report"
    #: The compiled spec sections of the resource kinds (``access``, …), by section name.
    sections: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    #: Resources of every kind read from AWS (address → value, as the kinds shape them), when
    #: audit read them; rules look at these instead of what the spec implies.
    live_resources: Mapping[str, Any] | None = field(default=None, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sections", MappingProxyType(dict(self.sections)))

    @property
    def access(self) -> Access | None:
        """Cross-account access (``access:``), when the spec declares it."""
        found: Access | None = self.sections.get("access")
        return found

    @property
    def management(self) -> Account | None:
        return next((a for a in self.accounts if a.purpose == "management"), None)

    # Indexes, built once per model on first use (the model is frozen): lookups by path, name
    # and target stay constant-time, so rules over 10,000 accounts stay linear.
    # (Built from the end, so a name declared twice finds its first object, as a scan did.)
    @cached_property
    def _ous_by_path(self) -> dict[str, OrganizationalUnit]:
        return {o.path: o for o in reversed(self.ous)}

    @cached_property
    def _accounts_by_name(self) -> dict[str, Account]:
        return {a.name: a for a in reversed(self.accounts)}

    @cached_property
    def _policies_by_target(self) -> dict[Target, list[Policy]]:
        found: dict[Target, list[Policy]] = {}
        for p in self.policies:
            for target in dict.fromkeys(p.targets):
                found.setdefault(target, []).append(p)
        return found

    def ou(self, path: str) -> OrganizationalUnit | None:
        return self._ous_by_path.get(path)

    def account(self, name: str) -> Account | None:
        return self._accounts_by_name.get(name)

    def children(self, parent: str) -> Iterator[OrganizationalUnit]:
        """OUs directly under ``parent`` (an OU path or ``root``)."""
        return (o for o in self.ous if o.parent_path == parent)

    def accounts_in(self, ou: str) -> Iterator[Account]:
        """Accounts directly in ``ou`` (an OU path or ``root``)."""
        return (a for a in self.accounts if a.ou == ou)

    def policies_on(self, target: Target, kind: PolicyType | None = None) -> list[Policy]:
        """Policies attached directly to ``target`` (optionally of one type)."""
        return [
            p for p in self._policies_by_target.get(target, ()) if kind is None or p.type == kind
        ]

    def chain(self, account: Account) -> list[Target]:
        """The targets whose policies apply to ``account``: root, each enclosing OU, itself."""
        targets = [Target(ROOT)]
        if account.ou != ROOT:
            targets += [Target("ou", path) for path in paths.ancestors(account.ou)]
        return [*targets, Target("account", account.name)]

    def within(self, account: Account, ou_path: str) -> bool:
        """True when ``account`` sits in ``ou_path`` or below it."""
        return paths.within(account.ou, ou_path)

    def objects(self) -> Iterator[Organization | OrganizationalUnit | Account | Policy]:
        yield self.organization
        yield from self.ous
        yield from self.accounts
        yield from self.policies
