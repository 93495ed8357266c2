"""Fuzz the engine for a bounded time and print what was tried and what broke.

    python fuzz/fuzz_engine.py --seconds 120                 # atheris (coverage-guided) when installed
    python fuzz/fuzz_engine.py --seconds 120 --engine hypothesis

Each input goes through the scan's own path: bytes -> decode_python -> text summary (mentions_interest,
text_imports) + analyze_python.
A crash is any exception out of the engine, or a finding that points outside the file. Crashes do not
stop the run: each distinct one (type and innermost frame) is counted, and its first input is saved in
--crash-dir so it can be replayed with --replay FILE. Seeds are the rule fixtures (tests/fixtures/rules).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "fixtures" / "rules"


class Stats:
    def __init__(self, crash_dir: Path) -> None:
        self.tried = 0
        self.crashes: dict[str, tuple[int, Path]] = {}
        self.crash_dir = crash_dir
        self.started = time.monotonic()

    def record(self, data: bytes | str, exc: BaseException) -> None:
        frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        key = f"{type(exc).__name__} at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" if frame else repr(exc)
        if key not in self.crashes:
            self.crash_dir.mkdir(parents=True, exist_ok=True)
            suffix = ".txt" if isinstance(data, str) else ".py"  # .txt: replay as text, not bytes
            path = self.crash_dir / f"crash-{len(self.crashes) + 1}{suffix}"
            path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
            print(f"\nCRASH {key}: {str(exc)[:200]} (input saved to {path})", flush=True)
            self.crashes[key] = (0, path)
        count, path = self.crashes[key]
        self.crashes[key] = (count + 1, path)

    def summary(self) -> str:
        elapsed = time.monotonic() - self.started
        lines = [f"inputs tried: {self.tried} in {elapsed:.0f}s ({self.tried / max(elapsed, 1e-9):.0f}/s); "
                 f"distinct crashes: {len(self.crashes)}"]
        lines += [f"  {key}: {count}x, first input {path}" for key, (count, path) in self.crashes.items()]
        return "\n".join(lines)


def check_one(data: bytes | str) -> None:
    """Raise when the engine crashes on `data` or reports a position outside the file. Bytes go through
    the scan's decoding; text goes to the engine as is, as the flake8 plugin and other callers pass it."""
    from migrate_audit.engine import analyze_python
    from migrate_audit.prefilter import mentions_interest, text_imports
    from migrate_audit.report.jsonsafe import dumps
    from migrate_audit.source import BinaryFile, decode_python, normalize_newlines

    if isinstance(data, str):
        text = data
    else:
        try:
            text = decode_python(data).text
        except BinaryFile:
            return
    mentions_interest(text)
    text_imports(text, "fuzz", False)
    result = analyze_python(text, "fuzz.py")
    lines = normalize_newlines(text).split("\n")  # CR and CRLF end lines, as in an editor
    for d in result.diagnostics:
        if not 0 <= d.line <= len(lines):
            raise AssertionError(f"diagnostic outside the file: {d.kind} line {d.line}")
    for f in result.findings:
        if not (1 <= f.line <= f.end_line <= len(lines) and 1 <= f.column <= len(lines[f.line - 1]) + 1
                and 1 <= f.end_column <= len(lines[f.end_line - 1]) + 1):
            raise AssertionError(f"finding outside the file: {f.code} {f.line}:{f.column}-{f.end_line}:{f.end_column}")
    dumps([f.message for f in result.findings] + [d.message for d in result.diagnostics]).encode("utf-8")


def run_atheris(seconds: int, stats: Stats) -> None:
    import atheris

    with atheris.instrument_imports():
        import migrate_audit.engine  # noqa: F401 - instrumented for coverage guidance
        import migrate_audit.resolve  # noqa: F401
        import migrate_audit.rules  # noqa: F401
        import migrate_audit.source  # noqa: F401
    from migrate_audit import registry

    registry.load()
    deadline = time.monotonic() + seconds

    def one_input(data: bytes) -> None:
        stats.tried += 1
        if time.monotonic() > deadline:
            print("\n" + stats.summary(), flush=True)
            os._exit(1 if stats.crashes else 0)
        try:
            check_one(data)
        except Exception as exc:  # noqa: BLE001 - every crash is recorded, the run goes on
            stats.record(data, exc)

    corpus = Path(tempfile.mkdtemp(prefix="migrate-audit-fuzz-"))
    for seed in SEEDS.glob("*.py"):
        shutil.copy(seed, corpus / seed.name)
    atheris.Setup([sys.argv[0], str(corpus), "-max_len=8192", "-timeout=30", "-rss_limit_mb=4096"], one_input)
    atheris.Fuzz()


def run_hypothesis(seconds: int, stats: Stats) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    sys.path.insert(0, str(ROOT / "tests"))
    from test_properties import PYTHONISH, mutated_fixture  # the strategies of the property tests

    inputs = st.one_of(
        mutated_fixture(),
        st.lists(PYTHONISH, max_size=80).map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass")),
        st.lists(PYTHONISH, max_size=80).map("".join),
        st.text(max_size=400),
        st.binary(max_size=600),
    )
    deadline = time.monotonic() + seconds

    @settings(max_examples=500, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(inputs)
    def fuzz(data: bytes | str) -> None:
        if time.monotonic() > deadline:
            return
        stats.tried += 1
        try:
            check_one(data)
        except Exception as exc:  # noqa: BLE001 - every crash is recorded, the run goes on
            stats.record(data, exc)

    while time.monotonic() < deadline:  # batches with fresh random seeds until the time is up
        fuzz()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--engine", choices=["auto", "atheris", "hypothesis"], default="auto")
    parser.add_argument("--crash-dir", type=Path, default=ROOT / "fuzz" / ".crashes")
    parser.add_argument("--replay", type=Path, help="run one saved input and show its traceback")
    args = parser.parse_args()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    if args.replay:
        raw = args.replay.read_bytes()
        check_one(raw.decode("utf-8", "surrogatepass") if args.replay.suffix == ".txt" else raw)
        print("no crash")
        return 0
    stats = Stats(args.crash_dir)
    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401

            engine = "atheris"
        except ImportError:
            engine = "hypothesis"
    print(f"fuzzing with {engine} for {args.seconds}s", flush=True)
    if engine == "atheris":
        run_atheris(args.seconds, stats)  # exits by itself at the deadline
    run_hypothesis(args.seconds, stats)
    print(stats.summary(), flush=True)
    return 1 if stats.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
