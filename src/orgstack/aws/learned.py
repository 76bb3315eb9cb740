"""The rates a run learned, kept for the next run (``.orgstack/rates.json``).

Keyed by where the credentials come from (the profile, and the endpoint when one is set):
one profile is one account, and AWS's limits are per account. A run starts each family at
90 % of what the last run ended at, so it neither relearns from the safe start nor starts
at a rate that was throttled. Learned rates older than ``MAX_AGE_DAYS`` are forgotten.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path

MAX_AGE_DAYS = 7
START_SHARE = 0.9


def _key(profile: str | None) -> str:
    return f"{profile or 'default'}@{os.environ.get('AWS_ENDPOINT_URL') or 'aws'}"


def recall(path: str | None, profile: str | None) -> dict[str, float]:
    """Where each service's families start, from what an earlier run learned."""
    if path is None:
        return {}
    try:
        entry = json.loads(Path(path).read_text()).get(_key(profile), {})
        if time.time() - float(entry.get("at", 0)) > MAX_AGE_DAYS * 86400:
            return {}
        return {
            str(service): float(rate) * START_SHARE
            for service, rate in entry.get("rates", {}).items()
            if float(rate) > 0
        }
    except (OSError, ValueError, TypeError, AttributeError):
        return {}  # nothing learned, or a damaged file: start safe


def keep(path: str | None, profile: str | None, rates: dict[str, float]) -> None:
    """Write ``rates`` for this profile (never fails the run: it is only a head start)."""
    if path is None or not rates:
        return
    target = Path(path)
    with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
        try:
            known = json.loads(target.read_text())
            known = known if isinstance(known, dict) else {}
        except (OSError, ValueError):
            known = {}
        previous = known.get(_key(profile), {}).get("rates", {})
        known[_key(profile)] = {"at": time.time(), "rates": {**previous, **rates}}
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_text(json.dumps(known, indent=1, sort_keys=True) + "\n")
        temporary.replace(target)
