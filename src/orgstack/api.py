"""The library surface: what the CLI (or a program) calls. A façade: the work is done in
``flows/`` (plan, apply, audit, files) and in the kinds."""

from __future__ import annotations

from pathlib import Path

from orgstack.flows.applying import (
    ApplyResult,
    abandon_apply,
    apply_plan,
    load_plan_for_apply,
    record_created_ids,
    unfinished_applies,
)
from orgstack.flows.auditing import audit
from orgstack.flows.files import (
    LOCAL_SCHEMA,
    ImportResult,
    InitResult,
    import_organization,
    write_spec,
)
from orgstack.flows.planning import (
    DriftResult,
    PlanResult,
    active_accounts,
    drift,
    make_plan,
    read_live,
)
from orgstack.kinds.access.profiles import AccessView, access_view
from orgstack.rules.engine import RuleReport, check_suppressions, run_rules
from orgstack.rules.registry import pick
from orgstack.spec.loader import load_spec
from orgstack.spec.schema import json_schema

__all__ = [
    "LOCAL_SCHEMA",
    "AccessView",
    "ApplyResult",
    "DriftResult",
    "ImportResult",
    "InitResult",
    "PlanResult",
    "RuleReport",
    "abandon_apply",
    "access_view",
    "active_accounts",
    "apply_plan",
    "audit",
    "drift",
    "import_organization",
    "json_schema",
    "load_plan_for_apply",
    "load_spec",
    "make_plan",
    "read_live",
    "record_created_ids",
    "unfinished_applies",
    "validate",
    "write_spec",
]


def validate(
    spec_path: str | Path | None = None,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
) -> RuleReport:
    """Load the spec and run the chosen rules on it, offline."""
    model = load_spec(spec_path)
    check_suppressions(model)
    return run_rules(model, pick(select, ignore))
