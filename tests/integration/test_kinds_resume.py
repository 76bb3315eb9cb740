"""A crash at every change of the new kinds (trusted access, alias, contacts), before or right
after its AWS call, resumes to the same result: every alias and contact in place, the next plan
empty."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from orgstack import api
from tests.integration.conftest import FAST
from tests.integration.test_access import account_ids
from tests.integration.test_alternate_contacts import OPERATIONS, SECURITY, contact
from tests.integration.test_alternate_contacts import SPEC as CONTACTS
from tests.integration.test_apply import Crash, apply_now, crash_at, plan_now, reset_moto
from tests.integration.test_iam_alias import aliases

SPEC = CONTACTS.replace(
    "  web-dev: {purpose: workload, ou: root, stage: dev}",
    "  web-dev: {purpose: workload, ou: root, stage: dev, iam_alias: acme-web-dev}",
)


@pytest.mark.parametrize("phase", ["start", "called"])
def test_a_crash_at_every_kind_change_resumes_and_converges(
    phase: str, aws: None, workdir: Path
) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    plan, data = plan_now()
    kinds = [
        i for i, c in enumerate(plan.changes) if c.address.split(":", 1)[0] in (
            "trusted-access", "alternate-contact", "iam-alias"
        )
    ]  # fmt: skip
    assert len(kinds) == 5
    for index in kinds:
        reset_moto()
        fresh = dict(data, plan_id=uuid.uuid4().hex)
        with pytest.raises(Crash):
            apply_now(plan, fresh, checkpoint=crash_at(index, phase))
        result = apply_now(plan, fresh, resume=True)
        assert result.ok, (index, {i: e.message for i, e in result.outcome.failed.items()})
        dev = account_ids()["web-dev"]
        assert aliases(dev) == ["acme-web-dev"], index
        assert (contact(dev, "operations"), contact(dev, "security")) == (OPERATIONS, SECURITY)
        assert api.make_plan("orgstack.yaml", FAST).plan.changes == (), index
