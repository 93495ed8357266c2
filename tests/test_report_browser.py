"""The HTML report in a real browser: headless Chromium (Debian's package, driven by Playwright) loads
it from file://, with no console error and no network request, and the findings explorer works; the
hostile project's report runs no injected script.

On a developer machine without Chromium or Playwright these tests skip; in CI (.ci/run installs both)
they fail instead. A screenshot of the sample report goes to test-artifacts/ (git-ignored).
"""
from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from _report_support import (
    ARTIFACTS, JINJA_EXPR, PWN_IMG, PWN_SCRIPT, fixed_context, require_or_skip, scan_hostile, scan_sample,
)
from migrate_audit.report.context import RenderContext
from migrate_audit.report.html import render_html

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("MIGRATE_AUDIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_or_skip("playwright is not installed: pip install -e '.[test]'")
    if not os.access(CHROMIUM, os.X_OK):
        require_or_skip(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Page:
    """A report opened in the browser, recording console errors, page errors and network requests."""

    def __init__(self, browser: Any, html_file: Path) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(html_file.as_uri())
        self.page.wait_for_selector("html[data-ready=true]", timeout=30_000)

    def rows(self) -> list[str]:
        return self.page.locator("#f-rows tr.finding td.loc").all_inner_texts()

    def close(self) -> None:
        self.page.close()


def _write(tmp_path: Path, html: str, name: str = "report.html") -> Path:
    path = tmp_path / "out" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def test_sample_report_loads_clean_and_filters(browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report, result = scan_sample(tmp_path, monkeypatch)
    html_file = _write(tmp_path, render_html(report, fixed_context(result)))
    page = Page(browser, html_file)
    try:
        counted = [f for f in report["findings"] if not f["suppressed"]]
        assert len(page.rows()) == len(counted)

        # A filter click changes the rows shown: the `potential` chip leaves only those findings.
        page.page.click("#f-chips [data-filter-category=potential]")
        potential = [f for f in counted if f["category"] == "potential"]
        assert page.rows() == [f"{f['path']}:{f['line']}:{f['column']}" for f in potential]
        assert page.page.get_attribute("#f-chips [data-filter-category=potential]", "aria-pressed") == "true"
        page.page.click("#f-chips [data-filter-category=potential]")
        assert len(page.rows()) == len(counted)

        # Search, then a finding's detail: the snippet marks the matched text.
        page.page.fill("#f-search", "from_pyfile")
        # A function, not an expression: the report's CSP forbids eval, which an expression would need.
        page.page.wait_for_function("() => document.querySelectorAll('#f-rows tr.finding').length === 1")
        page.page.click("#f-rows tr.finding")
        detail = page.page.locator("#f-rows tr.detail")
        assert detail.locator("pre.snippet .sl.hit").count() >= 1
        assert detail.locator("pre.snippet mark").inner_text().startswith("app.config.from_pyfile")
        assert "Before (Flask)" in detail.inner_text() and "After (FastAPI)" in detail.inner_text()
        # The detail links to the rule's section (its proof and measurements, when it has one).
        detail.locator('a[href="#rule-FMA502"]').click()
        assert page.page.evaluate("() => location.hash") == "#rule-FMA502"
        section = page.page.locator("#rule-FMA502")
        assert section.is_visible() and "FMA502" in section.inner_text()
        # Rules are collapsed; the link opened this one.
        page.page.wait_for_function("() => document.querySelector('#rule-FMA502 details.rule-body').open")
        assert section.locator("p").first.is_visible()
        assert page.page.evaluate("() => document.querySelectorAll('details.rule-body[open]').length") == 1
        page.page.click("#f-reset")

        # Suppressed findings appear on request; grouping by file shows file headers.
        page.page.check("#f-suppressed")
        assert len(page.rows()) == len(report["findings"])
        page.page.select_option("#f-group", "file")
        headers = page.page.locator("#f-rows tr.group").all_inner_texts()
        assert [h.split()[0] for h in headers] == sorted({f["path"] for f in report["findings"]})

        # Sorting by effort (within the file groups) puts the costliest finding of a file first.
        page.page.select_option("#f-group", "none")
        page.page.click("#findings-table th[data-sort=effort] button")
        efforts = [int(t) for t in page.page.locator("#f-rows tr.finding td.num").all_inner_texts()]
        assert efforts == sorted(efforts, reverse=True)

        # Links elsewhere in the report filter the findings: a top-rules entry.
        page.page.click("#overview button[data-filter-rule=FMA301]")
        assert len(page.rows()) == sum(1 for f in report["findings"] if f["code"] == "FMA301")

        ARTIFACTS.mkdir(exist_ok=True)
        page.page.screenshot(path=str(ARTIFACTS / "report-sample.png"), full_page=True)
        assert page.errors == []
        assert [url for url in page.requests if not url.startswith("file://")] == []
    finally:
        page.close()


@pytest.mark.parametrize("without_csp", [False, True], ids=["as-shipped", "csp-removed"])
def test_hostile_report_runs_no_injected_script(browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                without_csp: bool) -> None:
    report, result = scan_hostile(tmp_path, monkeypatch)
    html = render_html(report, fixed_context(result))
    if without_csp:
        # Escaping alone must hold: take away the Content-Security-Policy safety net.
        html, removed = re.subn(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
        assert removed == 1
    page = Page(browser, _write(tmp_path, html))
    try:
        page.page.check("#f-suppressed")
        for row in range(page.page.locator("#f-rows tr.finding").count()):  # open every detail and snippet
            page.page.locator("#f-rows tr.finding").nth(row).click()
        assert page.page.locator("#f-rows tr.detail").count() == len(report["findings"])
        page.page.select_option("#f-group", "file")
        assert page.page.evaluate("typeof window.__pwned") == "undefined"
        assert page.page.evaluate("document.querySelectorAll('img').length") == 0
        assert page.page.evaluate("document.querySelectorAll('script').length") == 2
        text = page.page.inner_text("body")
        for hostile in (PWN_SCRIPT, PWN_IMG, JINJA_EXPR):
            assert hostile in text, f"{hostile!r} should be shown as text"
        assert page.errors == []
    finally:
        page.close()


def _many_findings(report: dict[str, Any], count: int) -> dict[str, Any]:
    template = report["findings"]
    findings = []
    for i in range(count):
        f = dict(template[i % len(template)])
        f["path"] = f"pkg{i // 50:04d}/{f['path']}"
        findings.append(f)
    return {**report, "findings": findings}


def test_twenty_thousand_findings_stay_paginated(
    browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report, _ = scan_sample(tmp_path, monkeypatch)
    big = _many_findings(report, 20_000)
    html_file = _write(tmp_path, render_html(big, RenderContext(generated_at="2026-01-31T12:00:00Z")))
    started = time.perf_counter()
    page = Page(browser, html_file)
    loaded = time.perf_counter() - started
    try:
        shown = page.page.evaluate("document.querySelectorAll('#f-rows tr').length")
        assert shown <= 100 + 40, "one page of rows plus group headers, never all 20,000"
        status = page.page.inner_text("#f-status")
        counted = sum(1 for f in big["findings"] if not f["suppressed"])
        assert f"of {counted:,} matching findings" in status
        pages = -(-counted // 100)
        page.page.click("#f-last")
        assert page.page.inner_text("#f-page") == f"Page {pages} of {pages}"
        in_folder = sum(1 for f in big["findings"] if f["path"].startswith("pkg0399/") and not f["suppressed"])
        page.page.fill("#f-path", "pkg0399/")
        page.page.wait_for_function(
            "n => document.getElementById('f-status').textContent.includes(' of ' + n + ' matching')", arg=in_folder
        )
        assert len(page.rows()) == in_folder
        assert page.errors == []
        print(f"20,000 findings: report loaded and first page shown in {loaded:.2f} s")
    finally:
        page.close()


# --- layout and navigation at desktop and phone widths (issue 21) ---------------------------------

WIDTHS = {"desktop": (1440, 900), "phone": (390, 844)}


def _open_everything(page: Any) -> None:
    """Every collapsed part open (rules' measurements, the apps that were run) and a finding's detail
    with its before/after grid: the widest the page can get."""
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.click("#f-rows tr.finding")
    page.wait_for_selector("#f-rows tr.detail")


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_the_page_never_scrolls_sideways(browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         width: str) -> None:
    report, result = scan_sample(tmp_path, monkeypatch)
    page = Page(browser, _write(tmp_path, render_html(report, fixed_context(result))))
    try:
        page.page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width])))
        _open_everything(page.page)
        widths = page.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"the page is {widths[0]} px wide in a {widths[1]} px window"
        assert page.page.evaluate("() => document.getElementById('f-rule').getBoundingClientRect().right") \
            <= WIDTHS[width][0]
        assert page.errors == []
    finally:
        page.close()


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_anchored_headings_land_below_the_sticky_header(browser: Any, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch, width: str) -> None:
    report, result = scan_sample(tmp_path, monkeypatch)
    page = Page(browser, _write(tmp_path, render_html(report, fixed_context(result))))
    try:
        page.page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width])))
        for target in ("#rules", "#rule-FMA502", "#plan"):
            page.page.evaluate(f"() => {{ location.hash = '{target}'; }}")
            page.page.wait_for_function("t => location.hash === t", arg=target)
            header = page.page.evaluate("() => document.querySelector('header.top').getBoundingClientRect().bottom")
            top = page.page.evaluate(f"() => document.querySelector('{target}').getBoundingClientRect().top")
            assert top >= header - 1, f"{target} lands at {top} px, under the header ending at {header} px"
    finally:
        page.close()


