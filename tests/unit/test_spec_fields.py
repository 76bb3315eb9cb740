"""No spec field is accepted and ignored: each one reaches the plan or the rules' findings
(checked by changing it and watching what changes), or is read by a documented rule."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from orgstack.errors import SpecError
from orgstack.flows.isolation import accounts_of, judge
from orgstack.kinds.organization.diff import diff
from orgstack.model import OrgModel
from orgstack.model.isolation import KINDS
from orgstack.model.isolation import Path as Crossing
from orgstack.registry import all_kinds
from orgstack.rules.engine import run_rules
from orgstack.rules.registry import all_rules
from orgstack.spec.loader import load_spec
from orgstack.spec.schema import json_schema

RULES_SRC = Path(__file__).resolve().parents[2] / "src" / "orgstack" / "rules"
POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}],
}
CONTACT = {"name": "Team", "title": "Lead", "email": "team@acme.example", "phone": "+1 555"}
EVERYTHING: dict[str, Any] = {
    "version": 1,
    "organization": {
        "name": "acme",
        "home_region": "eu-west-1",
        "allowed_regions": ["eu-west-1", "eu-central-1"],
        "email_pattern": "aws+{account}@acme.example",
        "feature_set": "ALL",
        "access_role": "OrganizationAccountAccessRole",
        "account_quota": 10,
        "full_aws_access": True,
        "attribute_tags": {
            "purpose": "purpose",
            "stage": "environment",
            "workload": "workload",
            "team": "team",
        },
        "root_tags": {"owner": "platform"},
    },
    "organizational_units": {
        "Workloads": {"id": "ou-ab12-cd345678", "tags": {"tier": "1"}, "children": {"Prod": {}}},
    },
    "accounts": {
        "management": {"purpose": "management", "ou": "root", "email": "root@acme.example"},
        "web-dev": {"purpose": "workload", "ou": "Workloads", "stage": "dev"},
        "web-prod": {
            "purpose": "workload",
            "id": "210987654321",
            "ou": "Workloads/Prod",
            "email": "web-prod@acme.example",
            "stage": "prod",
            "workload": "web",
            "team": "web",
            "business_unit": "retail",
            "owner": "web-team@acme.example",
            "iam_alias": "acme-web-prod",
            "tags": {"cost-center": "42"},
        },
    },
    "policies": {
        "deny-s3": {
            "type": "service_control",
            "id": "p-abcd1234",
            "content": POLICY,
            "description": "no S3",
            "targets": ["ou:Workloads"],
        },
    },
    "ignore": [{"rule": "LZ102", "target": "organization", "reason": "logs go elsewhere"}],
    "access": {
        "mode": "iam",
        "identity_account": "management",
        "users": {"ana": {"email": "ana@acme.example", "name": "Ana"}},
        "groups": {"devs": {"members": ["ana"]}},
        "levels": {
            "net": {
                "managed": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
                "content": POLICY,
                "description": "network people",
            }
        },
        "grants": [
            {
                "group": "devs",
                "level": "net",
                "accounts": {
                    "stage": "prod",
                    "purpose": "workload",
                    "ou": "Workloads",
                    "tag": {"cost-center": "42"},
                    "account": "web-prod",
                },
                "session_hours": 2,
                "mfa": True,
            }
        ],
    },
    "security": {
        "account": "web-dev",
        "services": ["guardduty", "config", "securityhub"],
        "standards": ["aws-foundational-security-best-practices", "cis-3.0"],
        "regions": ["eu-west-1"],
    },
    "logging": {
        "account": "web-prod",
        "bucket": "acme-logs-bucket",
        "config_bucket": "acme-config-bucket",
        "retention_days": 400,
        "archive_after_days": 30,
        "expire_after_days": 3650,
        "break_glass_role": "Emergency",
        "trail_name": "all-activity",
        "key_alias": "logs",
    },
    "backup": {
        "account": "web-dev",
        "regions": ["eu-west-1", "eu-central-1"],
        "targets": ["account:web-prod"],
        "tag_key": "backup-plan",
        "vault": "central",
        "local_vault": "local",
        "service_role": "BackupRunner",
        "break_glass_role": "Emergency",
        "key_alias": "backups",
        "source_key_alias": "backup-source",
        "policy": "acme-backups",
        "lock": {"min_retention_days": 10, "max_retention_days": 400, "grace_days": 5},
        "plans": {
            "nightly": {
                "schedule": "cron(0 3 * * ? *)",
                "keep_days": 14,
                "copy_keep_days": 30,
                "copy_region": "eu-west-1",
                "start_window_minutes": 90,
                "complete_window_minutes": 600,
            }
        },
    },
    "alternate_contacts": {
        "default": {t: dict(CONTACT) for t in ("billing", "operations", "security")},
        "accounts": {"web-prod": {t: dict(CONTACT) for t in ("billing", "operations", "security")}},
    },
    "break_glass": {
        "role": "Emergency",
        "trusted": ["ana", "arn:aws:iam::210987654321:role/Responder"],
        "accounts": ["web-prod", "web-dev"],
        "max_session_hours": 2,
    },
    "network": {
        "account": "web-dev",
        "regions": ["eu-west-1"],
        "asn": 64600,
        "supernet": "10.0.0.0/8",
        "pools": {"prod": "10.0.0.0/12", "nonprod": "10.16.0.0/12"},
        "reserved": {"peer": "10.1.0.0/16"},
        "segments": {
            "prod": {"reaches": ["onprem"], "forwards": False},
            "nonprod": {"reaches": ["prod"]},
            "onprem": {"reaches": ["prod"]},
        },
        "members": [
            {
                "accounts": {
                    "stage": "prod",
                    "purpose": "workload",
                    "ou": "Workloads",
                    "tag": {"cost-center": "42"},
                    "account": "web-prod",
                },
                "segment": "prod",
                "prefix": 24,
            }
        ],
        "share_with": ["ou:Workloads"],
        "vpc": {"prefix": 22, "zones": 2, "name": "main"},
        "onprem": {"prefixes": ["192.168.0.0/16"], "vpn": {"ip": "203.0.113.10", "asn": 65000}},
        "invariants": [{"no_path": {"from": "nonprod", "to": "onprem"}}],
        "ranges": {"web-prod": {"eu-west-1": "10.0.1.0/24"}},
    },
    "isolation": {
        "allow": [
            {
                "from": "dev",
                "to": "prod",
                "kind": "iam-trust",
                "resource": "arn:aws:x:::web-prod",
                "reason": "a dev pipeline deploys",
            }
        ]
    },
    "unmanaged": "report",
}


def _variant(data: dict[str, Any]) -> dict[str, Any]:
    """The same organization with policies and levels from files, in Identity Center mode."""
    data = copy.deepcopy(data)
    del data["policies"]["deny-s3"]["content"]
    data["policies"]["deny-s3"]["file"] = "deny-s3.json"
    data["policies"]["guard"] = {
        "type": "service_control",
        "guardrails": ["protect-logging"],
        "parameters": {"break_glass_role": "Emergency"},
        "targets": ["ou:Workloads"],
    }
    level = data["access"]["levels"]["net"]
    del level["content"]
    level["file"] = "deny-s3.json"
    access = data["access"]
    access |= {
        "mode": "identity-center",
        "sso_region": "eu-west-1",
        "sso_start_url": "https://acme.awsapps.com/start",
    }
    del access["identity_account"]
    del access["grants"][0]["mfa"]
    # On-premise over Direct Connect instead of the VPN.
    data["network"]["onprem"] = {
        "prefixes": ["192.168.0.0/16"],
        "dx": {"asn": 65100, "name": "corp"},
    }
    return data


VARIANTS = (EVERYTHING, _variant(EVERYTHING))
SRC = RULES_SRC.parent
#: Fields that reach AWS through a reader or a command's output, or the rules, rather than the
#: offline plan: the attribute read and the modules that read it.
READ_BY = {
    "accounts.*.stage": ("stage", "rules"),
    "accounts.*.workload": ("workload", "rules"),
    "accounts.*.team": ("team", "rules"),
    "accounts.*.business_unit": ("business_unit", "rules"),
    # Ids match spec objects to live ones (import writes them).
    "accounts.*.id": ("id", "plan/match.py"),
    "organizational_units.*.id": ("id", "plan/match.py"),
    "policies.*.id": ("id", "plan/match.py"),
    # Identity Center's Region is where the reader looks; the portal URL is in the profiles.
    "access.sso_region": ("sso_region", "kinds/access/read.py"),
    "access.sso_start_url": ("sso_start_url", "flows/profiles.py"),
    # The organization's name names the CLI profiles and the SSO session of `orgstack access`.
    "organization.name": ("organization.name", "flows/profiles.py"),
}


def leaves(
    node: Any, defs: dict[str, Any], path: tuple[str, ...] = (), seen: tuple[str, ...] = ()
) -> set[str]:
    """Every leaf field of the JSON Schema, with ``*`` for a mapping's keys and ``[]`` for a
    list's items; a model inside itself (OU children) is a leaf."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return {".".join(path)}
        node, seen = defs[name], (*seen, name)
    for key in ("anyOf", "oneOf"):
        if key in node:
            found: set[str] = set()
            for option in node[key]:
                found |= leaves(option, defs, path, seen)
            return found or {".".join(path)}
    if "properties" in node:
        return {
            leaf
            for k, v in node["properties"].items()
            for leaf in leaves(v, defs, (*path, k), seen)
        }
    maps = list(node.get("patternProperties", {}).values())
    if isinstance(node.get("additionalProperties"), dict):
        maps.append(node["additionalProperties"])
    if maps and node.get("type") == "object":
        inner = maps[0]
        target = defs[inner["$ref"].rsplit("/", 1)[-1]] if "$ref" in inner else inner
        if "properties" in target or "$ref" in inner:
            return leaves(inner, defs, (*path, "*"), seen)
        return {".".join((*path, "*"))}
    items = node.get("items")
    if node.get("type") == "array" and isinstance(items, dict) and "$ref" in items:
        return leaves(items, defs, (*path, "[]"), seen)
    if node.get("type") == "null":
        return set()
    return {".".join(path)}


