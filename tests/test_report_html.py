"""The HTML report: its view model, the templating safeguards, snippets and the migration plan."""
from __future__ import annotations

import base64
import hashlib
import json
import re
from markupsafe import escape
from pathlib import Path
from typing import Any

import jinja2
import pytest

from _report_support import FIXED_DATE, data_block, fixed_context, scan_sample
from migrate_audit import proofs
from migrate_audit.report.context import RenderContext
from migrate_audit.report.html import bars, blockers, html_model, render_html, rule_metadata
from migrate_audit.report.plan import strangler_order
from migrate_audit.report.snippets import read_snippets
from migrate_audit.report.templating import environment, inline_code, safe_url, script_json


# --- templating safeguards ----------------------------------------------------------------------

def test_environment_escapes_every_template_and_rejects_undefined() -> None:
    env = environment()
    assert env.autoescape is True  # not select_autoescape(): that would skip `*.j2`
    assert env.undefined is jinja2.StrictUndefined
    with pytest.raises(jinja2.UndefinedError):
        env.get_template("report.html.j2").render()


def test_templates_load_through_importlib_resources() -> None:
    env = environment()
    source, filename, _ = env.loader.get_source(env, "report.html.j2")  # type: ignore[union-attr]
    assert "<!DOCTYPE html>" in source
    with pytest.raises(jinja2.TemplateNotFound):
        env.loader.get_source(env, "missing.html.j2")  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["</script><script>alert(1)</script>", "<!-- x", "a & b > c", "\u2028\u2029"])
def test_script_json_cannot_close_or_confuse_the_script_element(text: str) -> None:
    encoded = str(script_json({"s": text}))
    for raw in "<>&\u2028\u2029":
        assert raw not in encoded
    assert json.loads(encoded) == {"s": text}


def test_inline_code_escapes_and_marks_code_spans() -> None:
    assert str(inline_code("use `<b>` & `x`")) == "use <code>&lt;b&gt;</code> &amp; <code>x</code>"
    assert str(inline_code('"><img src=x>')) == "&#34;&gt;&lt;img src=x&gt;"


@pytest.mark.parametrize(("url", "expected"), [
    ("https://fastapi.tiangolo.com/", "https://fastapi.tiangolo.com/"),
    ("HTTP://example.org/a?b=c", "HTTP://example.org/a?b=c"),
    ("javascript:alert(1)", "#"),
    ("data:text/html,x", "#"),
    ('https://x"onmouseover=1', "#"),
    ("", "#"),
])
def test_safe_url(url: str, expected: str) -> None:
    assert safe_url(url) == expected


# --- view model ---------------------------------------------------------------------------------

def test_bars_keep_every_known_key_in_order_with_shares() -> None:
    result = bars({"optional": 2, "mandatory": 8, "custom": 4}, ("mandatory", "optional", "potential"))
    assert [(b["key"], b["count"], b["share"]) for b in result] == [
        ("mandatory", 8, 1.0), ("optional", 2, 0.25), ("potential", 0, 0.0), ("custom", 4, 0.5)
    ]
    assert [b["share"] for b in bars({}, ("mandatory",))] == [0.0]


def _finding(code: str, path: str = "a.py", line: int = 1, effort: int = 3, verdict: str = "none",
             **extra: Any) -> dict[str, Any]:
    return {"code": code, "path": path, "line": line, "column": 1, "end_line": line, "end_column": 5,
            "category": "mandatory", "effort": effort, "verdict": verdict, "message": f"{code} here",
            "counterpart": "nothing", "confidence": "high", "suppressed": False, "baseline": False, **extra}


def test_blockers_group_by_rule_with_reason_and_cap() -> None:
    counted = [_finding("FMA362", line=n) for n in range(1, 14)] + [_finding("FMA349", effort=5)]
    result = blockers(counted, rule_metadata(counted))
    assert [b["code"] for b in result] == ["FMA362", "FMA349"]  # 39 points before 5
    first = result[0]
    assert first["count"] == 13 and first["points"] == 39
    assert len(first["locations"]) == 10 and first["more"] == 3
    assert "reCAPTCHA" in first["reason"]  # the rule's rationale says why it blocks


