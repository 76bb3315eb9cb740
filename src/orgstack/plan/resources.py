"""Resources of every kind: ``(address, canonical value)``, one diff, digests, placeholders.

A value is a plain dictionary, the same shape whether built from the spec or read from AWS, so
comparing is equality. Account ids that do not exist yet (accounts created by the same plan)
are written ``{account:NAME}`` and resolved by apply.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from orgstack.plan.model import Action, Change, Unmanaged

PLACEHOLDER = re.compile(r"\{account:([^{}]+)\}")
#: An OU's id while the plan still has to create the OU: ``{ou:PATH}``.
OU_PLACEHOLDER = re.compile(r"\{ou:([^{}]+)\}")
#: The organization's id while the plan still has to create the organization.
ORGANIZATION = "{organization}"
LIST_KEYS = ("Action", "NotAction", "Resource", "NotResource")


def canonical(document: Any) -> Any:
    """A policy document in one spelling: single values as lists, lists sorted, statements as
    a list; what AWS returns for a document orgstack wrote compares equal to what it wrote."""
    if not isinstance(document, dict):
        return document
    statements = document.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    out = {k: v for k, v in document.items() if k != "Statement"}
    out["Statement"] = [_statement(s) for s in statements if isinstance(s, dict)]
    return out


def _sorted_list(value: Any) -> Any:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return sorted(value, key=str)
    return value


def _statement(statement: dict[str, Any]) -> dict[str, Any]:
    out = dict(statement)
    for key in LIST_KEYS:
        if key in out:
            out[key] = _sorted_list(out[key])
    for key in ("Principal", "NotPrincipal"):
        if isinstance(out.get(key), dict):
            out[key] = {k: _sorted_list(v) for k, v in out[key].items()}
    if isinstance(out.get("Condition"), dict):
        out["Condition"] = {
            op: {k: _sorted_list(v) for k, v in values.items()}
            if isinstance(values, dict)
            else values
            for op, values in out["Condition"].items()
        }
    return out


def digest(value: Any) -> str:
    """The fingerprint of a live value (None: the resource did not exist)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def account_ref(name: str, ids: Mapping[str, str]) -> str:
    """The account's id, or ``{account:NAME}`` while the plan still has to create it."""
    return ids.get(f"account:{name}") or "{account:" + name + "}"


def ou_ref(path: str, ids: Mapping[str, str]) -> str:
    """The OU's id, or ``{ou:PATH}`` while the plan still has to create it."""
    return ids.get(f"ou:{path}") or "{ou:" + path + "}"


def organization_ref(ids: Mapping[str, str]) -> str:
    """The organization's id, or ``{organization}`` while the plan still has to create it."""
    return ids.get("organization") or ORGANIZATION


def placeholders(value: Any) -> set[str]:
    """The account names of every ``{account:NAME}`` left in ``value``."""
    return set(PLACEHOLDER.findall(json.dumps(value)))


def ou_placeholders(value: Any) -> set[str]:
    """The OU paths of every ``{ou:PATH}`` left in ``value``."""
    return set(OU_PLACEHOLDER.findall(json.dumps(value)))


def unresolved(value: Any) -> bool:
    """Whether ``value`` still names an account, OU or organization that has no id yet."""
    text = json.dumps(value)
    return bool(PLACEHOLDER.search(text) or OU_PLACEHOLDER.search(text)) or ORGANIZATION in text


def resolve(value: Any, ids: Mapping[str, str]) -> Any:
    """``value`` with every ``{account:NAME}``, ``{ou:PATH}`` (and ``{organization}``) replaced
    by the id in ``ids``; unknown stay."""
    if isinstance(value, str):
        value = PLACEHOLDER.sub(lambda m: ids.get(f"account:{m.group(1)}", m.group(0)), value)
        value = OU_PLACEHOLDER.sub(lambda m: ids.get(f"ou:{m.group(1)}", m.group(0)), value)
        if ORGANIZATION in value and ids.get("organization"):
            # whole (a condition's value) or inside an ARN (``AWSLogs/{organization}/*``)
            return value.replace(ORGANIZATION, ids["organization"])
        return value
    if isinstance(value, list):
        return [resolve(v, ids) for v in value]
    if isinstance(value, dict):
        # keys too: a backup policy's copy action is keyed by the vault's ARN
        return {resolve(k, ids): resolve(v, ids) for k, v in value.items()}
    return value


def change(
    address: str,
    action: Action,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    reason: str,
    live: dict[str, Any] | None,
) -> Change:
    """A change of a kind's resource, fingerprinted by the digest of its live value."""
    return Change(address, action, before, after, reason, {address: digest(live)}, {address: live})


def resource_changes(
    desired: Mapping[str, dict[str, Any]],
    resources: Mapping[str, dict[str, Any]],
    managed: set[str],
    removal: Callable[[str], str],
    *,
    allow_delete: bool = False,
    live_ids: Mapping[str, str] | None = None,
    detach_reason: str = "no longer in the spec",
    full_updates: bool = False,
    revoked: Callable[[str, dict[str, Any]], dict[str, Any]] | None = None,
    fixed: Callable[[str], bool] | None = None,
) -> tuple[list[Change], list[Unmanaged]]:
    """The changes that make the live ``resources`` match ``desired``, and orgstack's live
    resources left over (``managed``) that are only reported. ``removal(address)`` says what
    happens to a leftover: ``detach`` (always revoked), ``delete`` (with ``allow_delete``),
    ``revoke`` (updated to ``revoked(address, value)`` in every plan, deleted with
    ``allow_delete``) or ``report``. An update names only what differs, unless
    ``full_updates``; a ``fixed`` resource (wholly named by its address) is never updated."""
    changes: list[Change] = []
    unmanaged: list[Unmanaged] = []
    for addr, value in desired.items():
        current = resources.get(addr)
        if current is None:
            changes.append(change(addr, Action.CREATE, None, value, "declared in the spec", None))
            continue
        if fixed is not None and fixed(addr):
            continue
        before = {k: v for k, v in current.items() if value.get(k) != v}
        after = {k: v for k, v in value.items() if current.get(k) != v}
        if after or before:
            if full_updates:
                after = dict(value)
            changes.append(
                change(addr, Action.UPDATE, before, after, "differs from the spec", current)
            )
    for addr in sorted(set(resources) - set(desired)):
        if addr not in managed:
            continue
        value, how = resources[addr], removal(addr)
        if how == "detach":
            changes.append(change(addr, Action.DETACH, value, None, detach_reason, value))
        elif how in ("delete", "revoke") and allow_delete:
            changes.append(change(addr, Action.DELETE, value, None, "left the spec", value))
        else:
            if how == "revoke":
                assert revoked is not None, f"{addr}: removal 'revoke' needs revoked()"
                target = revoked(addr, value)
                before = {k: v for k, v in value.items() if target.get(k) != v}
                after = {k: v for k, v in target.items() if value.get(k) != v}
                if before or after:
                    if full_updates:
                        after = dict(target)
                    reason = f"{detach_reason}: what it grants is revoked"
                    changes.append(change(addr, Action.UPDATE, before, after, reason, value))
            hint = " (plan with --allow-delete to delete it)" if how != "report" else ""
            unmanaged.append(
                Unmanaged(
                    addr,
                    (live_ids or {}).get(addr, addr.rsplit("/", 1)[-1]),
                    f"orgstack's, no longer in the spec{hint}",
                )
            )
    return changes, unmanaged
