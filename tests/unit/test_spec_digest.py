"""The spec's digest (plan/fingerprint.spec_digest): what the spec declares, not where in the
file it says it — resuming an apply and the plan file's check rely on it."""

from __future__ import annotations

from pathlib import Path

from orgstack import api
from orgstack.plan.fingerprint import spec_digest
from orgstack.spec.blueprints import preset
from orgstack.spec.loader import load_spec


def test_moving_every_line_down_keeps_the_digest_a_changed_value_does_not(
    tmp_path: Path,
) -> None:
    """The blueprint declares access:, logging:, security:, backup: and break_glass: (the kinds' sections
    hold positions of their own): a comment on top moves every position."""
    spec = tmp_path / "orgstack.yaml"
    api.write_spec(preset("minimal"), spec, schema_ref="s.json")
    text = spec.read_text()
    before = load_spec(spec)
    assert sorted(before.sections) == ["access", "backup", "break_glass", "logging", "security"]
    digest = spec_digest(before)
    spec.write_text("# reviewed by the platform team\n\n" + text)
    assert spec_digest(load_spec(spec)) == digest
    assert "dana.dev@" in text
    spec.write_text(text.replace("dana.dev@", "dana.developer@"))
    assert spec_digest(load_spec(spec)) != digest
