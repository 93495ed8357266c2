"""SARIF 2.1.0 for GitHub code scanning and IDE viewers.

Every rule of the registry goes into `tool.driver.rules` (sorted by code, so a rule's `ruleIndex` is the
same in every report of this version), with its counterpart and before/after as help. Results point at
paths relative to `%SRCROOT%`, the root of the git repository when the scanned folder is in one (so that
`scan bookshelf/catalog` annotates `bookshelf/catalog/views.py`, not a `views.py` at the root), else the
scanned folder; suppressed findings keep an in-source suppression (so viewers can show them greyed out)
and diagnostics become tool execution notifications.

Levels (`level_of`): a blocker (verdict `none`, no FastAPI equivalent) is an `error`, whatever its
category, since it is what can stop the migration; other `mandatory` findings are `warning`s (the code
must change, and the counterpart exists); `optional` and `potential` ones are `note`s (worth a look,
may need nothing); `information` is `none` (a fact about the code, not a problem). Blockers are also
tagged `blocker`. Code scanning stores the first 5,000 results of a run and rejects a run of more than
25,000, so results come most important first (blockers, then by level, new before baseline, suppressed
last) and are cut at MAX_RESULTS, which the run's properties and a notification then say.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import registry
from ..rule_docs import general_counterpart
from ..model import Rule
from .context import RenderContext
from .repository import repository_prefix
from . import jsonsafe

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/migrate-audit/"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "migrateAudit/v1"
LEVELS = {"mandatory": "warning", "optional": "note", "potential": "note", "information": "none"}
BLOCKER_LEVEL = "error"
BLOCKER_TAG = "blocker"
LEVEL_ORDER = ("error", "warning", "note", "none")
MAX_RESULTS = 25_000  # GitHub code scanning rejects a run with more results
# The summary's score and effort estimate (its range, what it covers, what drives it: the breakdown
# and the subtotals per scope), the blockers per rule and, with `scan --port`, what the port takes off, as
# the run's properties.
RUN_PROPERTIES = ("readiness", "grade", "story_points", "blockers", "blocking_rules", "blockers_by_rule",
                  "estimate_days", "estimate_range", "estimate_text", "estimate_covers", "estimate_breakdown",
                  "by_scope", "port")


def render_sarif(report: dict[str, Any], context: RenderContext | None = None) -> str:
    log = sarif_log(report, context or RenderContext())
    return jsonsafe.dumps(log, indent=2, sort_keys=True) + "\n"


def level_of(category: str, verdict: str) -> str:
    """A finding's or rule's SARIF level (the module's docstring says why)."""
    return BLOCKER_LEVEL if verdict == "none" else LEVELS.get(category, "warning")


def ranked(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The findings most important first: counted before suppressed, by level (blockers first), new to
    the baseline before the baseline's; report order otherwise (the sort is stable)."""
    return sorted(findings, key=lambda f: (bool(f["suppressed"]),
                                           LEVEL_ORDER.index(level_of(f["category"], f["verdict"])),
                                           bool(f.get("baseline"))))


def sarif_log(report: dict[str, Any], context: RenderContext) -> dict[str, Any]:
    rules = _driver_rules(report["findings"])
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    with_baseline = "new_findings" in report["summary"]
    top, prefix = repository_prefix(context.source_root)
    findings = ranked(report["findings"])
    kept = findings[:MAX_RESULTS]
    notifications = [_notification(d, prefix) for d in report["diagnostics"]]
    properties = {key: report["summary"][key] for key in RUN_PROPERTIES if key in report["summary"]}
    if len(kept) < len(findings):
        left_out = len(findings) - len(kept)
        properties["resultsOmitted"] = left_out
        notifications.append({
            "level": "warning",
            "descriptor": {"id": "results-truncated"},
            "message": {"text": f"{left_out:,} of {len(findings):,} results left out, the least important "
                                f"(code scanning rejects a run of more than {MAX_RESULTS:,}); the JSON report "
                                "has them all"},
        })
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": report["tool"]["name"],
                "version": report["tool"]["version"],
                "semanticVersion": report["tool"]["version"],
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "invocations": [{
            "executionSuccessful": True,
            "toolExecutionNotifications": notifications,
        }],
        # Our columns count characters (code points), not the UTF-16 units SARIF assumes by default.
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f["code"]], with_baseline, prefix) for f in kept],
        "properties": properties,
    }
    if top is not None:
        run["originalUriBaseIds"] = {SRCROOT: {
            "uri": Path(top).as_uri().rstrip("/") + "/",
            "description": {"text": "The root of the git repository that holds the scanned folder."}}}
    elif context.source_root:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": Path(context.source_root).resolve().as_uri().rstrip("/") + "/"}}
    else:
        run["originalUriBaseIds"] = {SRCROOT: {"description": {"text": "The folder that was scanned."}}}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _driver_rules(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rules = [_rule(rule) for rule in registry.all_rules()]
    known = {rule["id"] for rule in rules}
    # A code this version does not know (a report from another version) still needs a descriptor.
    for f in findings:
        if f["code"] not in known:
            known.add(f["code"])
            rules.append({
                "id": f["code"], "name": f.get("rule") or f["code"],
                "shortDescription": {"text": f.get("title") or f["code"]},
                "properties": {"category": f["category"], "effort": f["effort"], "verdict": f["verdict"]},
            })
    return rules


def _rule(rule: Rule) -> dict[str, Any]:
    counterpart = rule_counterpart(rule)
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale or rule.title},
        "help": {"text": _help_text(rule, counterpart), "markdown": _help_markdown(rule, counterpart)},
        "defaultConfiguration": {"level": level_of(rule.category.value, rule.verdict.value)},
        "properties": {
            "category": rule.category.value,
            "effort": rule.effort,
            "verdict": rule.verdict.value,
            "tags": ["flask", "fastapi", "migration", rule.category.value,
                     *([BLOCKER_TAG] if rule.verdict.value == "none" else [])],
        },
    }
    if rule.links:
        descriptor["helpUri"] = rule.links[0]
    return descriptor


