"""The one audit pipeline: settings, then the scan (or the report saved from the same scan), then the
report, which renders itself and judges the gate (report/audit_report.py).

`audit(paths, **settings)` is the library entry point (docs/library.md) and `merge(reports, ...)` its
counterpart for JSON reports; the command line is a front end over the same calls. Each runs in two
steps, `prepare` (check every setting, nothing read or scanned yet) and `run`, so that `migrate-audit
scan` checks its output files in between: after the settings, before the baseline and the scan, as it
always has. Every bad setting raises `ConfigError`, whose message is the command line's one-line error:
it names the setting by its command-line option (`--select`, `--jobs`).
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping, Union

from .index.result_cache import default_cache_dir
from .config import ConfigError, Settings, check_fail_on, check_fail_under, load_settings, parse_codes, parse_table
from .diffbase import changed_lines, mark_changed, staged_lines
from .discovery import discover, scan_root
from .report.audit_report import Report
from .report.build import build_report, load_baseline
from .report.context import RenderContext
from .report.merge import load_report, merge as merge_reports
from .report.repository import blob_url_base
from .progress import REPORT, phase
from .index.report_cache import ReportCache, invocation_key
from .scan import run_scan
from .shard import Shard, parse_shard
from .workers import ProgressCallback, gc_tuned

MAX_JOBS = 1024  # each job is a process: a typo like `-j 100000` must not fork-bomb the machine
PathLike = Union[str, "os.PathLike[str]"]


@dataclass(frozen=True)
class AuditRequest:
    """An audit with every setting checked, ready to `run`."""

    paths: tuple[str, ...]
    settings: Settings
    shard: Shard | None = None
    baseline: str | None = None
    diff_base: str | None = None
    jobs: int | None = None
    cache_dir: str | None = None
    no_cache: bool = False
    strict: bool = False
    progress: ProgressCallback | None = None
    staged: bool = False
    port: bool = False

    def run(self) -> Report:
        paths = list(self.paths)
        baseline = load_baseline(self.baseline) if self.baseline else None
        # Before the scan: a missing ref in a shallow clone should fail fast.
        changed = changed_lines(scan_root(paths), self.diff_base) if self.diff_base is not None else None
        notes: list[str] = []
        if self.staged:
            changed = staged_lines(scan_root(paths))
            if changed is None:
                notes.append("--staged: nothing is staged (pre-commit run --all-files on a clean checkout?), "
                              "so every finding counts")
        cache = None if self.no_cache else cache_folder(self.cache_dir, paths)
        # The report (a dictionary per finding) is built beside the scan's whole heap: with the default
        # thresholds, garbage collections walking that heap took 40 % of building it on the bench corpus.
        with gc_tuned():
            started = time.perf_counter()
            discovered = discover(paths, self.settings.exclude)
            saved = ReportCache(cache, paths) if cache is not None else None
            key = invocation_key(paths, self.settings, self.shard, baseline)
            data = saved.load(key, discovered) if saved is not None else None
            if data is None:
                if saved is not None:
                    saved.begin(discovered)
                result = run_scan(paths, self.settings, jobs=self.jobs or os.cpu_count() or 1,
                                  progress=self.progress, cache_dir=cache, shard=self.shard, discovered=discovered)
                phase(self.progress, REPORT)
                data = build_report(result, baseline)
                if saved is not None:
                    saved.save(key, discovered, result, data)
            duration = time.perf_counter() - started
        if changed is not None:
            mark_changed(data, changed)
        if self.port:
            try:
                _mark_ported(data, self.paths[0], self.cache_dir, self.no_cache, self.jobs)
            except ConfigError:
                raise
            except Exception as exc:  # noqa: BLE001 - a bug in the port must not cost the user the scan's report
                notes.append(f"--port: the port failed ({type(exc).__name__}: {exc}), so no finding is marked; "
                             "please report it")
        context = RenderContext(source_root=discovered[2], generated_at=data.get("generated_at") or _now(),
                                duration=duration, blob_url=blob_url_base())
        # A shard's score covers its own files only: a configured fail-under is for the merged report.
        fail_under = None if self.shard is not None else self.settings.fail_under
        report = Report(data, context, fail_under, self.settings.fail_on, self.strict)
        report.notes = tuple(notes)
        return report


def prepare(paths: PathLike | Iterable[PathLike], *, config: PathLike | None = None,
            select: str | Iterable[str] | None = None, ignore: str | Iterable[str] | None = None,
            exclude: str | Iterable[str] | None = None, extend_ignore: str | Iterable[str] | None = None,
            per_file_ignores: Mapping[str, Any] | None = None, effort: Mapping[str, int] | None = None,
            category: Mapping[str, str] | None = None, fail_under: float | None = None,
            fail_on: str | None = None, baseline: PathLike | None = None, diff_base: str | None = None,
            shard: str | None = None, jobs: int | None = None, cache_dir: PathLike | None = None,
            no_cache: bool = False, strict: bool = False, progress: ProgressCallback | None = None,
            staged: bool = False, port: bool = False) -> AuditRequest:
    """Check the settings of an audit of `paths` (files or folders); raises ConfigError.

    As on the command line, the settings start from `config` (a TOML file) or else the
    `[tool.migrate-audit]` table of the nearest pyproject.toml at or above the first path, and every
    setting given here replaces the file's: `select`, `ignore`, `exclude`, `fail_under`, `fail_on` as the
    options of the same names; `extend_ignore`, `per_file_ignores`, `effort`, `category` as the file's
    keys (`extend_ignore` adds to `ignore`). `baseline`, `diff_base`, `shard` ("I/N"), `jobs`,
    `cache_dir`, `no_cache`, `strict` and `staged` are the command line's options; `progress(done, total)`
    is called as files are read. `port` marks each finding `migrate-audit port` rewrites (one folder only).
    """
    if staged and diff_base is not None:
        raise ConfigError("--staged gates on the lines staged for commit, --diff-base on those changed since a "
                          "ref: give one of them")
    paths = _paths(paths)
    checked_shard = shard_option(shard, fail_under)
    settings = load_settings(_text(config), list(paths)).merged(
        select=parse_codes(_codes(select), "--select") if select is not None else None,
        ignore=parse_codes(_codes(ignore), "--ignore") if ignore is not None else None,
        exclude=_globs(exclude),
        fail_under=check_fail_under(fail_under) if fail_under is not None else None,
        fail_on=check_fail_on(fail_on) if fail_on is not None else None,
    )
    settings = _with_table_keys(settings, extend_ignore=extend_ignore, per_file_ignores=per_file_ignores,
                                effort=effort, category=category)
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or not 1 <= jobs <= MAX_JOBS):
        raise ConfigError(f"--jobs {jobs}: use a number of worker processes from 1 to {MAX_JOBS}")
    if port:
        _check_port(paths, checked_shard)
    return AuditRequest(paths, settings, checked_shard, _text(baseline), diff_base, jobs, _text(cache_dir),
                        bool(no_cache), bool(strict), progress, bool(staged), bool(port))


def _check_port(paths: tuple[str, ...], shard: Shard | None) -> None:
    """`--port` ports one project folder, as `migrate-audit port PATH` does: its imports are resolved from it."""
    if len(paths) != 1 or not os.path.isdir(paths[0]):
        raise ConfigError(f"--port marks what 'migrate-audit port PATH' rewrites, for one project folder; "
                          f"give one folder, not {', '.join(paths)}")
    if shard is not None:
        raise ConfigError("--port needs the whole project, which one shard does not have; scan without --shard")


def _mark_ported(data: dict[str, Any], path: str, cache_dir: str | None, no_cache: bool, jobs: int | None) -> None:
    """The port's own decision on every finding (port.port on the whole folder), carried into the report."""
    from .port import port
    from .report.ported import mark_ported

    result = port(path, audit_options={"cache_dir": cache_dir, "no_cache": no_cache, "jobs": jobs})
    mark_ported(data, result.ported, result.routes, result.routes_ported)


