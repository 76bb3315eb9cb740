"""``drift --adopt``: rewrite the spec to accept the live values, keeping comments and order."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from orgstack.errors import writing
from orgstack.model import OrgModel, PolicyType, paths
from orgstack.plan.model import Action, Change, Plan
from orgstack.registry import kind_for


class _Files:
    """Round-trip YAML documents, loaded once and written back once."""

    def __init__(self) -> None:
        self.yaml = YAML(typ="rt")
        self.yaml.preserve_quotes = True
        self.yaml.indent(mapping=2, sequence=4, offset=2)
        self.yaml.width = 100
        self.docs: dict[str, Any] = {}
        #: Each document as loaded, dumped: a document that still dumps so is not written.
        self.pristine: dict[str, str] = {}
        #: What each file held before adopt wrote it (None: it did not exist).
        self.originals: dict[Path, str | None] = {}

    def keep(self, path: Path) -> None:
        """Remember a file's text before it is written (``restore`` puts it back)."""
        if path not in self.originals:
            self.originals[path] = path.read_text(encoding="utf-8") if path.exists() else None

    def restore(self) -> None:
        for path, text in self.originals.items():
            if text is None:
                path.unlink(missing_ok=True)
            else:
                path.write_text(text, encoding="utf-8")

    def doc(self, file: str) -> Any:
        if file not in self.docs:
            self.docs[file] = self.yaml.load(Path(file).read_text(encoding="utf-8"))
            self.pristine[file] = self._text(self.docs[file])
        return self.docs[file]

    def _text(self, doc: Any) -> str:
        from io import StringIO

        text = StringIO()
        self.yaml.dump(doc, text)
        return text.getvalue()

    def save(self) -> list[str]:
        """Write every changed document back atomically: a temporary file beside it, then a
        rename, so a kill mid-write (an apply recording ids, Ctrl-C) never leaves a cut spec.
        Returns the files written."""
        import os

        written: list[str] = []
        for file, doc in self.docs.items():
            text = self._text(doc)
            if text == self.pristine.get(file):
                continue
            written.append(file)
            self.keep(Path(file))
            path = Path(file)
            tmp = path.with_name(f".{path.name}.orgstack-tmp")
            with writing(path):
                try:
                    with tmp.open("w", encoding="utf-8") as handle:
                        handle.write(text)
                        handle.flush()
                        os.fsync(handle.fileno())
                    tmp.replace(path)
                finally:
                    tmp.unlink(missing_ok=True)
        return sorted(written)


def _rename(mapping: CommentedMap, old: str, new: str) -> None:
    """Rename a key in place: same position, same comments."""
    position = list(mapping).index(old)
    value = mapping.pop(old)
    mapping.insert(position, new, value)
    if old in mapping.ca.items:
        mapping.ca.items[new] = mapping.ca.items.pop(old)


