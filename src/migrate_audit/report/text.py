"""The terminal report: what was found first, the summary last, where it stays on screen after a scan.

Order: the findings by file (left out with `--quiet`; information findings only counted, by rule),
diagnostics, extensions, what costs the most, the blockers by rule (each rule once, with its places), and last the score and counts. Every line fits
WIDTH columns (findings' messages are shortened with "…"), except paths, which are never cut (a
shortened path would point at no file or the wrong one), and a diagnostic's message, which is all that
says why a file was not audited.
"""
from __future__ import annotations

import textwrap
from collections import defaultdict
from typing import Any

import click

from . import estimate_view
from .ported import port_lines

_GRADE_COLOURS = {"A": "green", "B": "green", "C": "yellow", "D": "red", "E": "red"}
WIDTH = 80
MAX_BLOCKER_RULES = 20  # rules listed under "Blockers by rule"
MAX_PLACES = 3  # places listed for each of them


def fit(text: str, width: int = WIDTH) -> str:
    """`text` (plain, one line) cut to `width` characters, the cut marked with "…"."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def render_text(report: dict[str, Any], duration: float | None = None, show_findings: bool = True) -> str:
    """Plain text with ANSI styles; the caller strips them where no colour is wanted."""
    s = report["summary"]
    counted = [f for f in report["findings"] if not f["suppressed"]]
    out = [f"migrate-audit {report['tool']['version']}: {', '.join(report['roots'])}"]
    if show_findings and counted:
        out += _findings(counted)
    if report["diagnostics"]:
        out += ["", click.style("Diagnostics (not audited in full):", fg="yellow", bold=True)]
        for d in report["diagnostics"]:
            line = f":{d['line']}" if d.get("line") else ""
            out.append(f"  {d['path']}{line}  [{d['kind']}]")
            out.append(f"      {d['message']}")  # never cut: it is all that says why
    if report["extensions"]:
        out += ["", click.style("Extensions:", bold=True)]
        for e in report["extensions"]:
            out.append(fit(f"  {e['name']:<26} {e['verdict']:<8} -> {e['counterpart']}"))
    if s["top_rules"]:
        out += ["", click.style("What costs the most points:", bold=True)]
        for r in s["top_rules"]:
            out.append(fit(f"  {r['code']}  {r['story_points']:>5} pts  {r['findings']:>4}x  {r['title']}"))
    out += _blockers_by_rule([f for f in counted if f["verdict"] == "none"])
    if "portfolio" in report:
        out += portfolio_table(report["portfolio"]["applications"])
    out += [""] + _summary(report)
    if duration is not None:
        out.append(f"Scanned in {duration:.2f}s.")
    return "\n".join(out) + "\n"


def _findings(counted: list[dict[str, Any]]) -> list[str]:
    """The findings by file; information findings (0 points: the import inventory, each `db.session`) only
    counted by rule after them, since listing thousands of them would hide the work."""
    out = ["", click.style("Findings:", bold=True)]
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    information: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in counted:
        if f["category"] == "information":
            information[f["code"]].append(f)
        else:
            by_file[f["path"]].append(f)
    for path in sorted(by_file):
        out.append(click.style(path, underline=True))
        for f in by_file[path]:
            where = f"  {f['line']}:{f['column']}  "
            rest = fit(f"{where}{f['code']}  {f['message']} -> {f['counterpart']}")[len(where) + len(f["code"]):]
            code = click.style(f["code"], fg="red" if f["verdict"] == "none" else "cyan")
            out.append(f"{where}{code}{rest}")
    return out + _information(information)


def _information(by_code: dict[str, list[dict[str, Any]]]) -> list[str]:
    if not by_code:
        return []
    total = sum(len(found) for found in by_code.values())
    out = ["", click.style(f"Information, not listed here ({total:,}, 0 points; the other formats list each):",
                           bold=True)]
    for code in sorted(by_code, key=lambda c: (-len(by_code[c]), c)):
        found = by_code[code]
        files = len({f["path"] for f in found})
        out.append(fit(f"  {code}  {len(found):>6,}x in {files:,} files  {found[0]['title']}"))
    return out


def _blockers_by_rule(blockers: list[dict[str, Any]]) -> list[str]:
    if not blockers:
        return []
    by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in blockers:
        by_code[f["code"]].append(f)
    out = ["", click.style(f"Blockers by rule (no FastAPI equivalent), {len(blockers)} in all:", fg="red", bold=True)]
    ranked = sorted(by_code, key=lambda c: (-len(by_code[c]), c))
    for code in ranked[:MAX_BLOCKER_RULES]:
        found = by_code[code]
        title = found[0].get("title") or found[0]["message"]
        out.append(fit(f"  {code}  {len(found):>4}x  {title}"))
        for f in found[:MAX_PLACES]:
            out.append(f"      {f['path']}:{f['line']}:{f['column']}")
        if len(found) > MAX_PLACES:
            out.append(f"      ... and {len(found) - MAX_PLACES} more")
    if len(ranked) > MAX_BLOCKER_RULES:
        out.append(f"  ... and {len(ranked) - MAX_BLOCKER_RULES} more rules")
    return out


def _summary(report: dict[str, Any]) -> list[str]:
    """The score and counts, and what qualifies them (shard, partial scan, baseline, diff base)."""
    s = report["summary"]
    out = []
    if "shard" in report:
        shard = report["shard"]
        out += [f"Shard {shard['index']}/{shard['count']}: these figures cover this shard's files only;",
                f"'migrate-audit merge' of all {shard['count']} JSON reports gives the project's."]
    if s["partial"]:
        out.append(click.style(fit(f"Partial: {s['files_not_audited']} files could not be audited "
                                   "(see Diagnostics above)."), fg="yellow"))
    if "new_findings" in s:
        out.append(f"Against the baseline: {s['new_findings']} new findings.")
    if "changed_findings" in s:
        out.append(fit(f"Since {report['diff_base']}: {s['changed_findings']} findings on changed lines."))
    out += _estimate(s)
    out += [wrapped for line in port_lines(s) for wrapped in textwrap.wrap(line, WIDTH, break_on_hyphens=False)]
    grade = click.style(f"grade {s['grade']}", fg=_GRADE_COLOURS.get(s["grade"]), bold=True)
    lines = f" on {s['python_lines']:,} Python lines" if "python_lines" in s else ""
    out.append(f"Readiness {click.style(str(s['readiness']), bold=True)}/100 ({grade}){lines}, "
               f"{s['story_points']} story points")
    out.append(fit(f"{s['findings']} findings in {s['files_with_findings']} of {s['files_scanned']} files, "
                   f"{estimate_view.blocking_summary(s)}" + (f", {s['suppressed']} suppressed" if s["suppressed"] else "")))
    return out


def _estimate(s: dict[str, Any]) -> list[str]:
    """What drives the estimate (one line each, days first), what it covers, and the figure last."""
    drivers = estimate_view.drivers(s)
    out = [click.style("What drives the estimate (developer-days):", bold=True)] if drivers else []
    for d in drivers:
        out += textwrap.wrap(f"{d.label}: {d.what}", WIDTH, initial_indent=f"  {estimate_view.days_text(d.days):>6}  ",
                             subsequent_indent=" " * 10, break_on_hyphens=False)
    scopes = estimate_view.scopes(s)
    if scopes:
        out.append("  By scope:")
        for x in scopes:
            out.append(fit(f"  {estimate_view.days_text(x['days']):>6}  {x['label']:<16} {x['findings']:>6,} findings "
                           f"{x['story_points']:>6,} pts {x['files']:>5,} files {x['lines']:>7,} lines"))
    out += textwrap.wrap(estimate_view.covers(s), WIDTH)
    out.append(click.style(estimate_view.headline(s), bold=True))
    return out



def portfolio_table(applications: list[dict[str, Any]]) -> list[str]:
    """One row per application; the figures below it are the portfolio's as one codebase."""
    width = max([len("Application"), *(len(a["name"]) for a in applications)])
    out = ["", click.style(f"Portfolio of {len(applications)} applications "
                           "(the figures below count them as one codebase):", bold=True),
           f"  {'Application':<{width}}  Readiness  Grade  Story points    Days  Blockers   Files"]
    for a in applications:
        grade = click.style(f"{a['grade']:<5}", fg=_GRADE_COLOURS.get(a["grade"]))
        out.append(f"  {a['name']:<{width}}  {a['readiness']:>9}  {grade}  {a['story_points']:>12}  "
                   f"{a.get('estimate_days', 0):>6g}  {a['blockers']:>8}  {a['files_scanned']:>6}"
                   + ("  (partial)" if a["partial"] else ""))
    return out
