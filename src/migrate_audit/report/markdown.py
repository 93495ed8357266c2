"""A Markdown summary for a pull-request comment: score, delta against the baseline, the new and changed
findings (with `--baseline` or `--diff-base`; each linked to its line when the forge's address is known),
blockers, what costs the most, extensions.

Comment hosts cap a comment's size (GitHub at 65,536 characters), so the summary stays under LIMIT
whatever the project: every list is capped with "and N more", and if a huge report still does not fit,
the caps shrink step by step. Text from the scanned code is escaped so that it cannot turn into markup,
links, images or @-mentions in the comment.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from urllib.parse import quote

from .. import registry
from . import estimate_view
from .ported import port_lines
from .context import RenderContext
from .repository import repository_prefix
from .sarif import ranked

LIMIT = 60_000
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|~!#])")


@dataclass(frozen=True)
class Caps:
    blocker_rules: int
    blocker_places: int
    top_rules: int
    extensions: int
    diagnostics: int
    cell: int  # characters in one table cell
    applications: int  # rows of a portfolio's table
    changes: int  # rows of the new and changed findings


# Tried in order until the comment fits; the last is small enough for any report.
CAPS = (
    Caps(20, 5, 10, 30, 10, 300, 200, 50),
    Caps(10, 3, 10, 20, 5, 160, 100, 25),
    Caps(5, 1, 5, 10, 3, 100, 50, 10),
    Caps(3, 1, 3, 5, 0, 60, 20, 5),
)


def render_markdown(report: dict[str, Any], context: RenderContext | None = None) -> str:
    ctx = context or RenderContext()
    for caps in CAPS:
        text = _summary(report, ctx, caps)
        if len(text) <= LIMIT:
            return text
    raise AssertionError("the smallest caps must always fit the limit")  # pragma: no cover


def escape_text(text: str) -> str:
    """Plain text for Markdown: no HTML, no emphasis, links, tables or mentions."""
    text = re.sub(r"\s+", " ", str(text))  # one line; the spaces around code spans stay
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    # A zero-width space keeps `@name` from notifying a GitHub user.
    return text.replace("@", "@\u200b")


def code(text: str) -> str:
    """`text` as a code span that nothing inside can close, safe in a table cell."""
    text = " ".join(str(text).split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{fence}{padded}{fence}".replace("|", "\\|")


def inline(text: str) -> str:
    """Rule metadata writes code in backticks: keep those spans as code, escape the rest."""
    parts = _CODE_SPAN.split(" ".join(str(text).split()))
    return "".join(code(part) if i % 2 else escape_text(part) for i, part in enumerate(parts))


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + "…"


def _more(hidden: int, what: str) -> list[str]:
    return ["", f"_and {hidden:,} more {what}_"] if hidden > 0 else []


def _summary(report: dict[str, Any], ctx: RenderContext, caps: Caps) -> str:
    s = report["summary"]
    out = ["## migrate-audit: Flask → FastAPI readiness", ""]
    headline = f"**Readiness {s['readiness']}/100, grade {s['grade']}**"
    if "baseline_readiness" in s:
        delta = s["readiness"] - s["baseline_readiness"]
        headline += f" (baseline {s['baseline_readiness']} → {s['readiness']}: **{delta:+d}**)"
    out.append(
        f"{headline} · **{escape_text(estimate_view.headline(s))}** · {s['story_points']:,} story points · "
        f"{s['findings']:,} findings in {s['files_with_findings']:,} of {s['files_scanned']:,} files · "
        f"**{escape_text(estimate_view.blocking_summary(s))}**"
    )
    if "new_findings" in s:
        out += ["", f"{s['new_findings']:,} new findings not in the baseline."]
    if "shard" in report:
        shard = report["shard"]
        out += ["", f"> **Shard {shard['index']}/{shard['count']}:** these figures cover this shard's files only; "
                    f"merge the {shard['count']} JSON reports (`migrate-audit merge`) for the project's."]
    if s["partial"]:
        out += ["", f"> **Partial scan:** {s['files_not_audited']:,} files could not be audited in full."]
    if "portfolio" in report:
        out += _portfolio(report["portfolio"]["applications"], caps)
    out += _changes(report, ctx, caps)
    out += _estimate(s)
    out += [line for text in port_lines(s) for line in ("", escape_text(text))]
    out += _blockers(report, caps)
    out += _top_rules(s["top_rules"], caps)
    out += _extensions(report["extensions"], caps)
    out += _diagnostics(report["diagnostics"], caps)
    footer = f"migrate-audit {report['tool']['version']}"
    if ctx.generated_at:
        footer += f" · {ctx.generated_at}"
    out += ["", f"<sub>{escape_text(footer)}</sub>", ""]
    return "\n".join(out)


def _estimate(s: dict[str, Any]) -> list[str]:
    """What drives the estimate (the breakdown, days first), the subtotals per scope, what it covers."""
    drivers = estimate_view.drivers(s)
    if not drivers:
        return []
    out = ["", "### What drives the estimate", "", "| Days | Line | What it counts |", "|---:|---|---|"]
    for d in drivers:
        out.append(f"| {estimate_view.days_text(d.days)} | {escape_text(d.label)} | {escape_text(d.what)} |")
    scopes = estimate_view.scopes(s)
    if scopes:
        out += ["", "| Scope | Files | Lines | Findings | Story points | Days |", "|---|---:|---:|---:|---:|---:|"]
        for x in scopes:
            out.append(f"| {escape_text(x['label'])} | {x['files']:,} | {x['lines']:,} | {x['findings']:,} | "
                       f"{x['story_points']:,} | {estimate_view.days_text(x['days'])} |")
    return out + ["", f"_{escape_text(estimate_view.covers(s))}_"]


def _portfolio(applications: list[dict[str, Any]], caps: Caps) -> list[str]:
    out = ["", f"### Applications ({len(applications):,}; the figures above count them as one codebase)", "",
           "| Application | Readiness | Grade | Story points | Developer-days | Blockers | Files |",
           "|---|---:|---|---:|---:|---:|---:|"]
    for a in applications[: caps.applications]:
        partial = " (partial)" if a["partial"] else ""
        out.append(f"| {code(_clip(a['name'], caps.cell))}{partial} | {a['readiness']} | {escape_text(a['grade'])} | "
                   f"{a['story_points']:,} | {_days_range(a)} | {a['blockers']:,} | {a['files_scanned']:,} |")
    return out + _more(len(applications) - caps.applications, "applications")


def _days_range(application: dict[str, Any]) -> str:
    low, high = application.get("estimate_range") or (None, None)
    central = f"{application.get('estimate_days', 0):g}"
    return f"{central} ({low:g}–{high:g})" if low is not None and high else central


def _changes(report: dict[str, Any], ctx: RenderContext, caps: Caps) -> list[str]:
    """The findings this change brings: new to the baseline and/or on the lines changed since the diff
    base, as the gate counts them; blockers first."""
    with_baseline, with_diff = "new_findings" in report["summary"], "diff_base" in report
    if not (with_baseline or with_diff):
        return []
    listed = ranked([f for f in report["findings"] if not f["suppressed"]
                     and not (with_baseline and f["baseline"]) and not (with_diff and not f.get("changed"))])
    if with_diff:
        what = ("New findings" if with_baseline else "Findings") + f" on lines changed since {code(report['diff_base'])}"
    else:
        what = "New findings"
    if not listed:
        return ["", f"### {what}", "", "None."]
    _, prefix = repository_prefix(ctx.source_root)
    out = ["", f"### {what} ({len(listed):,})", "", "| Rule | Finding | Where |", "|---|---|---|"]
    for f in listed[: caps.changes]:
        blocker = " (blocker)" if f["verdict"] == "none" else ""
        out.append(f"| {code(f['code'])}{blocker} | {inline(_clip(f['message'], caps.cell))} | "
                   f"{_place(prefix + f['path'], f['line'], ctx.blob_url, caps.cell)} |")
    return out + _more(len(listed) - caps.changes, "findings")


def _place(path: str, line: int, blob_url: str | None, limit: int) -> str:
    """`path:line`, as a link to the line on the forge when its address is known."""
    shown = code(_clip(f"{path}:{line}", limit))
    if not blob_url:
        return shown
    return f"[{shown}]({blob_url}{quote(path, errors='surrogateescape')}#L{line})"


def _blockers(report: dict[str, Any], caps: Caps) -> list[str]:
    by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in report["findings"]:
        if not f["suppressed"] and f["verdict"] == "none":
            by_code[f["code"]].append(f)
    if not by_code:
        return ["", "### Blockers", "", "None: every Flask idiom found has a FastAPI counterpart."]
    ranked = sorted(by_code, key=lambda c: (-sum(f["effort"] for f in by_code[c]), c))
    out = ["", "### Blockers (no FastAPI equivalent)", "", "| Rule | Why it blocks | Places | Where |",
           "|---|---|---:|---|"]
    for code_ in ranked[: caps.blocker_rules]:
        found = by_code[code_]
        rule = registry.get_rule(code_)
        reason = (rule.rationale or rule.title) if rule else found[0].get("title", code_)
        places = [code(_clip(f"{f['path']}:{f['line']}", caps.cell)) for f in found[: caps.blocker_places]]
        if len(found) > caps.blocker_places:
            places.append(f"and {len(found) - caps.blocker_places:,} more")
        out.append(f"| {code(code_)} | {inline(_clip(reason, caps.cell))} | {len(found):,} | {', '.join(places)} |")
    return out + _more(len(ranked) - caps.blocker_rules, "rules with blockers")


def _top_rules(top: list[dict[str, Any]], caps: Caps) -> list[str]:
    if not top:
        return []
    out = ["", "### What costs the most points", "", "| Rule | Title | Findings | Points |", "|---|---|---:|---:|"]
    for r in top[: caps.top_rules]:
        title = inline(_clip(r["title"], caps.cell))
        out.append(f"| {code(r['code'])} | {title} | {r['findings']:,} | {r['story_points']:,} |")
    return out + _more(len(top) - caps.top_rules, "rules")


def _extensions(extensions: list[dict[str, Any]], caps: Caps) -> list[str]:
    if not extensions:
        return []
    out = ["", "### Extensions", "", "| Extension | Verdict | FastAPI counterpart | Findings |", "|---|---|---|---:|"]
    for e in extensions[: caps.extensions]:
        out.append(
            f"| {escape_text(_clip(e['name'], caps.cell))} | {escape_text(e['verdict'])} | "
            f"{inline(_clip(e['counterpart'], caps.cell))} | {e['findings']:,} |"
        )
    return out + _more(len(extensions) - caps.extensions, "extensions")


def _diagnostics(diagnostics: list[dict[str, Any]], caps: Caps) -> list[str]:
    if not diagnostics:
        return []
    out = ["", "### Not audited in full", ""]
    for d in diagnostics[: caps.diagnostics]:
        message = escape_text(_clip(d["message"], caps.cell))
        out.append(f"- {code(_clip(d['path'], caps.cell))} ({escape_text(d['kind'])}): {message}")
    hidden = len(diagnostics) - caps.diagnostics
    if hidden > 0:
        out.append(f"- _and {hidden:,} more_")
    return out
