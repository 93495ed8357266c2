"""SARIF 2.1.0: valid against the official schema, with the rule metadata and result details that GitHub
code scanning and IDE viewers read."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from _report_support import fixed_context, load_sarif_schema, scan_sample
from migrate_audit import registry
from migrate_audit.report.context import RenderContext
from migrate_audit.report import sarif
from migrate_audit.report.sarif import artifact_uri, level_of, render_sarif, rule_counterpart

jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture()
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], dict[str, Any], str]:
    report, result = scan_sample(tmp_path, monkeypatch)
    return report, json.loads(render_sarif(report, fixed_context(result))), result.root


def test_valid_against_the_official_schema(sample: tuple[dict, dict, str]) -> None:
    _, log, _ = sample
    jsonschema.Draft4Validator(load_sarif_schema()).validate(log)
    assert log["version"] == "2.1.0"


def test_valid_without_a_source_root() -> None:
    report = {
        "tool": {"name": "migrate-audit", "version": "0"}, "findings": [], "diagnostics": [],
        "summary": {"readiness": 100, "grade": "A", "story_points": 0, "blockers": 0},
    }
    log = json.loads(render_sarif(report, RenderContext()))
    jsonschema.Draft4Validator(load_sarif_schema()).validate(log)
    assert "uri" not in log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]


def test_driver_describes_every_rule(sample: tuple[dict, dict, str]) -> None:
    _, log, _ = sample
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "migrate-audit" and driver["informationUri"].startswith("https://")
    rules = {r["id"]: r for r in driver["rules"]}
    assert list(rules) == [r.code for r in registry.all_rules()]
    route = rules["FMA102"]
    assert "```python" in route["help"]["markdown"]
    assert "{fix}" not in route["help"]["text"]  # a computed counterpart is explained, not shown raw


def test_each_rule_descriptor_says_what_the_registry_says(sample: tuple[dict, dict, str]) -> None:
    """The descriptors are not in the golden outline (tests/test_report_golden.py), so that editing a
    rule's text does not rewrite a snapshot: each is checked against the rule's metadata here."""
    _, log, _ = sample
    descriptors = log["runs"][0]["tool"]["driver"]["rules"]
    for meta, descriptor in zip(registry.all_rules(), descriptors, strict=True):
        counterpart = rule_counterpart(meta)
        category = meta.category.value
        expected = {
            "id": meta.code, "name": meta.name,
            "shortDescription": {"text": meta.title}, "fullDescription": {"text": meta.rationale or meta.title},
            "defaultConfiguration": {"level": level_of(category, meta.verdict.value)},
            "properties": {"category": category, "effort": meta.effort, "verdict": meta.verdict.value,
                           "tags": ["flask", "fastapi", "migration", category,
                                    *(["blocker"] if meta.verdict.value == "none" else [])]},
            **({"helpUri": meta.links[0]} if meta.links else {}),
        }
        assert {key: value for key, value in descriptor.items() if key != "help"} == expected, meta.code
        before, after = meta.before.rstrip(), meta.after.rstrip()
        text = [meta.title, f"FastAPI counterpart: {counterpart}", meta.rationale,
                before and f"Before (Flask):\n{before}", after and f"After (FastAPI):\n{after}",
                meta.links and "Links:\n" + "\n".join(meta.links)]
        markdown = [f"**{meta.title}**", f"**FastAPI counterpart:** {counterpart}", meta.rationale,
                    before and f"Before (Flask):\n\n```python\n{before}\n```",
                    after and f"After (FastAPI):\n\n```python\n{after}\n```",
                    "\n".join(f"- <{link}>" for link in meta.links)]
        assert descriptor["help"] == {"text": "\n\n".join(part for part in text if part),
                                      "markdown": "\n\n".join(part for part in markdown if part)}, meta.code


def test_results_point_at_the_findings(sample: tuple[dict, dict, str]) -> None:
    report, log, root = sample
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == Path(root).resolve().as_uri() + "/"
    assert len(run["results"]) == len(report["findings"])
    by_fingerprint = {f["fingerprint"]: f for f in report["findings"]}
    assert len(by_fingerprint) == len(report["findings"])
    for result in run["results"]:
        finding = by_fingerprint[result["partialFingerprints"]["migrateAudit/v1"]]
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == finding["code"]
        assert result["level"] == level_of(finding["category"], finding["verdict"])
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": finding["path"], "uriBaseId": "%SRCROOT%"}
        assert location["region"]["startLine"] == finding["line"]
        assert location["region"]["startColumn"] == finding["column"]
        assert location["region"]["endLine"] == finding["end_line"]
        assert finding["message"] in result["message"]["text"]
        assert ("suppressions" in result) == finding["suppressed"]
        assert result["properties"].get("tags") == (["blocker"] if finding["verdict"] == "none" else None)
    suppressed = [r for r in run["results"] if "suppressions" in r]
    assert [r["suppressions"] for r in suppressed] == [[{"kind": "inSource"}]]


def test_levels_follow_verdict_and_category() -> None:
    assert [level_of(category, "direct") for category in ("mandatory", "optional", "potential", "information")] \
        == ["warning", "note", "note", "none"]
    assert {level_of(category, "none") for category in ("mandatory", "potential", "information")} == {"error"}


def test_results_come_most_important_first(sample: tuple[dict, dict, str]) -> None:
    """Code scanning keeps the first 5,000 results of a run: blockers first, suppressed last."""
    _, log, _ = sample
    results = log["runs"][0]["results"]
    order = ["error", "warning", "note", "none"]
    counted = [r for r in results if "suppressions" not in r]
    assert counted == results[:len(counted)]
    ranks = [order.index(r["level"]) for r in counted]
    assert ranks == sorted(ranks) and ranks[0] == 0 and len(set(ranks)) >= 2
    assert all(("tags" in r["properties"]) == (r["level"] == "error") for r in counted)


def test_results_over_the_cap_are_cut_least_important_first_and_said(
        sample: tuple[dict, dict, str], monkeypatch: pytest.MonkeyPatch) -> None:
    report, full, _ = sample
    blockers = sum(1 for r in full["runs"][0]["results"] if r["level"] == "error")
    monkeypatch.setattr(sarif, "MAX_RESULTS", blockers + 1)
    log = json.loads(render_sarif(report))
    jsonschema.Draft4Validator(load_sarif_schema()).validate(log)
    run = log["runs"][0]
    assert run["results"] == full["runs"][0]["results"][:blockers + 1]
    left_out = len(report["findings"]) - blockers - 1
    assert run["properties"]["resultsOmitted"] == left_out
    note = run["invocations"][0]["toolExecutionNotifications"][-1]
    assert note["descriptor"]["id"] == "results-truncated" and f"{left_out:,} of " in note["message"]["text"]
    assert "resultsOmitted" not in full["runs"][0]["properties"]


def test_paths_are_relative_to_the_git_repository_root(tmp_path: Path) -> None:
    """`scan bookshelf/catalog --sarif x` in a monorepo annotates bookshelf/catalog/views.py."""
    import shutil
    import subprocess
    import sys

    repo = tmp_path / "monorepo"
    shutil.copytree(Path(__file__).parents[1] / "examples" / "bookshelf", repo / "bookshelf")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, timeout=60)
    done = subprocess.run([sys.executable, "-m", "migrate_audit", "scan", "bookshelf/bookshelf/catalog", "--no-cache",
                           "--sarif", str(tmp_path / "x.sarif"), "--quiet"], cwd=repo, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    log = json.loads((tmp_path / "x.sarif").read_text())
    jsonschema.Draft4Validator(load_sarif_schema()).validate(log)
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris == {"bookshelf/bookshelf/catalog/views.py", "bookshelf/bookshelf/catalog/__init__.py"}


def test_diagnostics_are_tool_execution_notifications(sample: tuple[dict, dict, str]) -> None:
    report, log, _ = sample
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    notes = invocation["toolExecutionNotifications"]
    assert [(n["descriptor"]["id"], n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for n in notes] \
        == [(d["kind"], d["path"]) for d in report["diagnostics"]]
    assert notes[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 3}


def test_baseline_state_only_with_a_baseline(sample: tuple[dict, dict, str]) -> None:
    report, log, _ = sample
    assert all("baselineState" not in r for r in log["runs"][0]["results"])
    report["summary"]["new_findings"] = 1
    report["findings"][0]["baseline"] = True
    results = json.loads(render_sarif(report))["runs"][0]["results"]
    states = {r["partialFingerprints"]["migrateAudit/v1"]: r["baselineState"] for r in results}
    first = report["findings"][0]["fingerprint"]
    assert states.pop(first) == "unchanged" and set(states.values()) == {"new"}


def test_region_stays_valid_for_unknown_or_reversed_ends() -> None:
    finding = {"code": "FMA101", "path": "a b#c%.py", "line": 3, "column": 7, "end_line": 0, "end_column": 0,
               "category": "mandatory", "effort": 1, "verdict": "direct", "message": "m", "counterpart": "c",
               "suppressed": False, "baseline": False, "fingerprint": "f"}
    report = {"tool": {"name": "migrate-audit", "version": "0"}, "findings": [finding], "diagnostics": [],
              "summary": {"readiness": 99, "grade": "A", "story_points": 1, "blockers": 0}}
    log = json.loads(render_sarif(report))
    jsonschema.Draft4Validator(load_sarif_schema()).validate(log)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["region"] == {"startLine": 3, "startColumn": 7}
    assert location["artifactLocation"]["uri"] == "a%20b%23c%25.py"


def test_artifact_uri_keeps_slashes() -> None:
    assert artifact_uri("pkg/sub dir/é.py") == "pkg/sub%20dir/%C3%A9.py"


def test_rule_counterpart_explains_computed_counterparts() -> None:
    assert "each result" in rule_counterpart(registry.get_rule("FMA102"))
    assert rule_counterpart(registry.get_rule("FMA318")) == registry.get_rule("FMA318").counterpart


def test_artifact_uri_of_a_non_utf8_file_name() -> None:
    import os

    assert artifact_uri(os.fsdecode(b"pkg/\xff.py")) == "pkg/%FF.py"


def test_run_properties_carry_the_score_and_the_estimate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report, result = scan_sample(tmp_path, monkeypatch)
    properties = json.loads(render_sarif(report, fixed_context(result)))["runs"][0]["properties"]
    s = report["summary"]
    for key in ("readiness", "grade", "estimate_days", "estimate_range", "estimate_text", "estimate_covers",
                "estimate_breakdown", "by_scope", "blocking_rules", "blockers_by_rule"):
        assert properties[key] == s[key], key
    assert "likely" in properties["estimate_text"]
