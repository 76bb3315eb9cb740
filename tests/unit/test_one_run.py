"""Every problem in one run: broken items are cut out, the rest still compiles and is checked.

Any mix of broken accounts, OUs, policies and sections in a blueprint gives a ``SpecError``
that names each broken item once, nothing that merely refers to a broken item, and the
rules' report on the rest; never another exception.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from orgstack.api import validate, write_spec
from orgstack.errors import SpecError
from orgstack.rules.engine import RuleReport
from orgstack.spec.blueprints import preset

#: What is written into a chosen item, and the start of the message it must cause.
BREAKS = {
    "accounts": ("purpose", "workloads", "accounts.{name}.purpose: 'workloads' is not allowed"),
    "policies": ("type", "scp", "policies.{name}.type: 'scp' is not allowed"),
    "ous": ("tags", ["x"], "organizational_units.{name}.tags: expected a mapping"),
}


def _blueprint(tmp_path: Path) -> tuple[Path, Any]:
    path = tmp_path / "orgstack.yaml"
    write_spec(preset("standard"), path, schema_ref="s.json", force=True)
    return path, YAML().load(path.read_text(encoding="utf-8"))


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_mix_of_broken_items_is_reported_at_once(tmp_path: Path, data: st.DataObject) -> None:
    path, doc = _blueprint(tmp_path)
    accounts = doc["accounts"]
    policies = doc["policies"]
    ous = doc["organizational_units"]
    assert isinstance(accounts, dict) and isinstance(policies, dict) and isinstance(ous, dict)
    chosen = {
        "accounts": data.draw(st.lists(st.sampled_from(sorted(accounts)), unique=True)),
        "policies": data.draw(st.lists(st.sampled_from(sorted(policies)), unique=True)),
        "ous": data.draw(st.lists(st.sampled_from(sorted(ous)), unique=True, max_size=2)),
    }
    drop_access = data.draw(st.booleans())
    expected: list[str] = []
    for kind, names in chosen.items():
        field, value, message = BREAKS[kind]
        table = {"accounts": accounts, "policies": policies, "ous": ous}[kind]
        for name in names:
            if kind == "ous" and table[name] is None:
                table[name] = {}
            table[name][field] = value
            expected.append(message.format(name=name))
    if drop_access:
        doc["access"]["grants"][0]["level"] = "root"
        expected.append("access.grants[0].level:")
    out = io.StringIO()
    YAML().dump(doc, out)
    path.write_text(out.getvalue(), encoding="utf-8")
    if not expected:
        assert not validate(path).partial
        return
    with pytest.raises(SpecError) as raised:
        validate(path)
    messages = [p.message for p in raised.value.problems]
    for start in expected:
        assert sum(m.startswith(start) for m in messages) == 1, (start, messages)
    broken_names = set(chosen["accounts"]) | set(chosen["ous"])
    assert not [
        m
        for m in messages
        if any(f"no account '{n}'" in m or f"no OU '{n}'" in m for n in broken_names)
    ], messages
    assert len(messages) == len(expected), messages
    report = raised.value.report
    assert isinstance(report, RuleReport) and report.partial
