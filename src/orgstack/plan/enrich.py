"""The live model seen through the spec: what AWS does not store (purpose, stage, regions…)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from orgstack.model import OrgModel
from orgstack.plan.match import match


def enrich(
    live: OrgModel, desired: OrgModel | None, guess_stage: Callable[[str], str | None]
) -> OrgModel:
    """``live`` with each account's purpose, stage, workload, team and owner taken from the
    spec account it matches (else its stage guessed from its name), and the organization's
    regions, quota and access role from the spec, so that rules judge AWS by the same facts."""
    matched = match(desired, live).accounts if desired else {}
    by_id = {a.id: name for name, a in matched.items()}
    spec_accounts = {a.name: a for a in desired.accounts} if desired else {}
    accounts = []
    for found in live.accounts:
        account = found
        declared = spec_accounts.get(by_id.get(account.id, ""))
        if declared is not None:
            account = replace(
                account,
                purpose=declared.purpose,
                stage=declared.stage,
                workload=declared.workload,
                team=declared.team,
                business_unit=declared.business_unit,
                owner=declared.owner,
                source=declared.source,
            )
        elif account.purpose == "workload":
            account = replace(account, stage=guess_stage(account.name))
        accounts.append(account)
    organization = live.organization
    if desired is not None:
        org = desired.organization
        organization = replace(
            organization,
            name=org.name,
            home_region=org.home_region,
            allowed_regions=org.allowed_regions,
            email_pattern=org.email_pattern,
            access_role=org.access_role,
            account_quota=org.account_quota,
            source=org.source,
        )
    return replace(
        live,
        organization=organization,
        accounts=tuple(accounts),
        suppressions=desired.suppressions if desired else (),
        sections=desired.sections if desired else {},
    )
