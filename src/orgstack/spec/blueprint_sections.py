"""The blueprint's sections beyond the organization layer: the default access matrix (with
example people) and the alternate contacts of every account."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

if TYPE_CHECKING:
    from orgstack.spec.blueprints import Answers


def _flow(items: list[str]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _selector(**keys: Any) -> CommentedMap:
    selector = CommentedMap()
    for key, value in keys.items():
        selector[key] = _flow(value) if isinstance(value, list) else value
    selector.fa.set_flow_style()
    return selector


#: Example people, one per group, so the matrix has someone to grant; replace them with yours.
EXAMPLE_PEOPLE = (
    ("developers", "dana.dev", "Dana Developer"),
    ("devops", "oscar.ops", "Oscar Ops"),
    ("security", "sam.sec", "Sam Security"),
    ("finance", "fay.fin", "Fay Finance"),
)


#: With a network account: its specialists, the only people who change it.
NETWORK_PEOPLE = (("network", "nina.net", "Nina Network"),)


def access_section(a: Answers) -> CommentedMap:
    """The default access matrix: least privilege per account, nobody admin in prod."""
    access = CommentedMap()
    access["mode"] = a.identity
    people = EXAMPLE_PEOPLE + (NETWORK_PEOPLE if a.network else ())
    users = CommentedMap()
    for _, user, display in people:
        item = CommentedMap()
        item["email"] = f"{user}@{a.domain}"
        item["name"] = display
        item.fa.set_flow_style()
        users[user] = item
    access["users"] = users
    groups = CommentedMap()
    for group, user, _ in people:
        item = CommentedMap()
        item["members"] = _flow([user])
        item.fa.set_flow_style()
        groups[group] = item
    access["groups"] = groups
    # Production is the stage named prod, else the last one; developers build in the first
    # stage (when it is not production) and look at the others.
    prod = "prod" if "prod" in a.stages else a.stages[-1]
    first = a.stages[0] if a.stages[0] != prod else None
    rows: list[tuple[str, str, CommentedMap | str, int, str]] = []
    # Without workloads yet (init --teams -) there is no stage account to grant.
    workloads = any(bu.teams for bu in a.business_units)
    if first is not None and workloads:
        rows.append(
            (
                "developers",
                "poweruser",
                _selector(stage=first),
                4,
                f"build and try things in {first}",
            )
        )
    # The enterprise blueprint gives each team a sandbox; one without teams has none yet.
    if a.sandbox and (workloads or a.layout != "enterprise"):
        rows.append(
            ("developers", "poweruser", _selector(purpose="sandbox"), 4, "experiment freely")
        )
    others = [s for s in a.stages if s != first]
    if workloads:
        rows.append(
            (
                "developers",
                "readonly",
                _selector(stage=others if len(others) > 1 else others[0]),
                1,
                f"look, not touch, beyond {first} ({prod} logs included)"
                if first
                else f"look, not touch, in {prod}",
            )
        )
        rows.append(
            ("devops", "poweruser", _selector(stage=prod), 1, f"only DevOps write in {prod}")
        )
    else:
        shared = ["shared-services", "build"] if a.build else "shared-services"
        rows.append(
            ("developers", "readonly", _selector(purpose=shared), 1, "look at the shared tooling")
        )
        rows.append(("devops", "poweruser", _selector(purpose=shared), 1, "run the shared tooling"))
    rows += [
        ("security", "security-audit", "all", 1, "read every account's security settings"),
        (
            "security",
            "admin",
            _selector(purpose=["security", "log-archive"]),
            1,
            "run the security tooling and guard the logs",
        ),
        ("finance", "billing", _selector(purpose="management"), 1, "bills and budgets"),
    ]
    if a.network:
        rows.append(
            (
                "network",
                "network-admin",
                _selector(purpose="network"),
                1,
                "only they run the network",
            )
        )
    grants = CommentedSeq()
    for index, (group, level, accounts, hours, why) in enumerate(rows):
        grant = CommentedMap()
        grant["group"] = group
        grant["level"] = level
        grant["accounts"] = accounts
        if hours != 1:
            grant["session_hours"] = hours
        grant.fa.set_flow_style()
        grants.append(grant)
        grants.yaml_add_eol_comment(why, index)
    access["grants"] = grants
    access.yaml_set_comment_before_after_key(
        "users",
        before="Example people: replace them with yours. orgstack creates no passwords or keys.",
        indent=2,
    )
    access.yaml_set_comment_before_after_key(
        "grants",
        before=(
            "The matrix: group → level in the accounts selected by stage, purpose, ou, tag or "
            "account.\nNobody is admin in prod; `orgstack access --matrix` prints who may do what."
        ),
        indent=2,
    )
    return access


def contacts_section(domain: str) -> CommentedMap:
    """Team lists for every account's alternate contacts (people come and go)."""
    default = CommentedMap()
    for type_, name, title, local in (
        ("security", "Security team", "Security operations", "security"),
        ("operations", "Platform team", "Cloud operations", "cloud-ops"),
        ("billing", "Finance team", "Cloud cost", "cloud-billing"),
    ):
        default[type_] = CommentedMap(
            name=name, title=title, email=f"{local}@{domain}", phone="+1 555 0100"
        )
    default.yaml_set_start_comment("Replace the phone number with one that is answered.", indent=4)
    contacts = CommentedMap()
    contacts["default"] = default
    return contacts


