"""Isolation between stages (pure; the isolation command reads what feeds it): whom a policy
statement admits (named accounts, the whole organization, anyone), the paths from one domain's
accounts into another's it opens, which of them the spec allows, and the stage matrix.

An account's domain is its stage (dev, prod, …) or, without one, its purpose (build,
shared-services, management, …). A path crosses from a source account into a target account
of another domain where at least one of the two is a stage account; a principal outside the
organization is the domain ``outside``.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from orgstack.model.policydoc import as_list, conditions_on
from orgstack.model.segments import path as chain_of

#: The kinds of path, in the order the command reports them.
KINDS = ("iam-trust", "resource-policy", "ram-share", "network")
#: The domain of a principal outside the organization (or anyone's).
OUTSIDE = "outside"
#: The platform accounts' purposes: isolation leaves their paths to the access check.
PLATFORM = frozenset({"management", "security", "log-archive", "network", "backup"})
#: Condition operators that name what a key must equal (the ones that narrow a principal).
EQUALS = ("StringEquals", "StringEqualsIgnoreCase", "ForAnyValue:StringEquals", "ArnEquals")
LIKE = ("StringLike", "ForAnyValue:StringLike", "ArnLike")


@dataclass(frozen=True)
class Admits:
    """Whom an Allow statement admits: account ids, the organization, or anyone."""

    accounts: frozenset[str] = frozenset()
    organization: bool = False
    anyone: bool = False

    @property
    def nobody(self) -> bool:
        return not (self.accounts or self.organization or self.anyone)


def _account_of(principal: str) -> str | None:
    """The account id an AWS principal names (``123456789012``, ``arn:aws:iam::ID:…``,
    ``arn:aws:sts::ID:assumed-role/…``); None for ``*`` and anything else."""
    if principal.isdigit() and len(principal) == 12:
        return principal
    fields = principal.split(":")
    if len(fields) >= 6 and fields[0] == "arn" and fields[2] in ("iam", "sts"):
        return fields[4] if fields[4].isdigit() else None
    return None


def _narrowed(statement: dict[str, Any], org_id: str | None) -> Admits | None:
    """What the statement's conditions narrow ``*`` to (None: nothing narrows it)."""
    accounts: set[str] = set()
    # kms:CallerAccount: an AWS managed key's "*" is its own account's callers only;
    # aws:SourceAccount: only a service acting for that account carries it.
    for key in ("aws:PrincipalAccount", "aws:PrincipalArn", "kms:CallerAccount",
                "aws:SourceAccount"):  # fmt: skip
        for operator, values in conditions_on(statement, key).items():
            if operator in EQUALS or operator in LIKE:
                accounts |= {a for v in values if (a := _account_of(v) or v) and a.isdigit()}
    if accounts:
        return Admits(accounts=frozenset(accounts))
    org = [v for op, vs in conditions_on(statement, "aws:PrincipalOrgID").items() if op in EQUALS
           for v in vs]  # fmt: skip
    paths = [v for op, vs in conditions_on(statement, "aws:PrincipalOrgPaths").items()
             if op in EQUALS or op in LIKE for v in vs]  # fmt: skip
    if (org and org_id in org) or (paths and org_id and all(p.startswith(org_id) for p in paths)):
        return Admits(organization=True)
    if org or paths:  # another organization's principals
        return Admits(anyone=True)
    return None


def admits(statement: Any, org_id: str | None) -> Admits:
    """Whom an Allow statement admits by its ``Principal`` (AWS principals: accounts, their
    roles, users and sessions; ``*`` narrowed by aws:PrincipalAccount, aws:PrincipalArn,
    aws:PrincipalOrgID or aws:PrincipalOrgPaths). A Deny, a ``NotPrincipal`` Allow (anyone but
    some) and service or federated principals are judged as AWS does: a Deny admits nobody, a
    NotPrincipal Allow anyone, a service nobody of another account (the service acts for it)."""
    if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
        return Admits()
    if "NotPrincipal" in statement:
        return Admits(anyone=True)
    principal = statement.get("Principal")
    named = as_list(principal) if isinstance(principal, str) else as_list(
        principal.get("AWS") if isinstance(principal, dict) else None
    )  # fmt: skip
    if "*" in named:
        return _narrowed(statement, org_id) or Admits(anyone=True)
    accounts = {a for p in named if (a := _account_of(p))}
    narrowed = _narrowed(statement, org_id)
    if narrowed is not None and narrowed.accounts:
        accounts &= narrowed.accounts
    return Admits(accounts=frozenset(accounts))


