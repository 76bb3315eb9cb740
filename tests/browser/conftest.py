"""One headless Chromium for the report's tests (installed by the project's set-up)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import tools


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with tools.browser() as launched:
        yield launched
