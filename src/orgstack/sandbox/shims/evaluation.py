"""How AWS decides one request, for the enforcing sandbox (``sandbox start --enforce-iam``):
the policy evaluation logic of the IAM User Guide ("Policy evaluation logic", "Cross-account
policy evaluation logic"), for the policies orgstack writes and an attacker would try.

- An explicit Deny in any policy that applies (SCPs of the caller's account, the resource's
  policy, the caller's identity policies) wins.
- A Deny whose condition cannot be evaluated here (an operator or a key this evaluator does
  not know) is taken to match: the sandbox fails closed. An Allow it cannot evaluate does not
  match.
- SCPs (every level from the root to the account) must each allow the action, for callers in
  member accounts; the management account is outside SCPs.
- Same account: the identity policies or the resource's policy allow it; across accounts both
  must. A KMS key's policy must allow it itself, or allow the account (its root), which then
  lets identity policies decide.

Conditions: String*, Arn*, Numeric*, Date*, Bool, Null, IpAddress, with ``IfExists`` and the
``ForAllValues:`` / ``ForAnyValue:`` set prefixes, as AWS documents them: a missing key fails a
positive operator and passes a negated one; ``ForAllValues`` over a missing key is true,
``ForAnyValue`` false. Principals: ``Principal`` and ``NotPrincipal`` (an ARN, an account's root
or id, ``*``)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from fnmatch import fnmatchcase
from typing import Any

#: A condition or statement this evaluator cannot judge.
UNKNOWN = None


@dataclass(frozen=True)
class Caller:
    """Who makes the request: ``arn`` as STS names it (a user, an assumed-role session, an
    account's root), ``principal_arn`` as ``aws:PrincipalArn`` names it (the role for a
    session)."""

    arn: str
    account: str
    principal_arn: str

    @property
    def root(self) -> str:
        return f"arn:aws:iam::{self.account}:root"


@dataclass(frozen=True)
class Request:
    caller: Caller
    action: str
    resource: str
    context: Mapping[str, str | list[str]] = field(default_factory=dict)

    def value(self, key: str) -> str | list[str] | None:
        lowered = {k.lower(): v for k, v in self.context.items()}
        return lowered.get(key.lower())


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def statements(document: Any) -> list[dict[str, Any]]:
    found = document.get("Statement") if isinstance(document, dict) else None
    return [s for s in as_list(found) if isinstance(s, dict)]


def _glob(actual: str, pattern: str, *, fold: bool = False) -> bool:
    if fold:
        return fnmatchcase(actual.lower(), pattern.lower())
    return fnmatchcase(actual, pattern)


def _arn_like(actual: str, pattern: str) -> bool:
    """ARN matching as AWS does it: each of the six colon-separated parts on its own."""
    got, want = actual.split(":", 5), pattern.split(":", 5)
    if len(got) != len(want):
        return _glob(actual, pattern)
    return all(_glob(a, w) for a, w in zip(got, want, strict=True))


def matches_action(statement: dict[str, Any], action: str) -> bool:
    if "Action" in statement:
        return any(_glob(action, str(a), fold=True) for a in as_list(statement["Action"]))
    if "NotAction" in statement:
        return not any(_glob(action, str(a), fold=True) for a in as_list(statement["NotAction"]))
    return False


def matches_resource(statement: dict[str, Any], resource: str) -> bool:
    if "Resource" in statement:
        return any(_arn_like(resource, str(r)) for r in as_list(statement["Resource"]))
    if "NotResource" in statement:
        return not any(_arn_like(resource, str(r)) for r in as_list(statement["NotResource"]))
    return True  # a trust policy names no resource


def _listed(principal: Any) -> tuple[list[str], bool]:
    """(the AWS principals a Principal element names, whether it names anyone at all: ``*``)."""
    if principal == "*":
        return [], True
    if not isinstance(principal, dict):
        return [], False
    names = [str(p) for p in as_list(principal.get("AWS"))]
    return names, "*" in names


def names_caller(principal: Any, caller: Caller) -> tuple[bool, bool]:
    """(a Principal element covers the caller, it names the caller itself rather than its
    account)."""
    names, everyone = _listed(principal)
    if everyone:
        return True, True
    exact = caller.arn in names or caller.principal_arn in names
    account = caller.account in names or caller.root in names
    return exact or account, exact


def matches_principal(statement: dict[str, Any], caller: Caller) -> bool:
    if "Principal" in statement:
        return names_caller(statement["Principal"], caller)[0]
    if "NotPrincipal" in statement:
        return not names_caller(statement["NotPrincipal"], caller)[0]
    return True  # an identity policy or an SCP: the principal is whoever it is attached to


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _date(text: str) -> datetime | None:
    try:
        if text.isdigit():
            return datetime.fromtimestamp(int(text)).astimezone()
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OSError, OverflowError):
        return None


def _ordered(kind: str, test: str) -> Any:
    parse = _number if kind == "Numeric" else _date
    wanted = {
        "Equals": lambda a, b: a == b,
        "LessThan": lambda a, b: a < b,
        "LessThanEquals": lambda a, b: a <= b,
        "GreaterThan": lambda a, b: a > b,
        "GreaterThanEquals": lambda a, b: a >= b,
    }.get(test)
    if wanted is None:
        return None

    def compare(actual: str, value: str) -> bool | None:
        a, b = parse(actual), parse(value)
        if a is None or b is None:
            return None
        try:
            return bool(wanted(a, b))
        except TypeError:  # naive and aware dates
            return None

    return compare


def _ip(actual: str, value: str) -> bool | None:
    try:
        return ipaddress.ip_address(actual) in ipaddress.ip_network(value, strict=False)
    except ValueError:
        return None


def _comparison(base: str) -> tuple[Any, bool] | None:
    """(compare(actual, value) -> bool | None, negated) of an operator without its set prefix
    or IfExists, or None for an operator this evaluator does not know."""
    simple = {
        "StringEquals": lambda a, v: a == v,
        "StringEqualsIgnoreCase": lambda a, v: a.lower() == v.lower(),
        "StringLike": _glob,
        "ArnEquals": _arn_like,
        "ArnLike": _arn_like,
        "Bool": lambda a, v: a.lower() == v.lower(),
        "IpAddress": _ip,
    }
    negations = {
        "StringNotEquals": "StringEquals",
        "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
        "StringNotLike": "StringLike",
        "ArnNotEquals": "ArnEquals",
        "ArnNotLike": "ArnLike",
        "NotIpAddress": "IpAddress",
        "NumericNotEquals": "NumericEquals",
        "DateNotEquals": "DateEquals",
    }
    negated = base in negations
    plain = negations.get(base, base)
    if plain in simple:
        return simple[plain], negated
    for kind in ("Numeric", "Date"):
        if plain.startswith(kind) and (compare := _ordered(kind, plain[len(kind) :])):
            return compare, negated
    return None


def condition(operator: str, key: str, values: list[str], request: Request) -> bool | None:
    """Whether one condition holds (None: this evaluator cannot tell)."""
    prefix, _, base = operator.rpartition(":")
    if prefix not in ("", "ForAllValues", "ForAnyValue"):
        return UNKNOWN
    if_exists = base.endswith("IfExists")
    base = base.removesuffix("IfExists")
    actual = request.value(key)
    if base == "Null":
        if prefix:
            return UNKNOWN
        return (actual is None) == (str(values[0]).lower() == "true") if values else UNKNOWN
    found = _comparison(base)
    if found is None:
        return UNKNOWN
    compare, negated = found

    def one(item: str) -> bool | None:
        results = [compare(item, v) for v in values]
        if any(r is True for r in results):
            hit: bool | None = True
        elif any(r is None for r in results):
            return UNKNOWN
        else:
            hit = False
        return (not hit) if negated else hit

    items = [str(a) for a in as_list(actual)]
    if prefix == "ForAllValues":
        judged = [one(i) for i in items]
        return UNKNOWN if UNKNOWN in judged else all(judged)  # no value: true
    if prefix == "ForAnyValue":
        judged = [one(i) for i in items]
        return True if True in judged else UNKNOWN if UNKNOWN in judged else False
    if actual is None:
        return if_exists or negated
    judged = [one(i) for i in items]
    return True if True in judged else UNKNOWN if UNKNOWN in judged else False


def conditions(statement: dict[str, Any], request: Request) -> bool | None:
    block = statement.get("Condition")
    if block is None:
        return True
    if not isinstance(block, dict):
        return UNKNOWN
    verdicts: list[bool | None] = []
    for operator, tests in block.items():
        if not isinstance(tests, dict):
            return UNKNOWN
        for key, values in tests.items():
            verdicts.append(condition(str(operator), str(key), _texts(values), request))
    if False in verdicts:
        return False
    return UNKNOWN if UNKNOWN in verdicts else True


def _texts(values: Any) -> list[str]:
    return [str(v).lower() if isinstance(v, bool) else str(v) for v in as_list(values)]


@dataclass
class Outcome:
    """What one set of policies says of a request."""

    allowed: bool = False
    #: Allowed by a statement naming the caller itself (not only its account).
    named: bool = False
    #: Why it is denied: the Sid (or position) of the first Deny that matched.
    denied: str | None = None


def evaluate(documents: Iterable[Any], request: Request, *, principals: bool) -> Outcome:
    """What the documents say of the request; ``principals``: they are resource policies whose
    statements name principals (identity policies and SCPs do not)."""
    outcome = Outcome()
    for number, document in enumerate(documents, 1):
        for index, statement in enumerate(statements(document), 1):
            if not matches_action(statement, request.action):
                continue
            if not matches_resource(statement, request.resource):
                continue
            named = True
            if principals:
                if not matches_principal(statement, request.caller):
                    continue
                if "Principal" in statement:
                    named = names_caller(statement["Principal"], request.caller)[1]
            met = conditions(statement, request)
            effect = statement.get("Effect")
            if effect == "Deny" and met is not False:  # unknown: fail closed
                if outcome.denied is None:
                    outcome.denied = str(statement.get("Sid") or f"statement {index}") + (
                        f" of policy {number}" if number > 1 and not statement.get("Sid") else ""
                    )
            elif effect == "Allow" and met is True:
                outcome.allowed = True
                outcome.named = outcome.named or named
    return outcome


@dataclass(frozen=True)
class Policies:
    """Every policy that applies to one request."""

    #: (where, documents) per level from the root to the account; empty: outside SCPs.
    scps: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    #: The caller's identity policies; None: the account's root (allowed by identity).
    identity: tuple[Any, ...] | None = None
    resource: Any = None
    #: What the resource is (in messages): "the key policy", "the bucket policy", …
    resource_name: str = "the resource policy"
    #: A KMS key: its policy must allow the request itself or through the account's root.
    key: bool = False
    resource_account: str = ""


def decide(request: Request, policies: Policies) -> str | None:
    """Why AWS would refuse the request (None: allowed)."""
    for where, documents in policies.scps:
        denied = evaluate(documents, request, principals=False).denied
        if denied:
            return f"explicitly denied by an SCP at {where} ({denied})"
    resource = (
        evaluate([policies.resource], request, principals=True)
        if policies.resource is not None
        else Outcome()
    )
    if resource.denied:
        return f"explicitly denied by {policies.resource_name} ({resource.denied})"
    identity = (
        evaluate(policies.identity, request, principals=False)
        if policies.identity is not None
        else Outcome(allowed=True)
    )
    if identity.denied:
        return f"explicitly denied by an identity policy ({identity.denied})"
    for where, documents in policies.scps:
        if not evaluate(documents, request, principals=False).allowed:
            return f"no SCP at {where} allows it"
    same = policies.resource_account in ("", request.caller.account)
    if policies.key:
        direct = resource.allowed and resource.named
        through_root = resource.allowed and identity.allowed
        return None if direct or through_root else f"{policies.resource_name} does not allow it"
    if same and (identity.allowed or resource.allowed):
        return None
    if not same and identity.allowed and resource.allowed:
        return None
    return "no policy allows it"
