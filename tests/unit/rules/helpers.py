"""Run one rule on an inline spec and return its findings as (address, message, line)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from orgstack.model import OrgModel
from orgstack.rules.engine import run_rules
from orgstack.rules.registry import all_rules
from orgstack.spec.loader import load_spec

ORG = """\
organization:
  name: acme
  home_region: eu-west-1
  email_pattern: aws+{account}@acme.example
"""

Found = list[tuple[str, str]]


def spec(body: str = "", org: str = "") -> str:
    """The standard organization block (plus ``org`` lines under it) and ``body``."""
    return ORG + textwrap.indent(textwrap.dedent(org), "  ") + textwrap.dedent(body)


def load(tmp_path: Path, text: str) -> OrgModel:
    path = tmp_path / "orgstack.yaml"
    path.write_text(text, encoding="utf-8")
    return load_spec(path)


def run_model(rule_id: str, model: OrgModel) -> Found:
    rule = next(r for r in all_rules() if r.id == rule_id)
    return [(f.address, f.message) for f in run_rules(model, (rule,)).findings]


def run(rule_id: str, text: str, tmp_path: Path) -> Found:
    return run_model(rule_id, load(tmp_path, text))


def lines(rule_id: str, text: str, tmp_path: Path) -> list[int]:
    rule = next(r for r in all_rules() if r.id == rule_id)
    found = run_rules(load(tmp_path, text), (rule,)).findings
    return [f.source.line if f.source else 0 for f in found]


def scp(name: str, statements: str, targets: str = "[root]") -> str:
    """A policies: entry with inline SCP content (``statements`` is a YAML flow list)."""
    return (
        f"  {name}:\n    type: service_control\n"
        f"    content: {{Version: '2012-10-17', Statement: {statements}}}\n"
        f"    targets: {targets}\n"
    )


DENY_LEAVE = "[{Effect: Deny, Action: 'organizations:LeaveOrganization', Resource: '*'}]"
