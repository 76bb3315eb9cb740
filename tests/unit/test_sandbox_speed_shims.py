"""The sandbox's speed shims answer as moto does, without its per-request work."""

from __future__ import annotations

import os

import pytest
from moto import backends

from orgstack.sandbox.shims.gaps import fast_service_lookup


def test_fast_service_lookup_lists_moto_services_once(monkeypatch: pytest.MonkeyPatch) -> None:
    before = list(backends.list_of_moto_modules())
    fast_service_lookup()
    fast_service_lookup()  # idempotent: the shim is not wrapped twice

    def listdir(_path: str) -> list[str]:
        raise AssertionError("listed moto's folder again")

    monkeypatch.setattr(os, "listdir", listdir)
    assert list(backends.list_of_moto_modules()) == before
    assert "organizations" in before
    assert "sts" in before
