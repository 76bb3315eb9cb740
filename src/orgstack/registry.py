"""The registry of resource kinds: each package under ``orgstack/kinds/`` with a ``KIND``,
found by name like the rules (the registry knows the folder, never a kind)."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from orgstack.model.kind import Kind, KindInfo

KINDS_PACKAGE = "orgstack.kinds"


@cache
def all_kinds() -> tuple[Kind, ...]:
    """Every kind, by phase then name; a kind's name is its folder's."""
    found: list[Kind] = []
    folder = importlib.import_module(KINDS_PACKAGE)
    for info in sorted(pkgutil.iter_modules(folder.__path__), key=lambda i: i.name):
        if not info.ispkg:
            continue
        package = f"{KINDS_PACKAGE}.{info.name}"
        module = importlib.import_module(package)
        meta = getattr(module, "KIND", None)
        if not isinstance(meta, KindInfo):
            raise TypeError(f"{package} is in kinds/ but has no KIND = KindInfo(...)")
        found.append(Kind(info.name, package, meta))
    found.sort(key=lambda k: (k.info.phase, k.name))
    prefixes = [k.info.prefix for k in found]
    duplicated = {p for p in prefixes if prefixes.count(p) > 1}
    if duplicated:
        raise TypeError(f"kinds share the address prefix(es) {sorted(duplicated)}")
    return tuple(found)


def by_prefix() -> dict[str, Kind]:
    return {k.info.prefix: k for k in all_kinds()}


def kind_for(address: str) -> Kind | None:
    """The kind an address belongs to (None: the organization layer's OUs, accounts…)."""
    return by_prefix().get(address.split(":", 1)[0])


@cache
def owners() -> dict[str, Kind]:
    """Spec section → the kind that owns it (its schema declares it); a section two kinds
    declare, or one a kind reads that no kind declares, is an error."""
    found: dict[str, Kind] = {}
    for kind in all_kinds():
        if kind.section:
            if kind.section in found:
                raise TypeError(
                    f"kinds {found[kind.section].name} and {kind.name} both declare the "
                    f"section {kind.section}"
                )
            found[kind.section] = kind
    for kind in all_kinds():
        unknown = [s for s in kind.info.sections if s not in found]
        if unknown:
            raise TypeError(f"kind {kind.name} reads sections no kind declares: {unknown}")
    return found


def sections_of(kind: Kind) -> tuple[str, ...]:
    """The spec sections a kind's resources come from: its own, then those it declares."""
    own = (kind.section,) if kind.section else ()
    return own + tuple(s for s in kind.info.sections if s not in own)


def sections() -> list[tuple[str, Kind]]:
    """(spec section, kind) of every kind with a spec section, in registry order."""
    return [(k.section, k) for k in all_kinds() if k.section]


def reset() -> None:
    """Forget what was discovered (tests that add a kind from a folder of their own)."""
    all_kinds.cache_clear()
    owners.cache_clear()
