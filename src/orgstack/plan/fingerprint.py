"""Fingerprints: digests of the live values a change depends on, to refuse stale plans."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from orgstack.model import Account, Organization, OrganizationalUnit, Policy, Root

Live = Organization | Root | OrganizationalUnit | Account | Policy | None


def state(obj: Live) -> dict[str, Any] | None:
    """The live values orgstack manages on ``obj`` (ids and read-only facts left out)."""
    if obj is None:
        return None
    if isinstance(obj, Organization):
        return {"feature_set": obj.feature_set, "policy_types": sorted(obj.policy_types)}
    if isinstance(obj, Root):
        return {"tags": dict(sorted(obj.tags.items()))}
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


#: Each dataclass's compared fields (positions and live ids left out), found once per class.
_FIELDS: dict[type, tuple[str, ...]] = {}
_PRIMITIVE = (str, int, float, bool)


def _plain(value: Any) -> Any:
    """A model value as plain JSON: dataclasses by their compared fields (positions and live
    ids left out), mappings, sequences and sets in a stable order."""
    if value is None or isinstance(value, _PRIMITIVE):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):  # the model's sections are a read-only mapping, too
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    kind = type(value)
    names = _FIELDS.get(kind)
    if names is None:
        import dataclasses

        if not dataclasses.is_dataclass(value) or isinstance(value, type):
            if hasattr(value, "model_dump"):
                return _plain(value.model_dump())
            if isinstance(value, (set, frozenset)):
                return sorted((_plain(v) for v in value), key=str)
            return str(value)
        names = tuple(f.name for f in dataclasses.fields(value) if f.compare and f.name != "id")
        _FIELDS[kind] = names
    return {name: _plain(getattr(value, name)) for name in names}


def spec_digest(model: Any) -> str:
    """The digest of what a compiled spec declares (its files' layout, comments and the ids
    ``import`` records do not count): two specs with the same digest plan the same."""
    text = json.dumps(_plain(model), sort_keys=True, separators=(",", ":"), default=str)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()
