"""docs/rules.md is generated from the rule metadata and must be current."""
from __future__ import annotations

from migrate_audit import docs, registry

from conftest import REPO


def test_rules_doc_is_up_to_date() -> None:
    current = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == docs.render(), "docs/rules.md is stale: run python -m migrate_audit.docs"


def test_rules_doc_has_one_section_per_rule() -> None:
    text = docs.render()
    for rule in registry.all_rules():
        assert f"### {rule.code} `{rule.name}`" in text
