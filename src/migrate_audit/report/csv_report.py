"""CSV: one finding per row, for spreadsheets.

Cells that a spreadsheet would run as a formula (starting with = + - @, or a tab or carriage return that
some import dialogs strip before looking) get a leading single quote: a scanned file can be named
`=HYPERLINK(...)`, and opening the report must not execute it (CSV injection, OWASP).
"""
from __future__ import annotations

import csv
import io
from typing import Any

from .context import RenderContext

COLUMNS = ("code", "rule", "title", "category", "effort", "verdict", "path", "line", "column", "end_line",
           "end_column", "message", "counterpart", "links", "confidence", "suppressed", "baseline", "fingerprint")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def render_csv(report: dict[str, Any], context: RenderContext | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180 line ends, which spreadsheets expect
    # `ported` (scan --port) is a last column only in the reports that have it: other CSVs stay as they were
    columns = (*COLUMNS, "ported") if "port" in report.get("summary", {}) else COLUMNS
    writer.writerow(columns)
    for f in report["findings"]:
        writer.writerow([_cell(_value(f, column)) for column in columns])
    return out.getvalue()


def _value(finding: dict[str, Any], column: str) -> Any:
    value = finding.get(column, "")
    if column == "links":
        return " ".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
