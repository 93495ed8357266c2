"""What `migrate-audit rules` and `explain` say about a rule, derived from its metadata and its proof
case: `rule_dict` (one rule of `rules --format json`) and `explain_text` (`explain CODE`)."""
from __future__ import annotations

import re
from typing import Any

from . import proofs
from .model import Rule, Verdict


_PLACEHOLDER_ONLY = re.compile(r"^\{\w+\}$")


def general_counterpart(rule: Rule, each: str = "finding") -> str:
    """The counterpart as rule-level text. Some rules compute it from the match (`{fix}`); their text
    says so instead of showing a bare placeholder (`each`: what carries the computed one)."""
    if _PLACEHOLDER_ONLY.match(rule.counterpart.strip()):
        return f"depends on the matched code; each {each}'s message names it (see the example below)"
    return rule.format_counterpart({})


def rule_dict(rule: Rule) -> dict[str, Any]:
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


def explain_text(rule: Rule) -> str:
    lines = [
        f"{rule.code} {rule.name}: {rule.title}",
        f"category: {rule.category.value}   effort: {rule.effort} story points   verdict: {rule.verdict.value}"
        + ("   (blocker: nothing in FastAPI, Starlette or a maintained library does it)" if rule.blocker else ""),
        "",
    ]
    if rule.rationale:
        lines += ["Why it matters", f"  {rule.rationale}", ""]
    lines += ["FastAPI counterpart", f"  {general_counterpart(rule)}", "", f"  {proven_against_line(rule)}", ""]
    if rule.before:
        lines += ["Before (Flask)", *[f"    {line}" for line in rule.before.rstrip().splitlines()], ""]
    if rule.after:
        lines += ["After (FastAPI)", *[f"    {line}" for line in rule.after.rstrip().splitlines()], ""]
    lines += _proof_text(rule.code)
    if rule.links:
        lines += ["Links", *[f"  {link}" for link in rule.links], ""]
    return "\n".join(lines)


def proven_against_line(rule: Rule) -> str:
    """Which FastAPI the advice was last proven against, said for every rule: the versions of the recorded
    proofs (one environment for all), and why this rule has no case when it has none."""
    against = proofs.proven_against_text()
    if proofs.proof_for(rule.code) is not None:
        return f"Proven against {against}."
    if rule.code in proofs.unproven():
        reason = proofs.unproven()[rule.code].rstrip(".")
        return f"Not run: {reason}. The rest of the advice was last proven against {against}."
    if rule.blocker:
        return f"A blocker: there is no counterpart to run. The rest of the advice was last proven against {against}."
    if rule.verdict is Verdict.KEEP:
        return f"Nothing to port: the rest of the advice was last proven against {against}."
    return f"No counterpart is advised, so nothing was run: the rest of the advice was last proven against {against}."


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
