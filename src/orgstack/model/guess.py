"""Guess an account's purpose and stage from its name (for import and the live model)."""

from __future__ import annotations

import re

PURPOSE_WORDS = (
    ("log-archive", ("log-archive", "logarchive", "log archive", "logs", "logging", "audit-log")),
    ("security", ("security", "audit", "sec-tooling", "securitytooling")),
    ("network", ("network", "networking", "transit", "connectivity")),
    ("backup", ("backup", "backups", "vault")),
    ("shared-services", ("shared", "shared-services", "sharedservices", "infra", "tooling")),
    ("build", ("build", "cicd", "ci-cd", "pipeline", "pipelines", "deploy", "deployments")),
    ("sandbox", ("sandbox", "sbx", "playground", "experiment")),
)
STAGE_WORDS = (
    ("prod", ("prod", "prd", "production", "live")),
    ("staging", ("staging", "stage", "stg", "preprod")),
    ("qa", ("qa", "uat")),
    ("test", ("test", "tst")),
    ("int", ("int", "integration")),
    ("dev", ("dev", "development")),
)


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[^a-z0-9]+", name.lower()) if w]


def guess_purpose(name: str) -> str | None:
    """The purpose a name suggests, or None (a workload, most likely)."""
    lowered, words = name.lower(), _words(name)
    for purpose, hints in PURPOSE_WORDS:
        if any(h in words or (len(h) > 5 and h in lowered) for h in hints):
            return purpose
    return None


def guess_stage(name: str) -> str | None:
    words = _words(name)
    return next((stage for stage, hints in STAGE_WORDS if set(hints) & set(words)), None)
