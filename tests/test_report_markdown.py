"""The pull-request summary: what it says, that it escapes, and that it always fits in a comment."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from _report_support import fixed_context, scan_sample
from migrate_audit.report.estimate_view import blocking_summary
from migrate_audit.report.markdown import LIMIT, code, escape_text, inline, render_markdown


def test_summary_has_score_blockers_top_rules_and_extensions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report, result = scan_sample(tmp_path, monkeypatch)
    text = render_markdown(report, fixed_context(result))
    s = report["summary"]
    assert f"**Readiness {s['readiness']}/100, grade {s['grade']}**" in text
    assert f"**{blocking_summary(s)}**" in text and s["blockers"] >= s["blocking_rules"] >= 1
    # The estimate as a range, what drives it (the breakdown's lines) and what it covers.
    assert f"**Effort: {s['estimate_text']}**" in text and "likely" in s["estimate_text"]
    assert "### What drives the estimate" in text
    for line in ("| Setup |", "| Idioms to learn |", "| Extensions to replace |", "| Repetitions |",
                 "| Tests (apart) |", "| Templates and deployment |"):
        assert line in text
    assert "Flask-CORS, Flask-Login, Flask-SQLAlchemy" in text
    assert "not new features, frontend changes or QA" in text
    assert "| App code | 8 | 62 |" in text
    assert "### Blockers (no FastAPI equivalent)" in text
    assert "| `FMA723` |" in text and "`wsgi.py:3`" in text
    assert "### What costs the most points" in text and "| `FMA301` |" in text
    assert "| Flask-SQLAlchemy | partial |" in text
    assert "`shelf/broken.py` (syntax-error)" in text
    assert "baseline" not in text


def test_delta_against_the_baseline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report, result = scan_sample(tmp_path, monkeypatch)
    s = report["summary"]
    s["baseline_readiness"] = s["readiness"] + 6
    s["new_findings"] = 3
    text = render_markdown(report, fixed_context(result))
    assert f"(baseline {s['readiness'] + 6} → {s['readiness']}: **-6**)" in text
    assert "3 new findings not in the baseline." in text
    s["baseline_readiness"] = s["readiness"] - 2
    assert ": **+2**)" in render_markdown(report)


def test_escaping() -> None:
    assert escape_text("<img src=x> *a* _b_ [c](d) | @team") == \
        "&lt;img src=x&gt; \\*a\\* \\_b\\_ \\[c\\](d) \\| @\u200bteam"
    assert code("a|b") == "`a\\|b`"
    assert code("x ``y`` z") == "```x ``y`` z```"
    assert code("`edge`") == "`` `edge` ``"
    assert inline("use `x|y` for <b>") == "use `x\\|y` for &lt;b&gt;"
    assert inline("line\nbreak") == "line break"


def _huge_report(findings: int, blocker_rules: int, extensions: int, diagnostics: int) -> dict[str, Any]:
    long = "x" * 5000
    found = [
        {"code": f"FMA{700 + i % blocker_rules:03d}", "path": f"pkg/{i}/{long}.py", "line": i + 1, "column": 1,
         "end_line": i + 1, "end_column": 2, "category": "mandatory", "effort": 13, "verdict": "none",
         "message": long, "counterpart": long, "suppressed": False, "baseline": False, "title": long}
        for i in range(findings)
    ]
    return {
        "tool": {"name": "migrate-audit", "version": "0"},
        "summary": {"readiness": 0, "grade": "E", "story_points": 13 * findings, "estimate_days": 6.5 * findings,
                    "findings": findings, "files_with_findings": findings, "files_scanned": findings,
                    "blockers": findings, "partial": True, "files_not_audited": diagnostics,
                    "top_rules": [{"code": f"FMA{700 + i:03d}", "title": long, "findings": 1, "story_points": 13}
                                  for i in range(blocker_rules)]},
        "findings": found,
        "extensions": [{"name": long, "verdict": "none", "counterpart": long, "findings": 1}
                       for _ in range(extensions)],
        "diagnostics": [{"path": long, "kind": "syntax-error", "message": long} for _ in range(diagnostics)],
    }


def test_huge_report_stays_under_the_limit_with_and_more() -> None:
    report = _huge_report(findings=20_000, blocker_rules=200, extensions=500, diagnostics=5_000)
    text = render_markdown(report)
    assert len(text) <= LIMIT
    # Cells of 5,000 characters overflow the first caps; the second set (10 blocker rules with 3 places
    # each, 20 extensions, 5 diagnostics, 160-character cells) fits.
    assert "_and 190 more rules with blockers_" in text
    assert ", and 97 more |" in text  # each blocker rule has 100 places
    assert "_and 480 more extensions_" in text
    assert "- _and 4,995 more_" in text
    assert "x" * 160 not in text
    assert text.startswith("## migrate-audit") and text.rstrip().endswith("</sub>")


def test_caps_shrink_until_it_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    from migrate_audit.report import markdown

    monkeypatch.setattr(markdown, "LIMIT", 6_000)
    text = render_markdown(_huge_report(findings=2_000, blocker_rules=50, extensions=50, diagnostics=50))
    assert len(text) <= 6_000
    assert "_and 45 more rules with blockers_" in text  # the third set of caps: 5 blocker rules


def test_new_findings_are_listed_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    report = _huge_report(findings=3_000, blocker_rules=5, extensions=0, diagnostics=0)
    report["summary"]["new_findings"] = 2_000
    for f in report["findings"][2_000:]:
        f["baseline"] = True
    text = render_markdown(report)
    assert len(text) <= LIMIT
    assert "### New findings (2,000)" in text
    assert "_and 1,950 more findings_" in text  # the first caps fit: 50 rows of 300-character cells
    assert "| `FMA700` (blocker) | " + "x" * 299 + "… | `pkg/0/" in text
    assert "](" not in text  # no forge address: plain paths
    assert "`pkg/2000/" not in text  # a finding of the baseline is not listed


def git_repo_with_a_change(tmp_path: Path) -> Path:
    import os
    import subprocess

    env = dict(os.environ, GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@e.invalid", GIT_COMMITTER_NAME="T",
               GIT_COMMITTER_EMAIL="t@e.invalid")
    repo = tmp_path / "repo"
    (repo / "svc" / "shop").mkdir(parents=True)
    app = repo / "svc" / "shop" / "app.py"
    app.write_text("from flask import Flask, request\nfrom gevent import monkey\napp = Flask(__name__)\n")
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "one"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, timeout=60)
    app.write_text(app.read_text() + "monkey.patch_all()\nq = request.args\n")
    return repo


@pytest.mark.parametrize("linked", [True, False], ids=["github-env", "no-env"])
def test_pr_comment_lists_findings_on_changed_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    linked: bool) -> None:
    from migrate_audit import audit

    repo = git_repo_with_a_change(tmp_path)
    for key, value in (("GITHUB_SERVER_URL", "https://github.com"), ("GITHUB_REPOSITORY", "acme/shop"),
                       ("GITHUB_SHA", "0123abcd")):
        if linked:
            monkeypatch.setenv(key, value)
        else:
            monkeypatch.delenv(key, raising=False)
    monkeypatch.chdir(repo)
    text = audit("svc", diff_base="HEAD", no_cache=True).render("markdown")
    section = text.split("### Findings on lines changed since `HEAD` (2)\n", 1)[1].split("\n\n###", 1)[0]
    rows = section.splitlines()[3:]  # after the blank line, the header and the separator
    base = "https://github.com/acme/shop/blob/0123abcd/"
    where = [f"[`svc/shop/app.py:{n}`]({base}svc/shop/app.py#L{n})" if linked else f"`svc/shop/app.py:{n}`"
             for n in (4, 5)]
    assert [row.split(" | ")[0] for row in rows] == ["| `FMA723` (blocker)", "| `FMA201`"]
    assert [row.rsplit(" | ", 1)[1] for row in rows] == [f"{w} |" for w in where]


def test_blockers_are_said_per_rule_and_place() -> None:
    assert blocking_summary({"blocking_rules": 5, "blockers": 121}) == "5 blocking idioms, 121 places"
    assert blocking_summary({"blocking_rules": 1, "blockers": 1}) == "1 blocking idiom, 1 place"
    assert blocking_summary({"blockers": 3}) == "3 blockers"  # a report without per-rule counts
