"""The command line: a thin front end over the scan, the report builders and the rule registry.

Exit codes: 0 scan done and gate passed, 1 gate failed, 2 usage/config/tool error (one line on stderr,
never a traceback), 130 interrupted (SIGINT, Ctrl-C), 143 terminated (SIGTERM).
"""
from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any, Callable, Sequence

import click

from . import __version__, proofs, registry
from .cache import default_cache_dir
from .config import FAIL_ON_CHOICES, ConfigError, Settings, check_fail_under, load_settings, parse_codes
from .diffbase import changed_lines, mark_changed
from .discovery import classify, discover, scan_root
from .report import jsonsafe
from .report.atomic import write_text_atomic
from .report.build import build_report, load_baseline
from .report.context import RenderContext
from .report.csv_report import render_csv
from .report.markdown import render_markdown
from .report.merge import load_report, merge as merge_reports
from .report.sarif import render_sarif
from .report.text import render_text
from .report_cache import ReportCache, invocation_key
from .scan import is_bug, run_scan
from .workers import tune_gc
from .shard import parse_shard

EXIT_OK, EXIT_GATE, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 1, 2, 130, 143  # 128 + signal number
# Diagnostics that mean a bug in migrate-audit itself rather than a problem with the scanned file.
TOOL_ERROR_KINDS = ("internal-error", "rule-error")
MAX_JOBS = 1024  # each job is a process: a typo like `-j 100000` must not fork-bomb the machine


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that it unwinds like Ctrl-C: workers stopped, no output
    file half-written, temporary files removed."""


GATE_FINDINGS_SHOWN = 20  # the findings that failed the gate, listed on stderr for CI logs and hooks


def render_html(report: dict[str, Any], context: RenderContext) -> str:
    """The HTML report, with Jinja imported only when one is asked for (0.15 s of a warm JSON re-scan)."""
    from .report.html import render_html as render

    return render(report, context)


def render_json(report: dict[str, Any], context: RenderContext | None = None) -> str:
    return jsonsafe.dumps(report, indent=2, sort_keys=True) + "\n"


# Output formats: name -> renderer of the report dictionary. Every `--format` choice and every
# `--<format> FILE` option comes from this table.
RENDERERS: dict[str, Callable[[dict[str, Any], RenderContext], str]] = {
    "json": render_json,
    "html": render_html,
    "sarif": render_sarif,
    "markdown": render_markdown,
    "csv": render_csv,
}
_FILE_HELP = {
    "html": "a self-contained HTML report (overview, extensions, migration plan, findings)",
    "sarif": "SARIF 2.1.0 (GitHub code scanning, IDE viewers)",
    "markdown": "a Markdown summary for a pull-request comment",
    "csv": "CSV, one finding per row",
}


def _report_file_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--html FILE`, `--sarif FILE`, ... for every renderer but JSON (declared with the command)."""
    for name in reversed([n for n in RENDERERS if n != "json"]):
        command = click.option(f"--{name}", f"{name}_file", metavar="FILE",
                               help=f"Also write {_FILE_HELP.get(name, name)} to FILE.")(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="migrate-audit")
