"""The library entry point (docs/library.md): `audit(paths, **settings).as_dict()` is the very JSON report
`migrate-audit scan --format json` prints for the same paths and settings, its renderings and gate are
the command line's, and a bad setting raises ConfigError with the command line's message."""
from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, REPO
from migrate_audit import ConfigError, Report, audit, merge
from migrate_audit.cli import main

NEW_VIEW = ("from flask import request\n"
            "from shop.catalog.blueprint import bp\n\n\n"
            "@bp.route('/search')\n"
            "def search():\n"
            "    return {'q': request.args.get('q')}\n")


def cli_json(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 0) -> dict[str, Any]:
    assert main(["scan", *argv, "--format", "json"]) == code
    out = capsys.readouterr().out
    return json.loads(out)


@pytest.fixture
def sample(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(REPO)
    return "examples/bookshelf"  # the path as a reader of the README gives it: the report shows it so


@pytest.mark.parametrize("epoch", [None, "1767225600"], ids=["no-date", "SOURCE_DATE_EPOCH"])
def test_the_sample_app_report_is_the_cli_json(sample: str, epoch: str | None, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole report, no key left out: a report carries a date (`generated_at`) only when
    SOURCE_DATE_EPOCH asks for one, and then both carry the same."""
    if epoch is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    expected = cli_json(capsys, sample, "--no-cache")
    report = audit([sample], no_cache=True)
    assert isinstance(report, Report)
    assert report.as_dict() == expected
    assert report.as_dict()["summary"] == expected["summary"] and expected["summary"]["findings"] > 100
    assert ("generated_at" in expected) == (epoch is not None)
    assert json.loads(report.render("json")) == expected
    # With the result cache and the saved report, as the command line runs by default.
    assert audit(sample).as_dict() == expected == cli_json(capsys, sample)


def test_the_readme_one_liner_prints_the_cli_summary(tmp_path: Path) -> None:
    """The exact command README.md and docs/library.md show, in a fresh process, against the command line's."""
    env = dict(os.environ, MIGRATE_AUDIT_CACHE_DIR=str(tmp_path))
    env.pop("SOURCE_DATE_EPOCH", None)
    one_liner = "from migrate_audit import audit; print(audit(['examples/bookshelf']).as_dict()['summary'])"
    library = subprocess.run([sys.executable, "-c", one_liner], cwd=REPO, env=env, capture_output=True, text=True,
                             timeout=300)
    command = subprocess.run([sys.executable, "-m", "migrate_audit", "scan", "examples/bookshelf", "--format", "json"],
                             cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert library.returncode == 0 and command.returncode == 0, library.stderr + command.stderr
    # Python's repr of the dictionary (keys in the report's order) against the JSON's (keys sorted).
    assert ast.literal_eval(library.stdout) == json.loads(command.stdout)["summary"]


@pytest.fixture
def configured(factory_app_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    """factory_app with a pyproject.toml the scan finds (an effort override and an extend-ignore), a
    baseline of its findings, and then a new view with new findings."""
    monkeypatch.chdir(factory_app_copy.parent)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    (factory_app_copy / "pyproject.toml").write_text(
        '[tool.migrate-audit]\nextend-ignore = ["FMA505"]\n\n[tool.migrate-audit.effort]\nFMA101 = 13\n')
    assert main(["scan", "factory_app", "-q", "--no-cache", "--write-baseline", "baseline.json"]) == 0
    (factory_app_copy / "shop" / "catalog" / "search.py").write_text(NEW_VIEW)
    capsys.readouterr()
    return "factory_app"


def test_a_project_with_config_options_and_baseline_is_the_cli_json(
        configured: str, capsys: pytest.CaptureFixture[str]) -> None:
    expected = cli_json(capsys, configured, "--select", "FMA1,FMA2,FMA3", "--ignore", "FMA303",
                        "--baseline", "baseline.json", "--exclude", "tests_*.py")
    report = audit(configured, select="FMA1,FMA2,FMA3", ignore=["FMA303"], baseline="baseline.json",
                   exclude="tests_*.py")
    assert report.as_dict() == expected
    # What each option did, so that the comparison is not of two reports that ignore them alike.
    codes = {f["code"] for f in expected["findings"]}
    assert codes and all(code.startswith(("FMA1", "FMA2", "FMA3")) for code in codes) and "FMA303" not in codes
    assert expected["config"] == str((Path(configured) / "pyproject.toml").resolve())
    assert {f["effort"] for f in expected["findings"] if f["code"] == "FMA101"} == {13}
    new = [f for f in expected["findings"] if not f["baseline"]]
    assert {f["path"] for f in new} == {"shop/catalog/search.py"}
    assert expected["summary"]["new_findings"] == len(new) < expected["summary"]["findings"]
    assert not any(f["path"].startswith("shop/tests_") for f in expected["findings"])


def test_table_keys_as_keywords_are_the_config_files(configured: str, tmp_path: Path) -> None:
    """`effort`, `category`, `per_file_ignores`, `extend_ignore` given to audit() do what the same keys in
    a config file do."""
    table = ('[tool.migrate-audit]\nextend-ignore = ["FMA343"]\n[tool.migrate-audit.effort]\nFMA301 = 1\n'
             '[tool.migrate-audit.category]\nFMA107 = "potential"\n'
             '[tool.migrate-audit.per-file-ignores]\n"shop/models.py" = ["FMA3"]\n')
    (tmp_path / "other.toml").write_text(table)
    (tmp_path / "empty.toml").write_text("[tool.migrate-audit]\n")  # instead of the project's pyproject.toml
    from_file = audit(configured, config=tmp_path / "other.toml", no_cache=True).as_dict()
    given = audit(configured, config=tmp_path / "empty.toml", effort={"FMA301": 1}, category={"FMA107": "potential"},
                  extend_ignore=["FMA343"], per_file_ignores={"shop/models.py": ["FMA3"]}, no_cache=True).as_dict()
    for report in (from_file, given):
        report.pop("config")
    assert given == from_file
    findings = given["findings"]
    assert "FMA343" not in {f["code"] for f in findings} and "FMA505" in {f["code"] for f in findings}
    assert {f["category"] for f in findings if f["code"] == "FMA107"} == {"potential"}
    assert {f["effort"] for f in findings if f["code"] == "FMA301"} == {1}
    assert not [f for f in findings if f["path"] == "shop/models.py" and f["code"].startswith("FMA3")]


def test_renderings_and_gate_are_the_clis(sample: str, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # HTML and Markdown show the date
    report = audit(sample, fail_on="blocker", fail_under=50)
    for output_format in ("json", "sarif", "markdown", "csv", "html"):
        assert main(["scan", sample, "--format", output_format, "--fail-on", "blocker", "--fail-under", "50"]) == 1
        printed = capsys.readouterr().out
        if output_format == "html":  # the page shows how long the scan took: this run's, not the CLI's
            printed = _duration(printed, report.context.duration)
        assert report.render(output_format) == printed, output_format
    verdict = report.gate()
    assert main(["scan", sample, "-q", "--fail-on", "blocker", "--fail-under", "50"]) == verdict.exit_code == 1
    err = capsys.readouterr().err
    assert not verdict.passed and len(verdict.failures) == 2
    assert [line for line in err.splitlines() if "gate failed" in line] == [
        f"migrate-audit: gate failed: {reason}" for reason in verdict.failures]
    assert len(verdict.findings) == report.as_dict()["summary"]["blockers"] > 0
    assert audit(sample).gate().passed  # no gate set: passes


def _duration(html: str, seconds: float | None) -> str:
    shown = re.findall(r"<dd>\d+\.\d\d s</dd>", html)
    assert len(shown) == 1 and seconds is not None
    return html.replace(shown[0], f"<dd>{seconds:.2f} s</dd>")


def test_text_is_plain_unless_asked_for_colour(sample: str) -> None:
    report = audit(sample)
    plain, styled = report.render("text"), report.render("text", color=True)
    assert "\x1b[" not in plain and "\x1b[" in styled
    assert len(report.render("text", quiet=True)) < len(plain)
    with pytest.raises(ValueError, match="unknown report format 'yaml'"):
        report.render("yaml")


def test_merge_is_the_clis(configured: str, capsys: pytest.CaptureFixture[str]) -> None:
    for index in (1, 2):
        assert main(["scan", configured, "-q", "--no-cache", "--shard", f"{index}/2", "--json", f"{index}.json"]) == 0
    capsys.readouterr()
    expected = json.loads(_stdout(capsys, ["merge", "1.json", "2.json", "--format", "json"]))
    merged = merge(["1.json", Path("2.json")])
    assert merged.as_dict() == expected == audit(configured, no_cache=True).as_dict()
    assert merge(["1.json", "2.json"], fail_on="any").gate().exit_code == 1


def _stdout(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(("settings", "option"), [
    ({"select": "FMA1,NOPE"}, "--select"),
    ({"ignore": ["XYZ"]}, "--ignore"),
    ({"fail_under": -1.0}, "--fail-under"),
    ({"jobs": 0}, "--jobs"),
    ({"shard": "3/2"}, "--shard"),
    ({"config": "missing.toml"}, "--config"),
    ({"cache_dir": "examples/bookshelf/.cache"}, "--cache-dir"),
    ({"baseline": "missing.json"}, "baseline"),
])
def test_a_bad_setting_raises_the_clis_error(sample: str, settings: dict[str, Any], option: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """ConfigError (a ValueError), with the very line the command line prints for the same option."""
    argv = ["scan", sample]
    for name, value in settings.items():
        flag = "--" + name.replace("_", "-")
        argv += [flag, ",".join(value) if isinstance(value, list) else str(value)]
    assert main(argv) == 2
    line = capsys.readouterr().err
    with pytest.raises(ConfigError) as raised:
        audit(sample, **settings)
    assert isinstance(raised.value, ValueError)
    assert line == f"migrate-audit: error: {raised.value}\n" and option in line


@pytest.mark.parametrize(("paths", "settings", "message"), [
    ("examples/bookshelf", {"fail_on": "everything"}, "--fail-on = 'everything'; use one of mandatory"),
    ("examples/bookshelf", {"jobs": True}, "--jobs True: use a number"),
    ("examples/bookshelf", {"shard": "1/2", "fail_under": 50}, "--fail-under needs the whole project's score"),
    ("examples/bookshelf", {"effort": {"FMA101": 4}}, "audit() effort.FMA101 = 4; use one of 0, 1, 3, 5, 7, 13"),
    ("examples/bookshelf", {"category": {"FMA999": "optional"}}, "audit() category: unknown rule code 'FMA999'"),
    ("examples/bookshelf", {"exclude": [3]}, "--exclude (3,): give glob patterns as text"),
    ("no/such/folder", {}, "path no/such/folder does not exist"),
    ([], {}, "no path to audit"),
])
def test_library_only_mistakes_raise_config_error(sample: str, paths: Any, settings: dict[str, Any],
                                                  message: str) -> None:
    with pytest.raises(ConfigError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        audit(paths, **settings)


def test_an_unknown_keyword_is_a_type_error(sample: str) -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'selcet'"):
        audit(sample, selcet="FMA1")


def test_merge_settings_and_inputs_raise_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--fail-under = -5"):
        merge([tmp_path / "a.json"], fail_under=-5)
    with pytest.raises(ConfigError, match="cannot read"):
        merge([tmp_path / "a.json"])


def test_importing_the_package_loads_no_pipeline() -> None:
    """`import migrate_audit` (the flake8 plugin's first import) stays cheap: the library loads on use."""
    code = ("import sys, migrate_audit; before = sorted(m for m in sys.modules if m.startswith('migrate_audit.'));"
            " migrate_audit.audit; print(before, 'migrate_audit.pipeline' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.strip() == "[] True"


def test_a_fixture_report_sample_with_its_own_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """The golden-file project (excludes and suppressions from its pyproject.toml, a syntax error)."""
    shutil.copytree(FIXTURES / "report_sample", tmp_path / "report_sample")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    expected = cli_json(capsys, "report_sample", "--no-cache")
    assert expected["config"] and expected["summary"]["suppressed"] and expected["diagnostics"]
    assert audit("report_sample", no_cache=True).as_dict() == expected
