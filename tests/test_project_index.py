"""The flake8 plugin's project index (project_index.py): built with several processes, it is the one
built in this process."""
from __future__ import annotations

from pathlib import Path

import pytest

from migrate_audit import project_index, scan, workers


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
    serial: dict = {}
    parallel: dict = {}
    one = scan.index_project(sources, jobs=1, analyses=serial)
    assert pools == []
    several = scan.index_project(sources, jobs=2, analyses=parallel)
    assert pools == [1]
    assert several.exports == one.exports and several.uses_flask == one.uses_flask
    assert one.lookup("app.extensions", "db") == "flask_sqlalchemy.SQLAlchemy()"
    assert parallel.keys() == serial.keys() and len(serial) > workers.PARALLEL_MIN_FILES // 2
    for relpath, (digest, analysis) in serial.items():
        assert parallel[relpath][0] == digest
        assert parallel[relpath][1].findings == analysis.findings, relpath


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
    assert "app/views0.py" in project.analyses
