"""The JSON report contract (schema/report.schema.json), built once per scan; every output format renders from it.

The dictionary is a pure function of the scanned files and settings, so the same tree gives byte-identical
JSON across runs and job counts: no wall-clock time goes in unless SOURCE_DATE_EPOCH asks for one.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import posixpath
from collections import Counter, defaultdict
from datetime import datetime, timezone
from typing import Any, Iterable, NamedTuple, Protocol

from .. import __version__, effort, registry, scoring
from ..discovery import PYTHON_SUFFIXES
from .. import ecosystem
from ..rules._project_facts import apply_project_facts
from ..rules.extensions import UNKNOWN_EXTENSION
from ..suppressions import would_hide_with_bare_noqa
from ..rules.dependencies import dependency_readiness
from ..model import Finding, Rule
from ..index.resolve import ModuleNames, module_name_for
from ..scan import ScanResult
from ..shard import settings_digest
from ..source import printable_path

# 2: summary.estimate_days is the effort model's central figure (effort.py), with estimate_range,
# estimate_text, estimate_covers, estimate_breakdown, by_scope, python_lines and
# readiness_templates_deployment; readiness is on Python code lines;
# findings carry their scope.
SCHEMA_VERSION = "2"
TOP_RULES = 10
# Diagnostics about a file that was still audited (with less confidence); every other kind means the
# file, or part of the tree, was not audited and makes the report partial.
AUDITED_KINDS = ("syntax-error", "newer-syntax", "decode-error", "rule-error")


def fingerprint(code: str, path: str, source_line: str, occurrence: int) -> str:
    """Stable identity of a finding for baselines: code, path and the line's content, not its number,
    so edits above a finding do not break the baseline."""
    return f"{code}:{path}:{_line_digest(source_line)}:{occurrence}"


# Cached per line: thousands of findings on one long generated line must not re-hash it each time.
@functools.lru_cache(maxsize=1024)
def _normalized(source_line: str) -> str:
    return " ".join(source_line.split())


@functools.lru_cache(maxsize=1024)
def _line_digest(source_line: str) -> str:
    return hashlib.sha1(_normalized(source_line).encode("utf-8", "surrogatepass")).hexdigest()[:16]


class Baseline(Counter[str]):
    """A previous report's finding fingerprints (a Counter, as callers have always used it) plus that
    report's readiness, so reports can show the score's delta against the baseline."""

    readiness: int | None = None


def read_json_file(path: str, fix: str, what: str = "") -> Any:
    """The parsed JSON of a file the user named (a baseline, a report to merge), or a ConfigError that
    names it (`what` says which file it is) and says `fix`."""
    from ..config import ConfigError

    label = f"{what} {path}" if what else path
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read {label}: {exc.strerror or exc}") from None
    except (ValueError, RecursionError):  # RecursionError: arrays nested thousands deep
        raise ConfigError(f"{label} is not JSON; {fix}") from None


def load_baseline(path: str) -> Baseline:
    from ..config import ConfigError

    data = read_json_file(path, "write one with --write-baseline", what="baseline")
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise ConfigError(f"baseline {path} is not a migrate-audit JSON report; write one with --write-baseline")
    baseline = Baseline(f.get("fingerprint", "") for f in data["findings"] if isinstance(f, dict))
    summary = data.get("summary")
    readiness = summary.get("readiness") if isinstance(summary, dict) else None
    if data.get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION:
        readiness = None  # scored with another formula (version 1: points per line): no delta against it
    # A hand-edited or foreign baseline may lack a usable score; the fingerprints still work without it.
    if isinstance(readiness, int) and not isinstance(readiness, bool) and 0 <= readiness <= 100:
        baseline.readiness = readiness
    return baseline


def _generated_at() -> str | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch or not epoch.isdigit():
        return None
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _unit_of(path: str) -> str:
    folder = posixpath.dirname(path)
    return folder or "."


class ReportedFile(Protocol):
    """What the report needs of each scanned file besides its findings (a FileResult has it all)."""

    path: str
    lines: int
    imports: list[str]
    blueprints: list[str]


def project_name(root: str) -> str:
    """The application's name in portfolio reports: the scanned folder's name."""
    return printable_path(os.path.basename(os.path.normpath(os.path.abspath(root)))) or "/"


def build_report(scan: ScanResult, baseline: Counter[str] | None = None) -> dict[str, Any]:
    settings = scan.settings
    rules = {rule.code: rule for rule in registry.all_rules()}
    remaining_baseline = Counter(baseline or {})

    findings: list[dict[str, Any]] = []
    occurrences: Counter[tuple[str, str, str]] = Counter()
    # What a finding's dictionary takes from its rule and the settings, made once per code (or per code
    # and file with per-file ignores): 24k findings of 170 codes on the bench corpus. None: not enabled.
    of_rule: dict[tuple[str, str], _RuleFields | None] = {}
    by_path = bool(settings.per_file_ignores)
    every = [finding for file in scan.files for finding in file.findings]
    if scan.shard is None:  # a shard sees part of the project: merge applies the project's facts
        every = apply_project_facts(every, scan.files)
    for finding in every:
        key_enabled = (finding.code, finding.path if by_path else "")
        if key_enabled not in of_rule:
            of_rule[key_enabled] = _rule_fields(rules[finding.code], settings) \
                if settings.enabled(*key_enabled) else None
        fields = of_rule[key_enabled]
        if fields is None:
            continue
        key = (finding.code, finding.path, _normalized(finding.source_line))
        fp = fingerprint(finding.code, finding.path, finding.source_line, occurrences[key])
        occurrences[key] += 1
        in_baseline = remaining_baseline[fp] > 0
        if in_baseline:
            remaining_baseline[fp] -= 1
        entry = _finding_dict(finding, fields, fp, in_baseline)
        if would_hide_with_bare_noqa(finding.code, finding.source_line):
            entry["bare_noqa"] = True
        findings.append(entry)
    head = {
        "root": printable_path(scan.paths[0]) if scan.paths else ".",
        "roots": [printable_path(p) for p in scan.paths],
        "project": {"name": project_name(scan.root)},
        "config": settings.config_path,
    }
    diagnostics = [
        {"path": d.path, "kind": d.kind, "message": d.message, **({"line": d.line} if d.line else {})}
        for d in scan.diagnostics
    ]
    report = assemble_report(head, findings, scan.files, diagnostics, baseline is not None,
                             getattr(baseline, "readiness", None))
    if scan.shard is not None:
        report["shard"] = {
            "index": scan.shard.index,
            "count": scan.shard.count,
            "tree": scan.tree,
            "settings": settings_digest(settings),
            # What merge needs for the packages' dependencies and Blueprints (`units`) of the whole project.
            "files": [{"path": f.path, "imports": list(f.imports), "blueprints": list(f.blueprints)}
                      for f in scan.files if f.imports or f.blueprints],
        }
    return report


def assemble_report(head: dict[str, Any], findings: list[dict[str, Any]], files: Iterable[ReportedFile],
                    diagnostics: list[dict[str, Any]], baseline_used: bool = False,
                    baseline_readiness: int | None = None) -> dict[str, Any]:
    """The report from its parts: `findings` as dictionaries (sorted here), every scanned file, the
    diagnostics (sorted as given). A scan and `migrate-audit merge` both end here, so a merge of shards
    computes the summary, extensions, packages and files exactly as a single scan does."""
    rules = {rule.code: rule for rule in registry.all_rules()}
    ordered = sorted(files, key=lambda f: f.path)
    findings.sort(key=lambda f: (f["path"], f["line"], f["column"], f["code"]))
    counted = [f for f in findings if not f["suppressed"]]
    for f in findings:
        f["scope"] = effort.scope_of(f["path"])

    lines_total = sum(f.lines for f in ordered)
    places = _places(counted)
    overall = _score(places, ordered)
    audited_paths = {f.path for f in ordered}
    not_audited = {d["path"] for d in diagnostics if d["kind"] not in AUDITED_KINDS}
    summary: dict[str, Any] = {
        "readiness": overall.readiness,
        "grade": overall.grade,
        "story_points": overall.story_points,
        **estimate_summary(places, ordered),
        "blockers": overall.blockers,
        # Blockers are idioms, each found in some places: "2 blocking idioms, 121 places".
        **_blockers_by_rule(counted, rules),
        "findings": len(counted),
        "suppressed": len(findings) - len(counted),
        # Reported although a bare `# noqa` (written for another flake8 check) is on their line.
        "bare_noqa": sum(1 for f in counted if f.get("bare_noqa")),
        "files_scanned": len(audited_paths - not_audited),
        "files_not_audited": len(not_audited),
        "files_with_findings": len({f["path"] for f in counted}),
        "lines": lines_total,
        "partial": bool(not_audited),
        "by_category": dict(sorted(Counter(f["category"] for f in counted).items())),
        "by_verdict": dict(sorted(Counter(f["verdict"] for f in counted).items())),
        "top_rules": _top_rules(counted, rules),
        # Flask-ecosystem requirements by counterpart verdict (rules/dependencies.py).
        "dependencies": dependency_readiness([f["code"] for f in counted]),
    }
    if baseline_used:
        summary["new_findings"] = sum(1 for f in counted if not f["baseline"])
        if baseline_readiness is not None:
            summary["baseline_readiness"] = baseline_readiness

    report: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "migrate-audit", "version": __version__},
        **head,
        "summary": summary,
        "findings": findings,
        "extensions": _extensions(counted, rules),
        "units": _units(ordered, counted, places),
        "files": _files(ordered, counted, places),
        "diagnostics": diagnostics,
    }
    generated = _generated_at()
    if generated:
        report["generated_at"] = generated
    return report


class _RuleFields(NamedTuple):
    name: str
    title: str
    category: str
    effort: int
    verdict: str
    links: tuple[str, ...]


def _rule_fields(rule: Rule, settings: Any) -> _RuleFields:
    return _RuleFields(rule.name, rule.title, settings.category_of(rule), settings.effort_of(rule),
                       rule.verdict.value, rule.links)


def _finding_dict(finding: Finding, rule: _RuleFields, fp: str, in_baseline: bool) -> dict[str, Any]:
    return {
        "code": finding.code,
        "rule": rule.name,
        "title": rule.title,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "category": rule.category,
        "effort": rule.effort,
        "verdict": rule.verdict,
        "message": finding.message,
        "counterpart": finding.counterpart,
        "links": list(rule.links),
        # `_value_`, not `.value`: the enum property costs 4 us a call, 0.1 s over a large report.
        "confidence": finding.confidence._value_,
        "suppressed": finding.suppressed,
        "baseline": in_baseline,
        "fingerprint": fp,
    }


def _places(findings: list[dict[str, Any]]) -> dict[str, list[effort.Place]]:
    """The counted findings as the effort model and the score see them, by path."""
    by_path: dict[str, list[effort.Place]] = defaultdict(list)
    for f in findings:
        by_path[f["path"]].append(effort.Place(f["path"], f["code"], f["effort"], f["verdict"]))
    return by_path


def _score(places: dict[str, list[effort.Place]], files: Iterable[ReportedFile]) -> scoring.Score:
    """The score of some files (the project, a package, one file) with their counted findings."""
    python_lines = other_lines = 0
    found: list[effort.Place] = []
    for file in files:
        if scoring.is_python_code(file.path):
            python_lines += file.lines
        else:
            other_lines += file.lines
        found += places.get(file.path, ())
    return scoring.score(found, python_lines, other_lines)


def estimate_summary(places: dict[str, list[effort.Place]], files: list[ReportedFile]) -> dict[str, Any]:
    """The summary's effort keys: the model's estimate (central figure, range, sentence, breakdown),
    what it covers, the Python lines the readiness is on, the score of templates and deployment files,
    and subtotals per scope (files, lines, findings, story points, days)."""
    every = [p for found in places.values() for p in found]
    result = effort.estimate(every, {f.path: f.lines for f in files})
    breakdown = result.breakdown
    days = {effort.APP: sum(breakdown[name].days for name in ("setup", "idioms", "extensions", "repetitions")),
            effort.TESTS: breakdown["tests"].days}
    per_other = effort.CONSTANTS.other_place_days
    by_scope: dict[str, dict[str, Any]] = {}
    for scope in effort.SCOPES:
        scoped = [f for f in files if effort.scope_of(f.path) == scope]
        found = [p for f in scoped for p in places.get(f.path, ())]
        if not scoped and not found:
            continue
        costs = [p for p in found if p.effort > 0 and p.verdict != "keep"]
        by_scope[scope] = {
            "files": len(scoped),
            "lines": sum(f.lines for f in scoped),
            "findings": len(found),
            "story_points": sum(p.effort for p in found),
            "days": round(days.get(scope, per_other * len(costs)), 2),
        }
    other = [f for f in files if not scoring.is_python_code(f.path)]
    other_score = scoring.score([p for f in other for p in places.get(f.path, ())], 0, sum(f.lines for f in other))
    return {
        **result.as_dict(),
        "estimate_covers": effort.COVERS,
        "python_lines": sum(f.lines for f in files if scoring.is_python_code(f.path)),
        "readiness_templates_deployment": other_score.readiness,
        "by_scope": by_scope,
    }


def _top_rules(findings: list[dict[str, Any]], rules: dict[str, Rule]) -> list[dict[str, Any]]:
    points: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for f in findings:
        points[f["code"]] += f["effort"]
        counts[f["code"]] += 1
    # What costs nothing (the information inventory) is no answer to "what costs the most".
    ranked = sorted((code for code in points if points[code] > 0), key=lambda code: (-points[code], code))[:TOP_RULES]
    return [
        {"code": code, "title": rules[code].title, "findings": counts[code], "story_points": points[code]}
        for code in ranked
    ]


def _blockers_by_rule(findings: list[dict[str, Any]], rules: dict[str, Rule]) -> dict[str, Any]:
    places = Counter(f["code"] for f in findings if f["verdict"] == "none")
    ranked = sorted(places, key=lambda code: (-places[code], code))
    return {"blocking_rules": len(ranked),
            "blockers_by_rule": [{"code": code, "title": rules[code].title, "places": places[code]} for code in ranked]}


def _extensions(findings: list[dict[str, Any]], rules: dict[str, Rule]) -> list[dict[str, Any]]:
    """One row per extension adopted (its FMA3xx adoption finding, once per project, or FMA339 for one
    the catalogue lacks): its uses (the findings of the feature rules that belong to it, FMA340-364) and
    the files of all its findings."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for f in findings:
        ext = ecosystem.record_for_finding(f["code"], f["message"])
        if ext is not None:
            key = (ext.distribution, ext.modules[0])
            row = rows.setdefault(key, _extension_row(ext.distribution, f["code"], ext.modules[0], ext.verdict,
                                                      ext.counterpart, ext.counterpart_distributions, ext.health))
            row["findings"] += 1
            row["_files"].add(f["path"])
        elif f["code"] == UNKNOWN_EXTENSION.code:
            # "`flask_foo` looks like a Flask extension (distribution Flask-Foo?) ..."
            module = f["message"].split("`")[1]
            suggested = f["message"].partition("(distribution ")[2].partition("?")[0]
            row = rows.setdefault((module, module), _extension_row(
                suggested or module, f["code"], module, "unknown", f["counterpart"], (), "needs review"))
            row["findings"] += 1
            row["_files"].add(f["path"])
    by_name = {row["name"]: row for row in rows.values()}
    for f in findings:
        row = by_name.get(rules[f["code"]].extension) if f["code"] in rules else None
        if row is not None:
            row["findings"] += 1
            row["uses"] += 1
            row["_files"].add(f["path"])
    for row in rows.values():
        row["files"] = sorted(row.pop("_files"))
    return sorted(rows.values(), key=lambda row: (row["code"], row["name"].lower(), row["module"]))


