"""The contract of a resource kind: every hook a kind's role files may define, typed, and the
check the registry runs on a role file when it loads (a misspelt hook, a hook with the wrong
parameters, or a public function the contract does not know is an error, never ignored).

A kind is a folder ``kinds/<name>/``; each file plays one role:

=================  ==========================================================================
file               hooks (``*``: required when the file exists)
=================  ==========================================================================
``__init__.py``    ``KIND*`` (a ``KindInfo``)
``schema.py``      ``SECTION*``, ``Schema*`` (pydantic), ``DESCRIPTION``, ``compile``, ``policies``
``compile.py``     ``compile``, ``policies``
``desired.py``     ``desired*``, ``revoked``, ``read_with``, ``trusted_access``, ``for_changes``
``read.py``        ``read*``
``diff.py``        ``diff*`` (the core kind's own diff; other kinds use the generic one)
``apply.py``       ``EXECUTORS*``, ``WAITS_FOR``, ``DELETE_WAITS_FOR``, ``waits_for``
``render.py``      ``detail*``, ``warning``
``view.py``        ``relations``, ``report``
``discover.py``    ``discover*`` (``orgstack import``: the kind's spec section from AWS)
=================  ==========================================================================

``HOOKS`` is the same list as data: what a role file is checked against when it loads, what
``Kind``'s typed methods (the core's only way to a hook) look up, and what the one contract
test prints. What a kind
knows beyond its hooks (its address grammar, names, policy builders) is in its
``vocabulary.py``: a pure module that rules and reports may import.
"""

from __future__ import annotations

import ast
import difflib
import inspect
import threading
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

#: Role files load in the readers' threads; one parse at a time.
PARSING = threading.Lock()

#: The files of a kind that play a role (others, e.g. ``apply_iam.py``, are the kind's own).
ROLES = (
    "__init__", "schema", "compile", "desired", "read", "diff", "apply", "render", "view",
    "discover",
)  # fmt: skip


@dataclass(frozen=True)
class Hook:
    """One name the contract knows: in which role file, whether required, and its shape."""

    role: str
    name: str
    required: bool
    #: A function's parameter names (None: a value, checked by ``is_valid``).
    params: tuple[str, ...] | None
    what: str
    is_valid: Callable[[Any], bool] | None = None

    @property
    def is_function(self) -> bool:
        return self.params is not None


def _mapping_of(key: Callable[[Any], bool], value: Callable[[Any], bool]) -> Callable[[Any], bool]:
    def check(found: Any) -> bool:
        return isinstance(found, Mapping) and all(key(k) and value(v) for k, v in found.items())

    return check


def _type_action(key: Any) -> bool:
    return isinstance(key, tuple) and len(key) == 2 and all(isinstance(p, str) for p in key)


def _names(found: Any) -> bool:
    return (
        isinstance(found, Collection)
        and not isinstance(found, str)
        and all(isinstance(p, str) for p in found)
    )


def _is_kind_info(found: Any) -> bool:
    from orgstack.model.kindinfo import KindInfo

    return isinstance(found, KindInfo)


def _is_model_class(found: Any) -> bool:
    """A pydantic model, or a type pydantic validates (``dict[str, str]``)."""
    return isinstance(found, type) or hasattr(found, "__origin__")


