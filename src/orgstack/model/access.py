"""Cross-account access as declared: users, groups, permission levels and the grant matrix.

The spec's account selectors (stage, purpose, OU, tag, account) are resolved by the compiler,
so a ``Grant`` names the accounts it covers; everything downstream (plan, rules, ``access``)
works on those names.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from orgstack.model.core import Source

IAM = "iam"
IDENTITY_CENTER = "identity-center"
#: Every role, group, policy and permission set orgstack owns starts with this.
PREFIX = "orgstack-"
DEFAULT_SESSION_S = 3600

#: The built-in levels: the AWS managed policies each one attaches.
BUILTIN_LEVELS: dict[str, tuple[str, ...]] = {
    "admin": ("arn:aws:iam::aws:policy/AdministratorAccess",),
    "poweruser": ("arn:aws:iam::aws:policy/PowerUserAccess",),
    "readonly": ("arn:aws:iam::aws:policy/ReadOnlyAccess",),
    "billing": ("arn:aws:iam::aws:policy/job-function/Billing",),
    "security-audit": ("arn:aws:iam::aws:policy/SecurityAudit",),
    "network-admin": ("arn:aws:iam::aws:policy/job-function/NetworkAdministrator",),
}
#: Levels that can change resources (used by rules about prod).
WRITE_LEVELS = frozenset({"admin", "poweruser", "network-admin"})
#: AWS managed policies that allow sts:AssumeRole on any role (PowerUserAccess denies only
#: IAM, Organizations and Account: STS stays allowed).
ASSUMING_MANAGED = frozenset(
    {"arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/PowerUserAccess"}
)
ROLE_NAMES = {
    "admin": "Admin",
    "poweruser": "PowerUser",
    "readonly": "ReadOnly",
    "billing": "Billing",
    "security-audit": "SecurityAudit",
    "network-admin": "NetworkAdmin",
}


def role_name(level: str) -> str:
    """The role (IAM mode) or permission set (Identity Center) for ``level``:
    ``poweruser`` → ``orgstack-PowerUser``, ``network-admin`` → ``orgstack-NetworkAdmin``."""
    known = ROLE_NAMES.get(level)
    return PREFIX + (known or "".join(part.capitalize() for part in level.split("-")))


def group_name(group: str) -> str:
    return PREFIX + group


@dataclass(frozen=True)
class AccessUser:
    """A person who signs in once and switches into accounts."""

    name: str
    email: str | None = None
    display_name: str | None = None
    source: Source | None = field(default=None, compare=False)

    @property
    def address(self) -> str:
        return f"user:{self.name}"


@dataclass(frozen=True)
class AccessGroup:
    """A group of users; grants are given to groups, never to users."""

    name: str
    members: tuple[str, ...] = ()
    source: Source | None = field(default=None, compare=False)

    @property
    def address(self) -> str:
        return f"group:{self.name}"


@dataclass(frozen=True)
class Level:
    """A permission level: AWS managed policy ARNs and an optional inline policy (minified)."""

    name: str
    managed: tuple[str, ...]
    inline: str | None = None
    description: str = ""
    source: Source | None = field(default=None, compare=False)

    @property
    def role_name(self) -> str:
        return role_name(self.name)

    @property
    def writes(self) -> bool:
        """True for levels that can change resources (admin, poweruser, and custom levels,
        which orgstack cannot prove read-only)."""
        return self.name in WRITE_LEVELS or self.name not in BUILTIN_LEVELS

    def assumes(self, role: str) -> bool:
        """Whether the level may call sts:AssumeRole on ``role`` in another account: an AWS
        managed policy that allows it, or an inline Allow of it on a matching resource."""
        if ASSUMING_MANAGED & set(self.managed):
            return True
        document = json.loads(self.inline) if self.inline else {}
        statements = document.get("Statement", []) if isinstance(document, dict) else []
        target = f"arn:aws:iam::000000000000:role/{role}"
        for statement in statements if isinstance(statements, list) else [statements]:
            if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
                continue
            actions = [str(a).lower() for a in _listed(statement.get("Action"))]
            if not any(fnmatch.fnmatchcase("sts:assumerole", a) for a in actions):
                continue
            if any(fnmatch.fnmatchcase(target, str(r)) for r in _listed(statement.get("Resource"))):
                return True
        return False


@dataclass(frozen=True)
class Grant:
    """One row of the matrix: ``group`` gets ``level`` in ``accounts``."""

    group: str
    level: str
    accounts: tuple[str, ...]
    #: The selector as written, for messages (``stage: prod``).
    selector: str
    session_s: int = DEFAULT_SESSION_S
    mfa: bool = True
    source: Source | None = field(default=None, compare=False)

    @property
    def address(self) -> str:
        return f"grant:{self.group}/{self.level}"


@dataclass(frozen=True)
class Access:
    """The whole ``access:`` section, compiled."""

    mode: str
    #: The account (by name) whose IAM users switch role (IAM mode).
    identity_account: str
    users: tuple[AccessUser, ...] = ()
    groups: tuple[AccessGroup, ...] = ()
    levels: tuple[Level, ...] = ()
    grants: tuple[Grant, ...] = ()
    #: Identity Center: the AWS access portal URL and its Region, for CLI profiles.
    sso_start_url: str | None = None
    sso_region: str | None = None
    source: Source | None = field(default=None, compare=False)

    def level(self, name: str) -> Level:
        return next(level for level in self.levels if level.name == name)

    def group(self, name: str) -> AccessGroup | None:
        return next((g for g in self.groups if g.name == name), None)

    def user(self, name: str) -> AccessUser | None:
        return next((u for u in self.users if u.name == name), None)

    def groups_of(self, user: str) -> list[str]:
        return [g.name for g in self.groups if user in g.members]

    def entries(self) -> Iterator[tuple[str, str, Grant]]:
        """(account, level, grant) for every account every grant covers."""
        for grant in self.grants:
            for account in grant.accounts:
                yield account, grant.level, grant

    def escalations(self, management: str, access_role: str) -> list[Grant]:
        """Grants in the management account whose level may assume ``access_role`` — which
        every member account's role trusts the management account with, outside every SCP:
        each reaches every member account as its administrator."""
        return [
            g
            for g in self.grants
            if management in g.accounts and self.level(g.level).assumes(access_role)
        ]

    def matrix(self) -> dict[tuple[str, str], list[str]]:
        """(group, account) → levels, in grant order."""
        found: dict[tuple[str, str], list[str]] = {}
        for account, level, grant in self.entries():
            levels = found.setdefault((grant.group, account), [])
            if level not in levels:
                levels.append(level)
        return found


def _listed(value: object) -> list[object]:
    return value if isinstance(value, list) else [value] if value is not None else []
