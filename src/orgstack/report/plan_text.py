"""The plan for people: one line a change (+ ~ - →), a summary, unmanaged objects, pre-flight."""

from __future__ import annotations

import json
from typing import Any

from orgstack.model.kind import Kind, account_of, in_account
from orgstack.plan.docdiff import change_diffs
from orgstack.plan.model import Action, Change, Plan
from orgstack.registry import kind_for, owner_of

STYLE = {"+": "green", "~": "yellow", "-": "red", "→": "cyan"}


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


def detail(change: Change) -> str:
    """What a change does, in one line, in its kind's words (the core kind's for the
    organization's own objects)."""
    kind = owner_of(change.address)
    if kind is None:  # a plan of another version naming what no kind owns
        return _value(change.after or change.before or {})
    return kind.detail(change) or ""


def _by_account(changes: list[Change], ids: dict[str, str]) -> list[tuple[str, str]]:
    """A kind's changes under the account they happen in, in plan order of first appearance."""
    groups: dict[str, list[Change]] = {}
    for change in changes:
        account = account_of(change.address)
        account_id = ids.get(f"account:{account}")
        groups.setdefault(f"{account} ({account_id})" if account_id else account, []).append(change)
    lines: list[tuple[str, str]] = []
    for title, members in groups.items():
        lines.append(("bold", f"  {title}"))
        names = [in_account(c.address) for c in members]
        inner = max(len(n) for n in names)
        for change, name in zip(members, names, strict=True):
            symbol = change.action.symbol
            lines.append(
                (
                    STYLE[symbol],
                    f"    {symbol} {name:<{inner}}  {change.action.value:<7} {detail(change)}",
                )
            )
            lines += _diff_lines(change, "        ")
    return lines


def _diff_lines(change: Change, indent: str) -> list[tuple[str, str]]:
    """The documents an update changes, as a diff under its line."""
    if change.action != Action.UPDATE:
        return []
    style = {"-": "red", "+": "green", "@": "cyan"}
    return [
        (style.get(line[:1], "dim"), indent + line)
        for line in change_diffs(change.before, change.after)
    ]


def summary(plan: Plan) -> str:
    counts = plan.counts()
    if not counts:
        return "No changes."
    return "Plan: " + ", ".join(f"{n} to {action}" for action, n in counts.items()) + "."


def to_text(plan: Plan, spec: str) -> tuple[list[tuple[str, str]], str]:
    """Lines of (style, text) for a rich console, and the plain text."""
    lines: list[tuple[str, str]] = []
    grouped: dict[Kind, list[Change]] = {}
    single: list[Change] = []
    for change in plan.changes:
        kind = kind_for(change.address)
        if kind is not None and kind.info.group_title:
            grouped.setdefault(kind, []).append(change)
        else:
            single.append(change)
    width = max((len(c.address) for c in single), default=0)
    for change in single:
        symbol = change.action.symbol
        lines.append(
            (
                STYLE[symbol],
                f"  {symbol} {change.address:<{width}}  {change.action.value:<7} {detail(change)}",
            )
        )
        lines += _diff_lines(change, "      ")
    for kind, changes in grouped.items():
        lines.append(("", ""))
        lines.append(("bold", str(kind.info.group_title)))
        lines += _by_account(changes, plan.ids)
    partial = plan.scope is not None
    if plan.empty:
        if plan.preflight:
            # Not "matches": a pre-flight finding says something differs that no change fixes.
            lines.append(("yellow", f"No changes to apply; read what follows about {spec}."))
        elif partial:
            lines.append(("green", f"No changes. The targets match {spec}."))
        else:
            lines.append(("green", f"No changes. Your organization matches {spec}."))
    else:
        lines.append(("bold", ""))
        lines.append(("bold", summary(plan)))
    if plan.unmanaged:
        lines.append(("", ""))
        lines.append(
            (
                "bold",
                f"Unmanaged: {len(plan.unmanaged)} live "
                + ("object is" if len(plan.unmanaged) == 1 else "objects are")
                + " not in the spec; orgstack leaves "
                + ("it" if len(plan.unmanaged) == 1 else "them")
                + " alone:",
            )
        )
        lines += [("dim", f"  {u.address} ({u.id}): {u.note}") for u in plan.unmanaged]
    for item in plan.preflight:
        lines.append(
            ("red" if item.level == "error" else "yellow", f"{item.level}: {item.message}")
        )
        if item.hint:
            lines.append(("dim", f"  hint: {item.hint}"))
    if plan.scope is not None:
        covered = plan.scope
        lines.append(("", ""))
        lines.append(
            (
                "yellow",
                f"Partial plan (--target {' '.join(covered['targets'])}): "
                f"{len(covered['accounts'])} of the spec's accounts and "
                f"{len(covered['ous'])} OUs, with what they depend on; the rest of the spec "
                "was neither read nor planned. Apply refuses any change outside the targets.",
            )
        )
    return lines, "\n".join(text for _, text in lines) + "\n"
