"""docs/rules.md and docs/proofs.md are generated from the rule metadata and proof cases, and must be current."""
from __future__ import annotations

from _tools import docs
from migrate_audit import registry

from conftest import REPO


def test_rules_doc_is_up_to_date() -> None:
    current = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == docs.render(), "docs/rules.md is stale: run python tools/docs.py"


def test_proofs_doc_is_up_to_date() -> None:
    current = (REPO / "docs" / "proofs.md").read_text(encoding="utf-8")
    assert current == docs.render_proofs(), "docs/proofs.md is stale: run python tools/docs.py"


def test_proven_rules_link_their_case_and_show_the_measurement() -> None:
    text = docs.render()
    section = text[text.index("### FMA223 "):text.index("### FMA224 ")]
    assert "**Proven** by [redirect-after-post](proofs.md#redirect-after-post)" in section
    assert "| FastAPI, naive port | `307 · location: /books/dune` **(differs from Flask)** |" in section


def test_rules_doc_has_one_section_per_rule() -> None:
    text = docs.render()
    for rule in registry.all_rules():
        assert f"### {rule.code} `{rule.name}`" in text