def test_sort_state_filters_in_the_address_and_the_unit_links(browser: Any, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    report, result = scan_sample(tmp_path, monkeypatch)
    html_file = _write(tmp_path, render_html(report, fixed_context(result)))
    page = Page(browser, html_file)
    counted = [f for f in report["findings"] if not f["suppressed"]]
    try:
        # Effort sorts costliest first, and aria-sort says so; a second click reverses both.
        page.page.select_option("#f-group", "none")
        page.page.click("#findings-table th[data-sort=effort] button")
        assert page.page.get_attribute("#findings-table th[data-sort=effort]", "aria-sort") == "descending"
        page.page.click("#findings-table th[data-sort=effort] button")
        assert page.page.get_attribute("#findings-table th[data-sort=effort]", "aria-sort") == "ascending"
        efforts = [int(t) for t in page.page.locator("#f-rows tr.finding td.num").all_inner_texts()]
        assert efforts == sorted(efforts)

        # A filter goes into the address; opening that address elsewhere shows the same rows.
        page.page.click("#overview button[data-filter-rule=FMA102]")
        address = page.page.evaluate("() => location.href")
        assert "#findings?" in address and "rule=FMA102" in address
        shown = page.rows()
        assert shown == [f"{f['path']}:{f['line']}:{f['column']}" for f in counted if f["code"] == "FMA102"] \
            or sorted(shown) == sorted(f"{f['path']}:{f['line']}:{f['column']}" for f in counted if f["code"] == "FMA102")
        other = browser.new_page(viewport={"width": 1280, "height": 900})
        try:
            other.goto(address)
            other.wait_for_selector("html[data-ready=true]")
            assert sorted(other.locator("#f-rows tr.finding td.loc").all_inner_texts()) == sorted(shown)
            assert other.input_value("#f-rule") == "FMA102"
        finally:
            other.close()

        # A unit of the migration plan links to its own findings (its folder's files, not subfolders').
        page.page.click("#plan button[data-filter-unit='shelf/books']")
        expected = sorted(f"{f['path']}:{f['line']}:{f['column']}" for f in counted
                          if f["path"].rsplit("/", 1)[0] == "shelf/books")
        assert expected and sorted(page.rows()) == expected
        assert page.errors == []
    finally:
        page.close()


def test_charts_issues_table_and_highlights(browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report, result = scan_sample(tmp_path, monkeypatch)
    page = Page(browser, _write(tmp_path, render_html(report, fixed_context(result))))
    p = page.page
    try:
        # No zero bars; the charts switch between findings and story points.
        shown = p.locator("svg.chart[data-measure=findings]:not(.hidden) rect").count()
        assert shown == sum(1 for n in report["summary"]["by_category"].values() if n) + \
            sum(1 for n in report["summary"]["by_verdict"].values() if n)
        p.click("p.measure button[data-measure='story points']")
        assert p.locator("svg.chart[data-measure=findings].hidden").count() == 2
        labels = p.locator("svg.chart[data-measure='story points']:not(.hidden) g.bar").evaluate_all(
            "bars => bars.map(b => b.getAttribute('aria-label'))")
        assert any(label.startswith("mandatory: ") and label.endswith(" story points; show these findings")
                   for label in labels)

        # The issues table sorts by places on a click, largest first.
        p.click("#rule-table th[data-key=places] button")
        places = [int(t) for t in p.locator("#rule-table tbody td:nth-child(4)").all_inner_texts()]
        assert places == sorted(places, reverse=True)
        assert p.get_attribute("#rule-table th[data-key=places]", "aria-sort") == "descending"

        # Measured rows that differ from Flask stand out from the others, in light and dark mode.
        for scheme in ("light", "dark"):
            p.emulate_media(color_scheme=scheme)
            p.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
            colours = p.evaluate("""() => {
                const cell = row => getComputedStyle(row.querySelector('td:last-child')).backgroundColor;
                const differs = document.querySelector('table.measured tbody tr.differs');
                const same = document.querySelector('table.measured tbody tr:not(.differs)');
                const rule = getComputedStyle(document.querySelector('article.rule')).borderTopColor;
                const line = getComputedStyle(document.querySelector('section')).borderTopColor;
                return [cell(differs), cell(same), rule, line];
            }""")
            assert colours[0] != colours[1], scheme
            assert colours[2] == colours[3], f"{scheme}: the rule separator uses the page's line colour"
        assert page.errors == []
    finally:
        page.close()


def test_a_port_scan_filters_what_the_port_rewrites(browser: Any, tmp_path: Path) -> None:
    from migrate_audit import audit
    result = audit(str(Path(__file__).parent / "fixtures" / "port" / "mixed"), no_cache=True, port=True)
    report = result.as_dict()
    html_file = _write(tmp_path, render_html(report, RenderContext(source_root=report["root"])))
    page = Page(browser, html_file)
    counted = [f for f in report["findings"] if not f["suppressed"]]
    at = [f"{f['path']}:{f['line']}:{f['column']}" for f in counted]
    rewritten = sorted(a for a, f in zip(at, counted) if f["ported"])
    left = sorted(a for a, f in zip(at, counted) if not f["ported"])
    assert rewritten and left
    try:
        page.page.select_option("#f-ported", "yes")
        assert sorted(page.rows()) == rewritten
        assert "ported=yes" in page.page.evaluate("() => location.href")
        page.page.select_option("#f-ported", "no")
        assert sorted(page.rows()) == left
        page.page.click("#f-reset")
        assert sorted(page.rows()) == sorted(at) and page.page.input_value("#f-ported") == ""
        assert page.errors == []
    finally:
        page.close()


def test_a_scan_without_port_has_no_port_filter(browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report, result = scan_sample(tmp_path, monkeypatch)
    page = Page(browser, _write(tmp_path, render_html(report, fixed_context(result))))
    try:
        assert page.page.locator("#f-ported").count() == 0 and page.errors == []
    finally:
        page.close()
