#!/usr/bin/env python3
"""How long the JSON and HTML reports take to render for a large project (target: under 1 s each for
20,000 findings). A benchmark to run by hand, not a timed unit test:

    .venv/bin/python bench/report_speed.py                 # 20,000 findings
    .venv/bin/python bench/report_speed.py --findings 50000

It writes a synthetic Flask project into a temporary folder (Blueprints whose views read request.args
and return jsonify, three findings per view), scans it with the real engine, then times each renderer
on the same report, best of --repeat runs. The HTML time includes reading the snippets from disk.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from migrate_audit.config import Settings
from migrate_audit.report.build import build_report
from migrate_audit.report.context import RenderContext
from migrate_audit.report.formats import render_json
from migrate_audit.report.html import render_html
from migrate_audit.scan import run_scan

VIEWS_PER_FILE = 25
FINDINGS_PER_VIEW = 3  # the route decorator, request.args, jsonify


def write_project(root: Path, findings: int) -> None:
    files = -(-findings // (VIEWS_PER_FILE * FINDINGS_PER_VIEW))
    for n in range(files):
        package = root / f"pkg{n // 20:03d}"
        package.mkdir(exist_ok=True)
        lines = ["from flask import Blueprint, jsonify, request", "", f"bp = Blueprint('b{n}', __name__)", ""]
        for v in range(VIEWS_PER_FILE):
            lines += [
                f"@bp.route('/items/{v}')",
                f"def view_{v}():",
                f"    value = request.args.get('q{v}', '')",
                f"    return jsonify(value=value, index={v})",
                "",
            ]
        (package / f"views_{n:04d}.py").write_text("\n".join(lines), encoding="utf-8")


def best_of(repeat: int, func: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--findings", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        root.mkdir()
        write_project(root, args.findings)
        started = time.perf_counter()
        scan = run_scan([str(root)], Settings(), jobs=args.jobs)
        report = build_report(scan)
        report["findings"] = report["findings"][: args.findings]  # exactly the number asked for
        print(f"scan: {len(scan.files)} files, {len(report['findings']):,} findings in "
              f"{time.perf_counter() - started:.2f} s (not part of the target)")
        context = RenderContext(source_root=scan.root, generated_at="2026-01-31T12:00:00Z", duration=1.0)
        for name, render in (("json", render_json), ("html", render_html)):
            seconds, text = best_of(args.repeat, lambda: render(report, context))
            verdict = "ok" if seconds < 1.0 else "OVER the 1 s target"
            print(f"{name}: {seconds:.3f} s for {len(report['findings']):,} findings, "
                  f"{len(text) / 1e6:.1f} MB ({verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
