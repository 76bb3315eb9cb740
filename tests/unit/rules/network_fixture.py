"""A spec with a network: section, and a model carrying live network values (as audit reads
them), for the network rules' tests."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from orgstack.kinds.network.desired import desired
from orgstack.model import OrgModel
from tests.unit.rules.helpers import load, spec

BODY = """\
organizational_units: {Workloads: {}, Infrastructure: {}}
accounts:
  management: {purpose: management, ou: root}
  network: {purpose: network, ou: Infrastructure}
  web-dev: {purpose: workload, ou: Workloads, stage: dev}
  web-prod: {purpose: workload, ou: Workloads, stage: prod}
network:
  pools: {prod: 10.0.0.0/16, nonprod: 10.1.0.0/20}
  segments: {prod: {}, nonprod: {}}
"""


def network_spec(body: str = BODY) -> str:
    return spec(body)


def live(tmp_path: Path, change: dict[str, dict[str, Any]], body: str = BODY) -> OrgModel:
    """The spec's model, with the network read from AWS as the spec wants it but for
    ``change`` (address → the fields that differ)."""
    model = load(tmp_path, spec(body))
    values = {a: dict(v) for a, v in desired(model, {}).items()}
    for address, fields in change.items():
        values[address] = {**values.get(address, {}), **fields}
    return dataclasses.replace(model, live_resources=values)