def audit(paths: PathLike | Iterable[PathLike], **settings: Any) -> Report:
    """Audit `paths` (files or folders) as `migrate-audit scan` does: `report.as_dict()` is the JSON report
    the command line writes for the same paths and settings (the keywords of `prepare`); raises
    ConfigError for a bad setting."""
    return prepare(paths, **settings).run()


@dataclass(frozen=True)
class MergeRequest:
    """A merge of JSON reports with its gate settings checked, ready to `run`."""

    reports: tuple[str, ...]
    fail_under: float | None = None
    fail_on: str | None = None

    def run(self) -> Report:
        merged = merge_reports([load_report(path) for path in self.reports])
        context = RenderContext(source_root=merged.source_root,
                                generated_at=merged.report.get("generated_at") or _now(), blob_url=blob_url_base())
        return Report(merged.report, context, self.fail_under, self.fail_on)


def prepare_merge(reports: Iterable[PathLike], *, fail_under: float | None = None,
                  fail_on: str | None = None) -> MergeRequest:
    """Check the settings of a merge of the JSON reports `reports`; raises ConfigError."""
    return MergeRequest(tuple(os.fspath(r) for r in reports),
                        check_fail_under(fail_under) if fail_under is not None else None,
                        check_fail_on(fail_on) if fail_on is not None else None)


