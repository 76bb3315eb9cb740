"""Shared pieces for rules: policy statements, targets, and OU questions."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from orgstack.model import Account, OrgModel, Policy, PolicyType, Source, Target
from orgstack.model import paths as ou_paths
from orgstack.model.access import role_name
from orgstack.model.kind import account_of
from orgstack.model.policydoc import as_list

SCP = PolicyType.SERVICE_CONTROL
#: The account field of an ARN, which may be a ``{account:NAME}`` placeholder.
ARN_ACCOUNT = re.compile(r"^arn:[^:]*:[^:]*:[^:]*:(\{account:[^}]+\}|[^:]*):")


def document(policy: Policy) -> dict[str, Any]:
    value = json.loads(policy.content)
    return value if isinstance(value, dict) else {}


def dotted(path: tuple[str | int, ...]) -> str:
    """A JSON path as findings show it: `` at plans.daily.rules`` (``[2]`` for an index)."""
    if not path:
        return ""
    shown = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    return f" at {shown}"


def statements(policy: Policy) -> list[dict[str, Any]]:
    """The policy's statements (a single statement object counts as a list of one)."""
    raw = document(policy).get("Statement")
    items = raw if isinstance(raw, list) else [raw] if isinstance(raw, dict) else []
    return [s for s in items if isinstance(s, dict)]


def denies_everything(statement: dict[str, Any]) -> bool:
    """Deny of every action on every resource, with no condition."""
    return (
        statement.get("Effect") == "Deny"
        and "*" in as_list(statement.get("Action"))
        and as_list(statement.get("Resource", "*")) == ["*"]
        and not statement.get("Condition")
    )


def allows_something(policy: Policy) -> bool:
    return any(s.get("Effect") == "Allow" for s in statements(policy))


def all_targets(model: OrgModel) -> Iterator[Target]:
    """The root, every OU and every account, as policy targets."""
    yield Target("root")
    yield from (Target("ou", o.path) for o in model.ous)
    yield from (Target("account", a.name) for a in model.accounts)


def source_of(model: OrgModel, target: Target) -> Source | None:
    if target.kind == "ou":
        ou = model.ou(target.name)
        return ou.source if ou else None
    if target.kind == "account":
        account = model.account(target.name)
        return account.source if account else None
    return model.organization.source


def effective_scps(model: OrgModel, account: Account) -> list[Policy]:
    """SCPs on the root, each enclosing OU and the account itself."""
    return [p for t in model.chain(account) for p in model.policies_on(t, SCP)]


def workload_ous(model: OrgModel) -> set[str]:
    """OU paths that hold a workload account at or below them."""
    paths: set[str] = set()
    for account in model.accounts:
        if account.purpose == "workload" and account.ou != "root":
            paths.update(ou_paths.ancestors(account.ou))
    return paths


def ou_segments(account: Account) -> list[str]:
    return [] if account.ou == "root" else [n.lower() for n in ou_paths.names(account.ou)]


def scp_statements(model: OrgModel) -> Iterator[tuple[Policy, str, dict[str, Any]]]:
    """Every statement of every SCP, with a label: its Sid, else ``#<position>``."""
    for policy in model.policies:
        if policy.type == SCP:
            for index, statement in enumerate(statements(policy)):
                yield policy, str(statement.get("Sid") or f"#{index + 1}"), statement


def statement_path(policy: Policy, index: int) -> tuple[str | int, ...]:
    """The JSON path of the policy's statement ``index`` (a lone statement object: no index)."""
    return (
        ("Statement", index)
        if isinstance(document(policy).get("Statement"), list)
        else ("Statement",)
    )


#: The keys of a statement whose value is a string or a list of strings.
LISTED = ("Action", "NotAction", "Resource", "NotResource")


def shape_problems(statement: dict[str, Any]) -> list[tuple[str, str]]:
    """(key, problem) of values of the wrong JSON type: ``"Action": 5`` is refused by AWS."""
    found = []
    for key in LISTED:
        if key not in statement:
            continue
        value = statement[key]
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            continue
        if isinstance(value, str):
            continue
        shown = json.dumps(value)[:40]
        found.append((key, f"{key} must be a string or a non-empty list of strings, not {shown}"))
    for key in ("Effect", "Sid"):
        if key in statement and not isinstance(statement[key], str):
            found.append((key, f"{key} must be a string, not {json.dumps(statement[key])[:40]}"))
    return found


