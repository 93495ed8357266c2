"""Issue 8, properties of the whole tool: no crash escapes (--strict), deterministic output, static only,
interrupt-safe, and one clear line with exit 2 for every bad config value, flag or output path."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from migrate_audit import registry
from migrate_audit.cli import main

from hostile import FLASK_HEADER, MARKER_NAME, MARKER_SOURCE


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def flask_tree(folder: Path, count: int) -> Path:
    """`count` modules, some Flask, some not, some broken: enough (> 64) for the process pool."""
    for i in range(count):
        package = folder / f"pkg{i % 7}"
        package.mkdir(parents=True, exist_ok=True)
        body = [FLASK_HEADER + f"@app.route('/r{i}')\ndef view{i}():\n    return request.args.get('q')\n",
                "def helper(x):\n    return x + 1\n",
                FLASK_HEADER + "print 'legacy'\n",
                "from .ext import db\nx = db.session.query()\n"][i % 4]
        (package / f"mod{i}.py").write_text(body)
    (folder / "pkg0" / "ext.py").write_text("from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n")
    return folder


# --- no crash escapes --------------------------------------------------------------------------------

@pytest.fixture
def raising_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule with a bug that raises on one file only."""
    registry.load()
    rule = registry.get_rule("FMA101")

    def boom(ctx):  # type: ignore[no-untyped-def]
        if ctx.path.endswith("bad.py"):
            raise ZeroDivisionError("rule bug")
        if ctx.path.endswith("noisy.py"):
            raise ValueError("quotes the source:\n  app.py:1:1  FMA999  forged\x1b[2J \udcff")
        return []

    monkeypatch.setattr(registry, "FILE_MATCHERS", [*registry.FILE_MATCHERS, (rule, boom)])


def test_a_raising_rule_is_a_diagnostic_and_the_scan_goes_on(capsys, tmp_path: Path, raising_rule: None) -> None:
    (tmp_path / "bad.py").write_text(FLASK_HEADER + "x = request.args\n")
    (tmp_path / "good.py").write_text(FLASK_HEADER + "x = request.args\n")
    code, out, err = run(capsys, "scan", str(tmp_path), "--format", "json", "--jobs", "1")
    assert code == 0 and err == ""
    report = json.loads(out)
    assert [(d["path"], d["kind"]) for d in report["diagnostics"]] == [("bad.py", "rule-error")]
    assert "FMA101 raised ZeroDivisionError: rule bug" in report["diagnostics"][0]["message"]
    # The other rules still ran on the file with the bug.
    assert {(f["path"], f["code"]) for f in report["findings"]} >= {("bad.py", "FMA201"), ("good.py", "FMA201")}
    code, _, err = run(capsys, "scan", str(tmp_path), "--strict", "--jobs", "1", "-q")
    assert code == 2 and err.count("\n") == 1 and "--strict: 1 internal error(s)" in err and "bad.py" in err


def test_exception_messages_cannot_forge_report_lines(capsys, tmp_path: Path, raising_rule: None) -> None:
    (tmp_path / "noisy.py").write_text(FLASK_HEADER)
    code, out, _ = run(capsys, "scan", str(tmp_path), "--jobs", "1")
    assert code == 0 and "\x1b" not in out and "\n  app.py:1:1  FMA999" not in out
    assert "quotes the source:\\x0a  app.py:1:1  FMA999  forged\\x1b[2J \\xff" in out


