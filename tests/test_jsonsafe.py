"""JSON reports through orjson (fast) are the very text the standard library writes, and whatever orjson
refuses still comes out, the standard library's way."""
from __future__ import annotations

import json
import platform

import pytest

from conftest import REPO
from migrate_audit.config import Settings
from migrate_audit.report import jsonsafe
from migrate_audit.report.build import build_report
from migrate_audit.scan import run_scan

LAYOUTS = {
    "pretty": {"indent": 2, "sort_keys": True},
    "compact": {"sort_keys": True, "separators": (",", ":")},
}


@pytest.fixture(scope="module")
def report() -> dict:
    return build_report(run_scan([str(REPO / "examples" / "bookshelf")], Settings(), jobs=1))


def test_orjson_is_used_on_cpython() -> None:
    if platform.python_implementation() == "CPython":
        assert jsonsafe.orjson is not None


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_the_fast_path_writes_what_the_standard_library_writes(layout: str, report: dict,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    expected = json.dumps(report, ensure_ascii=False, **LAYOUTS[layout])
    assert jsonsafe.dumps(report, **LAYOUTS[layout]) == expected
    monkeypatch.setattr(jsonsafe, "orjson", None)
    assert jsonsafe.dumps(report, **LAYOUTS[layout]) == expected


@pytest.mark.parametrize("value", [
    pytest.param({"path": "caf\udce9.py"}, id="lone surrogate"),
    pytest.param({1: "non-string key"}, id="integer key"),
    pytest.param({"big": 2 ** 70}, id="beyond 64 bits"),
])
def test_what_orjson_refuses_takes_the_standard_way(value: dict) -> None:
    text = jsonsafe.dumps(value, indent=2, sort_keys=True)
    assert json.loads(text) == json.loads(json.dumps(value).replace("\\udce9", "\\\\xe9"))
    text.encode("utf-8")  # valid UTF-8 whatever the input held


def test_other_layouts_are_the_standard_librarys() -> None:
    assert jsonsafe.dumps({"b": 1, "a": [1, 2]}) == '{"b": 1, "a": [1, 2]}'


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("newline", [False, True])
def test_the_utf8_bytes_are_the_text_encoded(layout: str, newline: bool, report: dict,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """`dumps_utf8` (what the command line writes) is `dumps`'s text as UTF-8, fast way or not."""
    report = {**report, "note": "caf\u00e9 \u2192 \U0001f680"}  # 2-, 3- and 4-byte UTF-8
    expected = (jsonsafe.dumps(report, **LAYOUTS[layout]) + ("\n" if newline else "")).encode("utf-8")
    assert jsonsafe.dumps_utf8(report, newline=newline, **LAYOUTS[layout]) == expected
    monkeypatch.setattr(jsonsafe, "orjson", None)
    assert jsonsafe.dumps_utf8(report, newline=newline, **LAYOUTS[layout]) == expected


@pytest.mark.parametrize("value", [
    pytest.param({"path": "caf\udce9.py"}, id="lone surrogate"),
    pytest.param({"big": 2 ** 70}, id="beyond 64 bits"),
])
def test_the_utf8_bytes_of_what_orjson_refuses(value: dict) -> None:
    assert jsonsafe.dumps_utf8(value, indent=2, sort_keys=True, newline=True) == (
        jsonsafe.dumps(value, indent=2, sort_keys=True) + "\n").encode("utf-8")
