"""The command line: a thin front end over the audit pipeline (pipeline.py) and the rule registry. It
parses options, calls the pipeline, writes the report files, prints, and turns the outcome into an
exit code.

Exit codes: 0 scan done and gate passed, 1 gate failed, 2 usage/config/tool error (one line on stderr,
never a traceback), 130 interrupted (SIGINT, Ctrl-C), 143 terminated (SIGTERM).
"""
from __future__ import annotations

import codecs
import json
import os
import signal
import sys
import threading
import time
from typing import Any, Callable, Sequence

import click

from . import __version__, pipeline, proofs, registry
from .config import FAIL_ON_CHOICES, ConfigError
from .discovery import classify
from .report.atomic import write_text_atomic
from .report.audit_report import Report
from .report.formats import FORMATS, RENDERERS
from .rule_docs import explain_text, rule_dict
from .scan import is_bug
from .workers import tune_gc

EXIT_OK, EXIT_GATE, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 1, 2, 130, 143  # 128 + signal number


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that it unwinds like Ctrl-C: workers stopped, no output
    file half-written, temporary files removed."""


GATE_FINDINGS_SHOWN = 20  # the findings that failed the gate, listed on stderr for CI logs and hooks
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


COLOR_CHOICES = ("auto", "always", "never")


def _color_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--color", type=click.Choice(COLOR_CHOICES), default="auto", show_default=True,
                        help="Colour in the text output: auto (on a terminal, unless NO_COLOR is set), always, "
                        "never.")(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="migrate-audit")
def cli() -> None:
    """Audit a Flask codebase for its migration to FastAPI, without running it."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, file_okay=True, dir_okay=True))
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text",
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
@click.option("--staged", is_flag=True, help="Only findings on lines staged for commit count for --fail-on (the "
              "pre-commit hook); with nothing staged, every finding counts.")
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
@click.option("--port", "mark_port", is_flag=True, help="Mark each finding 'migrate-audit port' rewrites (\"ported\" in "
              "the JSON report) and show what remains for people; one project folder only.")
@_color_option
@_report_file_options
def scan(paths: tuple[str, ...], output_format: str, json_file: str | None, fail_under: float | None,
         fail_on: str | None, baseline: str | None, write_baseline: str | None, select: str | None,
         ignore: str | None, exclude: tuple[str, ...], config_file: str | None, jobs: int | None,
         cache_dir: str | None, no_cache: bool, quiet: bool, diff_base: str | None = None,
         strict: bool = False, shard_text: str | None = None, staged: bool = False, color: str = "auto",
         mark_port: bool = False, **report_files: str | None) -> int:
    """Scan PATHS (files or folders) and report every Flask idiom with its FastAPI counterpart."""
    if shard_text is not None and write_baseline:
        pipeline.shard_option(shard_text, fail_under)  # a bad --shard, or --fail-under with one, is told first
        raise ConfigError("--write-baseline with --shard would hold one shard's findings only; write the "
                          "baseline with 'migrate-audit merge SHARD.json... --json FILE'")
    progress = ProgressLine() if sys.stderr.isatty() else None
    request = pipeline.prepare(paths, config=config_file, select=select, ignore=ignore, exclude=exclude or None,
                               fail_under=fail_under, fail_on=fail_on, baseline=baseline, diff_base=diff_base,
                               shard=shard_text, jobs=jobs, cache_dir=cache_dir, no_cache=no_cache, strict=strict,
                               progress=progress, staged=staged, port=mark_port)
    outputs = _outputs(json_file, report_files)
    for name, target in (*outputs.items(), ("write-baseline", write_baseline)):
        _check_writable(f"--{name}", target, paths)
    # This process ends with the command, so the garbage collector's thresholds stay raised for the
    # whole run (the pipeline alone restores the caller's): restoring them set off a full collection of
    # everything the scan held, a tenth of a warm re-scan.
    tune_gc()
    try:
        report = request.run()
    finally:
        if progress is not None:
            progress.erase()
    _write_reports(report, outputs)
    if write_baseline:
        _write(write_baseline, report.render("json"))
    return _print_and_gate(report, output_format, quiet, color)


