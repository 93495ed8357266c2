"""`scan --shard I/N`: a deterministic, stable part of the files per shard, and every finding as a single scan
finds it."""
from __future__ import annotations

import collections
import json
import shutil
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import FIXTURES, REPO
from migrate_audit import scan as scan_module
from migrate_audit.cli import main
from migrate_audit.config import Settings
from migrate_audit.scan import run_scan
from migrate_audit.shard import Shard, parse_shard, shard_of

SCHEMA = json.loads(files("migrate_audit").joinpath("schema/report.schema.json").read_text())
PROJECTS = {
    "bookshelf": REPO / "examples" / "bookshelf",  # templates, requirements, Dockerfile, Procfile, wsgi.py
    "report_sample": FIXTURES / "report_sample",  # a config with excludes, suppressions, a syntax error
    "factory_app": FIXTURES / "projects" / "factory_app",
    "sqlalchemy_app": FIXTURES / "projects" / "sqlalchemy_app",
}


@pytest.fixture(autouse=True)
def no_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # reports then carry no timestamp at all


def copy(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A copy of a fixture project in tmp_path, which becomes the working folder; returns its path."""
    shutil.copytree(PROJECTS[name], tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return name


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def scan_to(capsys: pytest.CaptureFixture[str], project: str, target: str, *extra: str,
            cache: bool = False) -> dict[str, Any]:
    """Without the result cache unless asked: a shard must get every finding right from the files alone,
    not from the analyses a previous scan left in the cache."""
    options = () if cache else ("--no-cache",)
    code, _, err = run(capsys, "scan", project, "--json", target, "-q", "--jobs", "1", *options, *extra)
    assert code == 0, err
    return json.loads(Path(target).read_text())


def error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("migrate-audit: error: ")
    assert "Traceback" not in err and "internal error" not in err
    return lines[0]


# --- assignment ---------------------------------------------------------------------------------


def test_assignment_is_pinned() -> None:
    """A function of the path alone, the same on every machine: pinned, because changing it re-deals every
    file of every sharded CI job, which must be a deliberate change."""
    paths = ("app/views.py", "app/models.py", "requirements.txt", "Dockerfile", "app/templates/base.html")
    assert [shard_of(p, 4) for p in paths] == [2, 2, 3, 1, 4]
    assert [shard_of(p, 7) for p in paths] == [1, 6, 7, 6, 6]
    assert {shard_of(p, 1) for p in paths} == {1}


def test_every_path_belongs_to_exactly_one_shard_and_shards_are_balanced() -> None:
    paths = [f"pkg{i % 37}/module_{i}.py" for i in range(4000)]
    for count in (2, 3, 8):
        owners = [[i for i in range(1, count + 1) if Shard(i, count).owns(p)] for p in paths]
        assert all(len(o) == 1 for o in owners)
        sizes = collections.Counter(o[0] for o in owners)
        assert sorted(sizes) == list(range(1, count + 1))
        expected = len(paths) / count
        assert all(abs(size - expected) < 0.15 * expected for size in sizes.values()), sizes


def test_adding_files_moves_no_other_file(tmp_path: Path) -> None:
    project = tmp_path / "app"
    project.mkdir()
    for i in range(12):
        (project / f"m{i}.py").write_text("from flask import request\nx = request.args\n")
    before = {i: {f.path for f in run_scan([str(project)], Settings(), shard=Shard(i, 3)).files} for i in (1, 2, 3)}
    for i in range(12, 30):
        (project / f"m{i}.py").write_text("from flask import request\nx = request.args\n")
    (project / "requirements.txt").write_text("flask\n")
    after = {i: {f.path for f in run_scan([str(project)], Settings(), shard=Shard(i, 3)).files} for i in (1, 2, 3)}
    for i in (1, 2, 3):
        assert before[i] <= after[i]  # every old file stayed in its shard
    assert sorted(p for paths in after.values() for p in paths) == sorted(
        [f"m{i}.py" for i in range(30)] + ["requirements.txt"])  # each file in exactly one shard


@pytest.mark.parametrize("text, expected", [("1/1", Shard(1, 1)), ("2/3", Shard(2, 3)), (" 3 / 3 ", Shard(3, 3))])
def test_parse_shard(text: str, expected: Shard) -> None:
    assert parse_shard(text) == expected


@pytest.mark.parametrize("value", ["0/3", "4/3", "3", "1/0", "a/b", "-1/3", "1/3/5", "", "1.5/3", "2/10001"])
def test_bad_shard_is_one_line_and_exit_2(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "scan", str(PROJECTS["factory_app"]), "--shard", value, "--jobs", "1")
    assert code == 2
    assert f"--shard {value}: use I/N with 1 <= I <= N" in error_line(err)


# --- a shard's findings -------------------------------------------------------------------------


def test_a_shard_resolves_names_defined_in_another_shards_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """`db` is created in library/extensions.py and used in library/models.py: with the two files in
    different shards, the models' shard still knows `db` is Flask-SQLAlchemy."""
    project = copy("sqlalchemy_app", tmp_path, monkeypatch)
    count = next(n for n in range(2, 20)
                 if shard_of("library/models.py", n) != shard_of("library/extensions.py", n))
    single = scan_to(capsys, project, "single.json")
    index = shard_of("library/models.py", count)
    part = scan_to(capsys, project, "part.json", "--shard", f"{index}/{count}")
    expected = [f for f in single["findings"] if f["path"] == "library/models.py"]
    assert {f["code"] for f in expected} >= {"FMA343"}
    assert [f for f in part["findings"] if f["path"] == "library/models.py"] == expected
    assert not [f for f in part["findings"] if f["path"] == "library/extensions.py"]
    jsonschema.validate(part, SCHEMA)
    assert part["shard"]["index"] == index and part["shard"]["count"] == count
    assert {"path": "library/models.py", "imports": ["library.extensions"], "blueprints": []} in part["shard"]["files"]


def test_each_file_is_analysed_in_full_by_its_own_shard_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy("bookshelf", tmp_path, monkeypatch)
    calls: list[tuple[str, bool]] = []
    original = scan_module.analyze_python

    def recording(text: str, relpath: str, index: Any = None, **options: Any) -> Any:
        calls.append((relpath, bool(options.get("exports_only"))))
        return original(text, relpath, index, **options)

    monkeypatch.setattr(scan_module, "analyze_python", recording)
    run_scan([project], Settings())
    single = collections.Counter(path for path, light in calls if not light)  # a few twice: import cycles
    assert single and not any(light for _, light in calls)
    calls.clear()
    in_full: collections.Counter[str] = collections.Counter()
    exports_only: set[str] = set()
    for i in (1, 2, 3):
        run_scan([project], Settings(), shard=Shard(i, 3))
        in_full.update(path for path, light in calls if not light and shard_of(path, 3) == i)
        exports_only.update(path for path, light in calls if light)
        assert all(shard_of(path, 3) == i for path, light in calls if not light), "full analyses of own files only"
        calls.clear()
    assert in_full == single  # the same analyses as a single scan, each in one shard
    assert exports_only, "the other shards' files that define Flask objects are read for the index"


def test_shard_text_output_says_it_is_a_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    project = copy("factory_app", tmp_path, monkeypatch)
    code, out, _ = run(capsys, "scan", project, "--shard", "2/3", "-q", "--jobs", "1")
    assert code == 0
    assert "Shard 2/3: these figures cover this shard's files only" in out


def test_a_shard_refuses_a_whole_project_gate_and_baseline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    project = copy("factory_app", tmp_path, monkeypatch)
    code, _, err = run(capsys, "scan", project, "--shard", "1/2", "--fail-under", "50")
    assert code == 2 and "migrate-audit merge" in error_line(err)
    code, _, err = run(capsys, "scan", project, "--shard", "1/2", "--write-baseline", "b.json")
    assert code == 2 and "--write-baseline" in error_line(err)
    assert not Path("b.json").exists()