def set_in(data: Any, path: list[str]) -> list[tuple[Any, Any]]:
    """(container, key) of every place ``path`` names in ``data``."""
    head, rest = path[0], path[1:]
    if head == "*":
        keys: list[Any] = list(data) if isinstance(data, dict) else []
    elif head == "[]":
        keys = list(range(len(data)))
    else:
        keys = [head] if head in data else []
    if not rest:
        return [(data, k) for k in keys]
    return [place for k in keys for place in set_in(data[k], rest)]


def observed(directory: Path, data: dict[str, Any]) -> str:
    """What a spec does: its greenfield plan, each kind's resources, the rules' findings."""
    spec = directory / "orgstack.yaml"
    with spec.open("w", encoding="utf-8") as handle:
        YAML().dump(data, handle)
    try:
        model: OrgModel = load_spec(spec)
    except SpecError as error:
        return "error: " + str(error)
    plan = diff(model, None)
    resources = {k.name: k.desired(model, {}) for k in all_kinds()}
    # isolation.allow judges paths: one of each kind between every two accounts
    org = accounts_of(model)
    crossings = [
        Crossing(kind, a, org.domain(a), b, org.domain(b), f"arn:aws:x:::{b}", "", "")
        for a in sorted(org.ids) for b in sorted(org.ids) if a != b for kind in KINDS
    ]  # fmt: skip
    left, allowed = judge(crossings, model)
    report = run_rules(model, all_rules())
    findings = report.findings
    return json.dumps(
        {
            "changes": [(c.address, c.action.value, c.after) for c in plan.changes],
            "preflight": [p.message for p in plan.preflight],
            "resources": resources,
            "findings": sorted((f.rule_id, f.address, f.message) for f in findings),
            "unmanaged": model.unmanaged,
            "suppressions": [(s.rule, s.target) for s in model.suppressions],
            "suppressed": sorted((f.rule_id, s.reason) for f, s in report.suppressed),
            "isolation": [[p.to_dict() for p in left], [(p.to_dict(), w) for p, w in allowed]],
        },
        sort_keys=True,
        default=str,
    )


