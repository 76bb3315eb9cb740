"""AWS Config on moto: every account records every resource in every Region of security:
into the log archive's bucket (global types in the home Region only); plan is empty
afterwards; a recorder stopped out of band is drift and is restored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from orgstack.plan.model import Action
from tests.integration.test_access import account_ids
from tests.integration.test_apply import apply_now, plan_now
from tests.integration.test_log_archive import member

SPEC = """\
organization: {name: acme, home_region: eu-west-1, allowed_regions: [eu-central-1], email_pattern: 'aws+{account}@acme.example'}
accounts:
  management: {purpose: management, ou: root}
  log-archive: {purpose: log-archive, ou: root}
  security: {purpose: security, ou: root}
security: {services: [config]}
logging: {}
"""
ACCOUNTS = ("log-archive", "management", "security")
REGIONS = ("eu-central-1", "eu-west-1")


def changes(plan: Any) -> list[tuple[str, Action]]:
    return [(c.address, c.action) for c in plan.changes if c.address.startswith("config-recorder:")]


def test_every_account_records_in_every_region(aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    plan, data = plan_now()
    assert changes(plan) == [
        (f"config-recorder:{a}/{r}", Action.CREATE) for a in ACCOUNTS for r in REGIONS
    ]
    assert apply_now(plan, data).ok
    ids = account_ids()
    bucket = f"acme-logs-{ids['log-archive']}"
    for name in ("security", "log-archive"):
        for region in REGIONS:
            config = member(ids[name], "config", region)
            recorder = config.describe_configuration_recorders()["ConfigurationRecorders"][0]
            group = recorder["recordingGroup"]
            assert (group["allSupported"], group["includeGlobalResourceTypes"]) == (
                True, region == "eu-west-1",
            )  # fmt: skip
            status = config.describe_configuration_recorder_status()
            assert status["ConfigurationRecordersStatus"][0]["recording"]
            channel = config.describe_delivery_channels()["DeliveryChannels"][0]
            assert channel["s3BucketName"] == bucket
    assert plan_now()[0].empty


def test_a_stopped_recorder_is_restored(aws: None, workdir: Path) -> None:
    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    config = member(account_ids()["security"], "config", "eu-central-1")
    config.stop_configuration_recorder(ConfigurationRecorderName="default")
    plan, data = plan_now()
    assert [(c.address, c.action, c.before) for c in plan.changes] == [
        ("config-recorder:security/eu-central-1", Action.UPDATE, {"recording": False})
    ]
    assert apply_now(plan, data).ok
    assert plan_now()[0].empty


def test_audit_reports_an_account_that_stopped_recording(aws: None, workdir: Path) -> None:
    from orgstack import api
    from tests.integration.conftest import FAST

    (workdir / "orgstack.yaml").write_text(SPEC)
    assert apply_now(*plan_now()).ok
    assert api.audit("orgstack.yaml", FAST, ("LZ217",))[0].findings == ()
    config = member(account_ids()["log-archive"], "config", "eu-west-1")
    config.stop_configuration_recorder(ConfigurationRecorderName="default")
    report, _ = api.audit("orgstack.yaml", FAST, ("LZ217",))
    assert [(f.address, f.message) for f in report.findings] == [
        ("config-recorder:log-archive/eu-west-1", "recording is False, not True")
    ]