def cli() -> None:
    """Audit a Flask codebase for its migration to FastAPI, without running it."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, file_okay=True, dir_okay=True))
@click.option("--format", "output_format", type=click.Choice(["text", *RENDERERS]), default="text",
              show_default=True, help="What to print on stdout.")
@click.option("--json", "json_file", metavar="FILE", help="Also write the JSON report to FILE.")
@click.option("--fail-under", type=float, metavar="SCORE", help="Exit 1 when readiness is below SCORE (0-100).")
@click.option("--fail-on", type=click.Choice(FAIL_ON_CHOICES), help="Exit 1 when any counted finding of this "
              "category exists ('blocker': verdict none; 'any': any finding).")
@click.option("--baseline", metavar="FILE", help="A previous JSON report: only findings not in it count for "
              "--fail-on.")
@click.option("--write-baseline", metavar="FILE", help="Write this scan's JSON report as a baseline to FILE.")
@click.option("--diff-base", metavar="REF", help="Only findings on lines changed since git REF (and in untracked "
              "files) count for --fail-on; each finding gets \"changed\" in the JSON report.")
@click.option("--select", metavar="CODES", help="Comma-separated rule codes or prefixes to report (FMA1,FMA205).")
@click.option("--ignore", metavar="CODES", help="Comma-separated rule codes or prefixes to leave out.")
@click.option("--exclude", metavar="GLOB", multiple=True, help="Glob of paths to skip (repeatable).")
@click.option("--config", "config_file", metavar="FILE", help="Read settings from FILE instead of the "
              "scanned project's pyproject.toml.")
@click.option("--jobs", "-j", type=int, default=None, metavar="N", help="Worker processes (default: CPU count).")
@click.option("--cache-dir", metavar="DIR", help="Where to keep the result cache (default: "
              "$MIGRATE_AUDIT_CACHE_DIR, else ~/.cache/migrate-audit).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option("--quiet", "-q", is_flag=True, help="Text output: summary only, no per-finding lines.")
@click.option("--strict", is_flag=True, help="Exit 2 when migrate-audit itself failed on a file (an "
              "internal-error or rule-error diagnostic), even though the scan went on.")
@click.option("--shard", "shard_text", metavar="I/N", help="Audit and report only shard I of N (a deterministic "
              "part of the files, by a hash of each path); combine the N JSON reports with 'migrate-audit merge'.")
@_report_file_options
def scan(paths: tuple[str, ...], output_format: str, json_file: str | None, fail_under: float | None,
         fail_on: str | None, baseline: str | None, write_baseline: str | None, select: str | None,
         ignore: str | None, exclude: tuple[str, ...], config_file: str | None, jobs: int | None,
         cache_dir: str | None, no_cache: bool, quiet: bool, diff_base: str | None = None,
         strict: bool = False, shard_text: str | None = None, **report_files: str | None) -> int:
    """Scan PATHS (files or folders) and report every Flask idiom with its FastAPI counterpart."""
    shard = parse_shard(shard_text) if shard_text is not None else None
    if shard is not None and fail_under is not None:
        raise ConfigError("--fail-under needs the whole project's score, which one shard does not have; "
                          "gate with 'migrate-audit merge SHARD.json... --fail-under SCORE'")
    if shard is not None and write_baseline:
        raise ConfigError("--write-baseline with --shard would hold one shard's findings only; write the "
                          "baseline with 'migrate-audit merge SHARD.json... --json FILE'")
    settings = load_settings(config_file, list(paths)).merged(
        select=parse_codes(select, "--select") if select is not None else None,
        ignore=parse_codes(ignore, "--ignore") if ignore is not None else None,
        exclude=tuple(exclude) or None,
        fail_under=check_fail_under(fail_under) if fail_under is not None else None,
        fail_on=fail_on,
    )
    if jobs is not None and not 1 <= jobs <= MAX_JOBS:
        raise ConfigError(f"--jobs {jobs}: use a number of worker processes from 1 to {MAX_JOBS}")
    outputs = {"json": json_file, **{name: report_files[f"{name}_file"] for name in RENDERERS if name != "json"}}
    for name, target in (*outputs.items(), ("write-baseline", write_baseline)):
        _check_writable(f"--{name}", target, paths)
    baseline_fingerprints = load_baseline(baseline) if baseline else None
    # Before the scan: a missing ref in a shallow clone should fail fast, with exit code 2.
    changed = changed_lines(scan_root(list(paths)), diff_base) if diff_base is not None else None

    cache = None if no_cache else _cache_folder(cache_dir, paths)
    # The report (a dictionary per finding) is built beside the scan's whole heap: with the default
    # thresholds, garbage collections walking that heap took 40 % of building it on the bench corpus.
    # This process ends with the command, so the thresholds stay raised (`run_scan` alone restores the
    # caller's): restoring them set off a full collection of everything the scan held, a tenth of a
    # warm re-scan.
    tune_gc()
    started = time.perf_counter()
    discovered = discover(list(paths), settings.exclude)
    saved = ReportCache(cache, list(paths)) if cache is not None else None
    key = invocation_key(list(paths), settings, shard, baseline_fingerprints)
    report = saved.load(key, discovered) if saved is not None else None
    if report is None:
        if saved is not None:
            saved.begin(discovered)
        result = run_scan(list(paths), settings, jobs=jobs or os.cpu_count() or 1, progress=_progress_bar(),
                          cache_dir=cache, shard=shard, discovered=discovered)
        report = build_report(result, baseline_fingerprints)
        if saved is not None:
            saved.save(key, discovered, result, report)
    duration = time.perf_counter() - started
    if changed is not None:
        mark_changed(report, changed)
    context = RenderContext(source_root=discovered[2], generated_at=report.get("generated_at") or _now(),
                            duration=duration)
    _write_reports(report, context, outputs)
    if write_baseline:
        _write(write_baseline, render_json(report))
    if output_format == "text":
        click.echo(render_text(report, duration=duration, show_findings=not quiet), nl=False)
    else:
        click.echo(RENDERERS[output_format](report, context), nl=False)
    if shard is not None:
        # A shard's score covers its own files only: a configured fail-under is for the merged report.
        settings = replace(settings, fail_under=None)
    status = gate(report, settings)
    tool_errors = [d for d in report["diagnostics"] if d["kind"] in TOOL_ERROR_KINDS]
    if strict and tool_errors:
        first = tool_errors[0]
        raise ConfigError(
            f"--strict: {len(tool_errors)} internal error(s) in migrate-audit, first in {first['path']}: "
            f"{first['message']}; the report lists them under diagnostics"
        )
    return status


@cli.command()
@click.argument("reports", nargs=-1, required=True, metavar="REPORT.json...")
@click.option("--format", "output_format", type=click.Choice(["text", *RENDERERS]), default="text",
              show_default=True, help="What to print on stdout.")
@click.option("--json", "json_file", metavar="FILE", help="Also write the merged JSON report to FILE.")
@click.option("--fail-under", type=float, metavar="SCORE", help="Exit 1 when the merged readiness is below "
              "SCORE (0-100).")
@click.option("--fail-on", type=click.Choice(FAIL_ON_CHOICES), help="Exit 1 when any counted finding of this "
              "category exists ('blocker': verdict none; 'any': any finding).")
@click.option("--quiet", "-q", is_flag=True, help="Text output: summary only, no per-finding lines.")
@_report_file_options
def merge(reports: tuple[str, ...], output_format: str, json_file: str | None, fail_under: float | None,
          fail_on: str | None, quiet: bool, **report_files: str | None) -> int:
    """Combine JSON reports: the shards of one project (scan --shard I/N, every I from 1 to N) into the
    report a single scan writes; reports of different applications into a portfolio report, with one
    row per application and the overall figure."""
    settings = Settings(fail_under=check_fail_under(fail_under) if fail_under is not None else None,
                        fail_on=fail_on)
    outputs = {"json": json_file, **{name: report_files[f"{name}_file"] for name in RENDERERS if name != "json"}}
    for name, target in outputs.items():
        _check_writable(f"--{name}", target, ())
    merged = merge_reports([load_report(path) for path in reports])
    report = merged.report
    context = RenderContext(source_root=merged.source_root, generated_at=report.get("generated_at") or _now())
    _write_reports(report, context, outputs)
    if output_format == "text":
        click.echo(render_text(report, show_findings=not quiet), nl=False)
    else:
        click.echo(RENDERERS[output_format](report, context), nl=False)
    return gate(report, settings)


def _write_reports(report: dict[str, Any], context: RenderContext, outputs: dict[str, str | None]) -> None:
    # Render every requested file before writing any: a renderer that fails leaves no partial set.
    rendered = {target: RENDERERS[name](report, context) for name, target in outputs.items() if target}
    for target, text in rendered.items():
        _write(target, text)


def _write(target: str, text: str) -> None:
    try:
        write_text_atomic(target, text)
    except OSError as exc:
        raise ConfigError(f"cannot write {target}: {exc.strerror or exc}") from None


def _now() -> str:
    """The scan's date for the reports that show one (HTML, Markdown); SOURCE_DATE_EPOCH overrides it
    through build_report's `generated_at`, for reproducible output."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def gate(report: dict[str, Any], settings: Settings) -> int:
    """The CI gate: 1 when readiness is under --fail-under or a --fail-on finding exists."""
    failed = []
    hits: list[dict[str, Any]] = []
    readiness = report["summary"]["readiness"]
    if settings.fail_under is not None and readiness < settings.fail_under:
        failed.append(f"readiness {readiness} is below --fail-under {settings.fail_under:g}")
    if settings.fail_on:
        # With --diff-base, findings carry "changed": only those on changed lines count.
        hits = [f for f in report["findings"] if not f["suppressed"] and not f["baseline"]
                and f.get("changed", True) and _fails_on(f, settings.fail_on)]
        if hits:
            where = f" on lines changed since {report['diff_base']}" if "diff_base" in report else ""
            failed.append(f"{len(hits)} finding(s) match --fail-on {settings.fail_on}{where}")
    for reason in failed:
        click.echo(f"migrate-audit: gate failed: {reason}", err=True)
    if hits:
        for f in hits[:GATE_FINDINGS_SHOWN]:
            click.echo(f"  {f['path']}:{f['line']}:{f['column']}: {f['code']} {f['message']}", err=True)
        if len(hits) > GATE_FINDINGS_SHOWN:
            click.echo(f"  ... and {len(hits) - GATE_FINDINGS_SHOWN} more", err=True)
    return EXIT_GATE if failed else EXIT_OK