def stage_accounts(model: OrgModel) -> dict[str, list[Account]]:
    """Accounts that have both a workload and a stage, grouped by workload."""
    grouped: dict[str, list[Account]] = {}
    for account in model.accounts:
        if account.workload and account.stage:
            grouped.setdefault(account.workload, []).append(account)
    return grouped


@dataclass(frozen=True)
class RoleTrust:
    """A switch-role role and its trust policy, declared (from the matrix) or read from AWS."""

    address: str
    account: str
    role: str
    trust: dict[str, Any]
    source: Source | None = None


def desired_of(model: OrgModel, *prefixes: str) -> dict[str, Any]:
    """Address → value of the kinds with these address prefixes, as the spec means them (each
    kind's ``desired``; ids the spec does not know stay ``{account:NAME}``)."""
    from orgstack.registry import by_prefix

    ids = {a.address: a.id for a in model.accounts if a.id}
    kinds = by_prefix()
    found: dict[str, Any] = {}
    for prefix in prefixes:
        found |= kinds[prefix].desired(model, ids)
    return found


def values_of(model: OrgModel, *prefixes: str) -> dict[str, Any]:
    """Address → value of the kinds with these address prefixes: as read from AWS when audit
    read them, else as the spec means them."""
    if model.live_resources is not None:
        return {a: v for a, v in model.live_resources.items() if a.split(":", 1)[0] in prefixes}
    return desired_of(model, *prefixes)


_LAST_VALUES: list[tuple[OrgModel, dict[str, Any]]] = []


def access_values(model: OrgModel) -> dict[str, Any]:
    """The access objects (address → value): as read from AWS when audit read them, else as
    the spec's matrix implies them (account ids the spec does not know stay
    ``{account:NAME}``). The last model's are kept: several rules ask (0.5 s at 5,000
    accounts each time)."""
    if model.live_resources is not None:
        return values_of(model, "access")
    if _LAST_VALUES and _LAST_VALUES[0][0] is model:
        return _LAST_VALUES[0][1]
    found = desired_of(model, "access")
    _LAST_VALUES[:] = [(model, found)]
    return found


_LAST_ROLES: list[tuple[OrgModel, list[RoleTrust]]] = []


def access_roles(model: OrgModel) -> list[RoleTrust]:
    """The switch-role roles among ``access_values``, with their trust policies (the last
    model's kept, as ``access_values``: three rules ask)."""
    if _LAST_ROLES and _LAST_ROLES[0][0] is model:
        return _LAST_ROLES[0][1]
    found = _access_roles(model)
    _LAST_ROLES[:] = [(model, found)]
    return found


def _access_roles(model: OrgModel) -> list[RoleTrust]:
    from orgstack.kinds.access.vocabulary import kind_of

    values = access_values(model)
    grants = model.access.grants if model.access else ()
    sources: dict[tuple[str, str], Source | None] = {}
    for grant in grants:  # the first grant of a role in an account is where it comes from
        role = role_name(grant.level)
        for account in grant.accounts:
            sources.setdefault((account, role), grant.source)
    found = []
    for address in sorted(a for a in values if "/role/" in a and kind_of(a) == "role"):
        account = account_of(address)
        role = address.rsplit("/", 1)[-1]
        found.append(RoleTrust(address, account, role, values[address].get("trust") or {},
                               sources.get((account, role))))  # fmt: skip
    return found


def principal_accounts(statement: dict[str, Any]) -> list[str]:
    """The account (id, or ``{account:NAME}``) of every AWS principal of a statement."""
    found = []
    for principal in as_list((statement.get("Principal") or {}).get("AWS")):
        text = str(principal)
        if text == "*":
            found.append("*")
        elif found_arn := ARN_ACCOUNT.match(text):
            found.append(found_arn.group(1))
        else:
            found.append(text)
    return found


