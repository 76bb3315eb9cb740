"""Accounts chosen by a selector (stage, purpose, OU and below, tag, name): the schema the
spec's sections share (access grants, network members) and its resolution to account names."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from orgstack.errors import Problem
from orgstack.model import Account
from orgstack.spec.fields import Purpose, Strict, Tags
from orgstack.spec.messages import did_you_mean
from orgstack.spec.yamlread import Located

StrList = str | list[str]


def listed(value: Any) -> list[str] | None:
    return None if value is None else [value] if isinstance(value, str) else list(value)


class AccountSelectorSpec(Strict):
    """Accounts chosen by stage, purpose, OU (and below), tag or name; every key given must
    match (a list means any of)."""

    stage: Annotated[StrList | None, Field(description="Stage(s), e.g. [dev, sandbox].")] = None
    purpose: Annotated[
        Purpose | list[Purpose] | None, Field(description="Purpose(s), e.g. security.")
    ] = None
    ou: Annotated[StrList | None, Field(description="OU path(s); accounts below count too.")] = None
    tag: Annotated[Tags | None, Field(description="Tags the account must carry.")] = None
    account: Annotated[StrList | None, Field(description="Account name(s).")] = None


def present(selector: AccountSelectorSpec | str, accounts: list[Account]) -> str:
    """What the spec has for the keys of a selector that chose nothing: its stages for a
    stage selector, its purposes for a purpose selector (both otherwise)."""
    keys = [
        key
        for key in ("stage", "purpose")
        if not isinstance(selector, str) and getattr(selector, key) is not None
    ] or ["stage", "purpose"]
    found = {k: sorted({str(getattr(a, k)) for a in accounts if getattr(a, k)}) for k in keys}
    return "; ".join(f"{key}s in the spec: {', '.join(found[key]) or '(none)'}" for key in keys)


def select(
    selector: AccountSelectorSpec,
    accounts: list[Account],
    ou_paths: list[str],
    path: tuple[str | int, ...],
    where: str,
    located: Located,
    problems: list[Problem],
) -> tuple[list[str], str]:
    stages = listed(selector.stage)
    purposes = listed(selector.purpose)
    ous = listed(selector.ou)
    names = listed(selector.account)
    known = [a.name for a in accounts]
    for ou in ous or []:
        if ou not in ou_paths:
            problems.append(
                located.value_pos((*path, "ou")).problem(
                    f"{where}.accounts.ou: no OU '{ou}'{did_you_mean(ou, ou_paths)}"
                )
            )
    for name in names or []:
        if name not in known:
            problems.append(
                located.value_pos((*path, "account")).problem(
                    f"{where}.accounts.account: no account '{name}'{did_you_mean(name, known)}"
                )
            )
    if not any(x is not None for x in (stages, purposes, ous, names, selector.tag)):
        problems.append(
            located.value_pos(path).problem(
                f"{where}.accounts: an empty selector; "
                "use all, or stage, purpose, ou, tag or account"
            )
        )

    def chosen(account: Account) -> bool:
        return (
            (stages is None or account.stage in stages)
            and (purposes is None or account.purpose in purposes)
            and (
                ous is None
                or any(account.ou == ou or account.ou.startswith(ou + "/") for ou in ous)
            )
            and (names is None or account.name in names)
            and all(account.tags.get(k) == v for k, v in (selector.tag or {}).items())
        )

    text = ", ".join(
        f"{key}: {value[0] if len(value) == 1 else '[' + ', '.join(value) + ']'}"
        for key, value in (
            ("stage", stages),
            ("purpose", purposes),
            ("ou", ous),
            ("account", names),
        )
        if value is not None
    )
    if selector.tag:
        text = ", ".join(
            filter(None, [text, "tag: " + ", ".join(f"{k}={v}" for k, v in selector.tag.items())])
        )
    return [a.name for a in accounts if chosen(a)], text
