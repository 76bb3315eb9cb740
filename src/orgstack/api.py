"""The library surface: what the CLI (or a program) calls. A façade: the work is done in
``flows/`` (plan, apply, audit, files) and in the kinds."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from orgstack.errors import SpecError
from orgstack.flows.applying import (
    ApplyResult,
    abandon_apply,
    apply_plan,
    force_unlock,
    load_plan_for_apply,
    record_created_ids,
    unfinished_applies,
)
from orgstack.flows.auditing import audit
from orgstack.flows.backups import BackupStatus, backup_status
from orgstack.flows.files import (
    LOCAL_SCHEMA,
    ImportResult,
    InitResult,
    import_organization,
    write_spec,
)
from orgstack.flows.isolation import Isolation
from orgstack.flows.isolation import check as isolation
from orgstack.flows.isolation import offline as isolation_offline
from orgstack.flows.planning import (
    DriftResult,
    PlanResult,
    active_accounts,
    drift,
    make_plan,
    read_live,
)
from orgstack.flows.profiles import AccessMatrix, AccessView, access_matrix, access_view
from orgstack.flows.verify import Verification, verify_access
from orgstack.rules.engine import RuleReport, run_rules, suppression_problems
from orgstack.rules.registry import pick
from orgstack.spec.loader import load_partial, load_spec
from orgstack.spec.schema import json_schema

__all__ = [
    "LOCAL_SCHEMA",
    "AccessMatrix",
    "AccessView",
    "ApplyResult",
    "BackupStatus",
    "DriftResult",
    "ImportResult",
    "InitResult",
    "Isolation",
    "PlanResult",
    "RuleReport",
    "Verification",
    "abandon_apply",
    "access_matrix",
    "access_view",
    "active_accounts",
    "apply_plan",
    "audit",
    "backup_status",
    "drift",
    "force_unlock",
    "import_organization",
    "isolation",
    "isolation_offline",
    "json_schema",
    "load_plan_for_apply",
    "load_spec",
    "make_plan",
    "read_live",
    "record_created_ids",
    "unfinished_applies",
    "validate",
    "verify_access",
    "write_spec",
]


def validate(
    spec_path: str | Path | None = None,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
) -> RuleReport:
    """Load the spec and run the chosen rules on it, offline.

    A spec with problems raises ``SpecError`` with every problem; when part of it compiled,
    the error carries the rules' report on that part (``SpecError.report``), so one run shows
    both.
    """
    model, problems = load_partial(spec_path)
    if model is None:
        raise SpecError(problems)
    problems += suppression_problems(model)
    report = run_rules(model, pick(select, ignore))
    if problems:
        error = SpecError(problems)
        error.report = replace(report, problems=tuple(error.problems))
        raise error
    return report
