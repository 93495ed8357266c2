"""`migrate-audit port`: Flask-CORS as CORSMiddleware, where it answers the same."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from migrate_audit.port import port

APP = '''\
from flask import Flask
from flask_cors import CORS

app = Flask(__name__)
{cors}


@app.get("/")
def home():
    return {{}}
'''


def _port(tmp_path: Path, cors: str) -> tuple[str, list[str]]:
    folder = tmp_path / "project"
    folder.mkdir(exist_ok=True)
    (folder / "app.py").write_text(textwrap.dedent(APP.format(cors=cors)), encoding="utf-8")
    result = port(str(folder))
    return result.after.get("app.py", ""), result.notes


def test_explicit_origins_become_the_middleware_with_flask_corss_defaults(tmp_path: Path) -> None:
    text, _ = _port(tmp_path, 'CORS(app, origins=["https://a.example", "https://b.example"])')
    # wrapped at 88 columns, as ruff formats it (port/layout.py)
    assert 'app.add_middleware(\n    CORSMiddleware,\n    allow_origins=["https://a.example", "https://b.example"],\n' \
           '    allow_methods=["*"],\n    allow_headers=["*"],\n)' in text
    assert "flask_cors" not in text and "from fastapi.middleware.cors import CORSMiddleware" in text


@pytest.mark.parametrize("cors, why", [
    ("CORS(app)", "options other than origins="),
    ('CORS(app, origins="*")', "not a list of explicit origins"),
    ('CORS(app, origins=["*"])', "not a list of explicit origins"),
    ('CORS(app, origins=["https://a.example"], supports_credentials=True)', "options other than origins="),
    ('cors = CORS(app, origins=["https://a.example"])', "a module-level statement of its own"),
])
def test_what_flask_cors_answers_otherwise_is_left(tmp_path: Path, cors: str, why: str) -> None:
    from migrate_audit.port import plan
    from migrate_audit.port.convert import Facts, port_file

    text, notes = _port(tmp_path, cors)
    code = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    assert "app = Flask(__name__)" in code and cors in code and "CORSMiddleware" not in code
    project = plan.read_project(str(tmp_path / "project"))  # the reason, from the conversion the port tried
    file = project.parse("app.py")
    port_file(file, plan.resolver(project), None, Facts())
    assert any(why in site.reason for site in file.sites), [site.reason for site in file.sites]
