"""Run rules on a model, applying the spec's suppressions."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from orgstack.errors import Problem, SpecError
from orgstack.model import OrgModel, Suppression
from orgstack.rules.base import Finding, Rule, Severity
from orgstack.rules.registry import all_rules


@dataclass(frozen=True)
class RuleReport:
    """Findings (sorted, errors first), what was suppressed and why, and the rules run."""

    findings: tuple[Finding, ...]
    suppressed: tuple[tuple[Finding, Suppression], ...]
    unused_suppressions: tuple[Suppression, ...]
    rules: tuple[Rule, ...]
    #: The spec's problems when the rules ran on the part of it without problems.
    problems: tuple[Problem, ...] = ()

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def partial(self) -> bool:
        """Whether the rules ran on part of the spec (the rest had problems)."""
        return bool(self.problems)

    @property
    def failed(self) -> bool:
        return self.count(Severity.ERROR) > 0 or self.partial


def check_suppressions(model: OrgModel) -> None:
    """Every ``ignore:`` entry must name an existing rule."""
    problems = suppression_problems(model)
    if problems:
        raise SpecError(problems)


def suppression_problems(model: OrgModel) -> list[Problem]:
    """An ``ignore:`` entry that names no rule, each."""
    known = {r.id for r in all_rules()}
    return [
        Problem(
            s.source.file,
            s.source.line,
            s.source.column,
            f"ignore: no rule {s.rule}; `orgstack rules` lists them",
        )
        for s in model.suppressions
        if s.rule is not None and s.rule not in known and s.source is not None
    ]


def run_rules(model: OrgModel, rules: tuple[Rule, ...] | None = None) -> RuleReport:
    """Run ``rules`` (default: all) on ``model``; suppressed findings are set apart."""
    chosen = all_rules() if rules is None else rules
    findings: list[Finding] = []
    suppressed: list[tuple[Finding, Suppression]] = []
    used: set[Suppression] = set()
    for rule in chosen:
        for finding in rule.run(model):
            match = next(
                (
                    s
                    for s in model.suppressions
                    if s.rule == finding.rule_id and fnmatchcase(finding.address, s.target)
                ),
                None,
            )
            if match is None:
                findings.append(finding)
            else:
                suppressed.append((finding, match))
                used.add(match)
    ran = {r.id for r in chosen}
    unused = tuple(s for s in model.suppressions if s not in used and s.rule in ran and s.rule)
    return RuleReport(
        tuple(sorted(findings, key=Finding.sort_key)), tuple(suppressed), unused, tuple(chosen)
    )