def _fails_on(finding: dict[str, Any], fail_on: str) -> bool:
    if fail_on == "any":
        return True
    if fail_on == "blocker":
        return bool(finding["verdict"] == "none")
    return bool(finding["category"] == fail_on)


def _cache_folder(explicit: str | None, paths: tuple[str, ...]) -> str | None:
    """The cache folder, never inside a scanned tree: an explicit one there is an error, the default one
    there (scanning your home folder) just turns the cache off."""
    folder = os.path.abspath(explicit or default_cache_dir())
    inside = [p for p in paths if os.path.isdir(p) and (folder + os.sep).startswith(os.path.abspath(p) + os.sep)]
    if inside and explicit:
        raise ConfigError(f"--cache-dir {explicit} is inside the scanned folder {inside[0]}; choose a folder outside it")
    return None if inside else folder


def _check_writable(option: str, target: str | None, scanned: Sequence[str]) -> None:
    if target is None:
        return
    if not target.strip():
        raise ConfigError(f"{option} needs a file name")
    folder = os.path.dirname(os.path.abspath(target))
    if not os.path.isdir(folder):
        raise ConfigError(f"cannot write {target}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise ConfigError(f"cannot write {target}: folder {folder} is not writable")
    if os.path.isdir(target):
        raise ConfigError(f"cannot write {target}: it is a folder; give a file name")
    if os.path.exists(target) and classify(os.path.basename(target)) == "python" and _inside(target, scanned):
        raise ConfigError(f"cannot write {target}: it is a source file being scanned; write the report elsewhere")


def _inside(target: str, folders: Sequence[str]) -> bool:
    real = os.path.realpath(target)
    for folder in folders:
        top = os.path.realpath(folder)
        if real == top or real.startswith(top.rstrip(os.sep) + os.sep):
            return True
    return False


def _progress_bar() -> Any:
    """A one-line progress counter on stderr, only on a terminal and only for long scans."""
    if not sys.stderr.isatty():
        return None

    def progress(done: int, total: int) -> None:
        if total < 200:
            return
        if done == total:
            # Erase the counter, so that a terminal ends up showing exactly what a CI log shows.
            click.echo("\r\033[K", err=True, nl=False)
        elif done % 50 == 0:
            click.echo(f"\rmigrate-audit: {done}/{total} files", err=True, nl=False)

    return progress


@cli.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(output_format: str) -> int:
    """List every rule: code, category, effort, verdict and title."""
    all_rules = registry.all_rules()
    if output_format == "json":
        click.echo(json.dumps([rule_dict(r) for r in all_rules], indent=2, ensure_ascii=False))
        return EXIT_OK
    for r in all_rules:
        click.echo(f"{r.code}  {r.category.value:<11} {r.effort:>2}  {r.verdict.value:<7}  {r.title}")
    return EXIT_OK


def rule_dict(rule: Any) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "title": rule.title,
        "category": rule.category.value,
        "effort": rule.effort,
        "verdict": rule.verdict.value,
        "message": rule.message,
        "counterpart": rule.counterpart,
        "rationale": rule.rationale,
        "before": rule.before,
        "after": rule.after,
        "links": list(rule.links),
    }


