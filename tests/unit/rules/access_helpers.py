"""An inline spec with accounts by stage and an access: section, for the access rules."""

from __future__ import annotations

from tests.unit.rules.helpers import spec

ACCOUNTS = """\
accounts:
  management: {purpose: management, ou: root, email: root@acme.example}
  app-dev: {purpose: workload, ou: root, stage: dev}
  app-prod: {purpose: workload, ou: root, stage: prod}
"""


def access_spec(access: str, accounts: str = ACCOUNTS) -> str:
    return spec(accounts + "access:\n" + access)