def test_an_engine_crash_on_one_file_is_an_internal_error_diagnostic(capsys, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from migrate_audit import scan as scan_module

    real = scan_module.analyze_python

    def crash_on_bad(text, relpath, index=None):  # type: ignore[no-untyped-def]
        if relpath == "bad.py":
            raise RuntimeError("engine bug")
        return real(text, relpath, index)

    monkeypatch.setattr(scan_module, "analyze_python", crash_on_bad)
    (tmp_path / "bad.py").write_text(FLASK_HEADER)
    (tmp_path / "good.py").write_text(FLASK_HEADER)
    code, out, _ = run(capsys, "scan", str(tmp_path), "--format", "json", "--jobs", "1")
    report = json.loads(out)
    assert code == 0 and [(d["path"], d["kind"]) for d in report["diagnostics"]] == [("bad.py", "internal-error")]
    assert report["summary"]["partial"] is True
    assert run(capsys, "scan", str(tmp_path), "--strict", "-q", "--jobs", "1")[0] == 2


class PanicException(BaseException):
    """What pyo3 raises for a Rust panic in ast-grep-py: a BaseException, missed by `except Exception`."""


def test_a_tree_sitter_panic_on_one_file_is_an_internal_error(capsys, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from migrate_audit import scan as scan_module

    real = scan_module.analyze_python

    def panic_on_bad(text, relpath, index=None):  # type: ignore[no-untyped-def]
        if relpath == "bad.py":
            raise PanicException("called `Option::unwrap()` on a `None` value")
        return real(text, relpath, index)

    monkeypatch.setattr(scan_module, "analyze_python", panic_on_bad)
    (tmp_path / "bad.py").write_text(FLASK_HEADER)
    (tmp_path / "good.py").write_text(FLASK_HEADER + "x = request.args\n")
    code, out, _ = run(capsys, "scan", str(tmp_path), "--format", "json", "--jobs", "1")
    report = json.loads(out)
    assert code == 0 and [(d["path"], d["kind"]) for d in report["diagnostics"]] == [("bad.py", "internal-error")]
    assert "PanicException" in report["diagnostics"][0]["message"]
    assert ("good.py", "FMA201") in {(f["path"], f["code"]) for f in report["findings"]}


def test_strict_passes_on_a_clean_scan(capsys, tmp_path: Path) -> None:
    (tmp_path / "py2.py").write_text(FLASK_HEADER + "print 'x'\n")  # a syntax error is not a tool error
    assert run(capsys, "scan", str(tmp_path), "--strict", "-q")[0] == 0


def test_an_unexpected_exception_is_one_line_not_a_traceback(capsys, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("migrate_audit.pipeline.build_report", lambda *a: {}["boom"])
    (tmp_path / "a.py").write_text("x = 1\n")
    code, _, err = run(capsys, "scan", str(tmp_path))
    assert code == 2 and err.count("\n") == 1 and err.startswith("migrate-audit: error: internal error: KeyError")


# --- deterministic -----------------------------------------------------------------------------------

def test_byte_identical_json_across_runs_and_job_counts(capsys, tmp_path: Path) -> None:
    tree = flask_tree(tmp_path / "tree", 150)
    outputs = set()
    for jobs in ("1", "2", "2", "3"):
        target = tmp_path / f"r{jobs}.json"
        assert run(capsys, "scan", str(tree), "--jobs", jobs, "--json", str(target), "-q")[0] == 0
        outputs.add(target.read_bytes())
    assert len(outputs) == 1
    report = json.loads(outputs.pop())
    assert report["summary"]["files_scanned"] > 64  # the process pool was really used


# --- static only -------------------------------------------------------------------------------------

def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    result = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            info = os.lstat(path)
            result[os.path.relpath(path, folder)] = (info.st_mtime_ns, info.st_size)
    return result


def test_scanned_code_is_never_imported_or_executed_and_the_tree_is_untouched(capsys, tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    for rel in ("setup.py", "conftest.py", "pkg/__init__.py", "pkg/__main__.py", "sitecustomize.py",
                "usercustomize.py", "noxfile.py", "pkg/views.py", "tests/conftest.py", "docs/conf.py"):
        path = tree / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(MARKER_SOURCE)
    (tree / "pyproject.toml").write_text("[build-system]\nrequires = []\nbuild-backend = 'setup'\n")
    flask_tree(tree / "many", 80)  # through the process pool as well
    before = snapshot(tree)
    time.sleep(0.01)
    for jobs in ("1", "2"):
        assert run(capsys, "scan", str(tree), "--jobs", jobs, "-q")[0] == 0
    assert run(capsys, "scan", str(tree / "setup.py"), str(tree / "conftest.py"), "-q")[0] == 0
    assert not list(tmp_path.rglob(MARKER_NAME))
    assert snapshot(tree) == before  # no cache, no __pycache__, no report written inside the tree
    result = subprocess.run([sys.executable, "-m", "migrate_audit", "scan", str(tree), "-q"], capture_output=True,
                            text=True, cwd=tmp_path)
    assert result.returncode == 0 and not list(tmp_path.rglob(MARKER_NAME)) and snapshot(tree) == before


# --- interrupt-safe ----------------------------------------------------------------------------------

def children_of(pid: int) -> set[int]:
    """Every live descendant of `pid` (through /proc, so no dependency)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents[int(entry)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc to find stray worker processes")
@pytest.mark.parametrize(("signum", "exit_code", "group"), [
    pytest.param(signal.SIGINT, 130, True, id="Ctrl-C: SIGINT to the process group"),
    pytest.param(signal.SIGTERM, 143, False, id="kill PID: SIGTERM to the parent only"),
    pytest.param(signal.SIGTERM, 143, True, id="SIGTERM to the process group (timeout, supervisors)"),
])
def test_interrupt_stops_workers_and_leaves_no_output(tmp_path: Path, signum: int, exit_code: int,
                                                      group: bool) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    slow = FLASK_HEADER + "".join(f"@app.route('/{i}')\ndef v{i}():\n    return request.args\n" for i in range(400))
    for i in range(300):
        (tree / f"m{i}.py").write_text(slow)
    out_file = tmp_path / "out" / "report.json"
    out_file.parent.mkdir()
    process = subprocess.Popen(
        # --no-cache: a scan answered from a result cache could end before the signal arrives
        [sys.executable, "-m", "migrate_audit", "scan", str(tree), "--jobs", "2", "--json", str(out_file), "-q",
         "--no-cache"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        # A shell starts a background job (`pytest ... &`) with SIGINT ignored, and Python keeps an ignored
        # SIGINT ignored: the scan would run to its end. A user's scan gets Ctrl-C as Python's default.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 30
    while len(children_of(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)  # wait for the workers to be busy
    workers = children_of(process.pid)
    assert len(workers) >= 2, "the process pool never started"
    time.sleep(0.5)
    if group:
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)
    # The exit code and the missing report say the scan stopped on the signal rather than running to its
    # end; the timeout only keeps a hung scan from hanging the suite (no bound on how fast a machine is).
    _, err = process.communicate(timeout=120)
    assert process.returncode == exit_code, err
    assert "Traceback" not in err and err.strip() in ("migrate-audit: interrupted", "migrate-audit: terminated")
    assert os.listdir(out_file.parent) == []  # no report, no temporary file
    time.sleep(0.2)
    assert not [pid for pid in workers if os.path.exists(f"/proc/{pid}") and _alive(pid)]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_interrupt_while_writing_leaves_no_temporary_file(capsys, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import migrate_audit.report.atomic as atomic

    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "a.py").write_text(FLASK_HEADER)
    real_replace = os.replace

    def interrupted(*args):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "replace", interrupted)
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = run(capsys, "scan", str(tmp_path / "tree"), "--json", str(out / "r.json"))
    monkeypatch.setattr(atomic.os, "replace", real_replace)
    assert code == 130 and "interrupted" in err and os.listdir(out) == []


# --- config, flags and output paths: exit 2, one line ------------------------------------------------

BAD_CONFIGS = [
    ("select = 5\n", "select must be a list of strings"),
    ("select = ['']\n", "unknown rule code ''"),
    ("extend-ignore = {a = 1}\n", "extend-ignore must be a list of strings"),
    ("exclude = [[1]]\n", "exclude must be a list of strings"),
    ("effort = 3\n", "effort must be a table"),
    ("[tool.migrate-audit.effort]\nFMA101 = true\n", "effort.FMA101 = True"),
    ("[tool.migrate-audit.effort]\nFMA101 = 2.5\n", "effort.FMA101 = 2.5"),
    ("category = []\n", "category must be a table"),
    ("[tool.migrate-audit.category]\nFMA101 = 3\n", "category.FMA101 = 3"),
    ("[tool.migrate-audit.category]\nNOPE = 'optional'\n", "unknown rule code 'NOPE'"),
    ("[tool.migrate-audit.per-file-ignores]\n'x' = 5\n", "per-file-ignores 'x' must be a list of strings"),
    ("fail-under = nan\n", "fail-under = nan"),
    ("fail-under = inf\n", "fail-under = inf"),
    ("fail-under = true\n", "fail-under = True"),
    ("fail-on = 3\n", "fail-on = 3"),
    ("fail-on = ['mandatory']\n", "fail-on = ['mandatory']"),
    ("select = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
]


@pytest.mark.parametrize(("body", "message"), BAD_CONFIGS)
def test_every_malformed_config_value_is_one_line_exit_2(capsys, tmp_path: Path, body: str, message: str) -> None:
    (tmp_path / "app.py").write_text("x = 1\n")
    header = "" if body.startswith("[tool") else "[tool.migrate-audit]\n"
    (tmp_path / "pyproject.toml").write_text(header + body)
    code, _, err = run(capsys, "scan", str(tmp_path))
    assert code == 2 and err.count("\n") == 1 and message in err and "Traceback" not in err


def test_config_with_invalid_utf8_or_as_a_folder(capsys, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b"[tool.migrate-audit]\nselect = ['\xff']\n")
    code, _, err = run(capsys, "scan", str(tmp_path))
    assert code == 2 and "invalid UTF-8" in err and err.count("\n") == 1
    code, _, err = run(capsys, "scan", str(tmp_path), "--config", str(tmp_path))
    assert code == 2 and "is a folder" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--fail-under", "nan"], "--fail-under = nan"),
        (["--fail-under", "abc"], "'abc' is not a valid float"),
        (["--jobs", "-1"], "--jobs -1"),
        (["--jobs", "100000"], "--jobs 100000"),
        (["--json", ""], "--json needs a file name"),
        (["--json", "/proc/no/such/r.json"], "does not exist"),
        (["--write-baseline", "/"], "it is a folder"),
        (["--fail-on", "everything"], "'everything' is not one of"),
        (["--format", "yaml"], "'yaml' is not one of"),
        (["--select", "FMA1,,BOGUS"], "unknown rule code 'BOGUS'"),
        (["--quiet=yes"], "does not take a value"),
    ],
)
def test_bad_flags_are_one_line_exit_2(capsys, tmp_path: Path, argv: list[str], message: str) -> None:
    (tmp_path / "app.py").write_text("x = 1\n")
    code, _, err = run(capsys, "scan", str(tmp_path), *argv)
    assert code == 2 and err.count("\n") == 1 and message in err and "Traceback" not in err


def test_unwritable_outputs(capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "app.py").write_text(FLASK_HEADER)
    # Writing the report over a file being scanned would destroy the user's source.
    code, _, err = run(capsys, "scan", str(tmp_path), "--json", str(tmp_path / "app.py"))
    assert code == 2 and "it is a source file being scanned" in err
    assert (tmp_path / "app.py").read_text() == FLASK_HEADER
    # A folder that refuses the write at write time (full disk, read-only mount; chmod does not stop root).
    import migrate_audit.report.atomic as atomic

    def full_disk(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", full_disk)
    code, _, err = run(capsys, "scan", str(tmp_path), "--json", str(tmp_path / "out.json"))
    assert code == 2 and err.count("\n") == 1 and "cannot write" in err and "No space left" in err


def _analyze_or_die(source, index, **options):  # type: ignore[no-untyped-def]
    """Module level, so the pool can pickle it: a worker that dies on one file, like a segfault."""
    from migrate_audit.scan import FileResult

    if source.relpath.endswith("killer.py"):
        os._exit(139)
    return FileResult(path=source.relpath, kind="python", lines=1)


def test_a_worker_that_dies_costs_one_file_not_the_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from migrate_audit import scan as scan_module
    from migrate_audit.config import Settings

    tree = flask_tree(tmp_path / "tree", 100)
    (tree / "pkg3" / "killer.py").write_text(FLASK_HEADER)
    monkeypatch.setattr(scan_module, "_analyze_one", _analyze_or_die)
    result = scan_module.run_scan([str(tree)], Settings(), jobs=2)
    assert len(result.files) == 102
    assert [(d.path, d.kind) for d in result.diagnostics] == [("pkg3/killer.py", "internal-error")]
    assert "worker process analysing it died" in result.diagnostics[0].message
    assert not children_of(os.getpid())