def merge(reports: Iterable[PathLike], **settings: Any) -> Report:
    """`migrate-audit merge`: the shards of one project (`shard="I/N"`, every I) into the report a single
    scan gives, or several applications' reports into a portfolio report. `fail_under` and `fail_on`
    set the gate; raises ConfigError for a bad report or setting."""
    return prepare_merge(reports, **settings).run()


def shard_option(text: str | None, fail_under: float | None) -> Shard | None:
    """`--shard I/N`, checked against `--fail-under`, which a shard cannot judge."""
    shard = parse_shard(text) if text is not None else None
    if shard is not None and fail_under is not None:
        raise ConfigError("--fail-under needs the whole project's score, which one shard does not have; "
                          "gate with 'migrate-audit merge SHARD.json... --fail-under SCORE'")
    return shard


def cache_folder(explicit: str | None, paths: Iterable[str]) -> str | None:
    """The cache folder, never inside a scanned tree: an explicit one there is an error, the default one
    there (scanning your home folder) just turns the cache off."""
    folder = os.path.abspath(explicit or default_cache_dir())
    inside = [p for p in paths if os.path.isdir(p) and (folder + os.sep).startswith(os.path.abspath(p) + os.sep)]
    if inside and explicit:
        raise ConfigError(f"--cache-dir {explicit} is inside the scanned folder {inside[0]}; "
                          "choose a folder outside it")
    return None if inside else folder


def _now() -> str:
    """The scan's date for the reports that show one (HTML, Markdown); SOURCE_DATE_EPOCH overrides it
    through build_report's `generated_at`, for reproducible output."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _paths(paths: PathLike | Iterable[PathLike]) -> tuple[str, ...]:
    """The paths as given (the report shows them so), each of them existing. The command line has
    checked them already; a program may pass one path, a list of them, str or Path."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    given = tuple(os.fspath(p) for p in paths)
    if not given:
        raise ConfigError("no path to audit; give at least one file or folder")
    for path in given:
        if not os.path.exists(path):
            raise ConfigError(f"path {path} does not exist; give a file or folder to audit")
    return given


def _text(value: PathLike | None) -> str | None:
    return os.fspath(value) if value is not None else None


def _codes(value: str | Iterable[str]) -> Any:
    """Codes as the option's text ("FMA1,FMA205") or as a list; the checks of config.py take either."""
    return value if isinstance(value, str) else list(value)


def _globs(value: str | Iterable[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    globs = (value,) if isinstance(value, str) else tuple(value)
    if not all(isinstance(glob, str) for glob in globs):
        raise ConfigError(f"--exclude {globs!r}: give glob patterns as text")
    return globs or None


def _with_table_keys(settings: Settings, **given: Any) -> Settings:
    """`settings` with the keys of a `[tool.migrate-audit]` table given as keywords: checked by the same
    code as the file's, each replacing the file's value (`extend_ignore` adds to `ignore`)."""
    table = {name.replace("_", "-"): _codes(value) if name == "extend_ignore" else value
             for name, value in given.items() if value is not None}
    if not table:
        return settings
    parsed = parse_table(table, "audit()", where="audit()")
    fields = {"per-file-ignores": "per_file_ignores", "effort": "effort", "category": "category"}
    changes: dict[str, Any] = {field: getattr(parsed, field) for key, field in fields.items() if key in table}
    if "extend-ignore" in table:
        changes["ignore"] = settings.ignore + parsed.ignore
    return replace(settings, **changes)