@cli.command()
@click.argument("reports", nargs=-1, required=True, metavar="REPORT.json...")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text",
              show_default=True, help="What to print on stdout.")
@click.option("--json", "json_file", metavar="FILE", help="Also write the merged JSON report to FILE.")
@click.option("--fail-under", type=float, metavar="SCORE", help="Exit 1 when the merged readiness is below "
              "SCORE (0-100).")
@click.option("--fail-on", type=click.Choice(FAIL_ON_CHOICES), help="Exit 1 when any counted finding of this "
              "category exists ('blocker': verdict none; 'any': any finding).")
@click.option("--quiet", "-q", is_flag=True, help="Text output: summary only, no per-finding lines.")
@_color_option
@_report_file_options
def merge(reports: tuple[str, ...], output_format: str, json_file: str | None, fail_under: float | None,
          fail_on: str | None, quiet: bool, color: str = "auto", **report_files: str | None) -> int:
    """Combine JSON reports: the shards of one project (scan --shard I/N, every I from 1 to N) into the
    report a single scan writes; reports of different applications into a portfolio report, with one
    row per application and the overall figure."""
    request = pipeline.prepare_merge(reports, fail_under=fail_under, fail_on=fail_on)
    outputs = _outputs(json_file, report_files)
    for name, target in outputs.items():
        _check_writable(f"--{name}", target, ())
    report = request.run()
    _write_reports(report, outputs)
    return _print_and_gate(report, output_format, quiet, color)


def _outputs(json_file: str | None, report_files: dict[str, str | None]) -> dict[str, str | None]:
    """The file to write for each format (`--json FILE`, `--html FILE`, ...), None where none was asked."""
    return {"json": json_file, **{name: report_files[f"{name}_file"] for name in RENDERERS if name != "json"}}


def _print_and_gate(report: Report, output_format: str, quiet: bool, color: str = "auto") -> int:
    """Print the report on stdout, and the gate's verdict on stderr; the exit code."""
    styled = _use_color(color)
    if output_format == "json":
        _echo_json(report)
    else:
        click.echo(report.render(output_format, quiet=quiet, color=styled), nl=False, color=styled)
    for note in report.notes:
        click.echo(f"migrate-audit: {note}", err=True)
    verdict = report.gate()
    for reason in verdict.failures:
        click.echo(f"migrate-audit: gate failed: {reason}", err=True)
    for f in verdict.findings[:GATE_FINDINGS_SHOWN]:
        where = _from_here(f["path"], report.context.source_root)
        click.echo(f"  {where}:{f['line']}:{f['column']}: {f['code']} {f['message']}", err=True)
    if len(verdict.findings) > GATE_FINDINGS_SHOWN:
        click.echo(f"  ... and {len(verdict.findings) - GATE_FINDINGS_SHOWN} more", err=True)
    if verdict.error is not None:
        raise ConfigError(verdict.error)
    return EXIT_GATE if verdict.failures else EXIT_OK


def _echo_json(report: Report) -> None:
    """The JSON report on stdout, as UTF-8 bytes made without the text when stdout writes UTF-8 (it has
    no ANSI escape for `click.echo` to strip: JSON escapes control characters): on the bench corpus, the
    24.5 MB report as text was 94 MB of the parent's peak memory, and 0.1 s to encode and scan again."""
    binary = getattr(sys.stdout, "buffer", None) if _writes_utf8(sys.stdout) else None
    if binary is None:
        click.echo(report.render("json"), nl=False)
        return
    sys.stdout.flush()
    binary.write(report.render_json_utf8())
    binary.flush()


def _writes_utf8(stream: Any) -> bool:
    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "").name == "utf-8"
    except LookupError:
        return False


def _from_here(path: str, source_root: str | None) -> str:
    """A finding's path as the shell that ran the scan reaches it (`bookshelf/catalog/views.py`, not the
    scanned folder's `views.py`), so that a hook's or CI log's line points at one file only."""
    if not source_root:
        return path
    try:
        return os.path.relpath(os.path.join(source_root, path)).replace(os.sep, "/")
    except ValueError:  # another drive (Windows)
        return path