@cli.command()
@click.argument("code")
def explain(code: str) -> int:
    """Explain rule CODE: why it matters, the FastAPI counterpart as a before/after, and links."""
    rule = registry.get_rule(code.upper())
    if rule is None:
        raise ConfigError(f"unknown rule code '{code}'; run 'migrate-audit rules' to list the codes")
    click.echo(explain_text(rule), nl=False)
    return EXIT_OK


def explain_text(rule: Any) -> str:
    lines = [
        f"{rule.code} {rule.name}: {rule.title}",
        f"category: {rule.category.value}   effort: {rule.effort} story points   verdict: {rule.verdict.value}"
        + ("   (blocker: no FastAPI equivalent)" if rule.blocker else ""),
        "",
    ]
    if rule.rationale:
        lines += ["Why it matters", f"  {rule.rationale}", ""]
    lines += ["FastAPI counterpart", f"  {rule.format_counterpart({})}", ""]
    if rule.before:
        lines += ["Before (Flask)", *[f"    {line}" for line in rule.before.rstrip().splitlines()], ""]
    if rule.after:
        lines += ["After (FastAPI)", *[f"    {line}" for line in rule.after.rstrip().splitlines()], ""]
    lines += _proof_text(rule.code)
    if rule.links:
        lines += ["Links", *[f"  {link}" for link in rule.links], ""]
    return "\n".join(lines)


