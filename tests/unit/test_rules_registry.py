"""The rule registry keeps its house rules: ids, names, docs, a test file per rule, current docs."""

from __future__ import annotations

import re
from pathlib import Path

from orgstack.report.rules_doc import to_markdown
from orgstack.rules.base import SECTIONS, parse_sections
from orgstack.rules.registry import all_rules, pick

REPO = Path(__file__).resolve().parents[2]
RULES_DIR = REPO / "src" / "orgstack" / "rules"
ID_RANGE = {"limits": "0", "structure": "1", "security": "2"}


def test_at_least_thirty_rules_with_unique_ids_and_names() -> None:
    rules = all_rules()
    assert len(rules) >= 30
    assert len({r.id for r in rules}) == len(rules)
    assert len({r.name for r in rules}) == len(rules)


def test_ids_are_grouped_by_category_and_names_are_kebab_case_file_names() -> None:
    for rule in all_rules():
        assert re.fullmatch(rf"LZ{ID_RANGE[rule.category]}\d\d", rule.id), rule.id
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name
        assert (RULES_DIR / rule.category / f"{rule.name.replace('-', '_')}.py").is_file()


def test_every_rule_module_has_the_docstring_sections_and_metadata() -> None:
    for path in sorted(RULES_DIR.glob("*/*.py")):
        if path.name == "__init__.py":
            continue
        text = path.read_text(encoding="utf-8")
        doc = text.split('"""')[1]
        _, sections = parse_sections(doc)
        assert list(sections) == list(SECTIONS), path.name
        assert len(text.splitlines()) <= 80, f"{path.name} is over 80 lines"
    for rule in all_rules():
        assert rule.summary and rule.rationale and rule.remediation and rule.example
        assert rule.doc_url.startswith("https://docs.aws.amazon.com/")
        assert rule.severity.value in ("error", "warning", "info")


def test_every_rule_has_its_own_test_file() -> None:
    tests = REPO / "tests" / "unit" / "rules"
    missing = [
        r.name for r in all_rules() if not (tests / f"test_{r.name.replace('-', '_')}.py").is_file()
    ]
    assert missing == []


def test_docs_rules_md_is_current() -> None:
    committed = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == to_markdown(all_rules()), "docs/rules.md is stale: run `make rules-doc`"


def test_pick_by_id_glob_name_and_category() -> None:
    assert [r.id for r in pick(("LZ00[12]",))] == ["LZ001", "LZ002"]
    assert [r.id for r in pick(("account-directly-under-root", "lz205"))] == ["LZ114", "LZ205"]
    assert {r.category for r in pick(("security",))} == {"security"}
    assert "LZ016" not in {r.id for r in pick(ignore=("LZ016",))}
