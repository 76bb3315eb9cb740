"""What a rule is: metadata from its module docstring, a check, and the findings it yields."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from orgstack.model import OrgModel, Source

SECTIONS = ("What it does", "Why it matters", "Example", "Fix")


class Severity(StrEnum):
    """How bad a finding is; only errors fail ``validate`` (exit 1)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return ("error", "warning", "info").index(self.value)


@dataclass(frozen=True)
class Finding:
    """One problem a rule found on one object (``address``), with an exact message."""

    rule_id: str
    rule_name: str
    severity: Severity
    address: str
    message: str
    source: Source | None = None

    def sort_key(self) -> tuple[int, str, int, int, str, str]:
        src = self.source
        return (
            self.severity.rank,
            src.file if src else "~",
            src.line if src else 0,
            src.column if src else 0,
            self.rule_id,
            self.address,
        )


Check = Callable[[OrgModel], Iterator[Finding]]


class Located(Protocol):
    """Any model object: it has an address and, when declared in a spec, a source."""

    @property
    def address(self) -> str: ...

    @property
    def source(self) -> Source | None: ...


@dataclass
class Rule:
    """A rule: id ``LZnnn``, kebab-case ``name`` naming the problem, docs, and its check."""

    id: str
    name: str
    category: str
    severity: Severity
    summary: str
    what: str
    rationale: str
    example: str
    remediation: str
    doc_url: str
    check: Check | None = field(default=None, repr=False)

    def checker(self, func: Check) -> Check:
        """Decorator: register the rule's check function."""
        self.check = func
        return func

    def run(self, model: OrgModel) -> Iterator[Finding]:
        assert self.check is not None, f"{self.id} has no check"
        return self.check(model)

    def at(self, obj: Located, message: str) -> Finding:
        """A finding on a model object (its address and source)."""
        return self.finding(obj.address, message, obj.source)

    def finding(self, address: str, message: str, source: Source | None = None) -> Finding:
        return Finding(self.id, self.name, self.severity, address, message, source)


def parse_sections(doc: str) -> tuple[str, dict[str, str]]:
    """The summary line and the ``Section: text`` paragraphs of a rule docstring."""
    paragraphs = [" ".join(p.split()) for p in doc.strip().split("\n\n")]
    sections: dict[str, str] = {}
    for paragraph in paragraphs[1:]:
        head, sep, text = paragraph.partition(":")
        if sep and head in SECTIONS:
            sections[head] = text.strip()
        elif sections:
            last = list(sections)[-1]
            sections[last] += " " + paragraph
    return paragraphs[0], sections


def define(module: str, doc: str | None, *, id: str, severity: str, doc_url: str) -> Rule:
    """Build a rule from its module: the name from the file, the docs from the docstring."""
    summary, sections = parse_sections(doc or "")
    missing = [s for s in SECTIONS if s not in sections]
    if missing:
        raise ValueError(f"{module}: docstring lacks {', '.join(missing)}")
    parts = module.split(".")
    return Rule(
        id=id,
        name=parts[-1].replace("_", "-"),
        category=parts[-2],
        severity=Severity(severity),
        summary=summary.rstrip("."),
        what=sections["What it does"],
        rationale=sections["Why it matters"],
        example=sections["Example"],
        remediation=sections["Fix"],
        doc_url=doc_url,
    )
