"""Registry-wide invariants: every rule is complete, unique, documented, and proven by a fixture."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from ast_grep_py import SgRoot

from migrate_audit import registry
from migrate_audit.ecosystem import EXTENSIONS, normalize_distribution
from migrate_audit.model import EFFORT_SCALE, Category, Verdict

from conftest import FIXTURES, REPO, expected_findings

RULES = registry.all_rules()
SRC = REPO / "src"
RULES_DIR = SRC / "migrate_audit" / "rules"
DISALLOWED_NAME_PREFIXES = ("use-", "avoid-", "prefer-", "do-not-", "replace-")


def annotated_codes() -> set[str]:
    codes: set[str] = set()
    # Every fixture file counts, including the non-Python kinds under fixtures/rules/<module>/<kind>/.
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


def _module_name(code: str) -> str:
    declared = registry.rule_module(code)
    assert declared and declared.startswith("migrate_audit.rules."), (code, declared)
    return declared.rpartition(".")[2]


def _fixtures_of(module: str) -> list[Path]:
    """A rule module's fixtures: tests/fixtures/rules/<module>.py, <module>_<case>.py and <module>/<kind>/*."""
    folder = FIXTURES / "rules"
    return sorted([*folder.glob(f"{module}.py"), *folder.glob(f"{module}_*.py"),
                   *(p for p in (folder / module).rglob("*") if p.is_file())])


def test_every_rule_has_a_positive_fixture_named_after_its_module() -> None:
    """The guard against ast-grep's quiet failures (a rule whose matcher never fires fails here), and the
    way from a rule to its test: FMA104, declared in rules/routing.py, is proven in
    tests/fixtures/rules/routing*.py."""
    missing = []
    for rule in RULES:
        module = _module_name(rule.code)
        annotated = {code for path in _fixtures_of(module)
                     for code, *_ in expected_findings(path.read_text(encoding="utf-8"))}
        if rule.code not in annotated:
            missing.append(f"{rule.code} (rules/{module}.py): no annotation in tests/fixtures/rules/{module}[_*].py "
                           f"or tests/fixtures/rules/{module}/")
    assert missing == []


def test_code_ranges_do_not_interleave_between_modules() -> None:
    """Each rule module owns one contiguous band of codes: FMA220-235 are all in rules/responses.py."""
    spans: dict[str, list[int]] = {}
    for rule in RULES:
        spans.setdefault(_module_name(rule.code), []).append(int(rule.code[3:]))
    bands = sorted((min(numbers), max(numbers), module) for module, numbers in spans.items())
    overlaps = [(a, b) for a, b in zip(bands, bands[1:]) if b[0] <= a[1]]
    assert overlaps == []


# Code literals still spelled outside their rule's module, each removed by another branch's work:
# (file under src/, code). The test fails once the literal is gone, so the entry goes with it.
_PENDING_LITERALS: set[tuple[str, str]] = set()  # (file, code) literals allowed until a branch removes them


