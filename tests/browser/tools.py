"""The browser and the Mermaid parser the report's tests use, as ``make`` installs them
(scripts/report-tools.sh into .cache/tools, named by ORGSTACK_TOOLS); never assumed present."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
TOOLS = Path(os.environ.get("ORGSTACK_TOOLS", REPO / ".cache" / "tools"))
#: The flags this machine's closed network needs: no background connections, no first run.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL = "run `make unit` (or `sh scripts/report-tools.sh .cache/tools`), which installs it"


def chromium() -> str:
    found = shutil.which("chromium", path=str(TOOLS / "bin")) or shutil.which("chromium")
    if found is None:
        raise RuntimeError(f"no Chromium for the report's tests: {INSTALL}")
    return found


def mermaid_js() -> Path:
    path = TOOLS / "mermaid" / "mermaid.min.js"
    if not path.is_file():
        raise RuntimeError(f"no Mermaid parser ({path}): {INSTALL}")
    return path


@contextmanager
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium(), args=FLAGS)
        try:
            yield launched
        finally:
            launched.close()
