"""The modules the port writes (port/written/: bridges and helpers, some importing Flask or Werkzeug on purpose) are
kept as written when the ported tree is ported again, the next `--only` step of a strangler (port/plan.py)."""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

from migrate_audit.port import port

WRITTEN = sorted(entry.name for entry in files("migrate_audit.port").joinpath("written").iterdir()
                 if entry.name.endswith(".py"))


@pytest.mark.parametrize("name", WRITTEN)
def test_every_module_the_port_writes_is_kept_as_written_by_the_next_step(tmp_path: Path, name: str) -> None:
    """Not only flask_login_front.py (tests/test_port_login_factory.py): flask_url_fallback.py,
    flask_sqlalchemy_context.py and flask_login_bridge.py got TODOs when the tree was ported again."""
    text = files("migrate_audit.port").joinpath("written", name).read_text(encoding="utf-8")
    folder = tmp_path / "ported"
    folder.mkdir()
    (folder / "app.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get('/')\n"
                                   "def index():\n    return 'x'\n", encoding="utf-8")
    (folder / name).write_text(text, encoding="utf-8")
    result = port(str(folder))
    assert result.after.get(name, text) == text and not any(path == name for path, _ in result.todos), result.todos


def test_a_written_module_people_changed_is_read_as_the_projects_own(tmp_path: Path) -> None:
    name = "flask_url_fallback.py"
    text = files("migrate_audit.port").joinpath("written", name).read_text(encoding="utf-8")
    folder = tmp_path / "ported"
    folder.mkdir()
    (folder / "app.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n", encoding="utf-8")
    (folder / name).write_text(text + "\nEXTRA = 1\n", encoding="utf-8")
    assert any(path == name for path, _ in port(str(folder)).todos)
