"""The names of the blueprints and the company sizes that pick them (no heavy imports)."""

from __future__ import annotations

from typing import Literal

Layout = Literal["minimal", "standard", "enterprise"]
BLUEPRINTS: tuple[Layout, ...] = ("minimal", "standard", "enterprise")
LAYOUTS: dict[str, Layout] = {name: name for name in BLUEPRINTS}
SIZE_TO_LAYOUT: dict[str, Layout] = {
    "small": "minimal",
    "medium": "standard",
    "large": "enterprise",
}
