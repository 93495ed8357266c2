from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
REPO = TESTS.parent
# `FMA101: 5` (1-based column) in a comment; `FMA101: 5 (suppressed)` for a finding a noqa comment hides.
ANNOTATION_RE = re.compile(r"(FMA\d{3}):\s*(\d+)(\s*\(suppressed\))?")
# Fixture projects are scanned, never run: their conftest.py and test_*.py files are not this suite's.
collect_ignore_glob = ["fixtures/*"]


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


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own result cache folder: no test reads another's cache or the user's."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("MIGRATE_AUDIT_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def sample_app() -> Path:
    return REPO / "examples" / "bookshelf"


@pytest.fixture
def factory_app_copy(tmp_path: Path) -> Path:
    """A copy of the factory_app fixture project, for a test that changes files in it."""
    copy = tmp_path / "factory_app"
    shutil.copytree(FIXTURES / "projects" / "factory_app", copy)
    return copy
