"""Compile ``backup:``: the backup account, the Regions, the accounts the policy covers, and
the organization backup policy it adds to the spec's policies."""

from __future__ import annotations

from typing import Any

from orgstack.errors import Problem
from orgstack.kinds.backup_vault.schema import SECTION, BackupSpec
from orgstack.model import OrgModel, Policy, PolicyType, Source, Target, minified, paths
from orgstack.model.backup import backup_policy
from orgstack.spec.messages import did_you_mean
from orgstack.spec.yamlread import Located


def _covered(targets: list[str], model: Any) -> list[str]:
    """The accounts under the targets (an OU covers the OUs below it)."""
    found: list[str] = []
    for account in model.accounts:
        for text in targets:
            target = Target.parse(text)
            hit = (target.kind == "account" and target.name == account.name) or (
                target.kind == "ou" and paths.within(account.ou, target.name)
            )
            if hit and account.name not in found:
                found.append(account.name)
    return found


def _check_targets(section: BackupSpec, model: Any, located: Located, out: list[Problem]) -> None:
    known = {"ou": [o.path for o in model.ous], "account": [a.name for a in model.accounts]}
    for index, text in enumerate(section.targets):
        target = Target.parse(text)
        pos = located.value_pos((SECTION, "targets", index))
        if section.targets.index(text) != index:
            out.append(pos.problem(f"{SECTION}.targets: {text} is listed twice"))
        elif target.name not in known[target.kind]:
            names = known[target.kind]
            out.append(
                pos.problem(
                    f"{SECTION}.targets: no {'OU' if target.kind == 'ou' else 'account'} "
                    f"'{target.name}'"
                    f"{did_you_mean(target.name, names)}"
                )
            )


def _check_regions(
    regions: list[str], section: BackupSpec, model: Any, located: Located, out: list[Problem]
) -> None:
    allowed = list(model.organization.allowed_regions)
    for index, region in enumerate(regions if section.regions is not None else []):
        pos = located.value_pos((SECTION, "regions", index))
        if regions.index(region) != index:
            out.append(pos.problem(f"{SECTION}.regions: {region} is listed twice"))
        elif region not in allowed:
            out.append(
                pos.problem(
                    f"{SECTION}.regions: {region} is not an allowed Region "
                    f"({', '.join(allowed)}); add it to organization.allowed_regions first"
                )
            )
    lock = section.lock
    if lock.min_retention_days > lock.max_retention_days:
        out.append(
            located.value_pos((SECTION, "lock", "min_retention_days")).problem(
                f"{SECTION}.lock.min_retention_days: {lock.min_retention_days} is above "
                f"max_retention_days ({lock.max_retention_days})"
            )
        )
    for name, plan in section.plans.items():
        where = (SECTION, "plans", name)
        if plan.copy_region is not None and plan.copy_region not in regions:
            out.append(
                located.value_pos((*where, "copy_region")).problem(
                    f"{SECTION}.plans.{name}.copy_region: no central vault in {plan.copy_region}; "
                    f"use one of {', '.join(regions)}"
                )
            )
        if not lock.min_retention_days <= plan.copy_keep_days <= lock.max_retention_days:
            out.append(
                located.value_pos((*where, "copy_keep_days")).problem(
                    f"{SECTION}.plans.{name}.copy_keep_days: {plan.copy_keep_days} is outside the "
                    f"vault lock's {lock.min_retention_days} to {lock.max_retention_days} days; "
                    "AWS Backup would fail every copy"
                )
            )


def compile(
    section: BackupSpec, model: Any, located: Located, problems: list[Problem]
) -> dict[str, Any] | None:
    """The section with the account, Regions and covered accounts resolved, or None."""
    from orgstack.spec.purpose import section_account

    before = len(problems)
    account = section_account(SECTION, section.account, "backup", model, located, problems)
    regions = list(section.regions or model.organization.allowed_regions)
    _check_targets(section, model, located, problems)
    _check_regions(regions, section, model, located, problems)
    if section.service_role.lower().startswith("orgstack-"):
        problems.append(
            located.value_pos((SECTION, "service_role")).problem(
                f"{SECTION}.service_role: names starting orgstack- belong to the access matrix "
                "(it revokes roles it does not know); choose another, e.g. OrgstackBackup"
            )
        )
    if account is None or len(problems) > before:
        return None
    found = model.account(account)
    covered = _covered(section.targets, model)
    if found is not None and found.purpose == "management":
        problems.append(
            located.value_pos((SECTION, "account")).problem(
                f"{SECTION}.account: {account} is the management account; copies belong in a "
                "member account that workloads cannot reach"
            )
        )
    elif account in covered:
        problems.append(
            located.key_pos((SECTION, "targets")).problem(
                f"{SECTION}.targets: they cover the backup account {account}; its backups "
                "would be copied into itself (target the workload OUs)"
            )
        )
    if len(problems) > before:
        return None
    return {
        **section.model_dump(exclude={"account", "regions", "plans", "lock"}),
        "account": account,
        "regions": regions,
        "accounts": covered,
        "lock": section.lock.model_dump(),
        "plans": {name: plan.model_dump() for name, plan in section.plans.items()},
    }


def policies(compiled: dict[str, Any], model: OrgModel, located: Located) -> list[Policy]:
    """The organization backup policy, attached to the targets (the account's id written
    ``{account:NAME}``, placed by plan and apply)."""
    pos = located.key_pos((SECTION, "policy"))  # the section's own when it is not given
    content = backup_policy(compiled, "{account:" + compiled["account"] + "}")
    return [
        Policy(
            name=compiled["policy"],
            type=PolicyType.BACKUP,
            content=minified(content),
            description="orgstack: backups by tag, copied into the backup account's vault",
            targets=tuple(Target.parse(t) for t in compiled["targets"]),
            source=Source(pos.file, pos.line, pos.column),
        )
    ]
