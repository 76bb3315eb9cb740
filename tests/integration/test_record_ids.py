"""After an apply, the spec records the ids of what it created (comments kept), so renaming a
key later is a rename in AWS, not a new object and a leftover."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgstack import api
from tests.conftest import run_cli
from tests.integration.conftest import FAST
from tests.integration.test_apply import QUICK, apply_now, plan_now

SPEC = """\
# the organization, as the platform team wants it
organization: {name: acme, home_region: us-east-1, email_pattern: 'aws+{account}@acme.example'}
organizational_units:
  Workloads: {}   # every workload account
accounts:
  management: {purpose: management, ou: root}
  # the shop's production account
  web-prod: {purpose: workload, stage: prod, ou: Workloads}
policies:
  deny-leave:
    type: service_control
    content: {Version: '2012-10-17', Statement: [{Effect: Deny, Action: 'organizations:LeaveOrganization', Resource: '*'}]}
    targets: [root]
"""


def test_created_ids_are_written_into_the_spec_and_make_renames_updates(
    aws: None, workdir: Path, capsys: object
) -> None:
    spec = workdir / "orgstack.yaml"
    spec.write_text(SPEC)
    plan, data = plan_now()
    result = apply_now(plan, data, options=QUICK)
    assert result.ok
    assert api.record_created_ids(plan, data, result.outcome.done) == ["orgstack.yaml"]
    text = spec.read_text()
    ids = plan_now()[0].ids
    assert f"id: '{ids['account:web-prod']}'" in text
    assert f"id: '{ids['ou:Workloads']}'" in text
    assert f"id: '{ids['scp:deny-leave']}'" in text
    assert "# the shop's production account" in text and "# every workload account" in text
    assert api.make_plan("orgstack.yaml", FAST).plan.changes == ()
    # A second recording changes nothing, and writes nothing.
    assert api.record_created_ids(plan, data, result.outcome.done) == []
    assert spec.read_text() == text
    spec.write_text(text.replace("Workloads", "Apps").replace("web-prod", "shop-prod"))
    renamed = api.make_plan("orgstack.yaml", FAST).plan
    assert [(c.address, c.action.value) for c in renamed.changes] == [
        ("ou:Apps", "update"),
        ("account:shop-prod", "update"),
        ("trusted-access:organization/account.amazonaws.com", "create"),
    ]
    assert not [p for p in renamed.preflight if "renamed" in p.message]


def test_the_cli_says_which_spec_it_recorded_ids_in(
    aws: None, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    code, _, err = run_cli(capsys, "apply", "--auto-approve", "--rate", "1000000")
    assert code == 0
    assert (
        "Recorded the ids of what this apply created in orgstack.yaml (id:), so renaming a key "
        "later renames the object in AWS."
    ) in err
    assert "id: '" in (workdir / "orgstack.yaml").read_text()


def test_recording_ids_never_leaves_a_cut_spec(
    aws: None, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The spec is written beside and renamed into place: a failure (or a kill) mid-write
    leaves the old spec whole (the reliability test found an apply killed there emptied it)."""
    spec = workdir / "orgstack.yaml"
    spec.write_text(SPEC)
    plan, data = plan_now()
    result = apply_now(plan, data, options=QUICK)

    def fail(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("pathlib.Path.replace", fail)
    with pytest.raises(Exception, match=r"cannot write orgstack\.yaml: No space left on device"):
        api.record_created_ids(plan, data, result.outcome.done)
    assert spec.read_text() == SPEC
    assert list(workdir.glob(".orgstack.yaml.orgstack-tmp")) == []  # nothing left beside it
