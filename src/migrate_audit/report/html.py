"""The HTML report: one self-contained file for the tech lead deciding on the migration.

Python prepares a view model (numbers for the charts, blockers with their reasons, the plan); the
templates in reports/templates/ only lay it out. The findings go into the page as one JSON block that the
inline script pages through, so 20,000 findings cost one JSON.parse, not 20,000 table rows.
"""
from __future__ import annotations

import base64
import hashlib
from collections import defaultdict
from typing import Any

from .. import proofs, registry
from ..rule_docs import general_counterpart
from . import estimate_view
from .ported import port_lines
from .context import RenderContext
from .plan import a2wsgi_sample, left_out, strangler_order
from .snippets import CONTEXT_LINES, read_snippets
from .templating import asset, environment, script_json

CATEGORIES = ("mandatory", "optional", "potential", "information")
VERDICTS = ("none", "partial", "unknown", "direct", "keep")
# What the explorer needs of each finding; rule-level text (title, rationale, before/after, links) is
# sent once per rule instead of once per finding.
FINDING_FIELDS = ("code", "path", "line", "column", "end_line", "end_column", "category", "effort",
                  "verdict", "message", "counterpart", "confidence", "suppressed", "baseline")
MAX_BLOCKER_LOCATIONS = 10


def render_html(report: dict[str, Any], context: RenderContext | None = None) -> str:
    return environment().get_template("report.html.j2").render(**html_model(report, context or RenderContext()))


def html_model(report: dict[str, Any], context: RenderContext) -> dict[str, Any]:
    summary = report["summary"]
    counted = [f for f in report["findings"] if not f["suppressed"]]
    rules = rule_metadata(report["findings"])
    snippets = read_snippets(report["findings"], context.source_root) if context.source_root else {}
    css, js = asset("report.css"), asset("report.js")
    plan = strangler_order(report["units"])
    return {
        "tool": report["tool"],
        "project": project_title(report),
        "roots": report.get("roots") or [report["root"]],
        "summary": summary,
        "portfolio": report.get("portfolio", {}).get("applications"),
        "shard": report.get("shard"),
        "meta": {
            "generated_at": context.generated_at,
            "duration": f"{context.duration:.2f} s" if context.duration is not None else None,
            "config": report.get("config"),
            "schema_version": report["schema_version"],
        },
        "baseline": _baseline(summary),
        "category_bars": bars(summary["by_category"], CATEGORIES),
        "verdict_bars": bars(summary["by_verdict"], VERDICTS),
        "category_points": bars(points_by(counted, "category"), CATEGORIES),
        "verdict_points": bars(points_by(counted, "verdict"), VERDICTS),
        "categories": CATEGORIES,
        "verdicts": VERDICTS,
        "blockers": blockers(counted, rules),
        "top_rules": summary["top_rules"],
        "estimate": {
            "headline": estimate_view.headline(summary),
            "covers": estimate_view.covers(summary),
            "drivers": [{"label": d.label, "days": estimate_view.days_text(d.days), "what": d.what}
                        for d in estimate_view.drivers(summary)],
            "scopes": [{**x, "days": estimate_view.days_text(x["days"])} for x in estimate_view.scopes(summary)],
            "blocking": estimate_view.blocking_summary(summary),
            "port": port_lines(summary),
        },
        "rule_table": rule_table(counted, rules),
        "extensions": report["extensions"],
        "plan": plan,
        "plan_sample": a2wsgi_sample(counted, plan),
        "plan_left_out": _left_out(report["units"]),
        "diagnostics": report["diagnostics"],
        "rule_sections": rule_sections(rules, report["findings"]),
        "css": css,
        "js": js,
        "csp": {"script": _sha256(js), "style": _sha256(css)},
        "data": script_json({
            # `ported` only with scan --port, and only where true: the page of a scan without it is unchanged
            "findings": [{**{key: f[key] for key in FINDING_FIELDS}, **({"ported": True} if f.get("ported") else {})}
                         for f in report["findings"]],
            "rules": rules,
            "sources": snippets,
            "context": CONTEXT_LINES,
            "categories": CATEGORIES,
            "verdicts": VERDICTS,
        }),
    }


def points_by(counted: list[dict[str, Any]], key: str) -> dict[str, int]:
    """Story points per value of `key` (category or verdict), for the charts' points view."""
    points: dict[str, int] = defaultdict(int)
    for f in counted:
        points[f[key]] += f["effort"]
    return dict(points)


def project_title(report: dict[str, Any]) -> str:
    """The application's name for the page's header: the project's, or a portfolio's applications."""
    portfolio = report.get("portfolio", {}).get("applications")
    if portfolio:
        return f"Portfolio of {len(portfolio):,} applications"
    name = report.get("project", {}).get("name")
    return str(name) if name else ", ".join(report.get("roots") or [report["root"]])