def _code_literals() -> list[tuple[str, int, str]]:
    """(file under src/, line, code) for every string constant that is a rule code."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and re.fullmatch(r"\s*FMA\d{3}\s*", node.value):
                found.append((relative, node.lineno, node.value.strip()))
    return found


def test_rule_codes_are_spelled_only_in_the_module_that_declares_them() -> None:
    """The registry is the only way a code reaches a finding: elsewhere a rule is named by its `Rule`
    object (`DEAD.code`), never by a literal `"FMA706"`. Prose that mentions a code ("see FMA807") is
    not a literal code and stays allowed."""
    literals = _code_literals()
    assert any(code == "FMA101" for _, _, code in literals)  # the scan sees the declarations themselves
    strays = []
    for relative, line, code in literals:
        declared = registry.declared_in(code)
        owner = declared.replace(".", "/") + ".py" if declared else None
        package = declared.replace(".", "/") + "/" if declared else None
        if relative == owner or (package and relative.startswith(package)):
            continue
        if (relative, code) in _PENDING_LITERALS:
            continue
        strays.append(f"src/{relative}:{line}: {code} is declared in {owner or 'no module (unknown code)'}")
    assert strays == []
    gone = _PENDING_LITERALS - {(relative, code) for relative, _, code in literals}
    assert gone == set(), "remove these entries from _PENDING_LITERALS: the literal is gone"


_REGISTRY_INTERNALS = {"USE_MATCHERS", "IMPORT_MATCHERS", "FILE_MATCHERS", "TEXT_MATCHERS", "UNMATCHED_MATCHERS",
                       "_RULES", "_DECLARED_IN"}


@pytest.mark.parametrize("path", sorted(RULES_DIR.glob("*.py")), ids=lambda p: p.name)
def test_rule_modules_use_the_rule_api_only(path: Path) -> None:
    """Rule modules import the rule API (api.py), the registry's functions and shared helpers (`_common`,
    `_routes`): never the engine, the registry's tables, or another rule module's private names."""
    problems = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            module = node.module or ""
            if module == "engine" or module.startswith("engine."):
                problems.append(f"line {node.lineno}: imports the engine; use `..api`")
            if node.level == 1 and not module.startswith("_"):
                private = [a.name for a in node.names if a.name.startswith("_")]
                if private:
                    problems.append(f"line {node.lineno}: imports {private} from rules/{module}.py")
        if isinstance(node, ast.Attribute) and node.attr in _REGISTRY_INTERNALS \
                and isinstance(node.value, ast.Name) and node.value.id == "registry":
            problems.append(f"line {node.lineno}: reads registry.{node.attr}")
    assert problems == []


def test_text_matchers_are_registered_for_the_kinds_filekinds_dispatches() -> None:
    from migrate_audit.filekinds._base import TEXT_KINDS

    registry.load()
    assert set(registry.TEXT_MATCHERS) == set(TEXT_KINDS)
    # Each text matcher names only rules declared in its own module: the module that declares a rule
    # also says what fires it.
    for kind, matchers in registry.TEXT_MATCHERS.items():
        for rules, matcher in matchers:
            assert {registry.declared_in(rule.code) for rule in rules} == {matcher.__module__}, (kind, matcher)


def test_engine_queries_compile_and_match() -> None:
    """ast-grep returns [] for a pattern it cannot parse and raises only on bad keys: run each query on
    code it must match."""
    from migrate_audit.engine import FIRST_QUERY

    root = SgRoot("import flask\nfrom flask import request\ndef f():\n    pass\n", "python").root()
    assert [n.kind() for n in root.find_all(FIRST_QUERY)] == [
        "import_statement", "import_from_statement", "function_definition"]
    assert len(root.find_all(kind="identifier", regex="^(flask|request)$")) == 3


def test_extension_catalogue_is_consistent() -> None:
    """FMA301-338 name one distribution each; a later record shares the code of its verdict and effort,
    so a shared code's rule has the verdict and effort of every record under it."""
    from migrate_audit.ecosystem import BY_CODE, SHARED_CODES

    assert all(code < "FMA365" for code in BY_CODE) and all(code >= "FMA365" for code in SHARED_CODES)
    assert len({(ext.verdict, ext.effort) for ext in EXTENSIONS if ext.code in SHARED_CODES}) == len(SHARED_CODES)
    modules = [m for e in EXTENSIONS for m in e.modules]
    # Bootstrap-Flask and Flask-Bootstrap really share `flask_bootstrap`; a requirement tells them apart.
    assert sorted(m for m in set(modules) if modules.count(m) > 1) == ["flask_bootstrap"]
    names = [(e.distribution, e.modules) for e in EXTENSIONS]
    assert len(names) == len(set(names))
    for ext in EXTENSIONS:
        rule = registry.get_rule(ext.code)
        assert rule is not None and rule.verdict.value == ext.verdict and rule.effort == ext.effort


# The blockers that survived review (issue 23): what FastAPI, Starlette and the maintained libraries cannot do.
TRUE_BLOCKERS = {"FMA317", "FMA349", "FMA356", "FMA358", "FMA362", "FMA703", "FMA723"}


def test_every_other_blocker_says_what_fastapi_and_its_libraries_cannot_do() -> None:
    """A `none` verdict tells a team "FastAPI cannot do this". Outside the reviewed blockers, a `none` rule
    must be a catalogue code whose every record carries a note naming what FastAPI, Starlette and the
    maintained libraries lack, and the rule's rationale must quote each note."""
    for rule in registry.all_rules():
        if rule.verdict is not Verdict.NONE or rule.code in TRUE_BLOCKERS:
            continue
        records = [ext for ext in EXTENSIONS if ext.code == rule.code]
        assert records, f"{rule.code} is `none` without review: make it partial, or justify it in the catalogue"
        for ext in records:
            assert "FastAPI, Starlette and the maintained libraries" in ext.note, \
                f"{ext.distribution}'s note must say what FastAPI, Starlette and the maintained libraries cannot do"
            assert ext.note in rule.rationale, f"{rule.code}'s rationale does not quote {ext.distribution}'s note"


@pytest.mark.parametrize(
    ("spelling", "normal"),
    [("Flask_Login", "flask-login"), ("flask-login", "flask-login"), ("flask.login", "flask-login"),
     ("Flask-SQLAlchemy", "flask-sqlalchemy")],
)
def test_distribution_names_normalise_like_pip(spelling: str, normal: str) -> None:
    assert normalize_distribution(spelling) == normal


def test_the_inventory_takes_no_use_away_from_the_fallback() -> None:
    """FMA911 matches annotations only; on a class no other rule follows, its matcher would hide every
    other use of that class from FMA900 (the fallback runs where no matcher is registered)."""
    from migrate_audit.rules.inventory import ANNOTATION, _CLASSES

    for qual in _CLASSES:
        others = [r.code for r, _ in registry.USE_MATCHERS[qual] if r is not ANNOTATION]
        assert others, f"{qual}: only the inventory matches it, so FMA900 no longer reports its other uses"
