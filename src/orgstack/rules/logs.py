"""What the log archive rules judge: the archive's and the trail's values as audit read them
from AWS, else as the spec's ``logging:`` section implies them."""

from __future__ import annotations

from typing import Any

from orgstack.model import OrgModel
from orgstack.model.logs import SECTION
from orgstack.model.policydoc import covers

PREFIXES = ("log-archive:", "org-trail:")


def log_values(model: OrgModel) -> dict[str, Any]:
    """Address → value of the key, the buckets and the trail (live when audit read them)."""
    from orgstack.rules.helpers import values_of

    return values_of(model, *(p.rstrip(":") for p in PREFIXES))


def logging_section(model: OrgModel) -> dict[str, Any] | None:
    section: dict[str, Any] | None = model.sections.get(SECTION)
    return section


def part(values: dict[str, Any], kind: str) -> tuple[str, dict[str, Any]] | None:
    """The (address, value) whose address ends in ``/kind`` (``bucket``, ``key``…) or, for
    ``trail``, the organization trail."""
    for address, value in values.items():
        if kind == "trail" and address.startswith("org-trail:"):
            return address, value
        if address.startswith("log-archive:") and address.endswith("/" + kind):
            return address, value
    return None


def policy_statements(policy: dict[str, Any] | None) -> list[dict[str, Any]]:
    """A resource policy's statements (one statement or a list), each a mapping."""
    found = (policy or {}).get("Statement") or []
    return [s for s in (found if isinstance(found, list) else [found]) if isinstance(s, dict)]


def people(statement: dict[str, Any]) -> bool:
    """Whether a statement's principal is anyone but an AWS service."""
    principal = statement.get("Principal")
    return not (isinstance(principal, dict) and set(principal) == {"Service"})


def denies_deletes(statement: dict[str, Any], bucket: str | None = None) -> bool:
    """A Deny of deleting objects that exempts named roles only; with ``bucket``, one whose
    Resource covers that bucket's objects (what an SCP statement needs)."""
    from orgstack.model.policydoc import as_list

    deletes = ("s3:DeleteObject", "s3:DeleteObjectVersion")
    if statement.get("Effect") != "Deny" or not all(
        covers(as_list(statement.get("Action")), a) for a in deletes
    ):
        return False
    if bucket is not None and not covers(
        as_list(statement.get("Resource")) or ["*"], f"arn:aws:s3:::{bucket}/x"
    ):
        return False
    condition = statement.get("Condition") or {}
    return set(condition) <= {"ArnNotLike", "ArnNotEquals"}
