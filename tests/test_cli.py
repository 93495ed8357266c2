"""The CLI in-process: exit codes, one-line errors, the gate, the JSON contract and its schema."""
from __future__ import annotations

import json
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest

from migrate_audit.cli import main

from conftest import FIXTURES

PROJECT = FIXTURES / "projects" / "factory_app"
SCHEMA = json.loads(files("migrate_audit").joinpath("schema/report.schema.json").read_text())


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def scan_json(capsys: pytest.CaptureFixture[str], *extra: str) -> dict:
    code, out, _ = run(capsys, "scan", str(PROJECT), "--format", "json", "--jobs", "1", *extra)
    assert code == 0
    return json.loads(out)


def test_json_report_validates_against_the_shipped_schema(capsys) -> None:
    report = scan_json(capsys)
    jsonschema.validate(report, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert report["root"] == str(PROJECT)
    assert report["summary"]["files_scanned"] == 8
    assert [(f["path"], f["line"], f["code"]) for f in report["findings"]][:6] == [
        ("shop/__init__.py", 1, "FMA910"), ("shop/__init__.py", 7, "FMA101"), ("shop/__init__.py", 8, "FMA389"),
        ("shop/__init__.py", 9, "FMA389"), ("shop/__init__.py", 12, "FMA107"), ("shop/catalog/__init__.py", 3, "FMA106")]
    # Each extension is adopted once, where it is set up (not at `from .extensions import db`).
    assert [(f["path"], f["line"], f["code"]) for f in report["findings"] if f["code"] in ("FMA301", "FMA303")] == [
        ("shop/extensions.py", 1, "FMA303"), ("shop/extensions.py", 2, "FMA301")]
    assert {e["name"] for e in report["extensions"]} == {"Flask-SQLAlchemy", "Flask-Login"}
    catalog = next(u for u in report["units"] if u["name"] == "shop/catalog")
    assert catalog["blueprints"] == ["catalog"] and catalog["depends_on"] == ["shop"]


def test_json_is_deterministic_across_runs_and_jobs(capsys) -> None:
    first = run(capsys, "scan", str(PROJECT), "--format", "json", "--jobs", "1")[1]
    second = run(capsys, "scan", str(PROJECT), "--format", "json", "--jobs", "2")[1]
    assert first == second


def test_text_summary(capsys) -> None:
    code, out, _ = run(capsys, "scan", str(PROJECT), "--jobs", "1")
    assert code == 0
    assert out.startswith("migrate-audit ")
    assert "Readiness " in out and "shop/catalog/views.py" in out and "\x1b[" not in out  # no colour off a TTY


@pytest.mark.parametrize(("threshold", "expected"), [("0", 0), ("101", 1)])
def test_fail_under(capsys, threshold: str, expected: int) -> None:
    code, _, err = run(capsys, "scan", str(PROJECT), "--fail-under", threshold, "--jobs", "1")
    assert code == expected
    assert ("gate failed" in err) is bool(expected)


def test_fail_on_and_baseline(capsys, tmp_path: Path) -> None:
    assert run(capsys, "scan", str(PROJECT), "--fail-on", "mandatory", "-q")[0] == 1
    baseline = tmp_path / "baseline.json"
    assert run(capsys, "scan", str(PROJECT), "--write-baseline", str(baseline), "-q")[0] == 0
    code, out, _ = run(capsys, "scan", str(PROJECT), "--fail-on", "mandatory", "--baseline", str(baseline), "-q")
    assert code == 0 and "0 new findings" in out


def test_baseline_ignores_line_shifts(capsys, tmp_path: Path) -> None:
    app = tmp_path / "app.py"
    app.write_text("from flask import Flask\napp = Flask(__name__)\n")
    baseline = tmp_path / "b.json"
    run(capsys, "scan", str(app), "--write-baseline", str(baseline), "-q")
    app.write_text("from flask import Flask, jsonify\n\n\napp = Flask(__name__)\nx = jsonify()\n")
    report = json.loads(run(capsys, "scan", str(app), "--format", "json", "--baseline", str(baseline))[1])
    # The import line's text changed, so its inventory finding (information, 0 points) is new too.
    assert [(f["code"], f["baseline"]) for f in report["findings"]] == [
        ("FMA910", False), ("FMA101", True), ("FMA220", False)]
    assert run(capsys, "scan", str(app), "--fail-on", "any", "--baseline", str(baseline), "-q")[0] == 1


def test_select_and_ignore(capsys) -> None:
    report = scan_json(capsys, "--select", "FMA1", "--ignore", "FMA107")
    assert {f["code"] for f in report["findings"]} == {"FMA101", "FMA102", "FMA106"}


def test_suppressed_findings_do_not_count(capsys, tmp_path: Path) -> None:
    app = tmp_path / "app.py"
    app.write_text("from flask import Flask\napp = Flask(__name__)  # noqa: FMA101\n")
    report = json.loads(run(capsys, "scan", str(app), "--format", "json")[1])
    assert [(f["code"], f["suppressed"]) for f in report["findings"]] == [("FMA910", False), ("FMA101", True)]
    # What is left, the import inventory, costs nothing.
    assert report["summary"]["readiness"] == 100 and report["summary"]["suppressed"] == 1


def test_unparseable_file_is_a_diagnostic_not_a_crash(capsys, tmp_path: Path) -> None:
    (tmp_path / "py2.py").write_text("from flask import Flask\napp = Flask(__name__)\nprint 'hello'\n")
    (tmp_path / "ok.py").write_text("from flask import jsonify\nx = jsonify()\n")
    report = json.loads(run(capsys, "scan", str(tmp_path), "--format", "json")[1])
    assert [(d["path"], d["kind"]) for d in report["diagnostics"]] == [("py2.py", "syntax-error")]
    assert [(f["path"], f["code"], f["confidence"]) for f in report["findings"]] == [
        ("ok.py", "FMA910", "high"), ("ok.py", "FMA220", "high"),
        ("py2.py", "FMA910", "low"), ("py2.py", "FMA101", "low")]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["scan", "/does/not/exist"], "does not exist"),
        (["scan", ".", "--fail-under", "-3"], "--fail-under = -3"),
        (["scan", ".", "--select", "XYZ"], "unknown rule code 'XYZ'"),
        (["scan", ".", "--bogus"], "No such option"),
        (["scan", ".", "--config", "/nope.toml"], "does not exist"),
        (["scan", ".", "--jobs", "0"], "--jobs 0"),
        (["scan", ".", "--json", "/no/such/folder/r.json"], "does not exist"),
        (["scan", ".", "--baseline", "/nope.json"], "cannot read baseline"),
        (["explain", "FMA000"], "unknown rule code 'FMA000'"),
        (["frobnicate"], "No such command"),
    ],
)
def test_errors_are_one_line_and_exit_2(capsys, argv: list[str], message: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("migrate-audit: error: ") and message in err
    assert "Traceback" not in err


def test_malformed_pyproject_is_exit_2(capsys, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.migrate-audit]\nselect = [\n")
    code, _, err = run(capsys, "scan", str(tmp_path))
    assert code == 2 and "not valid TOML" in err


def test_rules_and_explain(capsys) -> None:
    code, out, _ = run(capsys, "rules", "--format", "json")
    rules = json.loads(out)
    assert code == 0 and {"code", "title", "category", "effort", "verdict", "counterpart", "links", "before",
                          "after"} <= set(rules[0])
    code, out, _ = run(capsys, "explain", "fma223")
    assert code == 0 and "RedirectResponse" in out and "Before (Flask)" in out and "After (FastAPI)" in out


def test_module_entry_point_and_console_script() -> None:
    result = subprocess.run([sys.executable, "-m", "migrate_audit", "rules"], capture_output=True, text=True)
    assert result.returncode == 0 and "FMA101" in result.stdout


def test_jinja_is_imported_only_for_templates_and_html() -> None:
    # A JSON re-scan whose templates all come from the cache never needs Jinja: importing it (and
    # compiling its lexer's regexes) was 0.15 s of a 0.9 s warm re-scan.
    code = ("import sys, migrate_audit.cli, migrate_audit.filekinds.project; "
            "print('jinja2' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_json_on_stdout_and_in_the_file_is_the_reports_json_text(capsysbinary, tmp_path: Path) -> None:
    """stdout and `--json FILE` get the report as UTF-8 bytes made without the text (cli._echo_json): the
    very bytes of `Report.render("json")` encoded, as the library gives it for the same scan."""
    from migrate_audit import audit

    target = tmp_path / "report.json"
    code = main(["scan", str(PROJECT), "--format", "json", "--jobs", "1", "--json", str(target)])
    out = capsysbinary.readouterr().out
    assert code == 0
    expected = audit(str(PROJECT), jobs=1).render("json").encode("utf-8")
    assert out == expected
    assert target.read_bytes() == expected
