"""Whether an SCP statement can lock orgstack's access role out of a member account, judged
as AWS evaluates a Deny against the role's session — with one rule AWS does not need: a
condition this cannot prove false counts as matching (orgstack must not find out on AWS).

The session is what orgstack's executors use in a member account: the access role of any
account (``arn:aws:iam::<account>:role/<role>``), assumed from the management account
without MFA, untagged, calling AWS directly over TLS in the organization's Regions. A Deny
locks it out when it applies to the session for a probe action of *every* service orgstack
works with in member accounts (``PROBES``): a deny of all but a principal it does not
exempt, of all without MFA or a principal tag, or of every service orgstack uses.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from typing import Any

from orgstack.model.policydoc import as_list, covers

#: One action (on one resource) per service orgstack works with inside member accounts.
PROBES = (
    ("iam:CreateRole", "arn:aws:iam::000000000000:role/orgstack-probe"),
    ("iam:PutRolePolicy", "arn:aws:iam::000000000000:role/orgstack-probe"),
    ("kms:CreateKey", "*"),
    ("s3:PutBucketPolicy", "arn:aws:s3:::orgstack-probe"),
    ("config:PutConfigurationRecorder", "*"),
    ("backup:CreateBackupVault", "arn:aws:backup:us-east-1:000000000000:backup-vault:probe"),
    ("guardduty:CreateDetector", "*"),
    ("securityhub:EnableSecurityHub", "*"),
    ("account:PutAlternateContact", "*"),
)
#: A key the session has with a value no one can guess: any test on it may match.
UNKNOWN = object()


def session(role: str, region: str | None, organization: str | None) -> dict[str, Any]:
    """The context keys of the access role's session (lower-case names); absent keys are
    known absent (the role has no tags, no source identity), ``UNKNOWN`` may be anything."""
    return {
        "aws:principalarn": f"arn:aws:iam::000000000000:role/{role}",
        "aws:principaltype": "AssumedRole",
        "aws:multifactorauthpresent": "false",
        "aws:securetransport": "true",
        "aws:viaawsservice": "false",
        "aws:principalisawsservice": "false",
        "aws:requestedregion": region or UNKNOWN,
        "aws:principalorgid": organization or UNKNOWN,
        "aws:principalaccount": UNKNOWN,
        "aws:userid": UNKNOWN,
        "aws:username": UNKNOWN,
    }


def _known_absent(key: str) -> bool:
    return key.startswith(("aws:principaltag/", "aws:sourceidentity", "aws:requesttag/"))


def _match(op: str, have: str, want: str) -> bool | None:
    base = op.removesuffix("IfExists")
    text = base.replace("Not", "")
    if text in ("StringEquals", "ArnEquals"):
        return have == want
    if text == "StringEqualsIgnoreCase":
        return have.lower() == want.lower()
    if text in ("StringLike", "ArnLike"):
        return fnmatch.fnmatchcase(have, want)
    if text == "Bool":
        return have.lower() == want.lower()
    return None  # numeric, date, IP, binary: not provable here


def _test(op: str, key: str, values: list[str], context: Mapping[str, Any]) -> bool:
    """Whether one condition test may hold for the session (unknown → True)."""
    qualifier, _, op = op.rpartition(":")
    key = key.lower()
    present = key in context
    have = context.get(key)
    negated = "Not" in op.removesuffix("IfExists")
    if op == "Null":
        if present and have is not UNKNOWN:
            return any(v.lower() == "false" for v in values)
        if not present and _known_absent(key):
            return any(v.lower() == "true" for v in values)
        return True
    if not present:
        if not _known_absent(key):
            return True
        # A missing key: IfExists and ForAllValues match, negated operators match.
        return op.endswith("IfExists") or qualifier.lower() == "forallvalues" or negated
    if have is UNKNOWN:
        return True
    results = [_match(op, str(have), str(v)) for v in values]
    if any(r is None for r in results):
        return True
    hit = any(bool(r) for r in results)
    return not hit if negated else hit


def applies(statement: Mapping[str, Any], context: Mapping[str, Any]) -> bool:
    """Whether the statement's conditions may all hold for the session."""
    block = statement.get("Condition") or {}
    if not isinstance(block, dict):
        return True
    for op, tests in block.items():
        if not isinstance(tests, dict):
            return True
        for key, values in tests.items():
            if not _test(str(op), str(key), as_list(values), context):
                return False
    return True


def _targets(statement: Mapping[str, Any], action: str, resource: str) -> bool:
    if "NotAction" in statement:
        if covers(as_list(statement["NotAction"]), action):
            return False
    elif not covers(as_list(statement.get("Action")), action):
        return False
    if "NotResource" in statement:
        return not any(fnmatch.fnmatchcase(resource, r) for r in as_list(statement["NotResource"]))
    resources = as_list(statement.get("Resource")) or ["*"]
    return any(r == "*" or fnmatch.fnmatchcase(resource, r) for r in resources)


def locks_out(
    statement: Mapping[str, Any],
    role: str,
    region: str | None = None,
    organization: str | None = None,
) -> bool:
    """True when a Deny may deny the access role's session every service orgstack uses."""
    if statement.get("Effect") != "Deny":
        return False
    context = session(role, region, organization)
    if not applies(statement, context):
        return False
    return all(_targets(statement, action, resource) for action, resource in PROBES)