def backup_section(regions: list[str]) -> CommentedMap:
    """Daily and weekly backups of the workloads, copied into the locked central vault."""
    backup = CommentedMap()
    backup["account"] = "backup"
    backup["regions"] = _flow(list(regions))
    backup["targets"] = _flow(["ou:Workloads"])
    plans = CommentedMap()
    for name, schedule, keep, copy_keep in (
        ("daily", "cron(0 5 ? * * *)", 7, 35),
        ("weekly", "cron(0 5 ? * SUN *)", 35, 365),
    ):
        # Quoted: YAML 1.1 parsers (PyYAML, pre-commit's check-yaml) end a plain scalar at
        # the '?' of a cron expression inside a flow mapping.
        quoted = DoubleQuotedScalarString(schedule)
        plan = CommentedMap(schedule=quoted, keep_days=keep, copy_keep_days=copy_keep)
        plan.fa.set_flow_style()
        plans[name] = plan
    backup["plans"] = plans
    lock = CommentedMap(min_retention_days=7, max_retention_days=3650, grace_days=3)
    lock.fa.set_flow_style()
    backup["lock"] = lock
    return backup


def break_glass_section(a: Answers) -> CommentedMap:
    """The break-glass role in the log archive and backup accounts: the security person with
    MFA (IAM mode), or an IAM user kept in the management account for when Identity Center
    cannot be reached."""
    section = CommentedMap()
    section["trusted"] = _flow(["sam.sec" if a.identity == "iam" else "break-glass"])
    return section


def break_glass_comment(identity: str) -> str:
    return (
        "\nThe only role the log and backup guardrails exempt, made by orgstack in the log"
        " archive and\nbackup accounts; only these people may assume it, with MFA"
        + (
            "."
            if identity == "iam"
            else " (break-glass: an IAM user orgstack makes\nin the management account, no password"
            " or key, for when Identity Center cannot be reached)."
        )
    )


def security_section() -> CommentedMap:
    """Every blueprint: the security account administers the security services."""
    security = CommentedMap()
    security["account"] = "security"
    security["services"] = _flow(["guardduty", "securityhub", "access-analyzer", "config"])
    return security


def logging_section() -> CommentedMap:
    """Every blueprint: the log archive keeps the organization trail, locked for a year."""
    logging = CommentedMap()
    logging["account"] = "log-archive"
    logging["retention_days"] = 365
    logging["archive_after_days"] = 90
    logging["break_glass_role"] = "OrgstackBreakGlass"
    return logging


