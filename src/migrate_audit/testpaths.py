"""What counts as test code, from a file's path alone: the one definition the effort model (test lines at
their own rate, the `tests` scope of every report) and the rules that skip or look for tests share.

A Python file is test code when a folder on its path is `test`, `tests` or `testing`, or when it is named
like pytest's test modules (`test_*.py`, `*_test.py`), `*_tests.py`, or `conftest.py`. A bare `test.py`
is not: superset's `superset/cli/test.py` is the `superset test` command.
"""
from __future__ import annotations

import functools
import posixpath
import re

_TEST_FOLDERS = frozenset({"test", "tests", "testing"})
_TEST_FILE_RE = re.compile(r"^(?:test_.*|.*_tests?|conftest)\.pyw?$")
# The modules pytest collects tests from by default (`python_files = test_*.py *_test.py`), and conftests:
# where a parameter is filled by a fixture.
_PYTEST_FILE_RE = re.compile(r"^(?:test_.*|.*_test|conftest)\.py$")


@functools.lru_cache(maxsize=65536)  # asked for every finding's file by reports and rules
def is_test_path(path: str) -> bool:
    """True for a Python file of test code (`/`-separated path, relative to the scanned root)."""
    parts = path.replace("\\", "/").split("/")
    return any(part in _TEST_FOLDERS for part in parts[:-1]) or bool(_TEST_FILE_RE.match(parts[-1]))


def is_pytest_module(path: str) -> bool:
    """A module pytest collects tests from, or a conftest."""
    return bool(_PYTEST_FILE_RE.match(posixpath.basename(path.replace("\\", "/"))))