def _proof_text(code: str) -> list[str]:
    """The runnable before/after pair that proves the advice, and what running it measured."""
    proof = proofs.proof_for(code)
    if proof is None:
        return []
    others = [c for c in proof.rules if c != code]
    lines = [f"Proven: {proof.title}" + (f" (the same case proves {', '.join(others)})" if others else ""),
             "  Both apps below run in migrate-audit's test suite, side by side.", ""]
    view = proofs.measured_view(proof)
    if view is not None:
        lines.append(f"  Measured with {view.versions_text}")
        width = max(len(row.label) for check in view.checks for row in check.rows)
        for check in view.checks:
            lines.append(f"    {check.label}" + (f"  (accepted difference: {check.why})" if check.why else ""))
            lines += [f"      {row.label:<{width}}  {row.shown}" + ("   <- differs from Flask" if row.differs else "")
                      for row in check.rows]
        lines.append("")
    for side in proof.sides:
        for name, text in proof.sources(side):
            lines += [f"  {proof.sides[side].label}: {name}", *[f"    {line}".rstrip() for line in text.splitlines()], ""]
    if proof.not_executed:
        lines += [f"  Not executed: {proof.not_executed}", ""]
    if proof.note:
        lines += [f"  Note: {proof.note}", ""]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run the CLI and turn every error into one line and an exit code."""
    restore = _handle_sigterm()
    try:
        return _main(argv)
    finally:
        restore()


def _main(argv: Sequence[str] | None) -> int:
    try:
        result = cli.main(args=list(argv) if argv is not None else None, prog_name="migrate-audit",
                          standalone_mode=False)
        return int(result or 0)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.NoSuchOption as exc:
        command = exc.ctx.command_path if exc.ctx else "migrate-audit"
        _error(f"{exc.format_message().rstrip('.')}; see '{command} --help'")
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "migrate-audit"
        _error(f"{exc.format_message().rstrip('.')}; see '{command} --help'")
    except click.ClickException as exc:
        _error(exc.format_message())
    except ConfigError as exc:
        _error(str(exc))
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("migrate-audit: interrupted", err=True)
        return EXIT_INTERRUPTED
    except Terminated:
        click.echo("migrate-audit: terminated", err=True)
        return EXIT_TERMINATED
    except BrokenPipeError:
        return EXIT_OK  # `migrate-audit scan . | head`: the reader left, nothing to report
    except OSError as exc:
        _error(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
    except BaseException as exc:  # noqa: BLE001 - a bug must still end in one line and exit 2
        if not is_bug(exc):
            raise
        _error(f"internal error: {type(exc).__name__}: {exc}; please report it")
    return EXIT_ERROR


def _handle_sigterm() -> Any:
    """Turn SIGTERM into `Terminated` while the CLI runs; returns the function that restores the old
    handler. Only the main thread can set handlers (embedders may call `main` from another thread)."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.getsignal(signal.SIGTERM)

    def on_sigterm(signum: int, frame: Any) -> None:
        raise Terminated()

    signal.signal(signal.SIGTERM, on_sigterm)
    return lambda: signal.signal(signal.SIGTERM, previous)


def _error(message: str) -> None:
    click.echo(f"migrate-audit: error: {printable(message)}", err=True)


def printable(text: str) -> str:
    """One line, valid Unicode: messages may quote file names with undecodable bytes."""
    from .source import printable_path

    return " ".join(printable_path(text).splitlines())