def other_value(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return 1 if value != 1 else 2
    if isinstance(value, list):
        return value[:1] if len(value) > 1 else [*value, *value]
    if isinstance(value, dict):
        return {**value, "extra": "x"} if value else {"extra": "x"}
    text = str(value)
    swaps = {
        "iam": "identity-center", "ALL": "CONSOLIDATED_BILLING", "report": "ignore",
        "service_control": "tag", "workload": "sandbox", "prod": "qa", "eu-west-1": "eu-west-2",
        "LZ102": "LZ103", "organization": "account:*", "+1 555": "+1 556", "acme-web-prod": "acme-web-2",
        "OrganizationAccountAccessRole": "OtherRole",
    }  # fmt: skip
    if text in swaps:
        return swaps[text]
    if "@" in text:
        return "other-" + text
    return text + "x"


def test_the_full_spec_sets_every_field_of_the_schema() -> None:
    schema = json.loads(json_schema())
    fields = leaves(schema, schema["$defs"])
    unset = sorted(
        f for f in fields if not any(set_in(copy.deepcopy(v), f.split(".")) for v in VARIANTS)
    )
    assert unset == []


@pytest.mark.parametrize(
    "field", sorted(leaves(json.loads(json_schema()), json.loads(json_schema())["$defs"]))
)
def test_every_field_reaches_the_plan_the_findings_or_a_rule(field: str, tmp_path: Path) -> None:
    if field in READ_BY:
        attribute, where = READ_BY[field]
        place = SRC / where
        files = list(place.rglob("*.py")) if place.is_dir() else [place]
        readers = [p for p in files if f".{attribute}" in p.read_text(encoding="utf-8")]
        assert readers, f"{field}: nothing in {where} reads .{attribute}"
        return
    (tmp_path / "deny-s3.json").write_text(json.dumps(POLICY))
    data = next(v for v in VARIANTS if set_in(copy.deepcopy(v), field.split(".")))
    before = observed(tmp_path, copy.deepcopy(data))
    assert not before.startswith("error"), before
    changed = copy.deepcopy(data)
    for container, key in set_in(changed, field.split(".")):
        container[key] = other_value(container[key])
    assert observed(tmp_path, changed) != before, f"{field} changes nothing: accepted and ignored"


def test_owner_becomes_the_owner_tag_and_a_clash_is_an_error(tmp_path: Path) -> None:
    spec = tmp_path / "orgstack.yaml"
    spec.write_text(
        "organization: {name: acme, home_region: eu-west-1, email_pattern: 'a+{account}@b.example'}\n"
        "accounts:\n"
        "  management: {purpose: management, ou: root}\n"
        "  web: {purpose: workload, ou: root, owner: web-team@acme.example, tags: {env: x}}\n"
    )
    web = load_spec(spec).account("web")
    assert web is not None
    assert dict(web.tags) == {"env": "x", "owner": "web-team@acme.example", "purpose": "workload"}
    spec.write_text(spec.read_text().replace("env: x", "owner: someone"))
    with pytest.raises(SpecError) as error:
        load_spec(spec)
    assert [str(p) for p in error.value.problems] == [
        f"{spec}:4:45: accounts.web.owner: 'web-team@acme.example' differs from its tag owner: "
        "'someone'; owner sets that tag, keep one of them"
    ]


def test_purpose_stage_workload_and_team_become_tags_under_the_configured_keys(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "orgstack.yaml"
    spec.write_text(
        "organization:\n  name: acme\n  home_region: eu-west-1\n"
        "  email_pattern: 'a+{account}@b.example'\n"
        "  attribute_tags: {stage: Environment, team: null}\n"
        "accounts:\n"
        "  management: {purpose: management, ou: root}\n"
        "  web: {purpose: workload, ou: root, stage: prod, workload: web, team: t}\n"
    )
    model = load_spec(spec)
    assert [(a.name, dict(a.tags)) for a in model.accounts] == [
        ("management", {"purpose": "management"}),
        ("web", {"purpose": "workload", "Environment": "prod", "workload": "web"}),
    ]
    spec.write_text(spec.read_text().replace("team: t}", "team: t, tags: {workload: api}}"))
    with pytest.raises(SpecError) as error:
        load_spec(spec)
    assert [str(p) for p in error.value.problems] == [
        f"{spec}:8:61: accounts.web.workload: 'web' differs from its tag workload: 'api'; "
        "workload sets that tag, keep one of them"
    ]
