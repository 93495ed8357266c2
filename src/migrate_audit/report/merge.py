"""`migrate-audit merge`: one report from several JSON reports.

- Shards of one project (`scan --shard I/N`, every I from 1 to N, scanned from the same tree with the same
  settings and tool version) become the report a single scan would have written: the findings, files
  and diagnostics are put together and everything else (score, summary, extensions, packages) is
  computed by the same code as a scan's (build.assemble_report), from the data each shard carries.
- Reports of different applications (each a complete report, or complete once its shards are merged)
  become a portfolio report: one row per application under `portfolio`, and the whole portfolio as one
  codebase in the rest of the report, every path prefixed with its application's name. The effort
  estimate is the exception: each application is ported on its own (its own setup, idioms and
  extensions), so the portfolio's estimate is the sum of the applications' and its range the sum of
  their ranges (effort.estimate_portfolio), not the estimate of one codebase that size.

Every problem with the inputs is a ConfigError: one line naming the file and the fix.
"""
from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .. import __version__, effort, registry
from ..config import ConfigError
from ..discovery import scan_root
from ..rules._project_facts import apply_project_facts
from .build import SCHEMA_VERSION, assemble_report, read_json_file
from .ported import merge_port

_GRADES = ("A", "B", "C", "D", "E")
_REPORT_KEYS = ("schema_version", "tool", "root", "summary", "findings", "extensions", "diagnostics")


@dataclass
class Input:
    path: str  # the file name as given, for messages
    report: dict[str, Any]


@dataclass
class _File:
    """A scanned file as build.assemble_report reads it."""

    path: str
    lines: int
    imports: list[str] = field(default_factory=list)
    blueprints: list[str] = field(default_factory=list)


@dataclass
class Merged:
    report: dict[str, Any]
    source_root: str | None  # where the findings' files are, when they are at hand (HTML snippets, SARIF)


def load_report(path: str) -> Input:
    """Read one JSON report and check that merge can use it."""
    data = read_json_file(path, "give the reports written by 'migrate-audit scan --json FILE'")
    tool = data.get("tool") if isinstance(data, dict) else None
    if not isinstance(tool, dict) or tool.get("name") != "migrate-audit":
        raise ConfigError(f"{path} is not a migrate-audit JSON report; give the reports written by "
                          "'migrate-audit scan --json FILE'")
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ConfigError(f"{path} has report schema version {version!r}, this migrate-audit reads version "
                          f"{SCHEMA_VERSION!r}; merge it with the migrate-audit version that wrote it "
                          f"({tool.get('version', 'unknown')})")
    if "portfolio" in data:
        raise ConfigError(f"{path} is a portfolio report; merge the applications' own reports instead")
    problem = _problem(data)
    if problem:
        raise ConfigError(f"{path} is not a complete migrate-audit JSON report ({problem}); write it again "
                          "with 'migrate-audit scan --json FILE'")
    return Input(path, data)


def _problem(data: dict[str, Any]) -> str | None:
    """What makes `data` unusable for a merge, or None. Checks every value merge reads."""
    missing = [key for key in _REPORT_KEYS if key not in data]
    if missing:
        return f"no {missing[0]!r}"
    if not isinstance(data["tool"].get("version"), str):
        return "no tool version"
    if not isinstance(data["root"], str) or not _strings(data.get("roots", [])):
        return "'root' or 'roots' is not text"
    if not isinstance(data.get("config"), (str, type(None))):
        return "'config' is not text"
    if "project" in data and not (isinstance(data["project"], dict) and isinstance(data["project"].get("name"), str)):
        return "'project' has no name"
    summary = data["summary"]
    if not isinstance(summary, dict) or any(not _int(summary.get(key)) for key in
                                            ("readiness", "story_points", "blockers", "findings", "files_scanned")):
        return "the summary lacks the score"
    if "baseline_readiness" in summary and not _int(summary["baseline_readiness"]):
        return "the summary's baseline_readiness is not a score"
    if not isinstance(data["findings"], list) or not all(_finding(f) for f in data["findings"]):
        return "a finding lacks one of its fields"
    unknown = sorted({f["code"] for f in data["findings"]} - {r.code for r in registry.all_rules()})
    if unknown:
        return f"{unknown[0]} is not a rule of migrate-audit {__version__}"
    if not isinstance(data.get("files"), list) or not all(
            isinstance(f, dict) and isinstance(f.get("path"), str) and _int(f.get("lines")) for f in data["files"]):
        return "'files' does not list every file with its lines"
    if not isinstance(data.get("units", []), list) or not all(_unit(u) for u in data.get("units", [])):
        return "a package in 'units' is incomplete"
    if not isinstance(data["diagnostics"], list) or not all(
            isinstance(d, dict) and all(isinstance(d.get(k), str) for k in ("path", "kind", "message"))
            and _int(d.get("line", 1)) for d in data["diagnostics"]):
        return "a diagnostic lacks its path, kind or message"
    if not isinstance(data.get("diff_base", ""), str):
        return "'diff_base' is not text"
    if "shard" in data:
        return _shard_problem(data["shard"])
    return None