def bars(counts: dict[str, int], order: tuple[str, ...]) -> list[dict[str, Any]]:
    """One bar per known key (zeros included, so charts of two reports line up) plus any unknown key,
    each with its share of the largest bar."""
    keys = list(order) + sorted(k for k in counts if k not in order)
    largest = max(counts.values(), default=0)
    return [
        {"key": key, "count": counts.get(key, 0), "share": round(counts.get(key, 0) / largest, 4) if largest else 0.0}
        for key in keys
    ]


def rule_table(counted: list[dict[str, Any]], rules: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Every rule with a counted finding, like Konveyor/MTA's issues view: places, files, story points;
    most points first (the page can sort it by any column)."""
    by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in counted:
        by_code[f["code"]].append(f)
    rows = [{"code": code, "title": rules[code]["title"], "verdict": found[0]["verdict"],
             "category": found[0]["category"], "places": len(found), "files": len({f["path"] for f in found}),
             "points": sum(f["effort"] for f in found)} for code, found in by_code.items()]
    return sorted(rows, key=lambda r: (-r["points"], -r["places"], r["code"]))


def rule_metadata(findings: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Title, rationale, before/after and links of every rule that has a finding. A code the registry
    does not know (a report from another version) falls back to what its finding carries."""
    result: dict[str, dict[str, Any]] = {}
    for f in findings:
        code = f["code"]
        if code in result:
            continue
        rule = registry.get_rule(code)
        if rule is None:
            result[code] = {"name": f.get("rule", ""), "title": f.get("title", code), "rationale": "",
                            "before": "", "after": "", "links": list(f.get("links", [])), "message": ""}
            continue
        result[code] = {"name": rule.name, "title": rule.title, "rationale": rule.rationale, "before": rule.before,
                        "after": rule.after, "links": list(rule.links), "message": rule.format_message(),
                        "proven": proofs.proof_for(code) is not None}
    return result


def rule_sections(rules: dict[str, dict[str, Any]], findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One section per rule with a finding, in code order, each with its proof (apps and measurements)."""
    first = {}
    for f in findings:
        first.setdefault(f["code"], f)
    sections = []
    for code in sorted(rules):
        meta, rule = rules[code], registry.get_rule(code)
        proof = proofs.proof_for(code)
        sections.append({
            "code": code, "title": meta["title"], "rationale": meta["rationale"], "before": meta["before"],
            "after": meta["after"], "verdict": rule.verdict.value if rule else first[code]["verdict"],
            "counterpart": general_counterpart(rule) if rule else first[code]["counterpart"],
            # A counterpart computed from the match: the first finding's, as an example.
            "example": first[code]["counterpart"] if rule and general_counterpart(rule) != rule.format_counterpart({})
            else None,
            "proof": None if proof is None else {
                "title": proof.title,
                "others": [c for c in proof.rules if c != code],
                "measured": proofs.measured_view(proof),
                "not_executed": proof.not_executed,
                "sides": [{"label": proof.sides[side].label,
                           "files": [{"name": name, "text": text} for name, text in proof.sources(side)]}
                          for side in proof.sides],
            },
        })
    return sections


def blockers(counted: list[dict[str, Any]], rules: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings whose counterpart verdict is `none`, one entry per rule with the reason it blocks."""
    by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in counted:
        if f["verdict"] == "none":
            by_code[f["code"]].append(f)
    result = []
    for code in sorted(by_code, key=lambda c: (-sum(f["effort"] for f in by_code[c]), c)):
        found = by_code[code]
        meta = rules[code]
        result.append({
            "code": code,
            "title": meta["title"],
            "reason": meta["rationale"] or meta["title"],
            "counterpart": found[0]["counterpart"],
            "count": len(found),
            "points": sum(f["effort"] for f in found),
            "locations": found[:MAX_BLOCKER_LOCATIONS],
            "more": max(0, len(found) - MAX_BLOCKER_LOCATIONS),
        })
    return result


def _left_out(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The units that are no step of the plan, grouped by why (plan.left_out)."""
    by_reason: dict[str, list[str]] = defaultdict(list)
    for unit in units:
        reason = left_out(unit)
        if reason:
            by_reason[reason].append(unit["name"])
    return [{"reason": reason, "names": names} for reason, names in sorted(by_reason.items())]


def _baseline(summary: dict[str, Any]) -> dict[str, Any] | None:
    if "baseline_readiness" not in summary:
        return None
    return {
        "readiness": summary["baseline_readiness"],
        "delta": summary["readiness"] - summary["baseline_readiness"],
        "new_findings": summary.get("new_findings"),
    }


def _sha256(text: str) -> str:
    """A CSP source expression allowing exactly this inline script or stylesheet."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")
