"""What keeps an account's own administrators from undoing the log archive's and the backup
account's guardrails (LZ216, LZ218): a Deny, exempting only the break-glass role (and, for
what orgstack itself keeps, its access role), of deleting or disabling the keys, rewriting
their policies, copying the logs out by replication or taking the bucket's ownership, and
of making or re-trusting the break-glass role itself."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from fnmatch import fnmatchcase
from typing import Any

from orgstack.model.backup import DELETES, LOOSENING
from orgstack.model.policydoc import KEY_CHANGES, KEY_DESTRUCTIVE, as_list, covers
from orgstack.rules.logs import denies_deletes, part, people, policy_statements

#: What copies the logs out of the bucket or takes it over.
COPY_OUT = ("s3:PutReplicationConfiguration", "s3:PutBucketOwnershipControls")
#: What makes the break-glass role, or makes another principal able to use it.
BREAK_GLASS_CALLS = (
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:PutRolePolicy",
    "iam:UpdateAssumeRolePolicy",
)
EXEMPTIONS = frozenset({"ArnNotLike", "ArnNotEquals"})


def _exempts_only(statement: dict[str, Any], roles: Iterable[str]) -> bool:
    """Whether a Deny's condition exempts nothing but roles of these names (any account)."""
    condition = statement.get("Condition") or {}
    if not set(condition) <= EXEMPTIONS:
        return False
    allowed = [f"*:role/{name}" for name in roles]
    for tests in condition.values():
        for key, values in (tests or {}).items():
            if key.lower() != "aws:principalarn":
                return False
            for value in as_list(values):
                if not any(fnmatchcase(str(value), pattern) for pattern in allowed):
                    return False
    return True


def denied(
    statements: Iterable[dict[str, Any]], action: str, resource: str, exempt: Iterable[str]
) -> bool:
    """Whether a Deny covers ``action`` on ``resource`` for all but the ``exempt`` roles."""
    roles = list(exempt)
    for statement in statements:
        if statement.get("Effect") != "Deny" or not covers(
            as_list(statement.get("Action")), action
        ):
            continue
        resources = as_list(statement.get("Resource")) or ["*"]
        if not any(fnmatchcase(resource, str(r)) for r in resources):
            continue
        if _exempts_only(statement, roles):
            return True
    return False


def key_gaps(key: dict[str, Any], break_glass: str, access_role: str) -> Iterator[str]:
    """What the key's own policy lets its account's administrators do to it."""
    found = policy_statements(key.get("policy"))
    open_ = [a for a in KEY_DESTRUCTIVE if not denied(found, a, "*", [break_glass])]
    open_ += [a for a in KEY_CHANGES if not denied(found, a, "*", [break_glass, access_role])]
    if open_:
        yield (
            f"{key.get('alias') or 'the key'}: its key policy lets the account's "
            f"administrators call {', '.join(open_)} (deny them to all but the break-glass "
            "role: the data it encrypts becomes unreadable)"
        )


def copy_out_gaps(
    bucket: dict[str, Any], scps: list[dict[str, Any]], break_glass: str, access_role: str
) -> Iterator[str]:
    """What lets the log archive's administrators copy the logs out or take the bucket."""
    name = str(bucket.get("name") or "")
    arn = f"arn:aws:s3:::{name}"
    statements = [*policy_statements(bucket.get("policy")), *scps]
    open_ = [a for a in COPY_OUT if not denied(statements, a, arn, [break_glass, access_role])]
    if open_:
        yield (
            f"{name}: nothing denies {', '.join(open_)} to the log archive's own principals "
            "(the logs could be replicated out or the bucket taken over)"
        )


def break_glass_gaps(scps: list[dict[str, Any]], role: str, access_role: str) -> Iterator[str]:
    """What lets a member account's administrator make or re-trust the break-glass role."""
    arn = f"arn:aws:iam::123456789012:role/{role}"
    open_ = [a for a in BREAK_GLASS_CALLS if not denied(scps, a, arn, [access_role])]
    if open_:
        yield (
            f"the break-glass role {role}, which every log and backup guardrail exempts, can "
            f"be made or re-trusted by any account's administrator: no SCP at the root denies "
            f"{', '.join(open_)} on it to all but {access_role} (protect-break-glass-role)"
        )


#: What a bucket policy must never allow accounts' principals.
HARMFUL = ("s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject")


def bucket_gaps(bucket: dict[str, Any], scps: list[dict[str, Any]]) -> Iterator[str]:
    """A log bucket's policy that lets accounts' principals delete or write objects, or no
    Deny of deleting them (in its policy or an SCP at the root)."""
    name = str(bucket.get("name") or "")
    found = policy_statements(bucket.get("policy"))
    for statement in found:
        allowed = [a for a in HARMFUL if covers(as_list(statement.get("Action")), a)]
        if statement.get("Effect") == "Allow" and people(statement) and allowed:
            sid = statement.get("Sid") or "a statement"
            yield (
                f"{name}: {sid} of the bucket policy allows {', '.join(allowed)} "
                "to principals of accounts"
            )
    if not any(denies_deletes(s) for s in found) and not any(denies_deletes(s, name) for s in scps):
        yield (
            f"{name}: nothing denies deleting log objects to the log archive's own principals "
            "(a bucket policy Deny or an SCP at the root)"
        )


def archive_gaps(
    values: dict[str, Any], scps: list[dict[str, Any]], glass: str, access_role: str
) -> Iterator[tuple[str, str]]:
    """(address, what is wrong) of the log archive: its buckets, its key, the break-glass
    role's guard (address "" for the last: the rule places it)."""
    for kind in ("bucket", "config-bucket"):
        if (found := part(values, kind)) is not None:
            yield from ((found[0], m) for m in bucket_gaps(found[1], scps))
    if (bucket := part(values, "bucket")) is not None:
        yield from ((bucket[0], m) for m in copy_out_gaps(bucket[1], scps, glass, access_role))
    if (key := part(values, "key")) is not None:
        yield from ((key[0], m) for m in key_gaps(key[1], glass, access_role))
    yield from (("", m) for m in break_glass_gaps(scps, glass, access_role))


def _denies_recovery_deletes(statement: dict[str, Any]) -> bool:  # exempting named roles only
    return (
        statement.get("Effect") == "Deny"
        and covers(as_list(statement.get("Action")), "backup:DeleteRecoveryPoint")
        and set(statement.get("Condition") or {}) <= EXEMPTIONS
    )


def vault_gaps(vault: dict[str, Any], scps: list[dict[str, Any]]) -> Iterator[str]:
    """A central vault not in compliance mode, an access policy allowing accounts'
    principals a destructive call, or nothing denying deletes of recovery points."""
    name, lock = vault.get("name"), vault.get("lock") or {}
    if not lock or lock.get("grace_days") is None:
        yield (
            f"{name}: not locked in compliance mode (Vault Lock); the backup account's "
            "principals can delete its copies"
        )
    found = policy_statements(vault.get("policy"))
    for statement in found:
        actions = as_list(statement.get("Action"))
        harmful = [a for a in (*DELETES, *LOOSENING) if covers(actions, a)]
        if statement.get("Effect") == "Allow" and people(statement) and harmful:
            yield (
                f"{name}: {statement.get('Sid') or 'a statement'} of the access policy "
                f"allows {', '.join(harmful)} to principals of accounts"
            )
    if not any(_denies_recovery_deletes(s) for s in [*found, *scps]):
        yield (
            f"{name}: nothing denies deleting recovery points to all but the break-glass "
            "role (an access policy Deny or an SCP at the root)"
        )
