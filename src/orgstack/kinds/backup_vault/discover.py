"""``orgstack import``: the ``backup:`` section the live organization implies — a backup
policy whose plans copy into one account's vault (orgstack's shape: per plan a rule of that
name, resources tagged ``<tag_key>: <plan>``, a local vault, a service role), its targets, and
the central vault's lock and key. The section makes that policy again, so the import writes
the section instead of the policy. A policy of another shape, or attached to the root (the
section targets OUs and accounts), is left as a policy, with why.

IAM actions: sts:AssumeRole, backup:DescribeBackupVault, kms:ListAliases
"""

from __future__ import annotations

import json
from typing import Any

from orgstack.aws.reading import ReadContext
from orgstack.kinds.backup_vault.schema import BackupSpec, LockSpec, PlanSpec
from orgstack.model import PolicyType
from orgstack.model.kind import Discovered, DiscoverRequest

DEFAULTS = BackupSpec(
    targets=["ou:x"],
    plans={"x": PlanSpec(schedule="rate(1 day)", keep_days=1, copy_keep_days=1)},
)
PLAN_DEFAULTS = {"start_window_minutes": 60, "complete_window_minutes": 10080}
#: A central vault's ARN: arn:aws:backup:<region>:<account>:backup-vault:<name>.
VAULT_ARN = "arn:aws:backup:"


def _value(node: Any) -> Any:
    return node.get("@@assign") if isinstance(node, dict) else node


def _plans(content: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(the section's settings, its plans) from an orgstack-shaped policy; None otherwise."""
    common: dict[str, set[Any]] = {k: set() for k in ("account", "vault", "local", "role", "tag")}
    regions: list[str] = []
    plans: dict[str, Any] = {}
    for key, plan in (content.get("plans") or {}).items():
        rules, tags = plan.get("rules") or {}, (plan.get("selections") or {}).get("tags") or {}
        if len(rules) != 1 or set(rules) != set(tags):
            return None
        (name, rule), selection = next(iter(rules.items())), next(iter(tags.values()))
        copies = list((rule.get("copy_actions") or {}).values())
        target = str(_value(copies[0].get("target_backup_vault_arn"))) if len(copies) == 1 else ""
        if not target.startswith(VAULT_ARN) or _value(selection.get("tag_value")) != [name]:
            return None
        region, account, _, vault = target[len(VAULT_ARN) :].split(":", 3)
        in_plan = list(_value(plan.get("regions")) or [])
        regions += [r for r in in_plan if r not in regions]
        copy_region = region if key == f"orgstack-{name}" else None
        if copy_region is None and (in_plan != [region] or key != f"orgstack-{name}-{region}"):
            return None
        common["account"].add(account)
        common["vault"].add(vault)
        common["local"].add(_value(rule.get("target_backup_vault_name")))
        common["role"].add(str(_value(selection.get("iam_role_arn"))).rsplit(":role/", 1)[-1])
        common["tag"].add(_value(selection.get("tag_key")))
        keep = (rule.get("lifecycle") or {}).get("delete_after_days")
        copy_keep = (copies[0].get("lifecycle") or {}).get("delete_after_days")
        plans[name] = {
            "schedule": _value(rule.get("schedule_expression")),
            "keep_days": int(_value(keep)),
            "copy_keep_days": int(_value(copy_keep)),
            **({"copy_region": copy_region} if copy_region else {}),
        }
        for setting, default in PLAN_DEFAULTS.items():
            found = int(_value(rule.get(setting.replace("_window", "_backup_window"))) or default)
            if found != default:
                plans[name][setting] = found
    if not plans or any(len(values) != 1 for values in common.values()):
        return None
    settings = {k: v.pop() for k, v in common.items()}
    settings["regions"] = regions
    return settings, plans


def discover(ctx: ReadContext, request: DiscoverRequest) -> Discovered:
    names = request.names()
    notes: list[str] = []
    for policy in request.live.policies:
        if policy.type != PolicyType.BACKUP or policy.aws_managed:
            continue
        found = _plans(json.loads(policy.content))
        if found is None:
            continue
        settings, plans = found
        targets = [t.address for t in policy.targets]
        if not targets or "root" in targets or settings["account"] not in names:
            notes.append(
                f"backup: policy {policy.name} copies into {settings['vault']} but is attached "
                "to the root or nowhere, or copies into an account outside the organization; "
                "it stays a policy"
            )
            continue
        return Discovered(_section(ctx, policy.name, settings, plans, targets, names),
                          notes, replaces=[policy.address])  # fmt: skip
    return Discovered(notes=notes)


def _section(
    ctx: ReadContext,
    name: str,
    settings: dict[str, Any],
    plans: dict[str, Any],
    targets: list[str],
    names: dict[str, str],
) -> dict[str, Any]:
    account_id, region = settings["account"], settings["regions"][0]
    section: dict[str, Any] = {
        "account": names[account_id],
        "regions": settings["regions"],
        "targets": targets,
        "plans": plans,
    }
    for key, field, default in (
        ("tag", "tag_key", DEFAULTS.tag_key),
        ("vault", "vault", DEFAULTS.vault),
        ("local", "local_vault", DEFAULTS.local_vault),
        ("role", "service_role", DEFAULTS.service_role),
    ):
        if settings[key] != default:
            section[field] = settings[key]
    if name != DEFAULTS.policy:
        section["policy"] = name
    client = ctx.member(account_id, "backup", region)
    vault = ctx.absent(client, "describe_backup_vault", frozenset({"ResourceNotFoundException"}),
                       BackupVaultName=settings["vault"])  # fmt: skip
    if vault is not None:
        lock = {
            "min_retention_days": vault.get("MinRetentionDays"),
            "max_retention_days": vault.get("MaxRetentionDays"),
        }
        defaults = LockSpec().model_dump()
        changed = {k: v for k, v in lock.items() if v is not None and v != defaults[k]}
        if changed:
            section["lock"] = changed
        alias = _alias(ctx, account_id, region, str(vault.get("EncryptionKeyArn") or ""))
        if alias and alias != DEFAULTS.key_alias:
            section["key_alias"] = alias
    return section


def _alias(ctx: ReadContext, account_id: str, region: str, key_arn: str) -> str | None:
    if not key_arn:
        return None
    kms = ctx.member(account_id, "kms", region)
    key_id = key_arn.rsplit("/", 1)[-1]
    aliases = ctx.call(kms, "list_aliases", KeyId=key_id).get("Aliases", [])
    found = [a["AliasName"] for a in aliases if not a["AliasName"].startswith("alias/aws/")]
    return found[0].removeprefix("alias/") if found else None
