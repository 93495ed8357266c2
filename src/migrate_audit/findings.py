"""From what the matchers report to findings: each hit's position in lines and columns, its message and
counterpart filled in (printable), its suppression comment read, duplicates of one rule at one place
dropped, sorted.
"""
from __future__ import annotations

import bisect
from itertools import accumulate

from .api import FileContext, Hit
from .model import Finding, Rule
from .scopes import span
from .source import printable_text
from .suppressions import is_suppressed


def to_findings(hits: list[tuple[Rule, Hit]], ctx: FileContext) -> list[Finding]:
    confidence = ctx.syntax.confidence
    seen: set[tuple[str, int, int]] = set()
    findings = []
    # Per line, not per finding: thousands of findings on one 1 MB generated line stay linear.
    source_lines: dict[int, str] = {}
    stripped: dict[int, str] = {}
    suppressed: dict[tuple[int, str], bool] = {}
    line_starts: list[int] = []
    for rule_, hit in hits:
        if hit.position is None:
            # From character offsets, not `range()`: its column count walks the line, once per finding.
            if not line_starts:
                line_starts = list(accumulate((len(line) + 1 for line in ctx.lines[:-1]), initial=0))
            start, end = span(hit.node)
            line = bisect.bisect_right(line_starts, start)
            end_line = bisect.bisect_right(line_starts, end)
            col, end_col = start - line_starts[line - 1] + 1, end - line_starts[end_line - 1] + 1
        else:
            line, col, end_line, end_col = hit.position
        key = (rule_.code, line, col)
        if key in seen:
            continue  # two matchers of one rule at one place (e.g. alias and canonical spelling)
        seen.add(key)
        source_line = source_lines.get(line)
        if source_line is None:
            lines = ctx.lines
            source_line = source_lines[line] = lines[line - 1] if 0 < line <= len(lines) else ""
            stripped[line] = source_line.strip()
        if (line, rule_.code) not in suppressed:
            suppressed[line, rule_.code] = is_suppressed(rule_.code, source_line)
        findings.append(
            Finding(
                path=ctx.path,
                line=line,
                column=col,
                code=rule_.code,
                end_line=end_line,
                end_column=end_col,
                # Messages quote source text: no control character may reach a terminal or a log.
                message=printable_text(rule_.format_message(hit.args) + (f" ({hit.via})" if hit.via else "")),
                counterpart=printable_text(rule_.format_counterpart(hit.args)),
                confidence=confidence,
                suppressed=suppressed[line, rule_.code],
                source_line=stripped[line],
            )
        )
    findings.sort(key=Finding.sort_key)
    return findings