class Adopter:
    def __init__(self, desired: OrgModel) -> None:
        self.desired = desired
        self.files = _Files()
        self.skipped: list[str] = []

    def node(self, address: str) -> CommentedMap | None:
        obj = next((o for o in self.desired.objects() if o.address == address), None)
        if obj is None or obj.source is None:
            return None
        doc = self.files.doc(obj.source.file)
        kind, _, name = address.partition(":")
        if kind == "account":
            return doc["accounts"][name]  # type: ignore[no-any-return]
        if kind == "ou":
            parts = paths.names(name)
            node = doc["organizational_units"][parts[0]]
            for part in parts[1:]:
                node = node["children"][part]
            return node  # type: ignore[no-any-return]
        # A policy a kind's section adds (``backup:``'s) has no node of its own: None.
        found = (doc.get("policies") or {}).get(name)
        return found if isinstance(found, CommentedMap) else None

    def each_doc(self, visit: Callable[[Any], None]) -> None:
        for obj in self.desired.objects():
            if obj.source is not None:
                visit(self.files.doc(obj.source.file))

    def apply(self, change: Change) -> None:
        kind = kind_for(change.address)
        if kind is not None:
            self.skipped.append(
                f"{change.address}: {change.action.value} (derived from {kind.info.summary}; "
                "edit the spec, or apply to revert it)"
            )
            return
        node = self.node(change.address)
        before = change.before or {}
        after = change.after or {}
        policy = next((p for p in self.desired.policies if p.address == change.address), None)
        if (
            node is None
            or change.action in (Action.CREATE, Action.ENABLE)
            or (policy and policy.aws_managed)
        ):
            self.skipped.append(
                f"{change.address}: {change.action.value} (not adoptable; edit the spec or apply)"
            )
            return
        if change.action == Action.MOVE:
            node["ou"] = before["ou"]
        elif change.action in (Action.TAG, Action.UNTAG):
            tags = node.setdefault("tags", CommentedMap())
            fields = {k: f for f, k in self.desired.organization.attribute_tags}
            for key, value in before.items():
                field = fields.get(key) if change.address.startswith("account:") else None
                if field is not None and (field in node or value is not None):
                    # The tag records a field: adopt it into the field, never beside it.
                    if value is None:
                        self.skipped.append(
                            f"{change.address}: tag {key} is missing in AWS (it records "
                            f"{field}; apply sets it)"
                        )
                    else:
                        node[field] = value
                elif value is None:
                    tags.pop(key, None)
                else:
                    tags[key] = value
        elif change.action == Action.ATTACH:
            node["targets"].remove(after["target"])
        elif change.action == Action.DETACH:
            node.setdefault("targets", CommentedSeq()).append(before["target"])
        else:
            self.update(change, node)

    def update(self, change: Change, node: CommentedMap) -> None:
        before = change.before or {}
        kind, _, name = change.address.partition(":")
        if "content" in before and "guardrails" in node:
            # The spec builds this policy from the guardrail library: the live document is
            # not a guardrail, and content: beside guardrails: is no spec.
            self.skipped.append(
                f"{change.address}: update (its content is built from guardrails "
                f"{', '.join(str(g) for g in node['guardrails'])}, which do not say what AWS "
                "has now; change the guardrails, replace them with content:, or apply to "
                "revert it)"
            )
            before = {k: v for k, v in before.items() if k != "content"}
        if "content" in before:
            if "file" in node:
                source = next(
                    p.source for p in self.desired.policies if p.address == change.address
                )
                assert source is not None
                path = Path(source.file).parent / node["file"]
                self.files.keep(path)
                path.write_text(
                    json.dumps(before["content"], indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8",
                )
            else:
                node["content"] = before["content"]
        if "description" in before:
            node["description"] = before["description"]
        if "email" in before:
            node["email"] = before["email"]
        if "name" in before:
            self.rename(kind, name, before["name"])

    def rename(self, kind: str, old: str, new_name: str) -> None:
        address = f"{kind}:{old}"
        obj = next(o for o in self.desired.objects() if o.address == address)
        assert obj.source is not None
        doc = self.files.doc(obj.source.file)
        if kind == "ou":
            parent = paths.parent(old)
            container = doc["organizational_units"]
            for part in paths.names(parent) if parent else []:
                container = container[part]["children"]
            _rename(container, paths.names(old)[-1], new_name)
            new = paths.join(parent, new_name)
            self.each_doc(lambda d: _repoint_ou(d, old, new))
        elif kind == "account":
            _rename(doc["accounts"], old, new_name)
            self.each_doc(lambda d: _repoint_target(d, f"account:{old}", f"account:{new_name}"))
        else:
            _rename(doc["policies"], old, new_name)


def _repoint_ou(doc: Any, old: str, new: str) -> None:
    for account in (doc.get("accounts") or {}).values():
        ou = account.get("ou", "")
        if ou == old or ou.startswith(old + "/"):
            account["ou"] = new + ou[len(old) :]
    for policy in (doc.get("policies") or {}).values():
        targets = policy.get("targets") or []
        for i, target in enumerate(targets):
            if target == f"ou:{old}" or target.startswith(f"ou:{old}/"):
                targets[i] = f"ou:{new}" + target[len(old) + 3 :]


def _repoint_target(doc: Any, old: str, new: str) -> None:
    for policy in (doc.get("policies") or {}).values():
        targets = policy.get("targets") or []
        for i, target in enumerate(targets):
            if target == old:
                targets[i] = new


def adopt(
    plan: Plan, desired: OrgModel, check: Callable[[], Any] | None = None
) -> tuple[list[str], list[str]]:
    """Write the live values into the spec files; returns the files written and what could
    not be adopted. ``check`` (loading the spec again) runs on what was written: when it
    fails, every file is put back as it was and its error is raised — adopt never leaves a
    spec that does not load."""
    adopter = Adopter(desired)
    for change in plan.changes:
        adopter.apply(change)
    written = adopter.files.save()
    if check is not None:
        try:
            check()
        except Exception:
            adopter.files.restore()
            raise
    return written, adopter.skipped


def record_ids(desired: OrgModel, created: dict[str, str]) -> list[str]:
    """Write ``id:`` onto the spec's OUs, accounts and policies that an apply created
    (``created``: address → live id), first in each mapping, comments kept; an object that
    has an id already, or that the spec no longer declares, is left alone. With ids pinned, a
    later rename of the key is a rename in AWS, not a new object. Returns the files written."""
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    adopter = Adopter(desired)
    for address, live_id in sorted(created.items()):
        if address.split(":", 1)[0] not in ("ou", "account") and not address.startswith(
            tuple(f"{p.address_prefix}:" for p in PolicyType)
        ):
            continue
        node = adopter.node(address)
        if node is None or not isinstance(node, CommentedMap) or "id" in node:
            continue
        node.insert(0, "id", SingleQuotedScalarString(live_id))
    return adopter.files.save()


def record_values(spec: str, values: list[tuple[list[str], str]]) -> list[str]:
    """Write what an apply decided and the spec must keep (a VPC's range: ``network.ranges``)
    at each path in the spec file, under a section it declares; a value recorded already is
    left alone (a recorded range never moves). Returns the files written."""
    files = _Files()
    doc = files.doc(spec)
    for path, value in values:
        node = doc
        if not isinstance(node, CommentedMap) or not isinstance(node.get(path[0]), CommentedMap):
            continue  # the section is gone from the spec
        for key in path[:-1]:
            if not isinstance(node.get(key), CommentedMap):
                node[key] = CommentedMap()
            node = node[key]
        node.setdefault(path[-1], value)
    return files.save()