def test_rule_metadata_falls_back_for_unknown_codes() -> None:
    meta = rule_metadata([_finding("FMA999", title="From the future", links=["https://x.org"], rule="future")])
    assert meta["FMA999"]["title"] == "From the future"
    assert meta["FMA999"]["links"] == ["https://x.org"]


def test_model_carries_run_facts_and_baseline_delta(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report, result = scan_sample(tmp_path, monkeypatch)
    report["summary"]["baseline_readiness"] = report["summary"]["readiness"] + 4
    report["summary"]["new_findings"] = 2
    model = html_model(report, fixed_context(result))
    assert model["meta"]["generated_at"] == FIXED_DATE
    assert model["meta"]["duration"] == "0.25 s"
    assert model["meta"]["config"] == "sample/pyproject.toml"
    assert model["baseline"] == {"readiness": report["summary"]["readiness"] + 4, "delta": -4, "new_findings": 2}
    html = render_html(report, fixed_context(result))
    assert "(<strong>-4</strong>)" in html
    assert "2 new finding(s)" in html


def test_html_embeds_every_finding_once_as_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report, result = scan_sample(tmp_path, monkeypatch)
    html = render_html(report, fixed_context(result))
    data = json.loads(data_block(html))
    assert [(f["code"], f["path"], f["line"]) for f in data["findings"]] == [
        (f["code"], f["path"], f["line"]) for f in report["findings"]
    ]
    assert set(data["rules"]) == {f["code"] for f in report["findings"]}
    # Rows are built by the script: the page holds no per-finding markup up front.
    assert html.count('class="finding') == 0


def test_html_has_every_section_and_no_external_resource(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report, result = scan_sample(tmp_path, monkeypatch)
    html = render_html(report, fixed_context(result))
    for section in ("overview", "extensions", "plan", "findings", "rules", "diagnostics"):
        assert f'<section id="{section}">' in html
    assert not re.search(r'\b(?:src|href)="(?:https?:)?//', html), "nothing is loaded from the network"
    assert "<link" not in html and "@import" not in html and "url(" not in html
    assert "a2wsgi" in html
    assert "shelf/broken.py" in html  # diagnostics
    assert "Flask-SQLAlchemy" in html  # extensions


def test_csp_hashes_match_the_inline_script_and_style(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report, result = scan_sample(tmp_path, monkeypatch)
    html = render_html(report, fixed_context(result))
    scripts = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    styles = re.findall(r"<style>(.*?)</style>", html, re.DOTALL)
    assert len(scripts) == 1 and len(styles) == 1

    def digest(text: str) -> str:
        return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    match = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert match
    csp = match.group(1)
    assert f"script-src '{digest(scripts[0])}'" in csp
    assert f"style-src '{digest(styles[0])}'" in csp
    assert "default-src 'none'" in csp


def test_renders_a_report_without_findings() -> None:
    report = {
        "schema_version": "1", "tool": {"name": "migrate-audit", "version": "0"}, "root": "empty",
        "roots": ["empty"], "config": None,
        "summary": {"readiness": 100, "grade": "A", "story_points": 0, "estimate_days": 0.0, "blockers": 0,
                    "findings": 0, "suppressed": 0, "files_scanned": 0, "files_not_audited": 0,
                    "files_with_findings": 0, "lines": 0, "partial": False, "by_category": {}, "by_verdict": {},
                    "top_rules": []},
        "findings": [], "extensions": [], "units": [], "files": [], "diagnostics": [],
    }
    html = render_html(report, RenderContext())
    assert "None: every Flask idiom found has a FastAPI counterpart." in html
    assert "not recorded" in html  # no date or duration given
    assert json.loads(data_block(html))["findings"] == []


# --- snippets -----------------------------------------------------------------------------------

def test_snippets_hold_the_context_lines_of_each_finding(tmp_path: Path) -> None:
    lines = [f"line {n}" for n in range(1, 21)]
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_bytes("\r\n".join(lines).encode())  # CRLF, as the scanner normalises
    findings = [{"path": "pkg/a.py", "line": 5, "end_line": 6}, {"path": "pkg/a.py", "line": 20, "end_line": 20}]
    snippets = read_snippets(findings, str(tmp_path), context=2)
    assert snippets == {"pkg/a.py": {n: f"line {n}" for n in [3, 4, 5, 6, 7, 8, 18, 19, 20]}}


def test_snippet_lines_split_only_on_newlines(tmp_path: Path) -> None:
    # A form feed or U+2028 inside a line must not shift the numbering (str.splitlines would).
    (tmp_path / "a.py").write_text("x = '\u2028'\f\ny = 1\nz = 2\n", encoding="utf-8")
    assert read_snippets([{"path": "a.py", "line": 3, "end_line": 3}], str(tmp_path), context=0) == {
        "a.py": {3: "z = 2"}
    }


def test_snippets_skip_missing_outside_and_binary_files(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "secret.py").write_text("password = 1\n")
    (root / "bin.py").write_bytes(b"\x00\x01")
    (root / "rot.py").write_bytes(b"# coding: rot13\nx = 1\n")
    findings = [{"path": p, "line": 1, "end_line": 1} for p in ("gone.py", "../secret.py", "bin.py", "rot.py")]
    # A rot13 cookie is read as UTF-8 (with a decode-error diagnostic in the scan), so it has a snippet.
    assert set(read_snippets(findings, str(root))) == {"rot.py"}


def test_long_lines_are_clipped(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = '" + "a" * 5000 + "'\n")
    text = read_snippets([{"path": "a.py", "line": 1, "end_line": 1}], str(tmp_path))["a.py"][1]
    assert len(text) == 401 and text.endswith("…")


# --- migration plan -----------------------------------------------------------------------------

def _unit(name: str, blockers: int, points: int, depends_on: list[str]) -> dict[str, Any]:
    return {"name": name, "blockers": blockers, "story_points": points, "depends_on": depends_on}


def test_strangler_order_blockers_then_effort_then_dependents() -> None:
    units = [
        _unit("core", 0, 10, []),
        _unit("auth", 1, 5, ["core"]),
        _unit("shop", 0, 10, ["core"]),
        _unit("blog", 0, 3, ["core", "shop"]),
        _unit("admin", 0, 10, ["core"]),
    ]
    plan = strangler_order(units)
    # blog is cheapest; admin/core/shop tie on effort and blockers: fewest dependents first (admin 0,
    # shop 1 (blog), core 4), auth has a blocker so it moves last.
    assert [u["name"] for u in plan] == ["blog", "admin", "shop", "core", "auth"]
    assert [u["step"] for u in plan] == [1, 2, 3, 4, 5]
    by_name = {u["name"]: u for u in plan}
    assert by_name["core"]["dependents"] == ["admin", "auth", "blog", "shop"]
    assert by_name["blog"]["depends_on_steps"] == [("core", 4), ("shop", 3)]
    assert by_name["blog"]["waits_for"] == ["core", "shop"]
    assert by_name["auth"]["waits_for"] == []


def test_plan_is_rendered_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report, result = scan_sample(tmp_path, monkeypatch)
    html = render_html(report, fixed_context(result))
    plan_html = html.split('<section id="plan">')[1].split("</section>")[0]
    expected = [u["name"] for u in strangler_order(report["units"])]
    shown = re.findall(r'<td class="mono">(.*?)</td>', plan_html)
    assert shown == ["(top level)" if name == "." else name for name in expected]



def test_every_finding_rule_has_a_section_with_its_proof(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report, result = scan_sample(tmp_path, monkeypatch)
    html = render_html(report, fixed_context(result))
    codes = {f["code"] for f in report["findings"]}
    assert set(re.findall(r'<article class="rule" id="rule-(FMA\d{3})">', html)) == codes
    proven = sorted(code for code in codes if proofs.proof_for(code) is not None)
    assert proven, "the sample report has no proven rule to check"
    for code in proven:
        view = proofs.measured_view(proofs.proof_for(code))
        section = html[html.index(f'id="rule-{code}"'):]
        section = section[:section.index("</article>")]
        assert f"Measured with {view.versions_text}" in section
        assert all(escape(row.shown) in section for check in view.checks for row in check.rows)
        assert json.loads(data_block(html))["rules"][code]["proven"] is True
