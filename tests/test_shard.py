"""`scan --shard I/N` and `merge`: shards recombine into exactly the report of a single scan; reports of
different applications into a portfolio; bad inputs end in one line and exit code 2."""
from __future__ import annotations

import collections
import json
import shutil
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from migrate_audit.ecosystem import EXTENSIONS

from conftest import FIXTURES, REPO
from migrate_audit import __version__
from migrate_audit import scan as scan_module
from migrate_audit.cli import main
from migrate_audit.config import Settings
from migrate_audit.scan import run_scan
from migrate_audit import effort
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


def shard_reports(capsys: pytest.CaptureFixture[str], project: str, count: int, *extra: str) -> list[str]:
    targets = [f"shard-{i}-of-{count}.json" for i in range(1, count + 1)]
    for i, target in enumerate(targets, 1):
        scan_to(capsys, project, target, "--shard", f"{i}/{count}", *extra)
    return targets


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


# --- shards merge into the single scan's report -------------------------------------------------


# The codes of findings that the report drops with facts of the whole project (rules/_project_facts.py).
# FMA910: an extension import line is listed where another file holds the adoption the project keeps.
PROJECT_WIDE_CODES = {*(e.code for e in EXTENSIONS), "FMA339", "FMA407", "FMA807", "FMA611", "FMA910"}


