"""Whether an IAM action exists: parliament's offline database, and the operations botocore's
service models show that it lacks (``baselines/iam_actions.json``, written by
``flows/actions.py``), so a real action is never reported unknown because a database lags."""

from __future__ import annotations

import difflib
import json
from fnmatch import fnmatchcase
from functools import cache


@cache
def _newer() -> dict[str, list[str]]:
    """Prefix → the operations botocore knows and parliament lacks (``flows/actions.py``)."""
    from importlib import resources

    text = resources.files("orgstack.baselines").joinpath("iam_actions.json").read_text()
    found: dict[str, list[str]] = json.loads(text)
    return found


def _in_models(prefix: str, name: str) -> bool:
    """Whether botocore's models have an operation of ``prefix`` the pattern ``name`` names."""
    names = _newer().get(prefix.lower(), [])
    return any(fnmatchcase(n.lower(), name.lower()) for n in names)


def unknown(action: str) -> str | None:
    """Why ``action`` names nothing AWS has (None: it names something)."""
    from parliament import (
        UnknownActionException,
        UnknownPrefixException,
        expand_action,
        iam_definition,
    )

    if action == "*" or ":" not in action:
        return None  # "*", or a malformed name LZ006 reports
    prefix, name = action.split(":", 1)
    try:
        expand_action(action)
    except UnknownPrefixException:
        if prefix.lower() in _newer():
            return None if _in_models(prefix, name) else _closest(prefix, name, [])
        return f"no AWS service has the prefix {prefix!r}"
    except UnknownActionException:
        if _in_models(prefix, name):
            return None
        names = [
            p["privilege"]
            for s in iam_definition
            if s["prefix"] == prefix.lower()
            for p in s["privileges"]
        ]
        return _closest(prefix, name, names)
    return None


def _closest(prefix: str, name: str, names: list[str]) -> str:
    """ "has no action matching", with the nearest name of the service (case aside)."""
    everything = [*names, *_newer().get(prefix.lower(), [])]
    by_lower = {n.lower(): n for n in everything}
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.75)
    return f"{prefix} has no action matching {name!r}" + (
        f" (did you mean {prefix}:{by_lower[close[0]]}?)" if close else ""
    )