@dataclass(frozen=True)
class Path:
    """A way from a source account into a target account of another domain."""

    kind: str
    source: str
    source_domain: str
    target: str
    target_domain: str
    resource: str
    opening: str
    fix: str

    def to_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "from": self.source,
            "from_stage": self.source_domain,
            "to": self.target,
            "to_stage": self.target_domain,
            "resource": self.resource,
            "opening": self.opening,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class Accounts:
    """The organization as the analysis sees it: name → id, name → domain, the stages."""

    ids: Mapping[str, str]
    domains: Mapping[str, str]
    stages: frozenset[str]
    org_id: str | None = None

    @functools.cached_property
    def names(self) -> dict[str, str]:
        """Account id → name."""
        return {i: n for n, i in self.ids.items()}

    def domain(self, name: str) -> str:
        return self.domains.get(name, OUTSIDE)


def domains_of(accounts: Iterable[Any]) -> dict[str, str]:
    """Account name → its domain: its stage, else its purpose."""
    return {a.name: a.stage or a.purpose for a in accounts}


def crosses(source_domain: str, target_domain: str, stages: frozenset[str]) -> bool:
    """Whether a path between two domains is one isolation judges: they differ, neither is a
    platform account's (the management, security, log archive, network and backup accounts
    enter and collect by design; their own guardrails and the access check judge them), and
    one of them is a stage (or the source is outside the organization)."""
    if source_domain == target_domain or {source_domain, target_domain} & PLATFORM:
        return False
    return source_domain in stages or target_domain in stages or source_domain == OUTSIDE


def statement_text(statement: dict[str, Any], index: int) -> str:
    """How a finding names the statement: its Sid, else its position."""
    return f"statement {statement.get('Sid') or index}"


def policy_paths(
    kind: str,
    target: str,
    resource: str,
    document: Any,
    org: Accounts,
    fix: str,
) -> list[Path]:
    """The paths a resource's (or a role's trust) policy opens into ``target``'s account."""
    found: list[Path] = []
    statements = document.get("Statement", []) if isinstance(document, dict) else []
    target_domain = org.domain(target)
    for index, statement in enumerate(statements if isinstance(statements, list) else [statements]):
        who = admits(statement, org.org_id)
        if who.nobody:
            continue
        sources: list[tuple[str, str]] = []
        if who.anyone:
            sources.append(("*", OUTSIDE))
        if who.anyone or who.organization:
            sources += [(n, org.domain(n)) for n in sorted(org.ids)]
        for account_id in sorted(who.accounts):
            name = org.names.get(account_id)
            sources.append((name, org.domain(name)) if name else (account_id, OUTSIDE))
        for source, domain in sources:
            if source != target and crosses(domain, target_domain, org.stages):
                found.append(
                    Path(kind, source, domain, target, target_domain, resource,
                         statement_text(statement, index), fix)
                )  # fmt: skip
    return found


@dataclass(frozen=True)
class Allowance:
    """A path the spec allows: from and to a stage, purpose, ``account:NAME`` or ``*``, of a
    kind (or ``*``), on resources whose ARN matches ``resource`` (a glob)."""

    source: str
    target: str
    kind: str = "*"
    resource: str = "*"
    reason: str = ""

    def allows(self, path: Path) -> bool:
        return (
            _side(self.source, path.source, path.source_domain)
            and _side(self.target, path.target, path.target_domain)
            and self.kind in ("*", path.kind)
            and fnmatchcase(path.resource, self.resource)
        )


def _side(selector: str, account: str, domain: str) -> bool:
    if selector == "*":
        return True
    if selector.startswith("account:"):
        return selector[len("account:") :] == account
    return selector == domain


def judged(paths: Iterable[Path], allowances: Iterable[Allowance]) -> tuple[list[Path], list[Path]]:
    """(the paths no allowance covers: findings, the allowed ones)."""
    rules = list(allowances)
    found: list[Path] = []
    allowed: list[Path] = []
    for path in paths:
        (allowed if any(r.allows(path) for r in rules) else found).append(path)
    return found, allowed


def matrix(paths: Iterable[Path], stages: Iterable[str]) -> dict[str, dict[str, int]]:
    """Stage × stage → the number of paths from the one into the other."""
    order = sorted(stages)
    counted = Counter(
        (p.source_domain, p.target_domain)
        for p in paths
        if p.source_domain in order and p.target_domain in order
    )
    return {a: {b: counted[(a, b)] for b in order} for a in order}


