from __future__ import annotations

import re
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
REPO = TESTS.parent
# `FMA101: 5` (1-based column) in a comment; `FMA101: 5 (suppressed)` for a finding a noqa comment hides.
ANNOTATION_RE = re.compile(r"(FMA\d{3}):\s*(\d+)(\s*\(suppressed\))?")


def expected_findings(text: str) -> list[tuple[str, int, int, bool]]:
    """(code, line, column, suppressed) for every annotation in the comments of `text`."""
    expected = []
    for number, line in enumerate(text.split("\n"), 1):
        if "#" not in line:
            continue
        comment = line[line.index("#"):]
        for code, column, suppressed in ANNOTATION_RE.findall(comment):
            expected.append((code, number, int(column), bool(suppressed)))
    return sorted(expected)


@pytest.fixture
def sample_app() -> Path:
    return REPO / "examples" / "bookshelf"
