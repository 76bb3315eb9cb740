"""Compile ``access:``: check every reference and resolve each grant's selector to accounts."""

from __future__ import annotations

from typing import Any

from orgstack.errors import Problem
from orgstack.kinds.access.schema import AccessSpec, LevelSpec
from orgstack.model import Account, Source, minified
from orgstack.model.access import (
    BUILTIN_LEVELS,
    Access,
    AccessGroup,
    AccessUser,
    Grant,
    Level,
)
from orgstack.spec.messages import did_you_mean
from orgstack.spec.policyfile import policy_document
from orgstack.spec.selectors import present, select
from orgstack.spec.yamlread import Located, Pos


def _source(pos: Pos) -> Source:
    return Source(pos.file, pos.line, pos.column)


def _compile_access(
    spec: AccessSpec,
    accounts: list[Account],
    ou_paths: list[str],
    located: Located,
    problems: list[Problem],
    *,
    home_region: str | None = None,
) -> Access:
    users = tuple(
        AccessUser(name, item.email, item.name, _source(located.key_pos(("access", "users", name))))
        for name, item in spec.users.items()
    )
    user_names = [u.name for u in users]
    groups: list[AccessGroup] = []
    for name, group in spec.groups.items():
        path = ("access", "groups", name, "members")
        for index, member in enumerate(group.members):
            if member not in user_names:
                problems.append(
                    located.value_pos((*path, index)).problem(
                        f"access.groups.{name}.members: no user '{member}'"
                        f"{did_you_mean(member, user_names)}; declare it under access.users"
                    )
                )
            elif group.members.index(member) != index:
                problems.append(
                    located.value_pos((*path, index)).problem(
                        f"access.groups.{name}.members: {member} is listed twice"
                    )
                )
        groups.append(
            AccessGroup(
                name,
                tuple(dict.fromkeys(group.members)),
                _source(located.key_pos(("access", "groups", name))),
            )
        )
    if spec.identity_account and spec.mode == "identity-center":
        problems.append(
            located.key_pos(("access", "identity_account")).problem(
                "access.identity_account: only iam mode has an identity account; "
                "Identity Center keeps its users in the identity store"
            )
        )
    if spec.mode == "iam":
        for key in ("sso_start_url", "sso_region"):
            if getattr(spec, key) is not None:
                problems.append(
                    located.key_pos(("access", key)).problem(
                        f"access.{key}: only identity-center mode has an access portal; "
                        "remove it or set mode: identity-center"
                    )
                )
    else:
        for index, asked in enumerate(spec.grants):
            if not asked.mfa:
                problems.append(
                    located.value_pos(("access", "grants", index, "mfa")).problem(
                        f"access.grants[{index}].mfa: Identity Center requires MFA for the whole "
                        "instance (Settings → Authentication), not per grant; remove mfa here"
                    )
                )
    levels = [
        Level(name, managed, None, f"AWS managed {managed[0].rsplit('/', 1)[-1]}")
        for name, managed in BUILTIN_LEVELS.items()
    ]
    for name, item in spec.levels.items():
        level = _level(name, item, located, problems)
        if level is not None:
            levels.append(level)
    identity = _identity(spec, accounts, located, problems)
    grants = [
        grant
        for index, item in enumerate(spec.grants)
        if (grant := _grant(index, item, spec, accounts, ou_paths, levels, located, problems))
    ]
    return Access(
        mode=spec.mode,
        identity_account=identity,
        users=users,
        groups=tuple(groups),
        levels=tuple(levels),
        grants=tuple(grants),
        sso_start_url=spec.sso_start_url,
        # Identity Center lives in one Region: the declared one, else the home Region (never
        # whatever Region the caller's session defaults to).
        sso_region=spec.sso_region or (home_region if spec.mode != "iam" else None),
        source=_source(located.key_pos(("access",))),
    )


def _identity(
    spec: AccessSpec, accounts: list[Account], located: Located, problems: list[Problem]
) -> str:
    names = [a.name for a in accounts]
    if spec.identity_account is not None:
        if spec.identity_account not in names:
            problems.append(
                located.value_pos(("access", "identity_account")).problem(
                    f"access.identity_account: no account '{spec.identity_account}'"
                    f"{did_you_mean(spec.identity_account, names)}"
                )
            )
        return spec.identity_account
    management = next((a.name for a in accounts if a.purpose == "management"), None)
    if management is None:
        problems.append(
            located.key_pos(("access",)).problem(
                "access: the spec declares no management account; declare it "
                "(purpose: management) or set access.identity_account"
            )
        )
        return ""
    return management


def _level(name: str, item: LevelSpec, located: Located, problems: list[Problem]) -> Level | None:
    path = ("access", "levels", name)
    if name in BUILTIN_LEVELS:
        problems.append(
            located.key_pos(path).problem(
                f"access.levels.{name}: {name} is a built-in level; choose another name"
            )
        )
        return None
    if item.file is not None and item.content is not None:
        problems.append(
            located.key_pos(path).problem(
                f"access.levels.{name}: give 'file' or 'content', not both"
            )
        )
        return None
    document = policy_document(located, path, item.file, item.content, problems)
    if item.file is not None and document is None:
        return None  # the file's problem is reported
    if document is None and not item.managed:
        problems.append(
            located.key_pos(path).problem(
                f"access.levels.{name}: grants nothing; give managed policy ARNs, a file or content"
            )
        )
        return None
    inline = None if document is None else minified(document)
    return Level(
        name, tuple(item.managed), inline, item.description, _source(located.key_pos(path))
    )


def _grant(
    index: int,
    item: Any,
    spec: AccessSpec,
    accounts: list[Account],
    ou_paths: list[str],
    levels: list[Level],
    located: Located,
    problems: list[Problem],
) -> Grant | None:
    path = ("access", "grants", index)
    where = f"access.grants[{index}]"
    before = len(problems)
    if item.group not in spec.groups:
        problems.append(
            located.value_pos((*path, "group")).problem(
                f"{where}.group: no group '{item.group}'"
                f"{did_you_mean(item.group, list(spec.groups))}"
            )
        )
    level_names = [level.name for level in levels]
    if item.level not in level_names:
        problems.append(
            located.value_pos((*path, "level")).problem(
                f"{where}.level: no level '{item.level}'{did_you_mean(item.level, level_names)}; "
                f"allowed: {', '.join(level_names)}"
            )
        )
    if item.accounts == "all":
        chosen, selector = [a.name for a in accounts], "all"
    else:
        chosen, selector = select(
            item.accounts, accounts, ou_paths, (*path, "accounts"), where, located, problems
        )
    if len(problems) > before:
        return None
    if not chosen:
        problems.append(
            located.value_pos((*path, "accounts")).problem(
                f"{where}.accounts: {selector} selects no account; "
                + present(item.accounts, accounts)
            )
        )
        return None
    return Grant(
        item.group,
        item.level,
        tuple(chosen),
        selector,
        item.session_hours * 3600,
        item.mfa,
        _source(located.key_pos(path)),
    )


def compile(section: AccessSpec, model: Any, located: Located, problems: list[Problem]) -> Access:
    """Check every reference of ``access:`` and resolve each grant's selector to accounts."""
    return _compile_access(
        section,
        list(model.accounts),
        [o.path for o in model.ous],
        located,
        problems,
        home_region=model.organization.home_region,
    )