def _extension_row(name: str, code: str, module: str, verdict: str, counterpart: str,
                   counterpart_distributions: tuple[str, ...], health: str) -> dict[str, Any]:
    return {"name": name, "code": code, "module": module, "verdict": verdict, "counterpart": counterpart,
            "counterpart_distributions": list(counterpart_distributions), "health": health, "findings": 0,
            "uses": 0, "_files": set()}


def _files(files: list[ReportedFile], findings: list[dict[str, Any]],
           places: dict[str, list[effort.Place]]) -> list[dict[str, Any]]:
    by_path: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in findings:
        by_path[f["path"]].append(f)
    result = []
    for file in files:
        score = _score(places, [file])
        result.append({
            "path": file.path,
            "lines": file.lines,
            "findings": len(by_path.get(file.path, [])),
            "story_points": score.story_points,
            "readiness": score.readiness,
            "grade": score.grade,
            "blockers": score.blockers,
        })
    return result


def _units(files: list[ReportedFile], findings: list[dict[str, Any]],
           places: dict[str, list[effort.Place]]) -> list[dict[str, Any]]:
    """Packages (folders), with the Blueprints they define and the other units they import."""
    unit_files: dict[str, list[Any]] = defaultdict(list)
    module_unit: ModuleNames[str] = ModuleNames()
    for file in files:
        unit = _unit_of(file.path)
        unit_files[unit].append(file)
        if file.path.endswith(PYTHON_SUFFIXES):  # `templates/x.html` is no module: `import html` is not it
            module_unit.add(module_name_for(file.path), unit)
    by_unit: dict[str, list[dict[str, Any]]] = defaultdict(list)
    unit_of_path: dict[str, str] = {}  # findings come many per file
    for f in findings:
        path = f["path"]
        unit = unit_of_path.get(path)
        if unit is None:
            unit = unit_of_path[path] = _unit_of(path)
        by_unit[unit].append(f)
    result = []
    for unit in sorted(unit_files):
        files = unit_files[unit]
        score = _score(places, files)
        depends = set()
        for file in files:
            for module in file.imports:
                target = module_unit.find(module)
                if target and target != unit:
                    depends.add(target)
        result.append({
            "name": unit,
            "files": len(files),
            "lines": sum(f.lines for f in files),
            "findings": len(by_unit.get(unit, [])),
            "story_points": score.story_points,
            "readiness": score.readiness,
            "grade": score.grade,
            "blockers": score.blockers,
            "blueprints": sorted({bp for f in files for bp in f.blueprints}),
            "depends_on": sorted(depends),
        })
    return result