@pytest.mark.parametrize("name", sorted(PROJECTS))
@pytest.mark.parametrize("count", [1, 3, 7])
def test_merged_shards_equal_a_single_scan(name: str, count: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    project = copy(name, tmp_path, monkeypatch)
    single = scan_to(capsys, project, "single.json")
    shards = shard_reports(capsys, project, count)
    code, _, err = run(capsys, "merge", *reversed(shards), "--json", "merged.json", "-q")  # any order
    assert code == 0, err
    merged = Path("merged.json").read_text()
    assert "generated_at" not in single  # nothing to strip: without SOURCE_DATE_EPOCH there is no timestamp
    assert merged == Path("single.json").read_text()  # byte for byte
    assert single["findings"], "the fixture must have findings for this test to mean anything"
    parts = [json.loads(Path(s).read_text()) for s in shards]
    # Every finding comes from one shard; a shard sees part of the project, so it keeps what only the
    # whole project can drop (a second adoption of an extension, session-cookie claims: the merge drops them).
    fingerprints = sorted(f["fingerprint"] for f in single["findings"])
    from_parts = [f for p in parts for f in p["findings"]]
    extra = list(from_parts)
    for fp in fingerprints:
        extra.remove(next(f for f in extra if f["fingerprint"] == fp))
    assert {f["code"] for f in extra} <= PROJECT_WIDE_CODES
    if count > 1:
        assert sum(1 for p in parts if p["files"]) > 1, "the files must really be spread over the shards"
    for part in parts:
        jsonschema.validate(part, SCHEMA)
        assert "shard" not in single and "shard" in part


CROSS_FILE_PROJECT = {
    # Dependency files that include each other (twice, missing, outside the root): each included file must
    # be reported once, by one shard, with the first including file's line, as in a single scan.
    "requirements.txt": "-r deps/common.in\n-r missing.txt\n-r ../outside.txt\nflask\nflask-login\n"
                        "Flask-SQLAlchemy\n",
    "requirements-dev.txt": "-r deps/common.in\npytest\n",
    "deps/common.in": "-c pins.in\ncelery\nflask-caching\n",
    "deps/pins.in": "werkzeug==2.3\n",
    "setup.py": "from setuptools import setup\nsetup(name='x', install_requires=['flask', 'flask-wtf'])\n",
    "Dockerfile": "FROM python:3.12\nCMD gunicorn app:app\n",
    "wsgi.py": "from app import app\n",
    # Objects defined in one module and used in others: instance, factory, re-export, subclass.
    "app/__init__.py": "from flask import Flask\napp = Flask(__name__, template_folder='../site')\n",
    "app/ext.py": "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n",
    "app/reexport.py": "from .ext import db\n",
    "app/models.py": "from .reexport import db\n\nclass Item(db.Model):\n    id = db.Column(db.Integer)\n",
    "app/factory.py": "from flask import Flask\n\ndef create_app():\n    made = Flask(__name__)\n    return made\n",
    "app/run.py": "from .factory import create_app\n\napplication = create_app()\n\n"
                  "@application.before_request\ndef hook():\n    pass\n",
    "app/blueprints.py": "from flask import Blueprint\n\nclass ApiBlueprint(Blueprint):\n    pass\n",
    "app/api.py": "from .blueprints import ApiBlueprint\n\nbp = ApiBlueprint('api', __name__)\n\n"
                  "@bp.route('/item/<int:item_id>')\ndef item(item_id):\n    return {}\n",
    "app/views.py": "from . import app\nfrom flask import render_template\n\n@app.route('/page')\n"
                    "def page():\n    return render_template('page.html', config={})\n",
    "app/plain.py": "import os\nVALUE = os.sep\n",
    # A template found only through the template_folder that app/__init__.py declares.
    "site/page.html": "{{ url_for('item', item_id=1, other=2) }} {{ config.X }} {{ g.user }}\n",
    "site/unused.txt": "not a template\n",
}


@pytest.mark.parametrize("count", [2, 3, 4, 5, 6])
def test_cross_file_facts_survive_sharding(count: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    for relpath, text in CROSS_FILE_PROJECT.items():
        (tmp_path / "project" / relpath).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "project" / relpath).write_text(text)
    (tmp_path / "outside.txt").write_text("flask\n")
    single = scan_to(capsys, "project", "single.json")
    kinds = {d["kind"] for d in single["diagnostics"]}
    assert {"missing-include", "outside-root"} <= kinds
    assert {"deps/common.in", "deps/pins.in", "site/page.html"} <= {f["path"] for f in single["files"]}
    assert {"FMA706", "FMA343"} <= {f["code"] for f in single["findings"]}  # a dead dependency; db.Model
    shards = shard_reports(capsys, "project", count)
    assert run(capsys, "merge", *shards, "--json", "merged.json")[0] == 0
    assert Path("merged.json").read_text() == Path("single.json").read_text()


def test_merged_shards_equal_a_single_scan_with_a_baseline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    project = copy("bookshelf", tmp_path, monkeypatch)
    baseline = scan_to(capsys, project, "baseline.json", "--ignore", "FMA3")
    single = scan_to(capsys, project, "single.json", "--baseline", "baseline.json")
    assert 0 < single["summary"]["new_findings"] < single["summary"]["findings"]
    assert single["summary"]["baseline_readiness"] == baseline["summary"]["readiness"]
    shards = shard_reports(capsys, project, 2, "--baseline", "baseline.json")
    assert run(capsys, "merge", *shards, "--json", "merged.json")[0] == 0
    assert Path("merged.json").read_text() == Path("single.json").read_text()


def test_merged_shards_equal_a_single_scan_with_diff_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from test_diff_base import git

    project = copy("bookshelf", tmp_path, monkeypatch)
    git("init", "-q", "-b", "main", cwd=tmp_path / project)
    git("add", ".", cwd=tmp_path / project)
    git("commit", "-q", "-m", "first", cwd=tmp_path / project)
    views = tmp_path / project / "bookshelf" / "catalog" / "views.py"
    views.write_text(views.read_text() + "\n\n@bp.route('/more')\ndef more():\n    return request.args['q']\n")
    single = scan_to(capsys, project, "single.json", "--diff-base", "HEAD")
    assert 0 < single["summary"]["changed_findings"] < single["summary"]["findings"]
    shards = shard_reports(capsys, project, 3, "--diff-base", "HEAD")
    assert run(capsys, "merge", *shards, "--json", "merged.json")[0] == 0
    assert Path("merged.json").read_text() == Path("single.json").read_text()


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


def test_a_shards_exports_only_analyses_never_stand_in_for_full_ones(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Shards and full scans may share a result cache: a file analysed exports-only by another shard must
    be analysed again in full by the scan that reports it."""
    project = copy("bookshelf", tmp_path, monkeypatch)
    uncached = scan_to(capsys, project, "uncached.json")
    scan_to(capsys, project, "shard.json", "--shard", "1/2", cache=True)  # fills the cache
    assert scan_to(capsys, project, "cached.json", cache=True) == uncached
    scan_to(capsys, project, "shard.json", "--shard", "2/2", cache=True)
    assert scan_to(capsys, project, "shard1.json", "--shard", "1/2", cache=True)["shard"]["index"] == 1
    assert run(capsys, "merge", "shard1.json", "shard.json", "--json", "merged.json")[0] == 0
    assert json.loads(Path("merged.json").read_text()) == uncached


def test_shard_text_output_says_it_is_a_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    project = copy("factory_app", tmp_path, monkeypatch)
    code, out, _ = run(capsys, "scan", project, "--shard", "2/3", "-q", "--jobs", "1")
    assert code == 0
    assert "Shard 2/3: these figures cover this shard's files only" in out


def test_merge_gates_like_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    project = copy("bookshelf", tmp_path, monkeypatch)
    shards = shard_reports(capsys, project, 2)
    score = scan_to(capsys, project, "single.json")["summary"]["readiness"]
    assert run(capsys, "merge", *shards, "--fail-under", str(score))[0] == 0
    code, _, err = run(capsys, "merge", *shards, "--fail-under", str(score + 1))
    assert code == 1 and f"readiness {score} is below --fail-under {score + 1}" in err
    code, _, err = run(capsys, "merge", *shards, "--fail-on", "blocker", "-q")
    assert code == 1 and "match --fail-on blocker" in err


def test_a_shard_refuses_a_whole_project_gate_and_baseline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    project = copy("factory_app", tmp_path, monkeypatch)
    code, _, err = run(capsys, "scan", project, "--shard", "1/2", "--fail-under", "50")
    assert code == 2 and "migrate-audit merge" in error_line(err)
    code, _, err = run(capsys, "scan", project, "--shard", "1/2", "--write-baseline", "b.json")
    assert code == 2 and "--write-baseline" in error_line(err)
    assert not Path("b.json").exists()


# --- merge errors -------------------------------------------------------------------------------


@pytest.fixture()
def shards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> list[str]:
    project = copy("bookshelf", tmp_path, monkeypatch)
    return shard_reports(capsys, project, 3)


def edited(source: str, target: str, change: Any) -> str:
    report = json.loads(Path(source).read_text())
    change(report)
    Path(target).write_text(json.dumps(report))
    return target


def test_missing_shard(shards: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "merge", shards[0], shards[2])
    assert code == 2
    assert "shard 2/3 missing" in error_line(err)


def test_duplicate_shard(shards: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    copy_of_first = shutil.copy(shards[0], "again.json")
    code, _, err = run(capsys, "merge", *shards, copy_of_first)
    assert code == 2
    assert f"shard 1/3 is given twice ({shards[0]} and again.json)" in error_line(err)


def test_the_same_file_twice(shards: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "merge", *shards, f"./{shards[1]}")
    assert code == 2
    assert f"./{shards[1]} is given twice (also as {shards[1]})" in error_line(err)


def test_shard_counts_that_disagree(shards: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    scan_to(capsys, "bookshelf", "half.json", "--shard", "1/2")
    code, _, err = run(capsys, "merge", *shards, "half.json")
    assert code == 2
    assert "shard counts disagree" in error_line(err)


def test_shards_of_different_trees_do_not_merge(shards: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """A shard scanned after a commit changed a file: its findings may not fit the others'."""
    path = Path("bookshelf/bookshelf/models.py")
    path.write_text(path.read_text() + "\n# edited\n")
    scan_to(capsys, "bookshelf", "later.json", "--shard", "2/3")
    code, _, err = run(capsys, "merge", shards[0], "later.json", shards[2])
    assert code == 2
    assert "missing" in error_line(err) and "same commit" in err


def test_shards_with_different_settings_do_not_merge(shards: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    scan_to(capsys, "bookshelf", "other.json", "--shard", "2/3", "--ignore", "FMA301")
    code, _, err = run(capsys, "merge", shards[0], "other.json", shards[2])
    assert code == 2
    assert "differ in settings" in error_line(err)


def test_reports_of_another_version_do_not_merge(shards: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    older = edited(shards[1], "older.json", lambda r: r["tool"].update(version="0.0.1"))
    code, _, err = run(capsys, "merge", shards[0], older, shards[2])
    assert code == 2
    assert "different migrate-audit versions (older.json by 0.0.1" in error_line(err)
    code, _, err = run(capsys, "merge", older)
    assert code == 2
    assert f"older.json was written by migrate-audit 0.0.1, this is {__version__}" in error_line(err)


@pytest.mark.parametrize("content, message", [
    ("not json", "bad.json is not JSON"),
    ("[1, 2]", "bad.json is not a migrate-audit JSON report"),
    ('{"tool": {"name": "eslint"}}', "bad.json is not a migrate-audit JSON report"),
    ("[" * 100000, "bad.json is not JSON"),
])
def test_inputs_that_are_not_reports(content: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("bad.json").write_text(content)
    code, _, err = run(capsys, "merge", "bad.json")
    assert code == 2
    assert message in error_line(err)


def test_wrong_schema_version(shards: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    # Version 1 reports carry the old estimate (points x 0.5) and score: merge refuses them.
    old = edited(shards[0], "old.json", lambda r: r.update(schema_version="1"))
    code, _, err = run(capsys, "merge", old, *shards[1:])
    assert code == 2
    assert "old.json has report schema version '1', this migrate-audit reads version '2'" in error_line(err)


def test_missing_input_file(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "merge", "nowhere.json")
    assert code == 2
    assert "cannot read nowhere.json" in error_line(err)


def _damages() -> list[tuple[str, Any]]:
    def delete(*keys: Any) -> Any:
        def change(report: dict[str, Any]) -> None:
            target = report
            for key in keys[:-1]:
                target = target[key]
            del target[keys[-1]]
        return change

    def put(value: Any, *keys: Any) -> Any:
        def change(report: dict[str, Any]) -> None:
            target = report
            for key in keys[:-1]:
                target = target[key]
            target[keys[-1]] = value
        return change

    damages = [(f"no {key}", delete(key)) for key in
               ("summary", "findings", "files", "diagnostics", "root", "extensions", "tool")]
    for key in ("code", "path", "line", "effort", "verdict", "suppressed", "message", "links", "fingerprint"):
        damages.append((f"finding without {key}", delete("findings", 0, key)))
        damages.append((f"finding with a wrong {key}", put({"x": 1}, "findings", 0, key)))
    damages += [
        ("unknown rule code", put("FMA999", "findings", 0, "code")),
        ("negative line", put(-3, "findings", 0, "line")),
        ("file without lines", delete("files", 0, "lines")),
        ("diagnostic line as text", put([{"path": "a", "kind": "b", "message": "c", "line": "2"}], "diagnostics")),
        ("diagnostic without kind", put([{"path": "a", "message": "c"}], "diagnostics")),
        ("shard out of range", put(9, "shard", "index")),
        ("shard without tree", delete("shard", "tree")),
        ("shard files as text", put("x", "shard", "files")),
        ("shard file imports as text", put([{"path": "a", "imports": "flask", "blueprints": []}], "shard", "files")),
        ("summary as a list", put([], "summary")),
        ("readiness as text", put("80", "summary", "readiness")),
        ("baseline readiness as text", put("80", "summary", "baseline_readiness")),
        ("project without a name", put({}, "project")),
        ("unit without grade", delete("units", 0, "grade")),
        ("tool version missing", delete("tool", "version")),
        ("roots as text", put("x", "roots")),
    ]
    return damages


@pytest.mark.parametrize("what, damage", _damages(), ids=[what for what, _ in _damages()])
def test_damaged_reports_end_in_one_line(what: str, damage: Any, shards: list[str],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    damaged = edited(shards[0], "damaged.json", damage)
    code, _, err = run(capsys, "merge", damaged, *shards[1:], "--html", "out.html")
    assert code == 2, what
    assert "damaged.json" in error_line(err)
    assert not Path("out.html").exists()


def test_a_portfolio_is_not_an_input(shards: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(PROJECTS["factory_app"], "factory_app")
    scan_to(capsys, "factory_app", "shop.json")
    assert run(capsys, "merge", *shards, "shop.json", "--json", "portfolio.json")[0] == 0
    code, _, err = run(capsys, "merge", "portfolio.json", "shop.json")
    assert code == 2
    assert "portfolio.json is a portfolio report" in error_line(err)


def test_an_unwritable_output_is_checked_before_reading(shards: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "merge", *shards, "--html", "no/such/folder/r.html")
    assert code == 2
    assert "cannot write no/such/folder/r.html" in error_line(err)


# --- portfolio ----------------------------------------------------------------------------------


def test_portfolio_of_two_applications(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    copy("factory_app", tmp_path, monkeypatch)
    shutil.copytree(PROJECTS["sqlalchemy_app"], "sqlalchemy_app")
    shop = scan_to(capsys, "factory_app", "shop.json")
    library = scan_to(capsys, "sqlalchemy_app", "library.json")
    library_shards = shard_reports(capsys, "sqlalchemy_app", 2)  # an application may come in shards
    code, out, err = run(capsys, "merge", *library_shards, "shop.json", "--json", "p.json", "--html", "p.html",
                         "--markdown", "p.md", "--csv", "p.csv", "--sarif", "p.sarif")
    assert code == 0, err
    portfolio = json.loads(Path("p.json").read_text())
    jsonschema.validate(portfolio, SCHEMA)
    rows = portfolio["portfolio"]["applications"]
    assert [r["name"] for r in rows] == ["factory_app", "sqlalchemy_app"]
    for row, own in zip(rows, (shop, library)):
        for key in ("readiness", "grade", "story_points", "blockers", "findings", "files_scanned", "lines"):
            assert row[key] == own["summary"][key], key
    overall = portfolio["summary"]
    assert overall["story_points"] == shop["summary"]["story_points"] + library["summary"]["story_points"]
    assert overall["files_scanned"] == shop["summary"]["files_scanned"] + library["summary"]["files_scanned"]
    places, _ = effort.places_from_report(portfolio)
    assert overall["readiness"] == effort.readiness(places, overall["python_lines"])
    # Each application is ported on its own (its own setup, idioms, extensions): the portfolio's
    # estimate is the sum of the applications', and its range the sum of their ranges.
    own = [effort.estimate_report(r) for r in (shop, library)]
    assert overall["estimate_days"] == effort.display_days(sum(e.days for e in own))
    assert overall["estimate_range"] == [effort.display_days(sum(e.low for e in own)),
                                         effort.display_days(sum(e.high for e in own))]
    assert overall["estimate_breakdown"]["setup"]["count"] == 2
    assert [r["estimate_range"] for r in rows] == [shop["summary"]["estimate_range"],
                                                   library["summary"]["estimate_range"]]
    assert sorted(f["path"] for f in portfolio["findings"]) == sorted(
        [f"factory_app/{f['path']}" for f in shop["findings"]]
        + [f"sqlalchemy_app/{f['path']}" for f in library["findings"]])
    assert {u["name"] for u in portfolio["units"]} >= {"factory_app/shop", "sqlalchemy_app/library"}
    assert portfolio["roots"] == ["factory_app", "sqlalchemy_app"]
    # Every format leads with the table of applications.
    assert "Portfolio of 2 applications" in out and "sqlalchemy_app" in out
    markdown = Path("p.md").read_text()
    assert "| Application | Readiness | Grade | Story points | Developer-days | Blockers | Files |" in markdown
    assert f"| `factory_app` | {shop['summary']['readiness']} | {shop['summary']['grade']} |" in markdown
    html = Path("p.html").read_text()
    assert html.index('<section id="portfolio">') < html.index('<section id="overview">')
    assert '<td class="mono">sqlalchemy_app</td>' in html
    assert len(json.loads(Path("p.sarif").read_text())["runs"][0]["results"]) == len(portfolio["findings"])


def test_portfolio_names_stay_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Two applications in folders of the same name (two checkouts called `app`)."""
    monkeypatch.chdir(tmp_path)
    for where, source in (("one", "factory_app"), ("two", "sqlalchemy_app")):
        shutil.copytree(PROJECTS[source], Path(where) / "app")
        scan_to(capsys, f"{where}/app", f"{where}.json")
    assert run(capsys, "merge", "two.json", "one.json", "--json", "p.json")[0] == 0
    portfolio = json.loads(Path("p.json").read_text())
    assert [r["name"] for r in portfolio["portfolio"]["applications"]] == ["app", "app-2"]
    assert len({f["path"].split("/")[0] for f in portfolio["findings"]}) == 2


def test_merging_one_report_renders_it_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    project = copy("report_sample", tmp_path, monkeypatch)
    scan_to(capsys, project, "single.json", "--config", "report_sample/pyproject.toml")
    assert run(capsys, "merge", "single.json", "--json", "again.json")[0] == 0
    assert Path("again.json").read_text() == Path("single.json").read_text()
