"""The flake8 plugin's project index (project_index.py): built with several processes, it is the one
built in this process."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from migrate_audit import scan, workers
from migrate_audit.index import plugin_store as project_index
from migrate_audit.index import result_cache as cache


def _project(root: Path, modules: int) -> None:
    """A package with an extension object, a factory, and `modules` view modules using both."""
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    app = root / "app"
    app.mkdir()
    (app / "__init__.py").write_text("from .factory import create_app\n")
    (app / "extensions.py").write_text("from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n")
    (app / "factory.py").write_text(
        "from flask import Flask\nfrom .extensions import db\n\n\n"
        "def create_app():\n    app = Flask(__name__)\n    db.init_app(app)\n    return app\n")
    (app / "wsgi.py").write_text("from app import create_app\n\napplication = create_app()\n")
    for n in range(modules):
        (app / f"views{n}.py").write_text(
            "from flask import Blueprint, jsonify\nfrom .extensions import db\n\n"
            f"bp = Blueprint('v{n}', __name__)\n\n\n@bp.route('/items/{n}')\n"
            f"def items():\n    return jsonify(db.session.query(1).all())\n")


def test_an_index_built_in_several_processes_is_the_one_built_here(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path, workers.PARALLEL_MIN_FILES)  # enough files for the index build to start workers
    pools: list[object] = []
    real_pool = workers.ProcessPoolExecutor
    monkeypatch.setattr(workers, "ProcessPoolExecutor", lambda *a, **k: pools.append(1) or real_pool(*a, **k))
    files = project_index._python_files(str(tmp_path))
    assert files is not None and len(files) >= workers.PARALLEL_MIN_FILES
    sources = [project_index.SourceFile(path, rel, "python") for path, rel, _, _ in files]
    one, serial = scan.index_project(sources, jobs=1)
    assert pools == []
    several, parallel = scan.index_project(sources, jobs=2)
    assert pools == [1]
    assert several.exports == one.exports and several.uses_flask == one.uses_flask
    assert one.lookup("app.extensions", "db") == "flask_sqlalchemy.SQLAlchemy()"
    analysed = [s.source.relpath for s in serial if s.analysis is not None]
    assert analysed == [s.source.relpath for s in parallel if s.analysis is not None]
    assert len(analysed) > workers.PARALLEL_MIN_FILES // 2
    for alone, pooled in zip(serial, parallel):
        assert pooled.analysed_text == alone.analysed_text, alone.source.relpath
        assert (pooled.analysis and pooled.analysis.findings) == (alone.analysis and alone.analysis.findings)


def test_without_worker_processes_the_index_is_built_in_this_process(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Where processes cannot be started (flake8 then checks files serially), a cold index asked for in
    several processes is built in this one, not left out."""
    (tmp_path / "demo").mkdir()
    _project(tmp_path / "demo", workers.PARALLEL_MIN_FILES)
    monkeypatch.setenv("MIGRATE_AUDIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(project_index, "_PROJECTS", {})

    def no_pool(*args: object, **kwargs: object) -> None:
        raise NotImplementedError("this system lacks a functioning sem_open")

    monkeypatch.setattr(workers, "ProcessPoolExecutor", no_pool)
    project = project_index.project_for(str(tmp_path / "demo" / "app" / "views0.py"), jobs=2)
    assert project is not None
    assert project.index.lookup("app.extensions", "db") == "flask_sqlalchemy.SQLAlchemy()"
    views = project.summaries["app/views0.py"]
    assert views is not None and views.analysis is not None and views.analysed_text


def _analysed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files index builds analyse from now on, in order."""
    seen: list[str] = []
    real = scan._analyze_read
    monkeypatch.setattr(scan, "_analyze_read",
                        lambda source, *args, **kwargs: seen.append(source.relpath) or real(source, *args, **kwargs))
    return seen


def _edit(path: Path, text: str | None = None) -> None:
    """Rewrite `path` (or only touch it), with an mtime a second later: file systems with coarse clocks."""
    if text is not None:
        path.write_text(text)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


def _new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(project_index, "_PROJECTS", {})


def _as_built_afresh(project: project_index.Project) -> None:
    """The project's index and analyses are those of a build from nothing."""
    files = project_index._python_files(project.root)
    assert files is not None
    index, summaries = _INDEX_PROJECT([project_index.SourceFile(path, rel, "python") for path, rel, _, _ in files])
    assert project.index.exports == index.exports and project.index.uses_flask == index.uses_flask
    assert sorted(project.files) == sorted(summary.source.relpath for summary in summaries)
    for summary in summaries:
        relpath = summary.source.relpath
        kept = project._summary(relpath, project.files[relpath])  # from memory, else from the store
        assert kept is not None and kept.analysed_text == summary.analysed_text == project.files[relpath].text, relpath
        assert (kept.analysis and kept.analysis.findings) == (summary.analysis and summary.analysis.findings)


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose index is in the disk cache, as a first flake8 run leaves it."""
    root = tmp_path / "demo"
    root.mkdir()
    _project(root, 3)
    monkeypatch.setenv("MIGRATE_AUDIT_CACHE_DIR", str(tmp_path / "cache"))
    _new_process(monkeypatch)
    assert project_index.project_for(str(root / "app" / "views0.py")) is not None
    _new_process(monkeypatch)
    return root


_INDEX_PROJECT = scan.index_project  # the real one, for the tests that forbid the plugin to call it


def _no_rebuild(monkeypatch: pytest.MonkeyPatch) -> None:
    def rebuild(*args: object) -> None:
        raise AssertionError("the index was made again")

    monkeypatch.setattr(scan, "index_project", rebuild)  # imported by project_index when it builds


def test_after_an_edit_only_the_edited_file_is_analysed_again(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A save that changes no export: the edited file is analysed under the index as it is, which stands."""
    seen = _analysed(monkeypatch)
    _no_rebuild(monkeypatch)
    _edit(demo / "app" / "views1.py", (demo / "app" / "views1.py").read_text() + "\n\n@bp.route('/more')\ndef more():\n"
          "    return jsonify([])\n")
    project = project_index.project_for(str(demo / "app" / "views0.py"))
    assert project is not None and seen == ["app/views1.py"]
    _as_built_afresh(project)


def test_a_new_export_reaches_the_files_that_import_it(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`db` stops being Flask-SQLAlchemy: the modules that import it are analysed again, the others not
    (nor extensions.py itself, which no longer mentions Flask)."""
    seen = _analysed(monkeypatch)
    _edit(demo / "app" / "extensions.py", "db = object()\n")
    project = project_index.project_for(str(demo / "app" / "views0.py"))
    assert project is not None
    assert sorted(seen) == ["app/factory.py", "app/views0.py", "app/views1.py", "app/views2.py"]
    assert project.index.lookup("app.extensions", "db") is None
    _as_built_afresh(project)


def test_new_and_deleted_files(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _analysed(monkeypatch)
    (demo / "app" / "views2.py").unlink()
    (demo / "app" / "admin.py").write_text("from flask import Blueprint\n\nadmin = Blueprint('admin', __name__)\n")
    project = project_index.project_for(str(demo / "app" / "views0.py"))
    assert project is not None and seen == ["app/admin.py"]
    assert "app/views2.py" not in project.files
    _as_built_afresh(project)


def test_a_file_touched_but_not_changed_keeps_its_analysis(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _analysed(monkeypatch)
    _no_rebuild(monkeypatch)
    _edit(demo / "app" / "views0.py")
    project = project_index.project_for(str(demo / "app" / "views0.py"))
    assert project is not None and seen == []
    assert project.files["app/views0.py"].text  # its analysis is still there for the linted text
    _as_built_afresh(project)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "summaries-garbled"])
def test_a_damaged_store_is_never_trusted(demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          damage: str) -> None:
    (store,) = (tmp_path / "cache" / "flake8-index").glob("*.pickle")
    data = store.read_bytes()
    loaded = project_index._open_store(str(store), str(demo))
    assert loaded is not None and loaded.store is not None
    base = loaded.store.base  # where the header ends
    if damage == "garbage":
        store.write_bytes(b"\x80\x05not a pickle at all")
    elif damage == "truncated":
        store.write_bytes(data[: base // 2])
    else:  # the header intact, every summary after it overwritten
        store.write_bytes(data[:base] + bytes(len(data) - base))
    seen = _analysed(monkeypatch)
    project = project_index.project_for(str(demo / "app" / "views0.py"))
    assert project is not None
    if damage == "summaries-garbled":
        assert seen == []  # the index itself was readable
        views = (demo / "app" / "views0.py").read_text()
        assert project.analysis_for("app/views0.py", views) is None  # analysed afresh by the plugin
        # An edit needs the file's summary, which is garbled: the index is made again, without the
        # garbled summaries either. (A touch needs none: the summaries stay unread, and the plugin keeps
        # analysing each file afresh.)
        _edit(demo / "app" / "views1.py", (demo / "app" / "views1.py").read_text() + "\nx = 1\n")
        _new_process(monkeypatch)
        project = project_index.project_for(str(demo / "app" / "views0.py"))
        assert project is not None
    else:
        assert "app/views0.py" in seen
    _as_built_afresh(project)


def test_a_store_replaced_since_its_header_was_read_gives_nothing(demo: Path) -> None:
    """A store another process wrote after this one read the index (for another state of the tree) is
    another file: nothing is read from it, even where it holds the very same bytes."""
    project = project_index.project_for(str(demo / "app" / "views0.py"))
    assert project is not None and project.store is not None
    views = (demo / "app" / "views0.py").read_text()
    same_bytes = Path(project.store.path).read_bytes()
    assert cache.write_cache_file(project.store.path, [same_bytes]) is not None
    assert project.analysis_for("app/views0.py", views) is None
    reopened = project_index.project_for(str(demo / "app" / "views0.py"))  # within REVALIDATE_SECONDS: the same
    assert reopened is project
    fresh = project_index._open_store(project.store.path, str(demo))
    assert fresh is not None and fresh.analysis_for("app/views0.py", views) is not None


def test_many_edits_make_the_index_again(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A checkout or a formatter run changes many files: they are not checked one by one."""
    monkeypatch.setattr(project_index, "MAX_EDITED", 1)
    seen = _analysed(monkeypatch)
    for name in ("views0.py", "views1.py"):
        _edit(demo / "app" / name, (demo / "app" / name).read_text() + "\nx = 1\n")
    project = project_index.project_for(str(demo / "app" / "views0.py"))
    assert project is not None and sorted(seen) == ["app/views0.py", "app/views1.py"]
    assert len(project.summaries) == len(project.files)  # made again: every summary in memory
    _as_built_afresh(project)


def _release(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """This process runs another release of migrate-audit: another store name, another header."""
    for module in (cache, project_index):
        monkeypatch.setattr(module, "tool_fingerprint", lambda: f"{name}-release")


def test_each_release_keeps_its_own_store(demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An editor's environment and pre-commit's may lint one project with two releases of migrate-audit:
    each keeps its store, so neither makes the index again after the other ran; the oldest go."""
    folder = tmp_path / "cache" / "flake8-index"
    assert len(list(folder.glob("*.pickle"))) == 1
    seen = _analysed(monkeypatch)
    for release in ("pre-commit", "editor", "pre-commit", "editor"):
        _new_process(monkeypatch)
        _release(monkeypatch, release)
        assert project_index.project_for(str(demo / "app" / "views0.py")) is not None
    per_file = len(seen) // 2
    assert per_file > 0 and seen == seen[:per_file] * 2  # each release built its index once, not twice
    assert len(list(folder.glob("*.pickle"))) == 3
    for release in ("ci", "another"):
        _new_process(monkeypatch)
        _release(monkeypatch, release)
        assert project_index.project_for(str(demo / "app" / "views0.py")) is not None
    assert len(list(folder.glob("*.pickle"))) == project_index.MAX_STORES_PER_ROOT


def test_a_fresh_checkout_with_the_cache_kept_analyses_nothing(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A CI job that keeps the cache folder between runs: every file has a new mtime, the same bytes. Each
    is read to compare its bytes; none is analysed, no stored summary is read, the index is not made."""
    monkeypatch.setattr(project_index, "MAX_EDITED", 0)  # as in a project of more than MAX_EDITED files
    for path in (demo / "app").glob("*.py"):
        _edit(path)
    seen = _analysed(monkeypatch)
    _no_rebuild(monkeypatch)
    project = project_index.project_for(str(demo / "app" / "views0.py"))
    assert project is not None and seen == [] and project.summaries == {}
    stamps = {rel: mtime for _, rel, mtime, _ in project_index._python_files(str(demo)) or []}
    assert {rel: entry.mtime_ns for rel, entry in project.files.items()} == stamps
    _as_built_afresh(project)
    seen.clear()  # (the build from nothing just made is recorded too)
    _new_process(monkeypatch)  # the store was written with the new stamps: the next run reads it as it is
    again = project_index.project_for(str(demo / "app" / "views0.py"))
    assert again is not None and again.signature == project.signature and seen == []


def test_an_edit_that_keeps_the_size_is_seen(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Among files with a new mtime, one whose bytes changed at the same size is an edit, not a touch."""
    seen = _analysed(monkeypatch)
    views = demo / "app" / "views1.py"
    for path in (demo / "app").glob("*.py"):
        _edit(path)
    _edit(views, views.read_text().replace("/items/1", "/things1"))
    project = project_index.project_for(str(demo / "app" / "views0.py"))
    assert project is not None and seen == ["app/views1.py"]
    findings = project.analysis_for("app/views1.py", views.read_text())
    assert findings is not None and any("/things1" in finding.message for finding in findings.findings)
    _as_built_afresh(project)


def test_a_fresh_checkout_with_a_new_file_analyses_the_new_file(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The index is made again (another file set), still from the stored analyses of the files whose
    bytes did not change, found by their content hash."""
    for path in (demo / "app").glob("*.py"):
        _edit(path)
    (demo / "app" / "extra.py").write_text("from flask import Blueprint\n\nextra = Blueprint('extra', __name__)\n")
    seen = _analysed(monkeypatch)
    project = project_index.project_for(str(demo / "app" / "views0.py"))
    assert project is not None and seen == ["app/extra.py"]
    _as_built_afresh(project)
