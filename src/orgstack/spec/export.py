"""``orgstack import``: a live organization written as a commented spec and policy files."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from orgstack.model import FULL_AWS_ACCESS, PURPOSES, ROOT, Account, OrgModel, PolicyType, paths
from orgstack.spec.blueprints import dump
from orgstack.spec.schema import AttributeTagsSpec

GUESSED_PURPOSE = "purpose guessed from the name; check it"


def _flow(items: list[str]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _tags(tags: Any) -> CommentedMap:
    mapping = CommentedMap(sorted(dict(tags).items()))
    mapping.fa.set_flow_style()
    return mapping


def unknown_policy_types(enabled: tuple[str, ...]) -> list[str]:
    """The policy types AWS has enabled that orgstack does not know (never silently dropped)."""
    known = {t.aws_name for t in PolicyType}
    return sorted(t for t in enabled if t not in known)


def export_spec(
    live: OrgModel,
    *,
    name: str,
    home_region: str,
    schema_ref: str,
    guess_stage: Any,
    sections: Mapping[str, tuple[Any, str]] | None = None,
    notes: Sequence[str] = (),
    replaced: Collection[str] = (),
) -> tuple[str, dict[str, str]]:
    """The YAML of a spec reproducing ``live`` (plan right after shows no changes) and the
    policy files (``policies/<name>.json``) it refers to."""
    org = live.organization
    full = next((p for p in live.policies if p.aws_managed and p.name == FULL_AWS_ACCESS), None)
    everywhere = 1 + len(live.ous) + len(live.accounts)
    full_everywhere = full is not None and len(full.targets) >= everywhere
    spec = CommentedMap()
    spec["version"] = 1
    organization = CommentedMap(
        name=name, home_region=home_region, allowed_regions=_flow([home_region]), feature_set="ALL"
    )
    if not full_everywhere:
        organization["full_aws_access"] = False
        organization.yaml_add_eol_comment(
            "FullAWSAccess is not attached everywhere in AWS; orgstack leaves it as it is",
            "full_aws_access",
        )
    if org.root_tags:
        organization["root_tags"] = _tags(org.root_tags)
    spec["organization"] = organization
    spec["organizational_units"] = _ous(live)
    spec["accounts"], unrecorded = _accounts(live, guess_stage)
    if unrecorded:
        organization["attribute_tags"] = CommentedMap((f, None) for f in unrecorded)
        organization.yaml_add_eol_comment(
            "no account carries these tags yet; remove a line and apply records it",
            "attribute_tags",
        )
    policies, files = _policies(live, replaced)
    spec["policies"] = policies
    for key, (section, description) in (sections or {}).items():
        spec[key] = _plain(section)
        spec.yaml_set_comment_before_after_key(
            key, before=f"\n{description} As AWS has it (imported)."
        )
    spec.yaml_set_comment_before_after_key(
        "organizational_units", before="\nOUs as they are in AWS; ids tie renames."
    )
    spec.yaml_set_comment_before_after_key("accounts", before="\nAccounts as they are in AWS.")
    spec.yaml_set_comment_before_after_key(
        "policies", before="\nPolicies as they are in AWS; documents under policies/."
    )
    header = (
        f"# yaml-language-server: $schema={schema_ref}\n"
        f"# Imported by `orgstack import` from organization {org.id} "
        f"({len(live.accounts)} accounts, {len(live.ous)} OUs, "
        f"{len(files)} {'policy' if len(files) == 1 else 'policies'}).\n"
        "# Review what orgstack guessed (comments say so), then `orgstack plan` shows no changes.\n"
        + "".join(
            f"# NOT IMPORTED: policy type {t} is enabled in AWS and unknown to this orgstack; "
            "its policies are not in this spec (a newer orgstack manages them).\n"
            for t in unknown_policy_types(org.policy_types)
        )
        + "".join(f"# NOT IMPORTED: {note}.\n" for note in notes)
    )
    return header + dump(spec), files


def _ous(live: OrgModel) -> CommentedMap:
    top = CommentedMap()
    nodes: dict[str, CommentedMap] = {}
    for ou in sorted(live.ous, key=lambda o: (o.depth, paths.names(o.path))):
        node = CommentedMap()
        node["id"] = ou.id
        if ou.tags:
            node["tags"] = _tags(ou.tags)
        if ou.parent_path == ROOT:
            top[ou.name] = node
        else:
            parent = nodes[ou.parent_path]
            parent.setdefault("children", CommentedMap())[ou.name] = node
        nodes[ou.path] = node
    return top


#: (account field, the tag key apply records it under by default), from the schema's defaults.
ATTRIBUTE_TAGS = tuple(AttributeTagsSpec().model_dump().items())
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _accounts(live: OrgModel, guess_stage: Any) -> tuple[CommentedMap, list[str]]:
    """The accounts, and the attribute tags no account records (written as null, so the plan
    right after import adds no tag; orgstack records the others)."""
    accounts = CommentedMap()
    fields: dict[str, dict[str, str]] = {}
    tags_of: dict[str, dict[str, str]] = {}
    for account in sorted(live.accounts, key=_account_order):
        item = CommentedMap()
        item["id"] = account.id
        tags = {k: v for k, v in account.tags.items() if not k.startswith("orgstack:")}
        tagged_purpose = tags.get("purpose")
        from_tag = tagged_purpose in PURPOSES and account.purpose != "management"
        item["purpose"] = tagged_purpose if from_tag else account.purpose
        item["ou"] = account.ou
        item["email"] = account.email
        tagged = _stage_from_tags(account.tags)
        found = {"purpose": str(item["purpose"])}
        if tagged is not None:
            item["stage"] = found["stage"] = tagged[1]
        for field in ("workload", "team"):
            value = tags.get(field)
            if value and (field == "team" or SLUG.match(value)):
                item[field] = found[field] = value
        fields[account.name], tags_of[account.name] = found, tags
        accounts[account.name] = item
        notes = []
        if account.purpose != "management" and not from_tag:
            notes.append(GUESSED_PURPOSE)
        stage = guess_stage(account.name)
        if tagged is not None:
            notes.append(f"stage from its tag {tagged[0]}")
        elif stage:
            notes.append(f"stage: {stage}? (from the name)")
        if account.status and account.status != "ACTIVE":
            notes.append(f"status in AWS: {account.status}")
        if notes:
            accounts.yaml_set_comment_before_after_key(
                account.name, before="; ".join(notes), indent=2
            )
    # A key is recorded when every account that has the field carries it as that tag already.
    kept = {
        key
        for field, key in ATTRIBUTE_TAGS
        if all(tags_of[n].get(key) == f[field] for n, f in fields.items() if field in f)
    }
    for name, item in accounts.items():
        tags = {k: v for k, v in tags_of[name].items() if k not in kept or k not in fields[name]}
        if tags:
            item["tags"] = _tags(tags)
    return accounts, [field for field, key in ATTRIBUTE_TAGS if key not in kept]


#: Tags that say an account's stage, in the order they are believed.
STAGE_TAGS = ("stage", "environment", "env")
STAGE_WORD = re.compile(r"^[a-z][a-z0-9-]*$")


def _stage_from_tags(tags: Mapping[str, str]) -> tuple[str, str] | None:
    """(the tag, the stage) when a tag names the account's stage in a word the spec takes."""
    lowered = {k.lower(): k for k in tags}
    for name in STAGE_TAGS:
        key = lowered.get(name)
        if key is not None and STAGE_WORD.match(tags[key].lower()):
            return key, tags[key].lower()
    return None


