"""The extension layer's facts that fixtures (positions only) cannot show: what the findings say, the
catalogue's names, and the project-wide corrections of rules/_project_facts.py."""
from __future__ import annotations

from pathlib import Path

from migrate_audit.config import Settings
from migrate_audit.ecosystem import EXTENSIONS, extension_for_distribution, extension_for_module, record_for_finding
from migrate_audit.engine import analyze_python
from migrate_audit.report.build import build_report
from migrate_audit.scan import run_scan


def _messages(source: str, code: str) -> list[str]:
    return [f.message for f in analyze_python(source, "app.py").findings if f.code == code]


def test_config_reads_quote_the_real_key() -> None:
    source = ("from flask import current_app\nx = current_app.config['BOOKS_PER_PAGE']\n"
              "y = current_app.config.get(\"SECRET_KEY\")\nz = current_app.config[name]\n")
    counterparts = [f.counterpart for f in analyze_python(source, "app.py").findings if f.code == "FMA503"]
    assert counterparts == ["an attribute of the settings object (`settings.books_per_page`)",
                            "an attribute of the settings object (`settings.secret_key`)",
                            "an attribute of the settings object (`settings.<name>`)"]


def test_the_catalogue_names_each_module_after_its_own_distribution() -> None:
    named = {module: extension_for_module(module).distribution for module in (  # type: ignore[union-attr]
        "flask_security", "flask_principal", "flask_apispec", "flasgger", "flask_restplus", "flask_restx",
        "flask_rq2", "rq", "flask_sockets", "flask_sse", "flask_sock", "flask_assets", "flask_uploads",
        "flask_swagger_ui", "webargs.flaskparser.use_args", "apispec_webframeworks.flask")}
    assert named == {
        "flask_security": "Flask-Security-Too", "flask_principal": "Flask-Principal", "flask_apispec": "flask-apispec",
        "flasgger": "flasgger", "flask_restplus": "Flask-RESTPlus", "flask_restx": "Flask-RESTX",
        "flask_rq2": "Flask-RQ2", "rq": "rq", "flask_sockets": "Flask-Sockets", "flask_sse": "Flask-SSE",
        "flask_sock": "Flask-Sock", "flask_assets": "Flask-Assets", "flask_uploads": "Flask-Uploads",
        "flask_swagger_ui": "flask-swagger-ui", "webargs.flaskparser.use_args": "webargs",
        "apispec_webframeworks.flask": "apispec-webframeworks"}
    # Framework-agnostic packages are no Flask integration.
    assert [extension_for_module(m) for m in ("webargs.fields", "apispec", "authlib.jose", "sentry_sdk")] == [None] * 4
    assert extension_for_distribution("Flask-Security-Too").code == "FMA338"  # type: ignore[union-attr]
    assert extension_for_distribution("flask_security").code == "FMA338"  # type: ignore[union-attr]
    # Only RQ2's record tells an app to drop the Flask-RQ2 glue.
    assert [e.distribution for e in EXTENSIONS if "RQ2" in e.counterpart or "rq.job" in e.counterpart] == ["Flask-RQ2"]


def test_a_shared_code_names_its_distribution_and_the_record_is_found_again() -> None:
    [message] = _messages("import flask\nfrom flask_babelplus import Babel\n", "FMA371")
    assert message == "Flask-BabelPlus (`flask_babelplus`) is imported here"
    assert record_for_finding("FMA371", message).distribution == "Flask-BabelPlus"  # type: ignore[union-attr]


def test_an_unknown_extension_suggests_its_distribution() -> None:
    assert _messages("from flask_fancy_widgets import W\n", "FMA339") == [
        "`flask_fancy_widgets` looks like a Flask extension (distribution Flask-Fancy-Widgets?) that the catalogue "
        "does not know"]


def test_adoption_is_counted_once_per_project_at_its_setup(tmp_path: Path) -> None:
    for name in ("a_views.py", "b_views.py"):
        (tmp_path / name).write_text("from flask_sqlalchemy import SQLAlchemy\n")
    (tmp_path / "c_ext.py").write_text("from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n")
    report = build_report(run_scan([str(tmp_path)], Settings(), jobs=1))
    assert [(f["path"], f["message"]) for f in report["findings"] if f["code"] == "FMA301"] == [
        ("c_ext.py", "Flask-SQLAlchemy (`flask_sqlalchemy`) is set up here")]
    [row] = report["extensions"]
    assert (row["name"], row["findings"], row["uses"], row["files"]) == (
        "Flask-SQLAlchemy", 1, 0, ["c_ext.py"])



def test_a_bare_noqa_hides_nothing_from_the_audit_and_is_counted(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        "from flask import request\n"
        "a = request.args  # noqa\n"  # written for another flake8 check
        "b = request.form  # noqa: FMA202\n"
        "c = request.files  # noqa: E501\n")
    report = build_report(run_scan([str(tmp_path)], Settings(), jobs=1))
    assert [(f["code"], f["suppressed"], f.get("bare_noqa", False)) for f in report["findings"]] == [
        ("FMA910", False, False), ("FMA201", False, True), ("FMA202", True, False), ("FMA203", False, False)]
    assert (report["summary"]["bare_noqa"], report["summary"]["suppressed"]) == (1, 1)


def test_an_extensions_own_repository_does_not_adopt_it(tmp_path: Path) -> None:
    (tmp_path / "flask_admin").mkdir()
    (tmp_path / "flask_admin" / "__init__.py").write_text("class Admin:\n    pass\n")
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "app.py").write_text(
        "from flask import Flask\nfrom flask_admin import Admin\nfrom flask_cors import CORS\n"
        "app = Flask(__name__)\nadmin = Admin(app)\n")
    report = build_report(run_scan([str(tmp_path)], Settings(), jobs=1))
    assert [e["name"] for e in report["extensions"]] == ["Flask-CORS"]
