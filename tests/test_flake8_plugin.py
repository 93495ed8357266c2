"""The flake8 plugin, through the real `flake8` executable: exact output lines, stdin, and flake8's own
selection and suppression options. The fixture project is tests/fixtures/flake8_project."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from migrate_audit import registry
from migrate_audit.flake8_plugin import COUNTERPART_LIMIT, default_off_codes, short_counterpart
from migrate_audit.model import Category

PROJECT = Path(__file__).parent / "fixtures" / "flake8_project"

FMA301_MSG = ("FMA301 Flask-SQLAlchemy (`flask_sqlalchemy`) is set up here -> plain SQLAlchemy 2.x "
              "(`DeclarativeBase`, `sessionmaker`...")
FMA220_MSG = ("FMA220 `jsonify(...)` builds a JSON response -> return the dict or a Pydantic model "
              "(with `response_model=`)...")
# `db.session` on the `db` of app/extensions.py: found only through the project index.
FMA342_MSG = ("FMA342 this module uses Flask-SQLAlchemy's app-bound session `db.session` -> a `sessionmaker` and a "
              "`get_db` dependency with `yield`")
FMA901_LINE = ("./app/quart_app.py:1:19: FMA901 Quart application module: already async, with a "
               "Flask-compatible API -> Quart apps port to FastAPI like Flask apps...")
EXPECTED = [
    # `from .extensions import db` (app/__init__.py:3, app/views.py:3) imports the project's own module: the
    # extension is adopted where its module is imported, once.
    "./app/__init__.py:7:11: FMA101 Flask application `Flask(__name__)` -> `app = FastAPI()`",
    "./app/__init__.py:8:5: FMA389 `db.init_app(app)` binds Flask-SQLAlchemy's `SQLAlchemy` to the Flask app -> "
    "plain SQLAlchemy 2.x (`DeclarativeBase`, `sessionmaker`...",
    f"./app/extensions.py:1:1: {FMA301_MSG}",
    "./app/extensions.py:3:6: FMA389 `SQLAlchemy()` creates Flask-SQLAlchemy's `SQLAlchemy` object -> plain "
    "SQLAlchemy 2.x (`DeclarativeBase`, `sessionmaker`...",
    "./app/views.py:5:6: FMA106 Flask Blueprint `Blueprint(\"books\", __name__)` -> "
    "`router = APIRouter(prefix=..., tags=[...])`",
    "./app/views.py:8:2: FMA102 Flask route `bp.route('/books')` for GET -> `@router.get('/books')`",
    "./app/views.py:8:2: FMA804 GET routes in this module also answer HEAD in Flask; FastAPI answers HEAD "
    "with 405 -> list HEAD where clients send it...",
    f"./app/views.py:11:12: {FMA220_MSG}",
    "./app/views.py:11:37: FMA342 this module uses Flask-SQLAlchemy's app-bound session `db.session` -> "
    "a `sessionmaker` and a `get_db` dependency with `yield`",
    "./app/views.py:14:2: FMA102 Flask route `bp.route('/health')` for GET -> `@router.get('/health')`",
]
FMA910_MSG = ("FMA910 `flask` is imported here: a line to change when this module moves off Flask -> import the "
              "FastAPI/Starlette counterparts of the names it brings in")
# The inventory (information, off by default): the Flask import lines, each `db.session` use.
INVENTORY = [
    f"./app/__init__.py:1:1: {FMA910_MSG}",
    f"./app/views.py:1:1: {FMA910_MSG}",
    "./app/views.py:11:37: FMA912 `db.session.query` reaches Flask-SQLAlchemy's app-bound session: a line to change "
    "when the session is injected -> the session the endpoint or helper receives (`Depends(get_db)`)...",
]


def _position(line: str) -> tuple[str, int, int]:
    path, row, column = line.split(":")[:3]
    return path, int(row), int(column)


# flake8 sorts by file, then line and column (the FMA912 line comes after FMA342 at the same place).
WITH_INFORMATION = sorted([*EXPECTED, FMA901_LINE, *INVENTORY], key=_position)


def flake8(*args: str, cwd: Path = PROJECT, stdin: str | None = None, cache: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed flake8 in isolation from any config file, with a private index cache."""
    env = dict(os.environ, MIGRATE_AUDIT_CACHE_DIR=str(cache))
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", *args], cwd=cwd, env=env, input=stdin,
        capture_output=True, text=True, timeout=120,
    )