def _shard_problem(shard: Any) -> str | None:
    if not isinstance(shard, dict) or not _int(shard.get("index")) or not _int(shard.get("count")):
        return "'shard' lacks its index and count"
    if not 1 <= shard["index"] <= shard["count"]:
        return f"shard {shard['index']}/{shard['count']} is out of range"
    if not isinstance(shard.get("tree"), str) or not isinstance(shard.get("settings"), str):
        return "'shard' lacks the tree and settings it was scanned with"
    files = shard.get("files")
    if not isinstance(files, list) or not all(
            isinstance(f, dict) and isinstance(f.get("path"), str) and _strings(f.get("imports"))
            and _strings(f.get("blueprints")) for f in files):
        return "'shard' lacks its files' imports and Blueprints"
    return None


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


_FINDING_TEXT = ("code", "rule", "title", "path", "category", "verdict", "message", "counterpart", "confidence",
                 "fingerprint")
_FINDING_NUMBERS = ("line", "column", "end_line", "end_column", "effort")


def _finding(f: Any) -> bool:
    """Every field a scan writes and a renderer reads."""
    return (isinstance(f, dict) and all(isinstance(f.get(k), str) for k in _FINDING_TEXT)
            and all(_int(f.get(k)) for k in _FINDING_NUMBERS) and _strings(f.get("links"))
            and isinstance(f.get("suppressed"), bool) and isinstance(f.get("baseline"), bool)
            and isinstance(f.get("changed", False), bool))


def _unit(u: Any) -> bool:
    """Every field the migration plan (report/plan.py and the HTML report) reads."""
    return (isinstance(u, dict) and isinstance(u.get("name"), str) and _strings(u.get("depends_on"))
            and _strings(u.get("blueprints")) and u.get("grade") in _GRADES
            and all(_int(u.get(k)) for k in ("files", "lines", "findings", "story_points", "readiness", "blockers")))


def merge(inputs: list[Input]) -> Merged:
    """One report from `inputs` (see the module docstring)."""
    if not inputs:
        raise ConfigError("merge needs at least one JSON report")
    seen: dict[str, str] = {}
    for item in inputs:
        real = os.path.realpath(item.path)
        if real in seen:
            raise ConfigError(f"{item.path} is given twice (also as {seen[real]}); give each report once")
        seen[real] = item.path
    versions = {i.report["tool"]["version"] for i in inputs}
    if len(versions) > 1:
        by_version: dict[str, str] = {}
        for i in inputs:
            by_version.setdefault(i.report["tool"]["version"], i.path)
        listed = ", ".join(f"{path} by {version}" for version, path in sorted(by_version.items()))
        raise ConfigError(f"the reports come from different migrate-audit versions ({listed}); scan them all "
                          "with one version, whose rules and score they then share")
    if versions != {__version__}:
        raise ConfigError(f"{inputs[0].path} was written by migrate-audit {versions.pop()}, this is "
                          f"{__version__}; merge with the version that scanned, or scan again with this one")
    applications = [_application(group) for group in _group(inputs)]
    if len(applications) == 1:
        return applications[0]
    return Merged(_portfolio(applications), None)


