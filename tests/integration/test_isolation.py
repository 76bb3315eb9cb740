"""`orgstack isolation` on moto: leaks planted by hand from dev into prod (a role's trust, seven
resource policies, a RAM share, a routed peering) are each found by ARN with the matrix
counting them, an allowance in the spec moves one to the allowed list with its reason,
`--target` reads one account, and the CLI exits 1, then 0 once every leak is allowed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orgstack import api
from tests.conftest import run_cli
from tests.integration.conftest import FAST
from tests.integration.test_access import account_ids
from tests.integration.test_apply import apply_now, plan_now
from tests.integration.test_isolation_reads import SPEC, _plant, peer

REGION = "eu-west-1"
ALLOW = """\
isolation:
  allow:
    - {from: dev, to: prod, kind: resource-policy, resource: 'arn:aws:s3:::prod-data', reason: dev reads the test data}
"""


def test_planted_leaks_are_found_allowed_by_the_spec_and_the_command_exits_on_them(
    aws: None, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = workdir / "orgstack.yaml"
    spec.write_text(SPEC)
    assert apply_now(*plan_now()).ok
    ids = account_ids()
    dev, prod = ids["web-dev"], ids["web-prod"]
    clean = api.isolation(str(spec), FAST)
    assert (clean.found, clean.allowed) == ([], [])
    planted = _plant(prod, dev)
    pcx = peer(dev, prod)
    spec.write_text(SPEC + ALLOW)
    result = api.isolation(str(spec), FAST)
    found = sorted((p.kind, p.source, p.target, p.resource) for p in result.found)
    assert found == sorted(
        [("iam-trust", "web-dev", "web-prod", planted["role"])]
        + [("resource-policy", "web-dev", "web-prod", planted[n])
           for n in ("key", "queue", "topic", "secret", "function", "repository")]
        + [("network", "web-dev", "web-prod",
            f"arn:aws:ec2:{REGION}:{dev}:vpc-peering-connection/{pcx}")]
    )  # fmt: skip
    assert [(p.resource, why) for p, why in result.allowed] == [
        ("arn:aws:s3:::prod-data", "dev reads the test data")
    ]
    assert result.matrix == {"dev": {"dev": 0, "prod": 8}, "prod": {"dev": 0, "prod": 0}}
    only = api.isolation(str(spec), FAST, "account:web-prod")
    assert len(only.found) == 7  # what prod's own policies open; dev's route is read in dev
    cli = ("isolation", "-f", str(spec), "--rate", "1000000", "--region", REGION)
    code, out, _ = run_cli(capsys, *cli)
    assert code == 1
    assert out.endswith(
        "8 paths between domains in the live organization that isolation.allow does not allow.\n"
    )
    spec.write_text(SPEC + ALLOW.replace("resource: 'arn:aws:s3:::prod-data', ", ""))
    code, out, _ = run_cli(capsys, *cli, "--format", "json")
    assert code == 1  # resource-policy allowed from dev to prod: the trust and the peering stay
    assert sorted(p["kind"] for p in json.loads(out)["paths"]) == ["iam-trust", "network"]
