"""The terminal summary: score first, then what costs the most, then every finding by file."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

import click

_GRADE_COLOURS = {"A": "green", "B": "green", "C": "yellow", "D": "red", "E": "red"}
MAX_BLOCKERS_SHOWN = 20


def render_text(report: dict[str, Any], duration: float | None = None, show_findings: bool = True) -> str:
    """Plain text with ANSI styles; `click.echo` strips them when stdout is not a terminal."""
    s = report["summary"]
    out: list[str] = []
    grade = click.style(f"grade {s['grade']}", fg=_GRADE_COLOURS.get(s["grade"]), bold=True)
    out.append(
        f"{click.style('migrate-audit', bold=True)} {report['tool']['version']}: {', '.join(report['roots'])}"
    )
    out.append(
        f"Readiness {click.style(str(s['readiness']), bold=True)}/100 ({grade}), "
        f"{s['story_points']} story points (about {s['estimate_days']:g} developer-days), "
        f"{s['findings']} findings in {s['files_with_findings']} of {s['files_scanned']} files, "
        f"{s['blockers']} blockers"
        + (f", {s['suppressed']} suppressed" if s["suppressed"] else "")
    )
    if "shard" in report:
        shard = report["shard"]
        out.append(f"Shard {shard['index']}/{shard['count']}: these figures cover this shard's files only; "
                   f"'migrate-audit merge' of all {shard['count']} JSON reports gives the project's.")
    if "portfolio" in report:
        out += portfolio_table(report["portfolio"]["applications"])
    if s["partial"]:
        out.append(click.style(
            f"Partial: {s['files_not_audited']} files could not be audited (see Diagnostics below).", fg="yellow"
        ))
    if "new_findings" in s:
        out.append(f"Against the baseline: {s['new_findings']} new findings.")
    if "changed_findings" in s:
        out.append(f"Since {report['diff_base']}: {s['changed_findings']} findings on changed lines.")

    counted = [f for f in report["findings"] if not f["suppressed"]]
    blockers = [f for f in counted if f["verdict"] == "none"]
    if blockers:
        out.append("")
        out.append(click.style("Blockers (no FastAPI equivalent):", fg="red", bold=True))
        for f in blockers[:MAX_BLOCKERS_SHOWN]:
            out.append(f"  {f['path']}:{f['line']}:{f['column']}  {f['code']}  {f['message']}")
        if len(blockers) > MAX_BLOCKERS_SHOWN:
            out.append(f"  ... and {len(blockers) - MAX_BLOCKERS_SHOWN} more")

    if s["top_rules"]:
        out.append("")
        out.append(click.style("What costs the most points:", bold=True))
        for r in s["top_rules"]:
            out.append(f"  {r['code']}  {r['story_points']:>5} pts  {r['findings']:>4}x  {r['title']}")

    if report["extensions"]:
        out.append("")
        out.append(click.style("Extensions:", bold=True))
        for e in report["extensions"]:
            out.append(f"  {e['name']:<26} {e['verdict']:<8} -> {e['counterpart']}")

    if show_findings and counted:
        out.append("")
        out.append(click.style("Findings:", bold=True))
        by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for f in counted:
            by_file[f["path"]].append(f)
        for path in sorted(by_file):
            out.append(click.style(path, underline=True))
            for f in by_file[path]:
                code = click.style(f["code"], fg="red" if f["verdict"] == "none" else "cyan")
                out.append(f"  {f['line']}:{f['column']}  {code}  {f['message']} -> {f['counterpart']}")

    if report["diagnostics"]:
        out.append("")
        out.append(click.style("Diagnostics (not audited in full):", fg="yellow", bold=True))
        for d in report["diagnostics"]:
            line = f":{d['line']}" if d.get("line") else ""
            out.append(f"  {d['path']}{line}  [{d['kind']}]  {d['message']}")

    if duration is not None:
        out.append("")
        out.append(f"Scanned in {duration:.2f}s.")
    return "\n".join(out) + "\n"


def portfolio_table(applications: list[dict[str, Any]]) -> list[str]:
    """One row per application; the figures above it are the portfolio's as one codebase."""
    width = max([len("Application"), *(len(a["name"]) for a in applications)])
    out = ["", click.style(f"Portfolio of {len(applications)} applications "
                           "(the figures above count them as one codebase):", bold=True),
           f"  {'Application':<{width}}  Readiness  Grade  Story points  Blockers   Files"]
    for a in applications:
        grade = click.style(f"{a['grade']:<5}", fg=_GRADE_COLOURS.get(a["grade"]))
        out.append(f"  {a['name']:<{width}}  {a['readiness']:>9}  {grade}  {a['story_points']:>12}  "
                   f"{a['blockers']:>8}  {a['files_scanned']:>6}" + ("  (partial)" if a["partial"] else ""))
    return out