def _write_reports(report: Report, outputs: dict[str, str | None]) -> None:
    # Render every requested file before writing any: a renderer that fails leaves no partial set.
    rendered = {target: report.render_json_utf8() if name == "json" else report.render(name)
                for name, target in outputs.items() if target}
    for target, text in rendered.items():
        _write(target, text)


def _write(target: str, text: str | bytes) -> None:
    try:
        write_text_atomic(target, text)
    except OSError as exc:
        raise ConfigError(f"cannot write {target}: {exc.strerror or exc}") from None


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


def _use_color(choice: str) -> bool:
    """--color: `auto` colours a terminal's output unless NO_COLOR is set to anything (no-color.org)."""
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


class ProgressLine:
    """The audit's phase and count on one line of stderr, rewritten in place; made only when stderr is a
    terminal. Every phase is shown as it begins, counts at most every INTERVAL seconds (and when a
    phase's count is complete), and `erase` leaves the terminal showing exactly what a CI log shows."""

    INTERVAL = 0.1

    def __init__(self) -> None:
        self.name = "scanning"
        self.last = 0.0
        self.shown = False

    def phase(self, name: str) -> None:
        self.name = name
        self._show(f"{name}...")

    def __call__(self, done: int, total: int) -> None:
        if done == total or time.monotonic() - self.last >= self.INTERVAL:
            self._show(f"{self.name} {done}/{total} files")

    def _show(self, text: str) -> None:
        self.last = time.monotonic()
        click.echo(f"\r\033[Kmigrate-audit: {text}", err=True, nl=False)
        self.shown = True

    def erase(self) -> None:
        if self.shown:
            click.echo("\r\033[K", err=True, nl=False)
            self.shown = False


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
    click.echo(f"\nThe advice was last proven against {proofs.proven_against_text()}.")
    return EXIT_OK


@cli.command()
@click.argument("code")
def explain(code: str) -> int:
    """Explain rule CODE: why it matters, the FastAPI counterpart as a before/after, and links."""
    rule = registry.get_rule(code.upper())
    if rule is None:
        raise ConfigError(f"unknown rule code '{code}'; run 'migrate-audit rules' to list the codes")
    click.echo(explain_text(rule), nl=False)
    return EXIT_OK


@cli.command("port")
@click.argument("path", type=click.Path(exists=True, file_okay=False, dir_okay=True))
@click.option("--out", metavar="DIR", help="Write the ported project to DIR: a copy of PATH with the ported files.")
@click.option("--in-place", is_flag=True, help="Write the ported files into PATH itself.")
@click.option("--diff", "show_diff", is_flag=True, help="Print the changes as a unified diff.")
@click.option("--only", metavar="UNIT", help="Port one Blueprint (by name), module or folder; main.py serves it "
              "with FastAPI and mounts the rest of the Flask app.")
def port_command(path: str, out: str | None, in_place: bool, show_diff: bool, only: str | None) -> int:
    """Rewrite PATH's Flask code as FastAPI where the rewrite answers as Flask did; a dry run unless --out
    or --in-place. Every other finding gets a TODO(migrate-audit FMAxxx) comment at its site."""
    from .port import port, writer

    writer.check_target(path, out, in_place)
    result = port(path, only=only)
    if show_diff:
        click.echo(result.diff(), nl=False)
    for note in result.notes:
        click.echo(f"migrate-audit: port: {note}", err=True)
    if out is not None or in_place:
        writer.write(path, result.after, out)
    written = f"written to {out if out is not None else path}" if out is not None or in_place else \
        "dry run, nothing written (--out DIR or --in-place writes)"
    click.echo(f"migrate-audit: port: {result.routes_ported} of {result.routes} routes converted fully, "
               f"{result.handled} of {result.total} findings rewritten in {len(result.after)} files, "
               f"{len(result.todos)} left as TODO comments; {written}", err=True)
    return EXIT_OK


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
