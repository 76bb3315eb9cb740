"""Fingerprints: digests of the live values a change depends on, to refuse stale plans."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from orgstack.model import Account, Organization, OrganizationalUnit, Policy

Live = Organization | OrganizationalUnit | Account | Policy | None


def state(obj: Live) -> dict[str, Any] | None:
    """The live values orgstack manages on ``obj`` (ids and read-only facts left out)."""
    if obj is None:
        return None
    if isinstance(obj, Organization):
        return {"feature_set": obj.feature_set, "policy_types": sorted(obj.policy_types)}
    if isinstance(obj, OrganizationalUnit):
        return {"path": obj.path, "tags": dict(sorted(obj.tags.items()))}
    if isinstance(obj, Account):
        return {
            "name": obj.name,
            "email": obj.email,
            "ou": obj.ou,
            "tags": dict(sorted(obj.tags.items())),
        }
    return {
        "name": obj.name,
        "content": json.loads(obj.content),
        "description": obj.description,
        "targets": sorted(t.address for t in obj.targets),
    }


def key(obj: Live, address: str) -> str:
    """Where the fingerprint points: the live id when the object exists, else the address."""
    return f"id:{obj.id}" if obj is not None and obj.id else address


def digest(obj: Live) -> str:
    text = json.dumps(state(obj), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def fingerprint(obj: Live, address: str) -> dict[str, str]:
    return {key(obj, address): digest(obj)}


def observed(obj: Live, address: str) -> dict[str, Any]:
    return {key(obj, address): state(obj)}
