"""docs/rules.md and docs/proofs.md are generated from the rule metadata and proof cases, and must be current."""
from __future__ import annotations

import re

from _tools import docs
from migrate_audit import proofs, registry

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


def test_the_proofs_index_links_what_exists() -> None:
    """proofs.md links each case's files instead of copying them: every link must lead somewhere, and
    every proof rules.md links must have its section."""
    index = docs.render_proofs()
    targets = re.findall(r"\]\((\.\./[^)#]+)\)", index)
    assert len(targets) >= 3 * len(proofs.all_proofs())  # case.toml, flask/, fastapi/ of each case
    missing = [target for target in targets if not (REPO / "docs" / target).resolve().exists()]
    assert missing == []
    sections = set(re.findall(r"^## (\S+)$", index, re.MULTILINE))
    linked = set(re.findall(r"\(proofs\.md#([^)]+)\)", docs.render()))
    assert linked and linked <= sections


def test_the_docs_say_which_fastapi_the_advice_was_last_proven_against() -> None:
    against = proofs.proven_against_text()
    assert against.startswith("FastAPI ") and "Starlette " in against and "Flask " in against
    assert f"The advice was last proven against {against}" in docs.render()
    assert f"The advice was last proven against {against}" in docs.render_proofs()
    text = docs.render()
    section = text[text.index("### FMA404 "):text.index("### FMA405 ")]
    assert f"**Not proven:** {proofs.unproven()['FMA404']}" in section