#: Service prefixes and action names are case-insensitive (``S3:DeleteBucket`` is valid).
ACTION = re.compile(r"^(\*|[a-z0-9-]+:[a-z0-9*?]+)$", re.IGNORECASE)
#: ``*`` or arn:partition:service:region:account:resource, with wildcards and policy variables.
ARN = re.compile(
    r"^arn:(\*|aws|aws-cn|aws-us-gov|aws-iso(-[a-z])?|aws-eusc)"
    r":([a-z0-9*?-]+|\$\{[^}]+\})"
    r":([a-z0-9*?-]*|\$\{[^}]+\})"
    r":(\d{12}|[0-9*?]*|aws|\$\{[^}]+\})"
    r":.+$"
)


def action_problems(statement: dict[str, Any]) -> list[str]:
    return [
        f'action {action!r} is not "*" or service:Action'
        for action in as_list(statement.get("Action")) + as_list(statement.get("NotAction"))
        if not isinstance(action, str) or not ACTION.match(action)
    ]


def resource_problems(statement: dict[str, Any]) -> list[str]:
    """Resources that are neither ``*`` nor an ARN of six parts AWS can have."""
    found = []
    for key in ("Resource", "NotResource"):
        for resource in as_list(statement.get(key)):
            if not isinstance(resource, str) or not (resource == "*" or ARN.match(resource)):
                found.append(
                    f'{key} {resource!r} is not "*" or an ARN '
                    "(arn:partition:service:region:account:resource)"
                )
    return found


def condition_problems(statement: dict[str, Any]) -> list[str]:
    """What is wrong with a statement's Condition block: not an object of objects, or an
    operator AWS does not have (``StringNotEqual``, ``ForAnyValues:…``), judged against
    parliament's list of IAM condition operators (with ``IfExists`` and the set prefixes)."""
    block = statement.get("Condition")
    if block is None:
        return []  # without importing parliament (0.4 s): most statements have no Condition
    from parliament.statement import OPERATORS

    if not isinstance(block, dict):
        return ['Condition must be an object of operators, e.g. {"StringEquals": {…}}']
    known = {op.lower() for op in OPERATORS}
    found = []
    for operator, tests in block.items():
        name = operator.lower()
        for prefix in ("forallvalues:", "foranyvalue:"):
            name = name.removeprefix(prefix)
        if name.removesuffix("ifexists") not in known and name != "null":
            found.append(f"condition operator {operator!r} does not exist{_closest(operator)}")
        if not isinstance(tests, dict):
            found.append(f"condition {operator!r} must map condition keys to values")
    return found


def _closest(operator: str) -> str:
    """`` (did you mean …?)`` for a misspelt condition operator, set prefix included."""
    from parliament.statement import OPERATORS

    head, _, tail = operator.rpartition(":")
    suffix = "IfExists" if tail.endswith("IfExists") else ""
    close = difflib.get_close_matches(tail.removesuffix("IfExists"), sorted(OPERATORS), n=1)
    if head:
        prefix = difflib.get_close_matches(head, ["ForAllValues", "ForAnyValue"], n=1)
        if not prefix:
            return ""
        return f" (did you mean {prefix[0]}:{(close or [tail])[0]}{suffix}?)"
    return f" (did you mean {close[0]}{suffix}?)" if close else ""


@dataclass(frozen=True)
class Pool:
    """A network pool as the address plan left it: its range, the VPCs it gave out, its room
    (free blocks of ``prefix``) and capacity, and where the network section stands."""

    name: str
    cidr: str
    given: int
    room: int
    prefix: int
    capacity: int
    source: Source | None


def network_pools(model: OrgModel) -> list[Pool]:
    """The network section's pools (none without the section or its account)."""
    from ipaddress import IPv4Network

    section = model.sections.get("network")
    account = model.account(section["account"]) if section else None
    if not section or account is None:
        return []
    regions = len(section["regions"])
    found = []
    for name, cidr in section["pools"].items():
        room = section["room"][name]
        given = sum(1 for s in section["members"].values() if s == name) * regions
        capacity = 1 << max(room["prefix"] - IPv4Network(cidr).prefixlen, 0)
        found.append(
            Pool(name, cidr, given, room["count"], room["prefix"], capacity, account.source)
        )
    return found