def fma_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert result.stderr == ""
    return [line for line in result.stdout.splitlines() if ": FMA" in line]


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def test_select_fma_gives_exact_lines(cache: Path) -> None:
    result = flake8("--select", "FMA", ".", cache=cache)
    assert result.returncode == 1
    # An explicit `--select FMA` turns on the default-off information rules too (flake8's semantics).
    assert result.stdout.splitlines() == WITH_INFORMATION


def test_plain_flake8_runs_the_plugin_and_leaves_information_rules_off(cache: Path) -> None:
    assert fma_lines(flake8(".", cache=cache)) == EXPECTED


def test_extend_select_turns_an_information_rule_on(cache: Path) -> None:
    only_901 = [line for line in WITH_INFORMATION if line not in INVENTORY]
    assert fma_lines(flake8("--extend-select", "FMA901", ".", cache=cache)) == only_901


def test_same_findings_and_positions_as_migrate_audit_scan(cache: Path) -> None:
    scan = subprocess.run([sys.executable, "-m", "migrate_audit", "scan", ".", "--format", "json"], cwd=PROJECT,
                          capture_output=True, text=True, timeout=120)
    report = json.loads(scan.stdout)
    from_scan = [  # the report's order (path, line, column, code) is flake8's too
        f"./{f['path']}:{f['line']}:{f['column']}:{f['code']}" for f in report["findings"] if not f["suppressed"]
    ]
    result = flake8("--select", "FMA", "--format", "%(path)s:%(row)d:%(col)d:%(code)s", ".", cache=cache)
    assert result.stdout.splitlines() == from_scan


# Project fixtures whose findings depend on the whole project (rules/_project_facts.py): one adoption per
# extension, where the scan puts it, and the session claims checked against the session setup.
FACTS_PROJECTS = ("adoption_once", "adoption_placement", "cookie_sessions", "redis_sessions", "server_sessions")


def _as_project(name: str, tmp_path: Path) -> Path:
    """A copy of tests/fixtures/projects/<name> with a root marker, so that the plugin indexes it alone."""
    root = tmp_path / name
    shutil.copytree(PROJECT.parent / "projects" / name, root)
    (root / "pyproject.toml").write_text("")
    return root


def _scan_lines(root: Path) -> list[str]:
    scan = subprocess.run([sys.executable, "-m", "migrate_audit", "scan", ".", "--format", "json", "--no-cache"],
                          cwd=root, capture_output=True, text=True, timeout=120)
    return [f"./{f['path']}:{f['line']}:{f['column']}:{f['code']}" for f in json.loads(scan.stdout)["findings"]
            if not f["suppressed"] and f["path"].endswith(".py")]


@pytest.mark.parametrize("name", FACTS_PROJECTS)
def test_project_facts_as_in_the_scan(name: str, cache: Path, tmp_path: Path) -> None:
    root = _as_project(name, tmp_path)
    expected = _scan_lines(root)
    assert any(":FMA3" in line or ":FMA415" in line for line in expected)  # the fixture has facts to apply
    result = flake8("--select", "FMA", "--format", "%(path)s:%(row)d:%(col)d:%(code)s", ".", cwd=root, cache=cache)
    assert result.stdout.splitlines() == expected
    # Each file linted alone (an editor's save) reads the project's facts from the store the same way.
    one_by_one = [line for file in sorted({line.split(":")[0] for line in expected})
                  for line in flake8("--select", "FMA", "--format", "%(path)s:%(row)d:%(col)d:%(code)s", file,
                                     cwd=root, cache=cache).stdout.splitlines()]
    assert one_by_one == expected


def test_project_facts_on_an_unsaved_buffer(cache: Path, tmp_path: Path) -> None:
    """A buffer that differs from the file on disk is analysed afresh; the facts still come from the
    whole project: the extension adopted in app/__init__.py is not adopted again in the buffer (its import
    lines there are the inventory's, FMA910), the cookie's format stays claimed once, in app/__init__.py,
    and the buffer's session write is FMA407."""
    fmt = ("--select", "FMA", "--format", "%(path)s:%(row)d:%(col)d:%(code)s")
    adoption = _as_project("adoption_once", tmp_path)
    buffer = "\n" + (adoption / "app" / "views.py").read_text()
    lines = flake8(*fmt, "--stdin-display-name", "app/views.py", "-", stdin=buffer, cwd=adoption, cache=cache)
    assert lines.stdout.splitlines() == ["app/views.py:2:1:FMA910", "app/views.py:3:1:FMA910"]
    cookies = _as_project("cookie_sessions", tmp_path)
    buffer = "\n" + (cookies / "app" / "views.py").read_text()
    lines = flake8(*fmt, "--stdin-display-name", "app/views.py", "-", stdin=buffer, cwd=cookies, cache=cache)
    assert lines.stdout.splitlines() == [
        "app/views.py:2:1:FMA910", "app/views.py:7:2:FMA102", "app/views.py:9:5:FMA407"]
    # The same buffer where the project has no other cookie session use: the format claim is its own.
    (cookies / "app" / "__init__.py").write_text((cookies / "app" / "__init__.py").read_text().replace(
        'session.get("cart", [])', '[]'))
    lines = flake8(*fmt, "--stdin-display-name", "app/views.py", "-", stdin=buffer, cwd=cookies, cache=cache)
    assert lines.stdout.splitlines() == [
        "app/views.py:2:1:FMA910", "app/views.py:7:2:FMA102", "app/views.py:9:5:FMA807"]


