"""Property-based tests (hypothesis): random and mutated sources never crash the engine, findings always
point inside the file, and the JSON report is valid UTF-8 JSON whatever bytes the scanned files hold."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate_audit.cli import main
from migrate_audit.engine import analyze_python
from migrate_audit.prefilter import mentions_interest, text_imports
from migrate_audit.source import BinaryFile, decode_python, normalize_newlines

from conftest import FIXTURES

FIXTURE_SOURCES = sorted((FIXTURES / "rules").glob("*.py"))
FIXTURE_BYTES = [path.read_bytes() for path in FIXTURE_SOURCES]
PROFILE = settings(max_examples=int(os.environ.get("MIGRATE_AUDIT_HYPOTHESIS_EXAMPLES", "150")), deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def check_inside(text: str, path: str = "fuzz.py") -> None:
    """analyze_python never raises, and every finding is a real position of `text` (1-based, characters)."""
    mentions_interest(text)  # the scan's text summary, made for every file before any parse
    text_imports(text, "fuzz", False)
    result = analyze_python(text, path)
    lines = normalize_newlines(text).split("\n")  # CR and CRLF end lines, as in an editor
    for finding in result.findings:
        assert 1 <= finding.line <= len(lines), finding
        assert 1 <= finding.column <= len(lines[finding.line - 1]) + 1, finding
        assert finding.line <= finding.end_line <= len(lines), finding
        assert 1 <= finding.end_column <= len(lines[finding.end_line - 1]) + 1, finding
    for diagnostic in result.diagnostics:
        assert 0 <= diagnostic.line <= len(lines) + 1, diagnostic


@st.composite
def mutated_fixture(draw: st.DrawFn) -> bytes:
    """A rule fixture with lines deleted, duplicated or swapped, random bytes inserted, or cut short."""
    data = draw(st.sampled_from(FIXTURE_BYTES))
    lines = data.split(b"\n")
    for _ in range(draw(st.integers(1, 6))):
        operation = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "truncate", "indent"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        if operation == "delete":
            del lines[i]
        elif operation == "duplicate":
            lines.insert(j, lines[i])
        elif operation == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif operation == "insert":
            line = lines[i]
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(st.binary(min_size=1, max_size=8)) + line[at:]
        elif operation == "indent":
            lines[i] = draw(st.sampled_from([b" ", b"\t", b"    ", b"\r", b"\x0c"])) + lines[i]
        else:
            joined = b"\n".join(lines)
            lines = joined[: draw(st.integers(0, len(joined)))].split(b"\n")
    return b"\n".join(lines)


def decode(data: bytes) -> str | None:
    try:
        return decode_python(data).text
    except BinaryFile:
        return None


@PROFILE
@given(mutated_fixture())
def test_mutated_fixtures_never_crash_and_findings_are_inside(data: bytes) -> None:
    text = decode(data)
    if text is not None:
        check_inside(text)


PYTHONISH = st.sampled_from(
    ["from flask import Flask, request, jsonify, g, session\n", "import flask as f\n", "app = Flask(__name__)\n",
     "@app.route('/<int:x>', methods=['GET'])\n", "def view(x):\n", "    return jsonify(request.args)\n",
     "class V(f.views.MethodView):\n", "    pass\n", "(", ")", "[", "]", "{", "}", ":", ",", ".", "request",
     "app", "f'{request.args}'", "'''", '"', "\\", "\n", "\r\n", "\r", "\t", " ", "# noqa: FMA201\n", "lambda",
     "print 'x'\n", "type X = int\n", "match x:\n    case 1:\n", "\udcff", "\ufeff", "\u00e9", "\U0001f600",
     "\x00", "\x0c", "async ", "await ", "yield ", "*", "**", "=", ":=", "->", "if ", "else ", "for ",
     "# -*- coding: latin-1 -*-\n", "# coding: rot13\n", "# coding: utf-16\n", "# coding: undefined\n",
     "# vim: set fileencoding=unicode_escape :\n", "\\udcff", "\\N{", "\\x"]
)


@PROFILE
@given(st.lists(PYTHONISH, max_size=60).map("".join))
def test_random_python_like_sources_never_crash(text: str) -> None:
    check_inside(text)


@PROFILE
@given(st.text(max_size=300))
def test_random_text_never_crashes(text: str) -> None:
    check_inside(text)


@PROFILE
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(data: bytes) -> None:
    text = decode(data)
    if text is not None:
        check_inside(text)


NAME_BYTES = st.binary(min_size=1, max_size=12).map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_"))


@PROFILE
@given(contents=st.lists(st.binary(max_size=200), min_size=1, max_size=4), names=st.lists(NAME_BYTES, min_size=4,
                                                                                          max_size=4))
def test_json_report_is_valid_utf8_whatever_the_bytes(tmp_path_factory: pytest.TempPathFactory,
                                                      contents: list[bytes], names: list[bytes]) -> None:
    folder = tmp_path_factory.mktemp("bytes")
    for i, (data, name) in enumerate(zip(contents, names)):
        try:
            with open(os.fsencode(str(folder)) + b"/" + name + str(i).encode() + b".py", "wb") as handle:
                handle.write(b"from flask import request\n" + data + b"\nx = request.args\n")
        except OSError:
            continue  # a name the file system refuses (too long, reserved)
    out = Path(str(folder) + ".json")
    assert main(["scan", str(folder), "--json", str(out), "--format", "json", "-q", "--jobs", "1"]) in (0, 1)
    report = json.loads(out.read_bytes().decode("utf-8"))  # strict: a lone surrogate or raw byte fails here
    for finding in report["findings"]:
        finding["path"].encode("utf-8")