def section_comments(a: Answers) -> list[tuple[str, str]]:
    """The comment above each of the spec's sections."""
    return [
        ("organization", "The organization; new accounts get root e-mails from the pattern."),
        (
            "organizational_units",
            "\nOUs group accounts by function and common guardrails, not by reporting line.",
        ),
        ("accounts", "\nOne account per purpose, and one per stage of every workload."),
        ("policies", "\nGuardrails (SCPs) and tag policies, attached at the root or OUs."),
        (
            "access",
            "\nWho may enter which account at which level"
            + (
                ": IAM users in the management account switch role (MFA required)."
                if a.identity == "iam"
                else ": IAM Identity Center permission sets and assignments."
            ),
        ),
        (
            "alternate_contacts",
            "\nWho AWS writes to about every account besides the root e-mail: security notices,"
            " operations\nand billing (AWS Security Hub control Account.1 asks for the security"
            " contact).",
        ),
        (
            "security",
            "\nThe security account administers these services for every account (delegated"
            " administrator),\nso the security team sees all findings without the management"
            " account.",
        ),
        (
            "backup",
            "\nResources tagged backup: daily or backup: weekly are backed up in their account"
            " and copied\ninto the backup account's vault, which the workload accounts cannot"
            " reach and Vault Lock\nkeeps (compliance mode: permanent after grace_days).",
        ),
        ("break_glass", break_glass_comment(a.identity)),
        (
            "logging",
            "\nThe organization trail writes every account's API activity into a bucket of the"
            " log archive\nthat no one can empty: Object Lock (compliance mode) for"
            " retention_days, KMS, TLS only.",
        ),
        (
            "network",
            "\nThe network account's Transit Gateway joins a VPC in every stage account; prod and"
            " non-prod\nsit in their own route tables and reach only shared services. Each VPC's"
            " range comes from\nits segment's pool; apply records it under ranges (it never"
            " moves). validate proves the\ninvariants.",
        ),
        (
            "isolation",
            "\nThe paths between stages that are meant to be; `orgstack isolation` reports every"
            " other\n(a role trusting another stage, a resource policy, a RAM share, a peering,"
            " a route).",
        ),
    ]


def isolation_section(a: Answers) -> CommentedMap:
    """What the blueprint's network opens on purpose: every stage and shared services reach
    each other, and the non-prod stages share one segment."""
    prod = "prod" if "prod" in a.stages else a.stages[-1]
    others = [s for s in a.stages if s != prod]
    rules: list[tuple[str, str, str | None, str]] = [
        ("*", "shared-services", None, "every stage reaches shared services"),
        ("shared-services", "*", None, "shared services answer every stage"),
    ]
    if len(others) > 1:
        together = " and ".join([", ".join(others[:-1]), others[-1]])
        rules.append(("*", "*", "segment nonprod → nonprod", f"{together} share a segment"))
    allow = CommentedSeq()
    for start, goal, resource, reason in rules:
        rule = CommentedMap({"from": start, "to": goal, "kind": "network"})
        if resource:
            rule["resource"] = resource
        rule["reason"] = reason
        allow.append(rule)
    return CommentedMap(allow=allow)


def network_section(a: Answers) -> CommentedMap:
    """The standard and enterprise blueprints: a Transit Gateway, segments that keep prod apart
    from non-prod (both reach shared services), a /22 VPC per stage account. Stages other than
    dev/qa/prod are placed by members (production: the stage named prod, else the last)."""
    network = CommentedMap()
    network["account"] = "network"
    network["supernet"] = "10.0.0.0/8"
    pools = CommentedMap(prod="10.0.0.0/12", nonprod="10.16.0.0/12", shared="10.32.0.0/16")
    network["pools"] = pools
    segments = CommentedMap()
    for name, reaches in (
        ("prod", ["shared"]),
        ("nonprod", ["shared"]),
        ("shared", ["prod", "nonprod"]),
    ):
        segment = CommentedMap(reaches=_flow(reaches))
        segment.fa.set_flow_style()
        segments[name] = segment
    network["segments"] = segments
    prod = "prod" if "prod" in a.stages else a.stages[-1]
    if prod != "prod":
        members = CommentedSeq()
        others = [s for s in a.stages if s != prod]
        for accounts, place in (
            (_selector(stage=prod), "prod"),
            *([(_selector(stage=others), "nonprod")] if others else []),
            (_selector(purpose="shared-services"), "shared"),
        ):
            member = CommentedMap(accounts=accounts, segment=place)
            member.fa.set_flow_style()
            members.append(member)
        network["members"] = members
    vpc = CommentedMap(prefix=22, zones=2)
    vpc.fa.set_flow_style()
    network["vpc"] = vpc
    invariants = CommentedSeq()
    for start, goal in (("nonprod", "prod"), ("prod", "nonprod")):
        rule = CommentedMap(no_path=CommentedMap(**{"from": start, "to": goal}))
        rule["no_path"].fa.set_flow_style()
        invariants.append(rule)
    network["invariants"] = invariants
    return network