def test_noqa_is_flake8s_and_disable_noqa_brings_the_finding_back(cache: Path) -> None:
    line = ("./app/views.py:10:12: FMA201 query string read through `request.args` -> typed query parameters: "
            "`q: str | None = None`...")
    assert line not in fma_lines(flake8("--select", "FMA", "./app/views.py", cache=cache))
    shown = fma_lines(flake8("--select", "FMA", "--disable-noqa", "./app/views.py", cache=cache))
    assert line in shown
    # `# migrate-audit: ignore[FMA220]` is our own comment: it holds even with --disable-noqa.
    assert not any(s.startswith("./app/views.py:16:") for s in shown)


@pytest.mark.parametrize(
    ("args", "gone"),
    [
        pytest.param(["--select", "FMA", "--ignore", "FMA2"], ["FMA220"], id="ignore-prefix"),
        pytest.param(["--extend-ignore", "FMA301"], ["FMA301", "FMA901", "FMA91"], id="extend-ignore"),
        pytest.param(["--select", "FMA1,FMA3"], ["FMA220", "FMA804", "FMA901", "FMA91"], id="select-bands"),
        pytest.param(["--per-file-ignores", "app/views.py:FMA"], ["./app/views.py", "FMA901", "FMA91"],
                     id="per-file-ignores"),
    ],
)
def test_selection_options(cache: Path, args: list[str], gone: list[str]) -> None:
    lines = fma_lines(flake8(*args, ".", cache=cache))
    kept = [line for line in WITH_INFORMATION if not any(g in line for g in gone)]
    assert lines == kept


def test_ignore_replaces_flake8s_default_list_so_information_rules_come_back(cache: Path) -> None:
    # Documented flake8 behaviour for every plugin's default-off codes (bugbear's B9 too):
    # `--ignore` replaces the default ignore list, `--extend-ignore` adds to it.
    assert FMA901_LINE in fma_lines(flake8("--ignore", "E501", ".", cache=cache))
    assert FMA901_LINE not in fma_lines(flake8("--extend-ignore", "E501", ".", cache=cache))


def test_stdin_uses_the_buffer_not_the_file_on_disk(cache: Path) -> None:
    # An editor's unsaved buffer: one more route than views.py has on disk, under a name that does not
    # even exist on disk, and the cross-module `db` still resolves through the project index.
    buffer = (PROJECT / "app" / "views.py").read_text() + (
        '\n\n@bp.route("/books/<int:book_id>", methods=["DELETE"])\n'
        "def delete(book_id):\n"
        "    return redirect(url_for('books.books'))\n"
    )
    result = flake8("--select", "FMA", "--stdin-display-name", "app/unsaved.py", "-", stdin=buffer, cache=cache)
    assert result.stdout.splitlines() == [
        f"app/unsaved.py:1:1: {FMA910_MSG}",
        "app/unsaved.py:5:6: FMA106 Flask Blueprint `Blueprint(\"books\", __name__)` -> "
        "`router = APIRouter(prefix=..., tags=[...])`",
        "app/unsaved.py:8:2: FMA102 Flask route `bp.route('/books')` for GET -> `@router.get('/books')`",
        "app/unsaved.py:8:2: FMA804 GET routes in this module also answer HEAD in Flask; FastAPI answers HEAD "
        "with 405 -> list HEAD where clients send it...",
        f"app/unsaved.py:11:12: {FMA220_MSG}",
        "app/unsaved.py:11:37: FMA342 this module uses Flask-SQLAlchemy's app-bound session `db.session` -> "
        "a `sessionmaker` and a `get_db` dependency with `yield`",
        INVENTORY[2].replace("./app/views.py", "app/unsaved.py"),
        "app/unsaved.py:14:2: FMA102 Flask route `bp.route('/health')` for GET -> `@router.get('/health')`",
        "app/unsaved.py:19:2: FMA102 Flask route `bp.route('/books/<int:book_id>')` for DELETE -> "
        "`@router.delete('/books/{book_id:int}')`",
        "app/unsaved.py:19:19: FMA104 URL converter `<int:book_id>` in a route path -> `{book_id:int}` annotated "
        "`book_id: int`: Starlette's convertor matches...",
    ]
    assert not (PROJECT / "app" / "unsaved.py").exists()


