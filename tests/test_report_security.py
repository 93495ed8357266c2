"""Strings from the scanned code, its paths and its config reach every report as text, never as markup.

The hostile project (see _report_support.make_hostile_project) puts `</script><script>...`,
`"><img onerror=...>`, `{{ 7*7 }}` and `{% raw %}` in its folder name, file names, Blueprint name, route
string, comments and config file name. The browser half of this test is in test_report_browser.py.
"""
from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from _report_support import (
    JINJA_EXPR, JINJA_RAW, PWN_IMG, PWN_SCRIPT, data_block, fixed_context, load_sarif_schema,
    scan_hostile,
)
from migrate_audit.report.csv_report import render_csv
from migrate_audit.report.html import render_html
from migrate_audit.report.markdown import render_markdown
from migrate_audit.report.sarif import render_sarif


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@pytest.fixture()
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, str]:
    report, result = scan_hostile(tmp_path, monkeypatch)
    return report, render_html(report, fixed_context(result))


def test_the_hostile_strings_really_reach_the_report(hostile: tuple[dict, str]) -> None:
    report, _ = hostile
    assert report["root"] == PWN_IMG
    assert report["config"] == f"{PWN_IMG}.toml"
    paths = {f["path"] for f in report["findings"]}
    assert f"x{PWN_SCRIPT}.py" in paths
    assert f"{JINJA_EXPR}/{PWN_IMG}.py" in paths
    assert any(PWN_SCRIPT in f["message"] for f in report["findings"])  # the route string
    assert [d["path"] for d in report["diagnostics"]] == [f"{JINJA_RAW}.py"]
    assert any(PWN_SCRIPT in bp for u in report["units"] for bp in u["blueprints"])


def test_html_parses_to_only_our_own_elements(hostile: tuple[dict, str]) -> None:
    _, html = hostile
    parser = _Elements()
    parser.feed(html)
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    assert scripts == [{"type": "application/json", "id": "ma-data"}, {}]
    assert not [tag for tag, _ in parser.tags if tag == "img"]
    handlers = [(tag, name) for tag, attrs in parser.tags for name in attrs if name.lower().startswith("on")]
    assert handlers == []


def test_hostile_strings_appear_only_escaped(hostile: tuple[dict, str]) -> None:
    _, html = hostile
    assert PWN_SCRIPT not in html
    assert PWN_IMG not in html
    # ...but they are on the page, as text: root and config (scan metadata), the Blueprint (plan),
    # the file names (extensions), the syntax-error file (diagnostics).
    assert html.count(str(escape(PWN_IMG))) >= 3
    assert str(escape(PWN_SCRIPT)) in html
    # jinja never evaluates data: the template syntax is printed as it is.
    assert f'>{JINJA_EXPR}</button></td>' in html  # the plan's unit, a link to its findings
    assert f'<td class="mono">{JINJA_RAW}.py</td>' in html


def test_json_block_round_trips_the_hostile_strings(hostile: tuple[dict, str]) -> None:
    report, html = hostile
    block = data_block(html)
    assert "<" not in block and ">" not in block and "&" not in block
    data = json.loads(block)
    assert [f["path"] for f in data["findings"]] == [f["path"] for f in report["findings"]]
    snippet_text = "\n".join(line for lines in data["sources"].values() for line in lines.values())
    for text in (PWN_SCRIPT, PWN_IMG, JINJA_EXPR, JINJA_RAW):
        assert text in snippet_text


def test_markdown_cannot_inject_html_or_markup(hostile: tuple[dict, str]) -> None:
    report, _ = hostile
    markdown = render_markdown(report)
    outside_code = "".join(markdown.split("`")[::2])  # text outside code spans is what a renderer parses
    assert "<img" not in outside_code and "<script" not in outside_code and "</script" not in outside_code
    assert f"`{JINJA_EXPR}/__init__.py:12`" in markdown  # paths go in code spans, where nothing is parsed
    assert f"`{JINJA_RAW}.py`" in markdown


def test_csv_holds_the_exact_strings(hostile: tuple[dict, str]) -> None:
    report, _ = hostile
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert [r["path"] for r in rows] == [f["path"] for f in report["findings"]]


def test_sarif_with_hostile_paths_is_valid_and_encodes_uris(hostile: tuple[dict, str]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    report, _ = hostile
    log = json.loads(render_sarif(report))
    jsonschema.Draft4Validator(load_sarif_schema()).validate(log)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]]
    for uri in uris:
        assert not set('<>"{} ') & set(uri), uri
    assert "x%3C/script%3E%3Cscript%3Ewindow.__pwned%3D1%3C/script%3E.py" in uris
