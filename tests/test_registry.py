"""Registry-wide invariants: every rule is complete, unique, documented, and proven by a fixture."""
from __future__ import annotations

import ast
import re

import pytest
from ast_grep_py import SgRoot

from migrate_audit import registry
from migrate_audit.ecosystem import EXTENSIONS, normalize_distribution
from migrate_audit.model import EFFORT_SCALE, Category, Verdict

from conftest import FIXTURES, expected_findings

RULES = registry.all_rules()
DISALLOWED_NAME_PREFIXES = ("use-", "avoid-", "prefer-", "do-not-", "replace-")


def annotated_codes() -> set[str]:
    codes: set[str] = set()
    # Every fixture file counts, including the non-Python kinds under fixtures/files/.
    for fixture in sorted(p for p in FIXTURES.rglob("*") if p.is_file()):
        codes.update(code for code, *_ in expected_findings(fixture.read_text(encoding="utf-8")))
    return codes


def test_codes_are_unique_and_well_formed() -> None:
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"FMA\d{3}", c) for c in codes)
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_metadata_is_complete(rule) -> None:
    assert rule.title and rule.message and rule.counterpart
    assert isinstance(rule.category, Category) and isinstance(rule.verdict, Verdict)
    assert rule.effort in EFFORT_SCALE
    assert rule.links, f"{rule.code} has no documentation link"
    assert all(link.startswith("https://") for link in rule.links)
    # Names describe the pattern flagged, never the fix (ruff's convention).
    assert not rule.name.startswith(DISALLOWED_NAME_PREFIXES), rule.name
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name
    # Message templates must format with any arguments (a stray `{x:int}` would raise at scan time).
    rule.format_message({})
    rule.format_counterpart({})


@pytest.mark.parametrize("rule", [r for r in RULES if r.before or r.after], ids=lambda r: r.code)
def test_before_and_after_are_valid_python(rule) -> None:
    for snippet in (rule.before, rule.after):
        if snippet:
            ast.parse(snippet)  # parses, like django-upgrade checks its expected output


def test_every_rule_has_a_positive_fixture() -> None:
    """The guard against ast-grep's quiet failures: a rule whose matcher never fires fails here."""
    missing = sorted({r.code for r in RULES} - annotated_codes())
    assert missing == []


def test_engine_queries_compile_and_match() -> None:
    """ast-grep returns [] for a pattern it cannot parse and raises only on bad keys: run each query on
    code it must match."""
    from migrate_audit.engine import FIRST_QUERY

    root = SgRoot("import flask\nfrom flask import request\ndef f():\n    pass\n", "python").root()
    assert [n.kind() for n in root.find_all(FIRST_QUERY)] == [
        "import_statement", "import_from_statement", "function_definition"]
    assert len(root.find_all(kind="identifier", regex="^(flask|request)$")) == 3


def test_extension_catalogue_is_consistent() -> None:
    codes = [e.code for e in EXTENSIONS]
    assert len(codes) == len(set(codes))
    modules = [m for e in EXTENSIONS for m in e.modules]
    assert len(modules) == len(set(modules))
    for ext in EXTENSIONS:
        rule = registry.get_rule(ext.code)
        assert rule is not None and rule.verdict.value == ext.verdict and rule.effort == ext.effort


@pytest.mark.parametrize(
    ("spelling", "normal"),
    [("Flask_Login", "flask-login"), ("flask-login", "flask-login"), ("flask.login", "flask-login"),
     ("Flask-SQLAlchemy", "flask-sqlalchemy")],
)
def test_distribution_names_normalise_like_pip(spelling: str, normal: str) -> None:
    assert normalize_distribution(spelling) == normal
