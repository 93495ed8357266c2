"""Templates drafted before the project facts are final (filekinds/drafts.py): a draft is used only when
each question it asked of the facts gets the same answer from the final facts, and then it is the very
analysis the final facts give; a scan that drafts reports what one that does not reports."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from migrate_audit.config import Settings
from migrate_audit.filekinds import TEMPLATE, ProjectFacts
from migrate_audit.filekinds.drafts import AskedNames, Drafting, draft_template
from migrate_audit.filekinds import project
from migrate_audit.filekinds.project import _analyze, _stamp
from migrate_audit.model import SourceFile
from migrate_audit.scan import run_scan

TEMPLATES = FIXTURES / "rules" / "templates" / "template"
GLOBALS = TEMPLATES / "flask_globals.html"  # url_for keywords, Flask globals


def facts(parameters: set[str], context: set[str]) -> ProjectFacts:
    return ProjectFacts(frozenset({"flask"}), frozenset(parameters), frozenset(context))


def outcome_of(path: Path, given: ProjectFacts) -> tuple:
    result, includes = _analyze(TEMPLATE, str(path), path.name, given)
    return [(f.code, f.line, f.column, f.message) for f in result.findings], result.diagnostics, includes


def test_asked_names_note_each_lookup_and_its_answer() -> None:
    names = AskedNames(frozenset({"book_id"}))
    assert "book_id" in names and "page" not in names
    assert names.asked == {"book_id": True, "page": False}
    assert names == frozenset({"book_id"})


def test_a_draft_holds_when_every_answer_is_the_same_and_is_then_the_final_analysis() -> None:
    guess = facts({"book_id", "unused"}, set())
    draft = draft_template((TEMPLATE, str(GLOBALS), GLOBALS.name), guess)
    assert draft is not None and draft.parameters.get("book_id") is True and "page" in draft.parameters
    stamp = _stamp(str(GLOBALS), "final")
    # Other names, never asked about, change nothing: the draft is the analysis the final facts give.
    final = facts({"book_id", "other"}, set())
    assert draft.holds(TEMPLATE, final, stamp)
    result, includes = draft.outcome
    assert ([(f.code, f.line, f.column, f.message) for f in result.findings], result.diagnostics, includes) \
        == outcome_of(GLOBALS, final)
    # A different answer to a question asked: analysed again (and the findings do differ).
    for changed in (facts(set(), set()), facts({"book_id", "page"}, set()), facts({"book_id"}, {"session"})):
        assert not draft.holds(TEMPLATE, changed, stamp)
    assert outcome_of(GLOBALS, facts({"book_id", "page"}, set())) != outcome_of(GLOBALS, final)
    # Another file's bytes, or unknown path parameters: no draft stands.
    assert not draft.holds(TEMPLATE, final, (stamp[0] + 1, stamp[1], "final"))
    assert not draft.holds(TEMPLATE, ProjectFacts(frozenset({"flask"}), None, frozenset()), stamp)


def test_drafting_takes_templates_largest_first_and_skips_what_the_cache_has(tmp_path: Path) -> None:
    sources = []
    for name, size in (("a.html", 10), ("b.html", 3000), ("c.html", 200)):
        (tmp_path / name).write_text("x" * size)
        sources.append(SourceFile(str(tmp_path / name), f"templates/{name}", TEMPLATE))
    sources.append(SourceFile(str(tmp_path / "c.html"), "app.py", "python"))
    cached = _stamp(str(tmp_path / "c.html"), "old facts")
    drafting = Drafting(sources, {"templates/c.html": (cached, None)}, None)
    assert [task[2] for task in drafting.take(budget=3005)] == ["templates/b.html"]
    assert [task[2] for task in drafting.take()] == ["templates/a.html"]
    assert drafting.take() == []
    owned = Drafting(sources, None, lambda relpath: relpath != "templates/b.html")
    assert sorted(task[2] for task in owned.todo) == ["templates/a.html", "templates/c.html"]


def test_a_scan_that_drafts_reports_what_one_that_does_not_reports(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # Enough Python files for a worker pool (drafts are made by workers only), routes with path
    # parameters, render calls that pass `config`, and templates that ask about both.
    tree = tmp_path / "app"
    (tree / "templates").mkdir(parents=True)
    for n in range(80):
        (tree / f"views{n}.py").write_text(
            "from flask import Blueprint, render_template\n"
            f"bp = Blueprint('b{n}', __name__)\n\n\n"
            f"@bp.route('/item/<int:item{n}>')\n"
            f"def show(item{n}):\n"
            f"    return render_template('t{n}.html', config={n})\n")
    for n in range(40):
        shutil.copy(GLOBALS, tree / "templates" / f"g{n}.html")
        (tree / "templates" / f"t{n}.html").write_text(
            f"{{{{ url_for('b{n}.show', item{n}=1, page=2) }}}} {{{{ config.x }}}} {{{{ g.user }}}}\n")

    given: list[dict] = []
    audit = project.audit_project_files

    def spying(*args, **kwargs):  # type: ignore[no-untyped-def]
        given.append(kwargs.get("drafts") or {})
        return audit(*args, **kwargs)

    monkeypatch.setattr(project, "audit_project_files", spying)

    def report(jobs: int) -> list:
        result = run_scan([str(tree)], Settings(), jobs=jobs)
        return [(r.path, [(f.code, f.line, f.column, f.message) for f in r.findings], r.diagnostics)
                for r in result.files]

    assert report(2) == report(1)
    drafted, unused = given
    assert drafted and not unused  # drafted in the worker pool only (the first scan)