def test_stdin_without_display_name_from_the_project_folder(cache: Path) -> None:
    # python-lsp-server's flake8 plugin runs `flake8 -` with no display name, from its working folder: the
    # project is found from there and `.extensions` still resolves, by module-name suffix in the index.
    buffer = (PROJECT / "app" / "views.py").read_text()
    lines = flake8("--select", "FMA", "-", stdin=buffer, cache=cache).stdout.splitlines()
    assert f"stdin:11:37: {FMA342_MSG}" in lines


def test_stdin_without_display_name(cache: Path, tmp_path: Path) -> None:
    source = "import flask\n\napp = flask.Flask(__name__)\n"
    result = flake8("--select", "FMA", "-", stdin=source, cwd=tmp_path, cache=cache)
    assert result.stdout.splitlines() == [
        f"stdin:1:1: {FMA910_MSG}",
        "stdin:3:7: FMA101 Flask application `flask.Flask(__name__)` -> `app = FastAPI()`",
    ]


def test_without_a_project_root_only_the_files_imports_are_seen(cache: Path, tmp_path: Path) -> None:
    # No pyproject.toml, setup.cfg, setup.py or .git above: no index, so `db` is just a name.
    lone = tmp_path / "lone"
    shutil.copytree(PROJECT / "app", lone / "app")
    result = flake8("--select", "FMA", "app/views.py", cwd=lone, cache=cache)
    lines = [line for line in result.stdout.splitlines() if ": FMA" in line]
    assert not any("FMA301" in line for line in lines)
    assert "app/views.py:5:6: FMA106" in "\n".join(lines)
    # ...and it says so, once.
    assert result.stderr.splitlines() == [
        "migrate-audit: no project root (pyproject.toml, setup.cfg, setup.py, .git) at or above app/views.py: "
        "names imported from other modules are not resolved, so findings that depend on them are missing; "
        "add a pyproject.toml at the project's root"]


def test_without_a_project_root_two_files_and_two_jobs_say_it_once(cache: Path, tmp_path: Path) -> None:
    lone = tmp_path / "lone"
    shutil.copytree(PROJECT / "app", lone / "app")
    result = flake8("--select", "FMA", "--jobs", "2", "app/views.py", "app", cwd=lone, cache=cache)
    assert len(result.stderr.splitlines()) == 1 and "no project root" in result.stderr
    (lone / "pyproject.toml").write_text("")
    assert fma_lines(flake8("--select", "FMA", "app/views.py", cwd=lone, cache=cache))  # stderr empty