HOOKS: tuple[Hook, ...] = (
    Hook("__init__", "KIND", True, None, "the kind's metadata (address prefix, types, order, "
         "removal)", _is_kind_info),
    Hook("schema", "SECTION", True, None, "the spec section the kind reads (a top-level key)",
         lambda v: isinstance(v, str) and bool(v)),
    Hook("schema", "Schema", True, None, "the section's pydantic model", _is_model_class),
    Hook("schema", "DESCRIPTION", False, None, "the section's description in the JSON Schema",
         lambda v: isinstance(v, str)),
    # compile and policies live in schema.py, or in compile.py when they are long.
    *(
        hook
        for role in ("schema", "compile")
        for hook in (
            Hook(role, "compile", False, ("section", "model", "located", "problems"),
                 "the section → its compiled value (kept in OrgModel.sections), appending "
                 "problems"),
            Hook(role, "policies", False, ("compiled", "model", "located"),
                 "organization policies the section adds (planned like declared ones)"),
        )
    ),
    Hook("desired", "desired", True, ("model", "ids"),
         "{address: canonical value} the spec means (pure)"),
    Hook("desired", "revoked", False, ("address", "value"),
         "what a leftover of a Removal.REVOKE type becomes"),
    Hook("desired", "read_with", False, ("model",),
         "ids the reader needs that no target carries (an Identity Center Region), kept in "
         "the plan's ids"),
    Hook("desired", "trusted_access", False, ("model",),
         "the service principals the kind needs trusted access for"),
    Hook("desired", "for_changes", False, ("changes", "organization"),
         "{address: (value, why)}: what the organization layer's planned changes need of the "
         "kind that the live organization (None: assume nothing) lacks"),
    Hook("read", "read", True, ("ctx", "request"),
         "Live for a ReadRequest (addresses and values to read), through a read-only context "
         "(the core kind: the live organization, an OrgModel or None, for an OrgRequest)"),
    Hook("diff", "diff", True, ("desired", "actual", "allow_close"),
         "the core kind's Plan that makes the live organization (None: none yet) match the "
         "spec: matching by id, e-mail and path, moves, tags, attachments, suspension"),
    Hook("apply", "EXECUTORS", True, None, "(type, action) → executor(ctx, change) → live ids",
         _mapping_of(_type_action, callable)),
    Hook("apply", "WAITS_FOR", False, None,
         "type → the types of the same kind whose creates or updates it waits for",
         _mapping_of(lambda k: isinstance(k, str), _names)),
    Hook("apply", "DELETE_WAITS_FOR", False, None,
         "type → the types of the same kind a delete waits for (any change of them)",
         _mapping_of(lambda k: isinstance(k, str), _names)),
    Hook("apply", "waits_for", False, ("change", "changes"),
         "the indexes of the plan's changes this one waits for (None: KindInfo.after)"),
    Hook("render", "detail", True, ("change",), "one plan line for a change"),
    Hook("render", "warning", False, ("change",),
         "(message, hint) of a pre-flight warning for a change that cannot be undone, or None"),
    Hook("view", "relations", False, ("model", "resources"),
         "the arrows the diagram draws for the kind (its resources: address → value): "
         "[{from | node, to, label, style, suffix?}]"),
    Hook("discover", "discover", True, ("ctx", "request"),
         "Discovered for a DiscoverRequest: the section that reproduces what the live "
         "organization has (plan empty after import), and what could not be imported, why"),
    Hook("view", "report", False, ("model", "resources"),
         "where the report shows the kind: {section, title, rank} (a section of its own), "
         "{column, by_account} (a column of the accounts table), {document: {key: data}} "
         "(data the report's own sections read)"),
)  # fmt: skip


def hooks_of(role: str) -> dict[str, Hook]:
    return {h.name: h for h in HOOKS if h.role == role}


def _defined_names(module: ModuleType) -> dict[str, str]:
    """Public top-level names the module's own source defines: name → ``function``,
    ``class`` or ``value`` (imported names are not the module's)."""
    source = inspect.getsourcefile(module)
    if source is None:
        return {}
    with PARSING:  # CPython 3.11's ast.parse is not safe in two threads at once
        tree = ast.parse(Path(source).read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found[node.name] = "function"
        elif isinstance(node, ast.ClassDef):
            found[node.name] = "class"
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    found[target.id] = "value"
    return {name: what for name, what in found.items() if not name.startswith("_")}


def _executors(module: ModuleType) -> set[str]:
    table = getattr(module, "EXECUTORS", None)
    if not isinstance(table, Mapping):
        return set()
    return {getattr(f, "__name__", "") for f in table.values()}


def problems(kind: str, role: str, module: ModuleType) -> list[str]:
    """What is wrong with ``kinds/<kind>/<role>.py`` against the contract (empty: nothing)."""
    where = f"kinds/{kind}/{role}.py"
    known = hooks_of(role)
    found: list[str] = []
    for hook in known.values():
        if not hasattr(module, hook.name):
            if hook.required:
                found.append(f"{where} has no {hook.name} ({hook.what})")
            continue
        value = getattr(module, hook.name)
        if hook.params is not None:
            if not callable(value):
                found.append(f"{where}: {hook.name} must be a function ({hook.what})")
                continue
            params = tuple(inspect.signature(value).parameters)
            if params != hook.params:
                found.append(
                    f"{where}: {hook.name}({', '.join(params)}) must take "
                    f"({', '.join(hook.params)}): {hook.what}"
                )
        elif hook.is_valid is not None and not hook.is_valid(value):
            found.append(f"{where}: {hook.name} has the wrong shape ({hook.what})")
    executors = _executors(module) if role == "apply" else set()
    for name, what in _defined_names(module).items():
        if name in known:
            continue
        near = difflib.get_close_matches(name, list(known), n=1, cutoff=0.75)
        if near:
            found.append(f"{where}: {name} is not a hook; did you mean {near[0]}?")
        elif what == "function" and name not in executors:
            found.append(
                f"{where}: public function {name} is not a hook of the {role} role (hooks: "
                f"{', '.join(sorted(known))}); make it private (_{name}) or move it to the "
                "kind's vocabulary.py"
            )
    return found
