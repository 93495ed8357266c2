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
from migrate_audit.report.estimate_view import blocking_summary
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

def _unit(name: str, blockers: int, points: int, depends_on: list[str], findings: int = 1) -> dict[str, Any]:
    return {"name": name, "blockers": blockers, "story_points": points, "depends_on": depends_on,
            "findings": findings}


def test_strangler_order_dependencies_first_then_blockers_then_effort() -> None:
    units = [
        _unit("core", 0, 10, []),
        _unit("auth", 1, 5, ["core"]),
        _unit("shop", 0, 10, ["core"]),
        _unit("blog", 0, 3, ["core", "shop"]),
        _unit("admin", 0, 10, ["core"]),
    ]
    plan = strangler_order(units)
    # core first (everyone imports it); then admin and shop (no blockers, 10 points each, by name);
    # blog (cheapest) once shop, which it imports, has moved; auth has a blocker so it moves last.
    assert [u["name"] for u in plan] == ["core", "admin", "shop", "blog", "auth"]
    assert [u["step"] for u in plan] == [1, 2, 3, 4, 5]
    by_name = {u["name"]: u for u in plan}
    assert by_name["core"]["dependents"] == ["admin", "auth", "blog", "shop"]
    assert by_name["blog"]["depends_on_steps"] == [("core", 1), ("shop", 3)]
    assert all(u["waits_for"] == [] for u in plan)  # no cycle: nothing moves before what it imports


def test_strangler_order_breaks_an_import_cycle_at_its_best_unit() -> None:
    plan = strangler_order([_unit("a", 0, 9, ["b"]), _unit("b", 0, 2, ["a"]), _unit("c", 0, 1, ["a"])])
    assert [u["name"] for u in plan] == ["b", "a", "c"]
    assert plan[0]["waits_for"] == ["a"]


def test_strangler_order_follows_every_acyclic_import() -> None:
    import random

    rng = random.Random(3)
    for _ in range(200):
        n = rng.randint(1, 30)
        # Edges only to lower numbers: acyclic; a few back edges make cycles in the second half.
        units = [_unit(f"u{i:02d}", rng.randint(0, 1), rng.randint(0, 20),
                       [f"u{j:02d}" for j in range(i) if rng.random() < 0.15]) for i in range(n)]
        plan = strangler_order(units)
        assert sorted(u["name"] for u in plan) == sorted(u["name"] for u in units)
        step = {u["name"]: u["step"] for u in plan}
        assert all(step[d] < step[u["name"]] for u in units for d in u["depends_on"])
        assert all(u["waits_for"] == [] for u in plan)
        units[0]["depends_on"].append(units[-1]["name"])  # one cycle through the whole chain, if any
        assert sorted(u["name"] for u in strangler_order(units)) == sorted(u["name"] for u in units)


def test_plan_leaves_out_units_without_findings_templates_tests_and_migrations() -> None:
    units = [_unit("app", 0, 5, []), _unit("app/templates", 0, 3, []), _unit("tests", 0, 9, ["app"]),
             _unit("app/migrations/versions", 0, 1, []), _unit("app/util", 0, 0, [], findings=0)]
    assert [u["name"] for u in strangler_order(units)] == ["app"]


def test_plan_is_rendered_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report, result = scan_sample(tmp_path, monkeypatch)
    html = render_html(report, fixed_context(result))
    plan_html = html.split('<section id="plan">')[1].split("</section>")[0]
    expected = [u["name"] for u in strangler_order(report["units"])]
    assert expected and len(expected) == sum(1 for u in report["units"] if u["findings"])
    # Each unit links to its findings.
    shown = re.findall(r'data-filter-unit="([^"]*)"', plan_html)
    assert shown == expected
    # The a2wsgi sample names the project's own modules: the WSGI entry point and the first unit.
    assert "from wsgi import app  # the existing Flask app" in plan_html
    first = next(name for name in expected if name != ".")
    assert f"from {first.replace('/', '.')} import router" in plan_html
    assert "yourapp" not in plan_html


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


# --- the effort estimate and the rules table (issue 20) ----------------------------------------------

def test_effort_card_shows_the_range_what_it_covers_and_what_drives_it(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    report, result = scan_sample(tmp_path, monkeypatch)
    html = render_html(report, fixed_context(result))
    s = report["summary"]
    card = html[html.index("<h3>Effort</h3>"):html.index("<h3>By category</h3>")]
    assert f'<div class="big" id="estimate">{s["estimate_text"]}</div>' in card
    assert "not new features, frontend changes or QA" in card
    for label in ("Setup:", "Idioms to learn:", "Extensions to replace:", "Repetitions:", "Tests (apart):",
                  "Templates and deployment:"):
        assert f"<strong>{label}</strong>" in card
    assert "Flask-CORS, Flask-Login, Flask-SQLAlchemy" in card
    assert f"<strong>{blocking_summary(s)}</strong>" in card
    assert "<td>App code</td>" in html  # the subtotals per scope


def test_rules_table_lists_every_counted_rule_by_points(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report, result = scan_sample(tmp_path, monkeypatch)
    html = render_html(report, fixed_context(result))
    rows = re.findall(r'<tr data-code="(FMA\d+)" data-verdict="\w+" data-places="(\d+)" data-files="(\d+)" '
                      r'data-points="(\d+)">', html)
    counted = [f for f in report["findings"] if not f["suppressed"]]
    expected = {code: (sum(1 for f in counted if f["code"] == code),
                       len({f["path"] for f in counted if f["code"] == code}),
                       sum(f["effort"] for f in counted if f["code"] == code)) for code in {f["code"] for f in counted}}
    assert {code: (int(p), int(f), int(pts)) for code, p, f, pts in rows} == expected
    points = [int(pts) for *_, pts in rows]
    assert points == sorted(points, reverse=True)


def test_no_bare_placeholder_reaches_the_page_or_explain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rules that compute their counterpart from the match (`{fix}`) say so, with an example."""
    from migrate_audit import registry
    from migrate_audit.rule_docs import explain_text

    report, result = scan_sample(tmp_path, monkeypatch)
    html = render_html(report, fixed_context(result))
    assert "{fix}" not in html
    section = html[html.index('id="rule-FMA102"'):]
    section = section[:section.index("</article>")]
    first = next(f for f in report["findings"] if f["code"] == "FMA102")
    assert "depends on the matched code" in section and str(escape(first["counterpart"]).replace("`", "")) in \
        re.sub(r"</?code>", "", section)
    for rule in registry.all_rules():
        assert "{fix}" not in explain_text(rule), rule.code