def segment_paths(section: Mapping[str, Any], org: Accounts) -> list[Path]:
    """The paths the network's segments open between member accounts of different domains:
    from each member into each member of a segment its own reaches (through forwarding
    segments), named by the hop chain — what the spec itself opens, before any read."""
    reaches = {name: s["reaches"] for name, s in section["segments"].items()}
    forwarding = {name for name, s in section["segments"].items() if s.get("forwards")}
    members = section["members"]
    found: list[Path] = []
    for source, there in sorted(members.items()):
        for target, goal in sorted(members.items()):
            domains = org.domain(source), org.domain(target)
            if source == target or not crosses(*domains, org.stages):
                continue
            if there == goal:  # a segment's table propagates its own members
                found.append(
                    Path("network", source, domains[0], target, domains[1],
                         f"segment {there} → {goal}", f"both in segment {there}",
                         f"give {domains[0]} and {domains[1]} segments of their own")
                )  # fmt: skip
            elif (chain := chain_of(reaches, there, goal, forwarding)) is not None:
                found.append(
                    Path("network", source, domains[0], target, domains[1],
                         f"segment {there} → {goal}", " → ".join(chain),
                         f"remove {goal} from network.segments.{chain[-2]}.reaches")
                )  # fmt: skip
    return found


def share_paths(
    owner: str,
    share: str,
    resources: Iterable[str],
    principals: Iterable[str],
    org: Accounts,
    ou_accounts: Mapping[str, Iterable[str]],
) -> list[Path]:
    """The paths a RAM share opens: from each account its principals reach (an account id,
    the organization's ARN, an OU's ARN and the accounts below it) into the owner's
    resources it shares."""
    reached: set[str] = set()
    for principal in principals:
        if ":organization/" in principal:
            reached |= set(org.ids)
        elif ":ou/" in principal:
            reached |= set(ou_accounts.get(principal.rsplit("/", 1)[-1], ()))
        elif (account_id := _account_of(principal)) is not None:
            reached.add(org.names.get(account_id, account_id))
    target_domain = org.domain(owner)
    return [
        Path("ram-share", source, org.domain(source), owner, target_domain, resource,
             f"resource share {share}",
             f"disassociate {source} from resource share {share} (ram:DisassociateResourceShare)")
        for source in sorted(reached)
        for resource in sorted(resources)
        if source != owner and crosses(org.domain(source), target_domain, org.stages)
    ]  # fmt: skip


def peering_paths(
    account: str, peerings: Iterable[Mapping[str, Any]], routed: Iterable[str], org: Accounts
) -> list[Path]:
    """The paths an account's active VPC peerings open from it: into the account at the other
    end of each peering its route tables send traffic to (a peering without a route carries
    nothing from this side)."""
    targets = set(routed)
    mine = org.ids.get(account)
    found: list[Path] = []
    for peering in peerings:
        ends = peering.get("RequesterVpcInfo", {}), peering.get("AccepterVpcInfo", {})
        if (
            peering.get("Status", {}).get("Code") != "active"
            or peering.get("VpcPeeringConnectionId") not in targets
        ):
            continue
        other = next((e for e in ends if e.get("OwnerId") != mine), ends[1])
        target = org.names.get(str(other.get("OwnerId")), str(other.get("OwnerId")))
        source_domain, target_domain = org.domain(account), org.domain(target)
        if target != account and crosses(source_domain, target_domain, org.stages):
            pcx = peering["VpcPeeringConnectionId"]
            arn = (f"arn:aws:ec2:{ends[0].get('Region')}:{ends[0].get('OwnerId')}:"
                   f"vpc-peering-connection/{pcx}")  # fmt: skip
            found.append(
                Path("network", account, source_domain, target, target_domain, arn,
                     f"VPC peering {ends[0].get('CidrBlock')} ↔ {ends[1].get('CidrBlock')}, "
                     f"routed from {account}",
                     f"delete the peering {pcx} and its routes (ec2:DeleteVpcPeeringConnection)")
            )  # fmt: skip
    return found


def table_paths(tables: Iterable[Mapping[str, Any]], org: Accounts) -> list[Path]:
    """The paths the Transit Gateway's route tables open, as read: from each account whose
    attachment a table associates into each account whose range it routes to (propagated or
    by a static route) — however the tables were made. Named like the spec's segments
    (``segment nonprod → prod``), so one allowance covers the spec and the live tables."""
    tables = list(tables)
    segment_of = {a: t.get("segment") for t in tables for a in t.get("associations", [])}
    found: list[Path] = []
    for table in tables:
        reached = set(table.get("propagations", [])) | set(table.get("routes", {}).values())
        segment, region = table.get("segment"), table.get("region")
        for source in sorted(set(table.get("associations", []))):
            for target in sorted(reached - {source}):
                domains = org.domain(source), org.domain(target)
                if crosses(*domains, org.stages):
                    found.append(
                        Path("network", source, domains[0], target, domains[1],
                             f"segment {segment} → {segment_of.get(target, '?')}",
                             f"the Transit Gateway table {segment} ({region}) associates "
                             f"{source}'s attachment and routes to {target}",
                             f"stop table {segment} routing to {target} (its propagation or "
                             "static route), or move the attachment to its segment's table")
                    )  # fmt: skip
    return found
