"""The CI gate: does a report pass `--fail-under`, `--fail-on` and `--strict`?

Findings in the baseline (`--baseline`), suppressed ones, and with `--diff-base` those on unchanged lines
never fail `--fail-on`. A shard's report is never held to `--fail-under` (the caller leaves it out): its
score covers its own files only.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Diagnostics that mean a bug in migrate-audit itself rather than a problem with the scanned file.
TOOL_ERROR_KINDS = ("internal-error", "rule-error")


@dataclass(frozen=True)
class GateResult:
    """The verdict. `failures`: why the gate failed, one sentence each (exit code 1); `findings`: the
    counted findings that matched `fail_on`, in report order; `error`: with `strict`, that migrate-audit
    itself failed on a file (exit code 2), else None."""

    failures: tuple[str, ...] = ()
    findings: tuple[dict[str, Any], ...] = ()
    error: str | None = None

    @property
    def passed(self) -> bool:
        return not self.failures and self.error is None

    @property
    def exit_code(self) -> int:
        """The command line's: 2 for `error`, else 1 when the gate failed, else 0."""
        return 2 if self.error is not None else 1 if self.failures else 0


def evaluate(report: dict[str, Any], fail_under: float | None = None, fail_on: str | None = None,
             strict: bool = False) -> GateResult:
    failures = []
    hits: list[dict[str, Any]] = []
    readiness = report["summary"]["readiness"]
    if fail_under is not None and readiness < fail_under:
        failures.append(f"readiness {readiness} is below --fail-under {fail_under:g}")
    if fail_on:
        # With --diff-base, findings carry "changed": only those on changed lines count.
        hits = [f for f in report["findings"] if not f["suppressed"] and not f["baseline"]
                and f.get("changed", True) and _fails_on(f, fail_on)]
        if hits:
            where = f" on lines changed since {report['diff_base']}" if "diff_base" in report else ""
            failures.append(f"{len(hits)} finding(s) match --fail-on {fail_on}{where}")
    error = None
    tool_errors = [d for d in report["diagnostics"] if d["kind"] in TOOL_ERROR_KINDS]
    if strict and tool_errors:
        first = tool_errors[0]
        error = (f"--strict: {len(tool_errors)} internal error(s) in migrate-audit, first in {first['path']}: "
                 f"{first['message']}; the report lists them under diagnostics")
    return GateResult(tuple(failures), tuple(hits), error)


def _fails_on(finding: dict[str, Any], fail_on: str) -> bool:
    if fail_on == "any":
        return True
    if fail_on == "blocker":
        return bool(finding["verdict"] == "none")
    return bool(finding["category"] == fail_on)
