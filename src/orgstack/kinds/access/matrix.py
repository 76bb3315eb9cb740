"""``orgstack access``: a user's CLI profiles and console links, and the group × account matrix."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from orgstack.errors import UsageError
from orgstack.model import OrgModel
from orgstack.model.access import IAM, Access, role_name
from orgstack.spec.messages import did_you_mean

PROFILE_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class Entry:
    """One account a user may enter at one level."""

    account: str
    account_id: str
    level: str
    role: str
    session_s: int
    mfa: bool
    groups: tuple[str, ...]

    @property
    def profile(self) -> str:
        return PROFILE_SAFE.sub("-", f"{self.account}-{self.level}")


def _access(model: OrgModel) -> Access:
    if model.access is None:
        raise UsageError(
            "the spec has no access: section", "Declare access: (see `orgstack init`), then retry."
        )
    return model.access


def entries_for(model: OrgModel, user: str, ids: dict[str, str]) -> list[Entry]:
    """Every (account, level) the user's groups grant, with the longest session and whether
    MFA is required (when any grant to that role requires it, the role's trust does)."""
    access = _access(model)
    if access.user(user) is None:
        names = [u.name for u in access.users]
        raise UsageError(
            f"--user: no user '{user}'{did_you_mean(user, names)}",
            f"Users in the spec: {', '.join(names) or '(none)'}.",
        )
    groups = access.groups_of(user)
    found: dict[tuple[str, str], Entry] = {}
    for account, level, grant in access.entries():
        if grant.group not in groups:
            continue
        key = (account, level)
        old = found.get(key)
        account_id = ids.get(f"account:{account}", "")
        found[key] = Entry(
            account,
            account_id,
            level,
            role_name(level),
            max(grant.session_s, old.session_s if old else 0),
            grant.mfa or (old.mfa if old else False),
            tuple(sorted({grant.group, *(old.groups if old else ())})),
        )
    missing = sorted({e.account for e in found.values() if not e.account_id})
    if missing:
        raise UsageError(
            f"no account id yet for {', '.join(missing)}",
            "Apply the plan first (or record id: in the spec); profiles need account ids.",
        )
    return sorted(found.values(), key=lambda e: (e.account, e.level))


def aws_config(
    model: OrgModel,
    user: str,
    entries: list[Entry],
    *,
    identity_id: str,
    source_profile: str,
    region: str,
    sso_start_url: str | None = None,
    sso_region: str | None = None,
    mfa_serial: str | None = None,
) -> str:
    """``~/.aws/config`` text: one profile per entry. ``mfa_serial``: the user's MFA device as
    read from IAM (None: it has none yet, and the profiles say how to fill it in)."""
    access = _access(model)
    lines = [f"# orgstack access --user {user}: {len(entries)} profile(s), {access.mode} mode"]
    if access.mode == IAM:
        lines.append(
            f"# [profile {source_profile}] holds {user}'s own access key in account "
            f"{identity_id} ({access.identity_account}); create it with `aws configure "
            f"--profile {source_profile}`."
        )
        if mfa_serial is None and any(e.mfa for e in entries):
            lines += [
                f"# {user} has no MFA device yet, and these roles require MFA: assign one (IAM",
                f"# console → Users → {user} → Security credentials → Assign MFA device), then",
                f"# run `orgstack access --user {user}` again; until then mfa_serial below is the",
                "# device ARN a virtual device named after the user gets.",
            ]
    else:
        session = PROFILE_SAFE.sub("-", model.organization.name)
        lines += [
            "",
            f"[sso-session {session}]",
            f"sso_start_url = {sso_start_url}",
            f"sso_region = {sso_region or region}",
            "sso_registration_scopes = sso:account:access",
        ]
    for entry in entries:
        lines += ["", f"[profile {entry.profile}]"]
        if access.mode == IAM:
            lines += [
                f"role_arn = arn:aws:iam::{entry.account_id}:role/{entry.role}",
                f"source_profile = {source_profile}",
            ]
            if entry.mfa:
                serial = mfa_serial or f"arn:aws:iam::{identity_id}:mfa/{user}"
                lines.append(f"mfa_serial = {serial}")
            lines.append(f"duration_seconds = {entry.session_s}")
        else:
            lines += [
                f"sso_session = {PROFILE_SAFE.sub('-', model.organization.name)}",
                f"sso_account_id = {entry.account_id}",
                f"sso_role_name = {entry.role}",
            ]
        lines.append(f"region = {region}")
    return "\n".join(lines) + "\n"


def console_links(
    model: OrgModel, entries: list[Entry], sso_start_url: str | None = None
) -> list[str]:
    """A console link per entry: switch-role (IAM) or the access portal (Identity Center)."""
    access = _access(model)
    links = []
    for entry in entries:
        if access.mode == IAM:
            query = urlencode(
                {
                    "roleName": entry.role,
                    "account": entry.account_id,
                    "displayName": f"{entry.account} {entry.level}",
                },
                quote_via=quote,
            )
            links.append(f"https://signin.aws.amazon.com/switchrole?{query}")
        else:
            links.append(
                f"{sso_start_url}/#/console?account_id={entry.account_id}"
                f"&role_name={quote(entry.role)}"
            )
    return links


def matrix(model: OrgModel) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """(groups, rows): per account of the spec, the levels each group holds there."""
    access = _access(model)
    groups = [g.name for g in access.groups]
    granted = access.matrix()
    rows = [
        (a.name, [", ".join(granted.get((g, a.name), [])) for g in groups]) for a in model.accounts
    ]
    return groups, rows


def matrix_data(model: OrgModel) -> dict[str, Any]:
    """``access --matrix --format json``: per account the levels each group holds there, and
    per user the groups and the roles they may switch to (the report's access section)."""
    access = _access(model)
    granted = access.matrix()
    groups = [g.name for g in access.groups]
    roles: dict[str, set[tuple[str, str]]] = {}
    for account, level, grant in access.entries():
        roles.setdefault(grant.group, set()).add((account, level))
    return {
        "version": 1,
        "mode": access.mode,
        "identity_account": access.identity_account,
        "groups": groups,
        "accounts": [
            {
                "account": a.name,
                "grants": {g: granted[(g, a.name)] for g in groups if (g, a.name) in granted},
            }
            for a in model.accounts
        ],
        "users": [
            {
                "user": user.name,
                "groups": sorted(access.groups_of(user.name)),
                "roles": [
                    {"account": account, "level": level, "role": role_name(level)}
                    for account, level in sorted(
                        {r for g in access.groups_of(user.name) for r in roles.get(g, ())}
                    )
                ],
            }
            for user in access.users
        ],
        "reach": reach(model),
    }


def reach(model: OrgModel) -> list[dict[str, Any]]:
    """What management-account grants reach beyond it (LZ222): per grant whose level may
    assume the organization access role, the role chain into every member account."""
    access, management = _access(model), model.management
    if management is None:
        return []
    role = model.organization.access_role
    members = [a.name for a in model.accounts if a.name != management.name]
    return [
        {
            "group": grant.group,
            "level": grant.level,
            "effective": "admin",
            "accounts": members,
            "chain": [
                {"account": management.name, "role": role_name(grant.level)},
                {"account": "<each member account>", "role": role},
            ],
        }
        for grant in access.escalations(management.name, role)
    ]


def reach_lines(model: OrgModel) -> list[str]:
    """``access --matrix`` text: the reach, one line per escalating grant."""
    return [
        f"{r['group']}: {r['effective']} in every member account ({len(r['accounts'])}) via "
        + " → ".join(f"{c['role']} ({c['account']})" for c in r["chain"])
        for r in reach(model)
    ]


def matrix_json(model: OrgModel) -> str:
    return json.dumps(matrix_data(model), indent=2, ensure_ascii=False) + "\n"


def matrix_csv(model: OrgModel) -> str:
    groups, rows = matrix(model)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["account", *groups])
    for account, cells in rows:
        writer.writerow([account, *cells])
    return out.getvalue()