def _group(inputs: list[Input]) -> list[list[Input]]:
    """Shards by the tree they were scanned from; every complete report on its own."""
    groups: dict[str, list[Input]] = defaultdict(list)
    singles: list[list[Input]] = []
    for item in inputs:
        shard = item.report.get("shard")
        if shard is None:
            singles.append([item])
        else:
            groups[shard["tree"]].append(item)
    return [*groups.values(), *singles]


def _application(group: list[Input]) -> Merged:
    """One application's report: its shards merged, or its one report computed again from its parts (so
    that a hand-edited summary cannot disagree with the findings)."""
    if "shard" in group[0].report:
        _check_shards(group)
        group = sorted(group, key=lambda i: i.report["shard"]["index"])
    return Merged(_assemble([i.report for i in group]), _source_root(group[0].report))


def _check_shards(group: list[Input]) -> None:
    first = group[0]
    name = _name(first)
    counts = {i.report["shard"]["count"] for i in group}
    if len(counts) > 1:
        listed = ", ".join(f"{i.path} is {_shard(i)}" for i in group)
        raise ConfigError(f"project {name!r}: the shard counts disagree ({listed}); scan every shard with "
                          "the same N in --shard I/N")
    count = counts.pop()
    seen: dict[int, str] = {}
    for item in group:
        index = item.report["shard"]["index"]
        if index in seen:
            raise ConfigError(f"project {name!r}: shard {index}/{count} is given twice ({seen[index]} and "
                              f"{item.path}); give each shard's report once")
        seen[index] = item.path
    missing = [i for i in range(1, count + 1) if i not in seen]
    if missing:
        shown = ", ".join(f"{i}/{count}" for i in missing[:10]) + (" ..." if len(missing) > 10 else "")
        raise ConfigError(f"project {name!r}: shard {shown} missing (have {', '.join(sorted(seen.values()))}); "
                          "give every shard's report, all scanned from the same commit with the same PATH and "
                          "--exclude (shards of different trees cannot be merged)")
    for item in group[1:]:
        for what, key, fix in (
            ("scanned path", lambda r: (r["root"], r.get("roots")), "scan every shard with the same PATH"),
            ("settings", lambda r: (r.get("config"), r["shard"]["settings"]),
             "scan every shard with the same config, --select, --ignore and --exclude"),
            ("--diff-base", lambda r: r.get("diff_base"), "scan every shard with the same --diff-base"),
            ("--baseline", lambda r: (r["summary"].get("new_findings") is not None,
                                      r["summary"].get("baseline_readiness")),
             "scan every shard with the same --baseline"),
        ):
            if key(item.report) != key(first.report):
                raise ConfigError(f"project {name!r}: {first.path} and {item.path} differ in {what}; {fix}")


def _shard(item: Input) -> str:
    return f"{item.report['shard']['index']}/{item.report['shard']['count']}"


