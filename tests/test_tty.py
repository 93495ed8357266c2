"""The CLI behaves the same with and without a terminal: same exit code, same visible output, no prompt.

Under a pseudo-terminal the text report may carry colours and a transient progress counter; once ANSI
sequences are removed and carriage returns applied (as a terminal would), what remains must be what a
CI log gets. stdin is the terminal and nothing is ever typed: a prompt would hang until the timeout.
"""
from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

PROJECT = Path(__file__).parent / "fixtures" / "flake8_project"
ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
TIMEOUT = 120


SGR_RE = re.compile(r"\x1b\[[0-9;]*m")  # colours and styles (the progress line's erasing is \x1b[K)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE")}
    env["TERM"] = "xterm-256color"
    return {**env, **extra}


def run_with_pipes(args: list[str], cwd: Path, **extra_env: str) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "migrate_audit", *args], cwd=cwd, env=_env(**extra_env),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=TIMEOUT)
    return done.returncode, done.stdout + done.stderr  # stdout is written (and flushed) before the gate's stderr


def run_in_pty(args: list[str], cwd: Path, **extra_env: str) -> tuple[int, str]:
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "migrate_audit", *args], cwd=cwd, env=_env(**extra_env),
                            stdin=slave, stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + TIMEOUT
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1.0)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed its side
                break
            if not data:
                break
            chunks.append(data)
        else:
            proc.kill()
            pytest.fail("the CLI did not finish under a terminal: is it waiting for input?")
        return proc.wait(timeout=TIMEOUT), b"".join(chunks).decode("utf-8", "replace")
    finally:
        os.close(master)


def visible(output: str) -> list[str]:
    """What a reader sees: no ANSI codes, carriage returns applied, the timing line left out."""
    lines = []
    for line in ANSI_RE.sub("", output.replace("\r\n", "\n")).split("\n"):
        shown = line.rsplit("\r", 1)[-1]
        if not shown.startswith("Scanned in "):
            lines.append(shown)
    return lines


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["scan", ".", "--fail-on", "mandatory"], id="text-gate-fails"),
        pytest.param(["scan", ".", "--format", "json"], id="json"),
        pytest.param(["scan", ".", "--fail-under", "0"], id="text-gate-passes"),
        pytest.param(["scan", "no-such-folder"], id="usage-error"),
        pytest.param(["explain", "FMA101"], id="explain"),
    ],
)
def test_same_exit_code_and_output_with_and_without_a_terminal(args: list[str]) -> None:
    piped_code, piped = run_with_pipes(args, PROJECT)
    tty_code, tty = run_in_pty(args, PROJECT)
    assert tty_code == piped_code
    assert visible(tty) == visible(piped)
    assert "\x1b[" not in piped  # colour only ever goes to a terminal


def test_the_progress_counter_leaves_nothing_behind(tmp_path: Path) -> None:
    # 200 files or more turn the counter on (only on a terminal).
    for i in range(210):
        (tmp_path / f"m{i:03}.py").write_text("from flask import request\n\nx = request.args\n" if i % 3 == 0 else "y = 1\n")
    args = ["scan", ".", "--jobs", "1", "--fail-on", "mandatory", "--no-cache"]  # a warm scan shows no counter
    piped_code, piped = run_with_pipes(args, tmp_path)
    tty_code, tty = run_in_pty(args, tmp_path)
    assert "reading 210/210 files" in tty and "\x1b[" in tty  # counter and colours were on the terminal...
    assert (tty_code, visible(tty)) == (piped_code, visible(piped))  # ...and erased
    assert piped_code == 1


def test_progress_shows_every_phase_at_the_default_worker_count(tmp_path: Path) -> None:
    """No `--jobs`: the workers' results come in chunks, and every phase is still shown, then erased."""
    for i in range(40):
        (tmp_path / f"m{i:02}.py").write_text("from flask import request\n\nx = request.args\n")
    args = ["scan", ".", "--no-cache"]
    tty_code, tty = run_in_pty(args, tmp_path)
    piped_code, piped = run_with_pipes(args, tmp_path)
    for name in ("reading", "analysing", "project files", "building the report"):
        assert f"migrate-audit: {name}..." in tty, name
    assert "analysing 40/40 files" in tty
    assert (tty_code, visible(tty)) == (piped_code, visible(piped))
    assert "migrate-audit: reading" not in piped  # never off a terminal


@pytest.mark.parametrize(("args", "env", "coloured"), [
    pytest.param([], {}, True, id="auto"),
    pytest.param([], {"NO_COLOR": "1"}, False, id="NO_COLOR"),
    pytest.param(["--color", "never"], {}, False, id="never"),
    pytest.param(["--color", "always"], {"NO_COLOR": "1"}, True, id="always-beats-NO_COLOR"),
])
def test_colour_on_a_terminal(args: list[str], env: dict[str, str], coloured: bool) -> None:
    code, out = run_in_pty(["scan", ".", "--no-cache", *args], PROJECT, **env)
    assert code == 0
    assert bool(SGR_RE.search(out)) == coloured


def test_colour_always_through_a_pipe_and_auto_never() -> None:
    assert SGR_RE.search(run_with_pipes(["scan", ".", "--color", "always"], PROJECT)[1])
    assert not SGR_RE.search(run_with_pipes(["scan", ".", "--color", "auto"], PROJECT)[1])


def test_text_report_ends_with_the_summary_fits_80_columns_and_lists_blockers_by_rule() -> None:
    sample = Path(__file__).parents[1] / "examples" / "bookshelf"
    code, out = run_with_pipes(["scan", ".", "--no-cache"], sample)
    assert code == 0
    lines = visible(out)
    while lines and not lines[-1]:
        lines.pop()
    assert lines[-2].startswith("Readiness ") and " findings in " in lines[-1] and "blocking idioms" in lines[-1]
    assert max(len(line) for line in lines) <= 80
    start = next(i for i, line in enumerate(lines) if line.startswith("Blockers by rule"))
    rules = [line.split()[0] for line in lines[start + 1:] if re.match(r"  FMA\d{3} ", line)]
    assert len(rules) == len(set(rules)) >= 2  # each rule once (FMA356, FMA723), with its places under it
    assert lines[start + 2].startswith("      bookshelf/")
    # Just above the score: what drives the estimate (days first), per scope, what it covers, the range.
    drivers = next(i for i, line in enumerate(lines) if line.startswith("What drives the estimate"))
    labels = [line[10:].split(":")[0] for line in lines[drivers + 1:] if re.match(r"  +[\d.]+  \S", line)]
    assert labels[:6] == ["Setup", "Idioms to learn", "Extensions to replace", "Repetitions", "Tests (apart)",
                          "Templates and deployment"]
    assert any(re.fullmatch(r" +[\d.]+  App code +\d+ findings +\d+ pts +\d+ files +\d+ lines", line) for line in lines)
    assert re.fullmatch(r"Effort: about [\d.]+ developer-days, likely [\d.]+\u2013[\d.]+", lines[-3])
    assert "not new features, frontend changes or QA." in lines[-4]
