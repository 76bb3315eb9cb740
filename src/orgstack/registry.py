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
    """Every kind of resources in accounts, by phase then name (the core kind apart)."""
    return tuple(k for k in _discovered() if not k.info.core)


@cache
def core_kind() -> Kind:
    """The core kind: the organization's own objects (its folder is found like any kind's)."""
    core = [k for k in _discovered() if k.info.core]
    if len(core) != 1:
        raise TypeError(f"exactly one kind must be the core kind, found {[k.name for k in core]}")
    return core[0]


def pipeline() -> tuple[Kind, ...]:
    """Every kind in the order a plan reads, diffs and applies them: the core kind first."""
    return (core_kind(), *all_kinds())


@cache
def _discovered() -> tuple[Kind, ...]:
    """Every kind under kinds/, by phase then name; a kind's name is its folder's."""
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
    prefixes = [p for k in found for p in (k.info.prefix, *k.info.owns)]
    duplicated = {p for p in prefixes if prefixes.count(p) > 1}
    if duplicated:
        raise TypeError(f"kinds share the address prefix(es) {sorted(duplicated)}")
    return tuple(found)


def by_prefix() -> dict[str, Kind]:
    return {k.info.prefix: k for k in all_kinds()}


def kind_for(address: str) -> Kind | None:
    """The kind of resources in accounts an address belongs to (None: the core kind's
    organization, OUs, accounts, policies)."""
    return by_prefix().get(address.split(":", 1)[0])


def owner_of(address: str) -> Kind | None:
    """The kind whose executors make a change of ``address``: its kind, or the core kind."""
    found = kind_for(address)
    if found is not None:
        return found
    core = core_kind()
    return core if address.split(":", 1)[0] in (core.info.prefix, *core.info.owns) else None


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
    _discovered.cache_clear()
    all_kinds.cache_clear()
    core_kind.cache_clear()
    owners.cache_clear()
