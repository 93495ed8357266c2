"""`migrate-audit port`: the Flask() settings that port with the app (Flask's default folders, the static URL
path), and those that keep it Flask."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from migrate_audit.port import port


def _port(tmp_path: Path, creation: str) -> tuple[str, list[str]]:
    folder = tmp_path / "project"
    (folder / "static").mkdir(parents=True, exist_ok=True)
    (folder / "static" / "app.css").write_text("body {}\n", encoding="utf-8")
    (folder / "app.py").write_text(textwrap.dedent(f'''\
        from flask import Flask

        app = {creation}


        @app.get("/")
        def home():
            return {{}}
        '''), encoding="utf-8")
    result = port(str(folder))
    return result.after.get("app.py", ""), result.notes


def test_default_folders_and_the_static_url_path_port(tmp_path: Path) -> None:
    text, notes = _port(tmp_path, 'Flask(__name__, static_folder="static", template_folder="templates", '
                                  'static_url_path="/assets")')
    # wrapped at 88 columns, as ruff formats it (port/layout.py)
    assert "app = FastAPI()" in text and 'app.mount(\n    "/assets",\n    StaticFiles(' in text and not notes


@pytest.mark.parametrize("creation", ['Flask(__name__, static_folder="public")', 'Flask(__name__, template_folder="t")',
                                      'Flask(__name__, instance_relative_config=True)',
                                      'Flask(__name__, static_url_path="")'])
def test_other_settings_keep_the_app_flask(tmp_path: Path, creation: str) -> None:
    text, notes = _port(tmp_path, creation)
    assert f"app = {creation}" in text and any("app stays Flask" in note for note in notes)
