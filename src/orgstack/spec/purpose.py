"""The account a kind's section works in: the one it names, or else the one account of a
purpose (``security:`` → the security account, ``logging:`` → the log archive)."""

from __future__ import annotations

from typing import Any

from orgstack.errors import Problem
from orgstack.spec.messages import did_you_mean
from orgstack.spec.yamlread import Located


def section_account(
    section: str,
    named: str | None,
    purpose: str,
    model: Any,
    located: Located,
    problems: list[Problem],
) -> str | None:
    """``named`` if the spec has it, else the only account of ``purpose``; None (with a
    problem at the section or its ``account``) otherwise."""
    names = [a.name for a in model.accounts]
    if named is not None:
        if named in names:
            return named
        problems.append(
            located.value_pos((section, "account")).problem(
                f"{section}.account: no account '{named}'{did_you_mean(named, names)}"
            )
        )
        return None
    chosen = [a.name for a in model.accounts if a.purpose == purpose]
    if len(chosen) == 1:
        return str(chosen[0])
    problems.append(
        located.key_pos((section,)).problem(
            f"{section}: {'no account has' if not chosen else 'several accounts have'} "
            f"purpose {purpose}{' (' + ', '.join(chosen) + ')' if chosen else ''}; "
            f"set {section}.account"
        )
    )
    return None