def _assemble(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """The report of one application from its shards' reports (or its one complete report)."""
    first = reports[0]
    head = {key: first[key] for key in ("root", "roots", "project", "config") if key in first}
    findings = [dict(f) for r in reports for f in r["findings"]]
    extra = {f["path"]: f for r in reports for f in r.get("shard", {}).get("files", [])}
    files = []
    for r in reports:
        for f in r["files"]:
            more = extra.get(f["path"], {})
            files.append(_File(f["path"], f["lines"], list(more.get("imports", [])), list(more.get("blueprints", []))))
    diagnostics = _sorted_diagnostics(d for r in reports for d in r["diagnostics"])
    if "shard" in first:  # what only the whole project tells (one adoption per extension, ...)
        findings = apply_project_facts(findings, files)
    summary = first["summary"]
    report = assemble_report(head, findings, files, diagnostics, "new_findings" in summary,
                             summary.get("baseline_readiness"))
    if "shard" not in first and "units" in first:
        report["units"] = [dict(u) for u in first["units"]]  # a complete report's own: it knew the imports
    if "diff_base" in first:
        _mark_diff_base(report, first["diff_base"])
    merge_port(report, reports)
    return report


def _sorted_diagnostics(diagnostics: Any) -> list[dict[str, Any]]:
    """Sorted as a scan sorts them (path, kind, message, line), each once."""
    unique = {(d["path"], d["kind"], d["message"], d.get("line", 0)): d for d in diagnostics}
    return [dict(unique[key]) for key in sorted(unique)]


def _mark_diff_base(report: dict[str, Any], ref: str) -> None:
    """What `diffbase.mark_changed` adds to a report, from the findings' own `changed` marks."""
    report["diff_base"] = ref
    report["summary"]["changed_findings"] = sum(
        1 for f in report["findings"] if f.get("changed") and not f["suppressed"])


def _name(item: Input) -> str:
    return str(_app_name(item.report))


def _app_name(report: dict[str, Any]) -> str:
    project = report.get("project")
    if isinstance(project, dict) and project.get("name"):
        return str(project["name"])
    return os.path.basename(os.path.normpath(report["root"])) or "application"


def _source_root(report: dict[str, Any]) -> str | None:
    """The scanned folder, when merge runs where the scan did (the HTML report then shows snippets)."""
    roots = report.get("roots") or [report["root"]]
    if not all(os.path.exists(root) for root in roots):
        return None
    return scan_root(list(roots))


def _portfolio(applications: list[Merged]) -> dict[str, Any]:
    named: list[tuple[str, dict[str, Any]]] = []
    taken: set[str] = set()
    for app in sorted(applications, key=lambda a: _app_name(a.report)):
        base = _app_name(app.report).replace("/", "_")
        name, n = base, 1
        while name in taken:  # two applications in folders of the same name: app, app-2, ...
            n += 1
            name = f"{base}-{n}"
        taken.add(name)
        named.append((name, app.report))

    findings: list[dict[str, Any]] = []
    files: list[_File] = []
    diagnostics: list[dict[str, Any]] = []
    units: list[dict[str, Any]] = []
    rows = []
    for name, report in named:
        findings += [{**f, "path": f"{name}/{f['path']}"} for f in report["findings"]]
        files += [_File(f"{name}/{f['path']}", f["lines"]) for f in report["files"]]
        diagnostics += [{**d, "path": f"{name}/{d['path']}"} for d in report["diagnostics"]]
        units += [_prefixed_unit(name, u) for u in report.get("units", [])]
        s = report["summary"]
        rows.append({
            "name": name,
            "root": report["root"],
            "readiness": s["readiness"],
            "grade": s["grade"],
            "story_points": s["story_points"],
            "estimate_days": s.get("estimate_days", 0),
            "estimate_range": s.get("estimate_range", [0.0, 0.0]),
            "blockers": s["blockers"],
            "findings": s["findings"],
            "files_scanned": s["files_scanned"],
            "files_not_audited": s.get("files_not_audited", 0),
            "lines": s.get("lines", 0),
            "partial": bool(s.get("partial", False)),
        })
    reports = [report for _, report in named]
    head = {"root": ".", "roots": [name for name, _ in named], "config": None}
    baseline_used = all("new_findings" in r["summary"] for r in reports)
    report = assemble_report(head, findings, files, _sorted_diagnostics(diagnostics), baseline_used)
    report["units"] = sorted(units, key=lambda u: u["name"])
    report["summary"].update(effort.estimate_portfolio(effort.places_from_report(r) for r in reports).as_dict())
    refs = {r.get("diff_base") for r in reports}
    if len(refs) == 1 and None not in refs:
        _mark_diff_base(report, refs.pop())
    merge_port(report, reports)
    report["portfolio"] = {"applications": rows}
    return report


def _prefixed_unit(name: str, unit: dict[str, Any]) -> dict[str, Any]:
    def prefixed(unit_name: str) -> str:
        return name if unit_name == "." else f"{name}/{unit_name}"

    return {**unit, "name": prefixed(unit["name"]),
            "depends_on": [prefixed(d) for d in unit.get("depends_on", [])]}
