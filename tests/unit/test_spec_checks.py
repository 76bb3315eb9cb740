"""A plan's own checks of the spec (flows/checks.py): in a thread, or for a large spec in a
forked process — the same blockers and digest either way."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from orgstack.flows import checks
from orgstack.plan.fingerprint import spec_digest
from tests.unit.rules.helpers import DENY_LEAVE, load, scp, spec

ALLOW = "[{Effect: Allow, Action: '*', Resource: '*'}]"
BLOCKED = spec(
    "organizational_units: {Sandbox: {}}\naccounts:\n  m: {purpose: management, ou: root}\n"
    "  s: {purpose: sandbox, ou: Sandbox}\npolicies:\n"
    + scp("allow", ALLOW, "[root]")
    + scp("deny", DENY_LEAVE, "[ou:Sandbox]"),
    org="full_aws_access: false\n",
)
HINT = "AWS would refuse this part of the apply; `orgstack validate` explains each finding."


def test_blockers_are_the_limit_errors_with_the_digest(tmp_path: Path) -> None:
    model = load(tmp_path, BLOCKED)
    found, digest = checks.blockers(model)
    assert [(p.level, p.message, p.hint) for p in found] == [
        (
            "error",
            f"{tmp_path / 'orgstack.yaml'}:6:24: LZ201 target-without-allow-scp: ou:Sandbox has "
            "no SCP attached that allows anything; every action below it would be denied",
            HINT,
        ),
        (
            "error",
            f"{tmp_path / 'orgstack.yaml'}:9:3: LZ201 target-without-allow-scp: account:s has "
            "no SCP attached that allows anything; every action below it would be denied",
            HINT,
        ),
    ]
    assert digest == spec_digest(model)


@pytest.mark.parametrize("forked", [False, True])
def test_a_process_and_a_thread_give_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: bool
) -> None:
    model = load(tmp_path, BLOCKED)
    monkeypatch.setattr(checks, "in_a_process", lambda _model: forked)
    before = threading.active_count()
    with checks.spec_checks(model) as future:
        assert future.result() == checks.blockers(model)
        assert type(future).__module__ == "concurrent.futures._base"
    assert checks._FORKED == []  # the model is not kept once the child has it
    assert threading.active_count() == before


def test_when_a_process_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = load(tmp_path, BLOCKED)
    assert not checks.in_a_process(model)  # 2 accounts: a thread
    monkeypatch.setattr(checks, "PROCESS_FROM", 2)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert checks.in_a_process(model)
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not checks.in_a_process(model)  # another thread could hold a lock: never fork then