def _account_order(account: Account) -> tuple[int, str, str]:
    return (0 if account.purpose == "management" else 1, account.ou, account.name)


def _policy_file(name: str, taken: dict[str, str]) -> str:
    """``policies/<name>.json``, the name made safe as a file name on every system (AWS allows
    any character in a policy name; the name itself stays the spec's key)."""
    safe = re.sub(r"[^\w.@=,+-]+", "_", name, flags=re.ASCII).strip("._") or "policy"
    path, number = f"policies/{safe}.json", 2
    while path.lower() in {p.lower() for p in taken}:
        path, number = f"policies/{safe}-{number}.json", number + 1
    return path


def _policies(live: OrgModel, replaced: Collection[str]) -> tuple[CommentedMap, dict[str, str]]:
    policies = CommentedMap()
    files: dict[str, str] = {}
    for policy in sorted(live.policies, key=lambda p: (p.type.value, p.name)):
        if policy.aws_managed or policy.address in replaced:
            continue
        path = _policy_file(policy.name, files)
        files[path] = json.dumps(json.loads(policy.content), indent=2, ensure_ascii=False) + "\n"
        item = CommentedMap()
        item["id"] = policy.id
        item["type"] = policy.type.value
        item["file"] = path
        if policy.description:
            item["description"] = policy.description
        item["targets"] = _flow(sorted(t.address for t in policy.targets))
        policies[policy.name] = item
    return policies, files


def _plain(value: Any) -> Any:
    """A discovered section as YAML: mappings block style, lists of scalars in flow style."""
    if isinstance(value, Mapping):
        return CommentedMap((k, _plain(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        if all(not isinstance(v, Mapping | list | tuple) for v in value):
            return _flow(list(value))
        return CommentedSeq(_plain(v) for v in value)
    return value
