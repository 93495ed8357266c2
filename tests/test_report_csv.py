"""CSV: one finding a row, readable by the csv module, safe to open in a spreadsheet."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from _report_support import scan_sample
from migrate_audit.report.csv_report import COLUMNS, render_csv


def test_one_row_per_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report, _ = scan_sample(tmp_path, monkeypatch)
    text = render_csv(report)
    assert "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(report["findings"])
    for row, finding in zip(rows, report["findings"]):
        assert tuple(row) == COLUMNS
        assert (row["code"], row["path"], int(row["line"]), int(row["column"])) == \
            (finding["code"], finding["path"], finding["line"], finding["column"])
        assert row["links"] == " ".join(finding["links"])
        assert row["suppressed"] == ("true" if finding["suppressed"] else "false")


@pytest.mark.parametrize("danger", ["=HYPERLINK(\"http://x\")", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_quoted(danger: str) -> None:
    finding = {column: "" for column in COLUMNS} | {"path": danger, "message": danger, "line": -3, "links": []}
    rows = list(csv.reader(io.StringIO(render_csv({"findings": [finding]}), newline="")))
    row = dict(zip(rows[0], rows[1]))
    assert row["path"] == "'" + danger
    assert row["message"] == "'" + danger
    assert row["line"] == "-3"  # numbers are numbers, not text to defuse


def test_plain_cells_untouched() -> None:
    finding = {column: "" for column in COLUMNS} | {"path": "a=b.py", "message": "x - y", "links": []}
    rows = list(csv.reader(io.StringIO(render_csv({"findings": [finding]}), newline="")))
    assert dict(zip(rows[0], rows[1]))["path"] == "a=b.py"
