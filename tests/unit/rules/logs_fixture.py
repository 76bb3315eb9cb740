"""A spec with a log archive (logging:) for the log rules, and its values to break."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from orgstack.model import OrgModel
from orgstack.rules.logs import log_values
from tests.unit.rules.helpers import load, spec

ARCHIVE = spec(
    """\
accounts:
  management: {purpose: management, ou: root}
  log-archive: {purpose: log-archive, ou: root, id: '111122223333'}
logging: {retention_days: 400}
"""
)
#: The guardrail that keeps the break-glass role orgstack's (more policies may follow).
GLASS = (
    "policies:\n  glass: {type: service_control, guardrails: [protect-break-glass-role], "
    "targets: [root]}\n"
)
ARCHIVE_ALONE = ARCHIVE
ARCHIVE = ARCHIVE + GLASS
BUCKET = "log-archive:log-archive/bucket"
TRAIL = "org-trail:management/orgstack-organization-trail"


def audited(
    tmp_path: Path, changes: dict[str, dict[str, Any] | None] | None = None, text: str = ARCHIVE
) -> OrgModel:
    """The spec's model as audit sees it: the log values as if read from AWS, with
    ``changes`` (address → keys to set, a key set to None removed) applied."""
    model = load(tmp_path, text)
    values = {a: dict(v) for a, v in log_values(model).items()}
    for address, keys in (changes or {}).items():
        if keys is None:
            values.pop(address)
            continue
        values[address] |= keys
    return replace(model, live_resources=values)