def rule_counterpart(rule: Rule) -> str:
    """The rule's counterpart as help text (rule_docs.general_counterpart: a computed one says so)."""
    return general_counterpart(rule, "result")


def _help_text(rule: Rule, counterpart: str) -> str:
    parts = [rule.title, f"FastAPI counterpart: {counterpart}"]
    if rule.rationale:
        parts.append(rule.rationale)
    if rule.before:
        parts.append("Before (Flask):\n" + rule.before.rstrip())
    if rule.after:
        parts.append("After (FastAPI):\n" + rule.after.rstrip())
    if rule.links:
        parts.append("Links:\n" + "\n".join(rule.links))
    return "\n\n".join(parts)


def _help_markdown(rule: Rule, counterpart: str) -> str:
    parts = [f"**{rule.title}**", f"**FastAPI counterpart:** {counterpart}"]
    if rule.rationale:
        parts.append(rule.rationale)
    if rule.before:
        parts.append("Before (Flask):\n\n```python\n" + rule.before.rstrip() + "\n```")
    if rule.after:
        parts.append("After (FastAPI):\n\n```python\n" + rule.after.rstrip() + "\n```")
    if rule.links:
        parts.append("\n".join(f"- <{link}>" for link in rule.links))
    return "\n\n".join(parts)


def artifact_uri(path: str) -> str:
    """A relative URI reference for a `/`-separated path: spaces, `%`, `#`, `?` and the like escaped.
    A file name that is not valid UTF-8 (a surrogate-escaped str) gets its original bytes percent-encoded."""
    return quote(path, safe="/", errors="surrogateescape")


def _region(f: dict[str, Any]) -> dict[str, int]:
    region = {"startLine": f["line"], "startColumn": max(1, f["column"])}
    end_line = f.get("end_line") or 0
    end_column = f.get("end_column") or 0
    if end_line >= f["line"]:
        region["endLine"] = end_line
        # SARIF's endColumn is the column after the last character, as ours is; it must lie after the
        # start on a one-line region.
        if end_column and (end_line > f["line"] or end_column > region["startColumn"]):
            region["endColumn"] = end_column
    return region


def _result(f: dict[str, Any], rule_index: int, with_baseline: bool, prefix: str = "") -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f["code"],
        "ruleIndex": rule_index,
        "level": level_of(f["category"], f["verdict"]),
        "message": {"text": f"{f['message']}. FastAPI: {f['counterpart']}"},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(prefix + f["path"]), "uriBaseId": SRCROOT},
                "region": _region(f),
            }
        }],
        "partialFingerprints": {FINGERPRINT_KEY: f["fingerprint"]},
        "properties": {
            "category": f["category"],
            "effort": f["effort"],
            "verdict": f["verdict"],
            "confidence": f.get("confidence", "high"),
        },
    }
    if "ported" in f:  # only with `scan --port`: a log without it stays as it was
        result["properties"]["ported"] = f["ported"]
    if f["verdict"] == "none":
        result["properties"]["tags"] = [BLOCKER_TAG]
    if f["suppressed"]:
        result["suppressions"] = [{"kind": "inSource"}]
    if with_baseline:
        result["baselineState"] = "unchanged" if f["baseline"] else "new"
    return result


def _notification(d: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(prefix + d["path"]), "uriBaseId": SRCROOT}}
    if d.get("line"):
        location["region"] = {"startLine": d["line"]}
    return {
        "level": "warning",
        "descriptor": {"id": d["kind"]},
        "message": {"text": f"{d['path']}: {d['message']} (not audited in full)"},
        "locations": [{"physicalLocation": location}],
    }
