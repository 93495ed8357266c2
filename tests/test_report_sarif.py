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
from migrate_audit.report.sarif import LEVELS, artifact_uri, render_sarif, rule_counterpart

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
            "defaultConfiguration": {"level": LEVELS[category]},
            "properties": {"category": category, "effort": meta.effort, "verdict": meta.verdict.value,
                           "tags": ["flask", "fastapi", "migration", category]},
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
    for finding, result in zip(report["findings"], run["results"]):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == finding["code"]
        assert result["level"] == LEVELS[finding["category"]]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": finding["path"], "uriBaseId": "%SRCROOT%"}
        assert location["region"]["startLine"] == finding["line"]
        assert location["region"]["startColumn"] == finding["column"]
        assert location["region"]["endLine"] == finding["end_line"]
        assert result["partialFingerprints"] == {"migrateAudit/v1": finding["fingerprint"]}
        assert finding["message"] in result["message"]["text"]
        assert ("suppressions" in result) == finding["suppressed"]
    suppressed = [r for r in run["results"] if "suppressions" in r]
    assert [r["suppressions"] for r in suppressed] == [[{"kind": "inSource"}]]


def test_levels_follow_the_category() -> None:
    assert LEVELS == {"mandatory": "error", "optional": "warning", "potential": "note", "information": "note"}


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
    states = [r["baselineState"] for r in json.loads(render_sarif(report))["runs"][0]["results"]]
    assert states[0] == "unchanged" and set(states[1:]) == {"new"}


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