def test_the_disk_cache_follows_edits_to_other_modules(cache: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    assert f"app/views.py:11:37: {FMA342_MSG}" in fma_lines(flake8("app/views.py", cwd=project, cache=cache))
    assert len(list((cache / "flake8-index").glob("*.pickle"))) == 1

    extensions = project / "app" / "extensions.py"
    extensions.write_text("db = object()  # no longer Flask-SQLAlchemy\n")
    stat = extensions.stat()
    os.utime(extensions, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # coarse mtime clocks
    assert not any(":11:37: FMA342" in line for line in fma_lines(flake8("app/views.py", cwd=project, cache=cache)))


def test_a_syntax_error_is_flake8s_e999_not_a_plugin_crash(cache: Path) -> None:
    result = flake8("--select", "E9,FMA", "-", stdin="from flask import Flask\napp = Flask(\n", cache=cache)
    assert result.returncode == 1
    assert result.stdout.startswith("stdin:")
    assert " E999 " in result.stdout
    assert "FMA" not in result.stdout


def test_default_off_codes_come_from_the_registry() -> None:
    information = [r.code for r in registry.all_rules() if r.category is Category.INFORMATION]
    assert information  # FMA901 today; the test guards the derivation, not the list
    assert default_off_codes() == [
        r.code for r in registry.all_rules() if r.category is Category.INFORMATION or not r.default_enabled
    ]


@pytest.mark.parametrize(
    ("text", "short"),
    [
        pytest.param("`app = FastAPI()`; mount static files with `app.mount(...)`", "`app = FastAPI()`",
                     id="first-clause"),
        pytest.param("`a; b` then more", "`a; b` then more", id="semicolon-in-code-span"),
        pytest.param("slowapi (same `limits` strings; the endpoint takes `request`)",
                     "slowapi (same `limits` strings; the endpoint takes `request`)", id="semicolon-in-parentheses"),
        pytest.param("`starlette.convertors.register_url_convertor(name, Convertor())` (global, invisible to "
                     "OpenAPI), or a plain `str` path parameter parsed by a dependency",
                     "`starlette.convertors.register_url_convertor(name, Convertor())`...", id="clause-cut"),
        pytest.param("`" + "x" * 100 + "`", "`" + "x" * 68 + "`...", id="code-span-too-long"),
    ],
)
def test_short_counterpart(text: str, short: str) -> None:
    assert short_counterpart(text) == short


def test_every_rules_counterpart_fits_a_tooltip() -> None:
    for rule in registry.all_rules():
        shown = short_counterpart(rule.counterpart)
        assert len(shown) <= COUNTERPART_LIMIT + 3, rule.code
        assert shown.count("`") % 2 == 0, rule.code  # never a half-open code span


def test_parse_options_builds_the_index_once_before_flake8_forks(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from argparse import Namespace

    from migrate_audit.index import plugin_store as project_index
    from migrate_audit.flake8_plugin import Plugin

    monkeypatch.setenv("MIGRATE_AUDIT_CACHE_DIR", str(cache))
    monkeypatch.setattr(project_index, "_PROJECTS", {})
    Plugin.parse_options(Namespace(filenames=[str(PROJECT), str(PROJECT / "app" / "views.py")]))
    project = project_index._PROJECTS[str(PROJECT)]
    assert project is not None
    assert project.index.lookup("app.extensions", "db") == "flask_sqlalchemy.SQLAlchemy()"
    assert len(list((cache / "flake8-index").glob("*.pickle"))) == 1


@pytest.mark.parametrize(("filenames", "jobs", "expected"), [
    (["."], "auto", os.cpu_count()),
    (["."], "3", 3),
    (["."], "1", 1),
    (["."], "0", 1),  # flake8 runs serially
    (["-"], "auto", 1),  # stdin: flake8 ignores --jobs
    (["."], None, 1),  # not from flake8's option parser
])
def test_flake8_jobs_follows_flake8s_own_job_count(filenames: list[str], jobs: str | None, expected: int) -> None:
    from argparse import Namespace

    from flake8.main.options import JobsArgument

    from migrate_audit.flake8_plugin import flake8_jobs

    options = Namespace(filenames=filenames, jobs=JobsArgument(jobs)) if jobs else Namespace(filenames=filenames)
    assert flake8_jobs(options) == expected


def test_a_cold_index_is_built_with_flake8s_job_count(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from argparse import Namespace

    from flake8.main.options import JobsArgument

    from migrate_audit import scan
    from migrate_audit.index import plugin_store as project_index
    from migrate_audit.flake8_plugin import Plugin

    monkeypatch.setenv("MIGRATE_AUDIT_CACHE_DIR", str(cache))
    built: list[int] = []
    real = scan.index_project  # imported by project_index when it builds
    monkeypatch.setattr(scan, "index_project",
                        lambda sources, jobs, *args: built.append(jobs) or real(sources, jobs, *args))
    for jobs in ("3", "3"):  # the second run loads the index from the disk cache: nothing to build
        monkeypatch.setattr(project_index, "_PROJECTS", {})
        Plugin.parse_options(Namespace(filenames=[str(PROJECT)], jobs=JobsArgument(jobs)))
    assert built == [3]
    assert project_index._PROJECTS[str(PROJECT)] is not None


def test_a_warm_run_uses_the_analyses_made_with_the_cached_index(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Building the index analyses most files; a later process that loads the index from disk reads those
    analyses too (one file's alone when it lints one file), and `check` uses one only for the very text
    it was made from."""
    from argparse import Namespace

    from migrate_audit import engine
    from migrate_audit.index import plugin_store as project_index
    from migrate_audit.flake8_plugin import Plugin, check

    monkeypatch.setenv("MIGRATE_AUDIT_CACHE_DIR", str(cache))
    monkeypatch.setattr(project_index, "_PROJECTS", {})
    Plugin.parse_options(Namespace(filenames=[str(PROJECT)]))
    built = project_index._PROJECTS[str(PROJECT)]
    assert built is not None and built.files["app/views.py"].text
    monkeypatch.setattr(project_index, "_PROJECTS", {})  # a new process: the index comes from the disk cache
    Plugin.parse_options(Namespace(filenames=[str(PROJECT)]))
    loaded = project_index._PROJECTS[str(PROJECT)]
    assert loaded is not None and loaded is not built and loaded.summaries == {}  # nothing read yet
    # The same stamps, content hashes and analysed texts (`offset` and `length` exist on disk only).
    assert {rel: entry[:4] for rel, entry in loaded.files.items()} == {rel: entry[:4] for rel, entry in built.files.items()}

    analysed: list[str] = []
    real = engine.analyze_python  # imported by the plugin when no stored analysis fits
    monkeypatch.setattr(engine, "analyze_python",
                        lambda text, relpath, *a, **k: analysed.append(relpath) or real(text, relpath, *a, **k))
    views = PROJECT / "app" / "views.py"
    lines = views.read_text().splitlines(keepends=True)
    kept = list(check(str(views), lines))
    assert analysed == [] and kept
    assert list(loaded.summaries) == ["app/views.py"]  # read alone from the store
    edited = list(check(str(views), [*lines, "x = 1\n"]))  # an unsaved buffer: analysed afresh
    assert analysed == ["app/views.py"] and edited == kept


def test_the_codes_off_by_default_are_kept_per_release(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Listed once per release (`tool_fingerprint`) and read back after; a damaged list is made again."""
    from migrate_audit import flake8_plugin

    monkeypatch.setenv("MIGRATE_AUDIT_CACHE_DIR", str(cache))
    monkeypatch.setattr(flake8_plugin, "tool_fingerprint", lambda: "release-a")
    kept = cache / "flake8-index" / "default-off.release-a.json"
    assert flake8_plugin.codes_off_by_default() == default_off_codes()
    assert json.loads(kept.read_text()) == default_off_codes()
    kept.write_text('["FMA101"]')  # what the read returns is the file's, not a new listing
    assert flake8_plugin.codes_off_by_default() == ["FMA101"]
    for damaged in ('["FMA101", "rm -rf"]', "{", '{"FMA101": 1}'):
        kept.write_text(damaged)
        assert flake8_plugin.codes_off_by_default() == default_off_codes()
        assert json.loads(kept.read_text()) == default_off_codes()
    monkeypatch.setattr(flake8_plugin, "tool_fingerprint", lambda: "release-b")
    assert flake8_plugin.codes_off_by_default() == default_off_codes()
    assert sorted(p.name for p in kept.parent.iterdir()) == ["default-off.release-a.json", "default-off.release-b.json"]


def test_a_warm_lint_loads_neither_the_rules_nor_the_parser(cache: Path) -> None:
    """An editor lints one file on every save: with its analysis stored, the plugin's start-up stays
    small. What it imports then, in a fresh process (flake8's own calls, in flake8's order)."""
    script = f"""
import sys
from argparse import Namespace
from migrate_audit.flake8_plugin import Plugin
class Options:
    def extend_default_ignore(self, codes):
        self.codes = codes
views = {str(PROJECT / "app" / "views.py")!r}
Plugin.add_options(Options())
Plugin.parse_options(Namespace(filenames=[views]))
lines = open(views).readlines()
found = list(Plugin(None, views, lines).run())
print(",".join(message.split()[0] for _, _, message, _ in found), sorted(m for m in sys.modules if m.startswith(("migrate_audit.rules", "migrate_audit.engine",
      "migrate_audit.scan", "ast_grep_py", "tomllib", "tomli", "concurrent"))))
"""
    env = dict(os.environ, MIGRATE_AUDIT_CACHE_DIR=str(cache))
    runs = [subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
            for _ in range(2)]
    assert [run.stderr for run in runs] == ["", ""]
    cold, warm = (run.stdout.split(" ", 1) for run in runs)
    # The same findings from the stored analysis (flake8 would then drop a `noqa` one and the default-off ones).
    assert cold[0] == warm[0] and {line.split(": ")[1].split()[0] for line in EXPECTED if "/views.py" in line} <= set(
        cold[0].split(","))
    assert "migrate_audit.engine" in cold[1]  # the first run analysed the project
    assert warm[1].strip() == "[]"
