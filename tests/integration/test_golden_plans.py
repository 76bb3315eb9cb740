"""Golden plans: the plan of every blueprint (greenfield, and after apply plus an edit), in
IAM and Identity Center mode, compared with committed JSON files.

They pin the plan's exact content across refactors of the planner. Regenerate them only for an
intended change of behaviour: ``ORGSTACK_UPDATE_GOLDEN=1 pytest tests/integration/test_golden_plans.py``,
and say why in the commit.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.organizations import models as moto_org_models
from moto.organizations import utils as moto_org_utils
from ruamel.yaml import YAML

from orgstack import api
from orgstack.apply.context import ApplyOptions
from orgstack.aws.context import AwsOptions
from orgstack.plan.planfile import plan_to_dict
from orgstack.spec.blueprints import preset
from orgstack.spec.layouts import BLUEPRINTS, Layout

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
#: One worker everywhere, and moto's random ids seeded: the same ids in every run.
SERIAL = AwsOptions(
    rates={"organizations": 1e6, "sts": 1e6, "iam": 1e6}, adaptive=False, max_workers=1
)
SERIAL_APPLY = ApplyOptions(
    max_workers=1, poll_initial_s=0.001, poll_max_s=0.002, retry_base_s=0.001
)


def _named(text: str, size: int, alphabet: str) -> str:
    digest = int(hashlib.sha256(text.encode()).hexdigest(), 16)
    out = ""
    for _ in range(size):
        digest, index = divmod(digest, len(alphabet))
        out += alphabet[index]
    return out


@pytest.fixture
def ids_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """Account, OU and policy ids derived from their names: apply creates independent objects
    in an order that depends on timing (which finished changes one wait returns), and moto
    draws ids in call order."""

    def wrap(cls: Any, attribute: str, make: Any) -> None:
        original = cls.__init__

        def init(self: Any, organization: Any, **kwargs: Any) -> None:
            with monkeypatch.context() as patch:
                patch.setattr(moto_org_utils, attribute, lambda *_: make(organization, kwargs))
                original(self, organization, **kwargs)

        monkeypatch.setattr(cls, "__init__", init)

    digits, chars = "0123456789", "0123456789abcdefghijklmnopqrstuvwxyz"
    wrap(
        moto_org_models.FakeAccount,
        "make_random_account_id",
        lambda _o, k: _named(k["AccountName"], 12, digits),
    )
    wrap(
        moto_org_models.FakeOrganizationalUnit,
        "make_random_ou_id",
        lambda o, k: (
            "ou-"
            + o.root_id[2:6]
            + "-"
            + _named(str(k.get("ParentId")) + "/" + str(k.get("Name")), 8, chars)
        ),
    )
    wrap(
        moto_org_models.FakePolicy,
        "make_random_policy_id",
        lambda _o, k: "p-" + _named(k.get("Name", ""), 8, chars),
    )


def edit(path: Path) -> None:
    """A day-two edit: a new dev account, a tag on an OU, a person joins, a grant goes."""
    yaml = YAML()
    spec = yaml.load(path.read_text(encoding="utf-8"))
    first_ou = next(iter(spec["organizational_units"]))
    spec["organizational_units"][first_ou]["tags"] = {"cost-center": "4711"}
    dev = next(a for a in spec["accounts"].values() if a.get("stage") == "dev")
    spec["accounts"]["golden-new-dev"] = {
        "purpose": "workload",
        "ou": dev["ou"],
        "stage": "dev",
        "workload": "golden",
    }
    access = spec["access"]
    access["users"]["nia.new"] = {"email": "nia.new@example.com"}
    access["groups"]["developers"]["members"].append("nia.new")
    access["grants"].pop()
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(spec, handle)


def as_golden(plan: Any, spec: str) -> dict[str, Any]:
    """The plan file's content; its digest covers Identity Center's random ids, so it is left
    out (the planfile tests check it)."""
    data = plan_to_dict(plan, spec, plan_id="golden", created_at="2026-01-01T00:00:00+00:00")
    del data["digest"]
    return data | {"created_at": "golden", "expires_at": "golden"}


#: Identity Center's ids (moto draws them from its shared random or uuid4) and EC2's (a VPC's,
#: a Transit Gateway's, its attachments' and route tables') are not compared.
UUID = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|\bssoins-[0-9a-z]+|\bps-[0-9a-z]+|\bd-[0-9a-z]{10}\b"
    r"|\b(?:vpc|tgw|tgw-attach|tgw-rtb|rtb|subnet|cgw|vpn)-[0-9a-f]{8,17}\b"
)


def check(name: str, data: dict[str, Any]) -> None:
    path = GOLDEN / f"{name}.json"
    text = UUID.sub("<uuid>", json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False))
    text += "\n"
    if os.environ.get("ORGSTACK_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    now, then = json.loads(text), json.loads(path.read_text(encoding="utf-8"))
    differing = {
        key: (now["ids"].get(key), then["ids"].get(key))
        for key in set(now["ids"]) | set(then["ids"])
        if now["ids"].get(key) != then["ids"].get(key)
    }
    assert differing == {}, name
    assert now == then, name


@pytest.mark.parametrize("identity", ["iam", "identity-center"])
@pytest.mark.parametrize("layout", BLUEPRINTS)
def test_the_plans_of_every_blueprint_are_the_golden_ones(
    layout: Layout,
    identity: str,
    aws: None,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    ids_by_name: None,
) -> None:
    # Organizations' ids from a random of their own: how many requests a run makes (polls)
    # varies, and moto draws request ids from its shared random.
    monkeypatch.setattr(moto_org_utils, "random", random.Random(1234))
    if identity != "iam":
        boto3.client("organizations", region_name="us-east-1").create_organization(FeatureSet="ALL")
    spec = workdir / "orgstack.yaml"
    api.write_spec(replace(preset(layout), identity=identity), spec, schema_ref="s.json")
    plan = api.make_plan("orgstack.yaml", SERIAL).plan
    data = as_golden(plan, "orgstack.yaml")
    check(f"{layout}-{identity}-greenfield", data)
    result = api.apply_plan(plan, plan_to_dict(plan, "orgstack.yaml"), SERIAL, SERIAL_APPLY)
    assert result.ok
    edit(spec)
    check(
        f"{layout}-{identity}-edited",
        as_golden(api.make_plan("orgstack.yaml", SERIAL).plan, "orgstack.yaml"),
    )
