"""The CI examples under examples/ci/ parse, and use only `scan` options that exist.

`--sarif` and `--markdown` are written in parallel with this work (the SARIF and Markdown writers); until
they land in this branch those two are reported as skipped rather than failing, and checked once they do.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "ci"
PENDING = {"--sarif", "--markdown"}  # flags of report writers being built elsewhere


def scan_help() -> str:
    return subprocess.run([sys.executable, "-m", "migrate_audit", "scan", "--help"], capture_output=True,
                          text=True, check=True, timeout=60).stdout


def commands(path: Path) -> list[str]:
    """Every shell command in the workflow: GitHub `run:` steps, GitLab `script:` lines."""
    data = yaml.safe_load(path.read_text())
    found: list[str] = []
    for job in (data.get("jobs") or {}).values():
        found += [step["run"] for step in job["steps"] if "run" in step]
    for key, job in data.items():
        if isinstance(job, dict) and "script" in job:
            found += list(job.get("before_script", [])) + list(job["script"])
    return found


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_example_uses_existing_scan_options(name: str) -> None:
    text = "\n".join(commands(EXAMPLES / name))
    assert "migrate-audit scan" in text
    options = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", text))
    assert {"--fail-under", "--diff-base", "--fail-on"} <= options
    help_text = scan_help()
    missing = sorted(o for o in options if o not in help_text)
    assert [o for o in missing if o not in PENDING] == []
    if missing:
        pytest.skip(f"waiting for {', '.join(missing)} from the report writers")


def test_github_workflow_uploads_sarif_and_writes_the_job_summary() -> None:
    workflow = yaml.safe_load((EXAMPLES / "github-actions.yml").read_text())
    steps = workflow["jobs"]["audit"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif@") for s in steps)
    assert any("$GITHUB_STEP_SUMMARY" in s.get("run", "") for s in steps)
    assert workflow["permissions"]["security-events"] == "write"


def test_readme_carries_the_same_github_workflow() -> None:
    readme = (EXAMPLES.parents[1] / "README.md").read_text()
    assert (EXAMPLES / "github-actions.yml").read_text().strip() in readme


def merge_help() -> str:
    return subprocess.run([sys.executable, "-m", "migrate_audit", "merge", "--help"], capture_output=True,
                          text=True, check=True, timeout=60).stdout


def test_sharded_workflow_scans_every_shard_and_merges_them() -> None:
    path = EXAMPLES / "github-actions-sharded.yml"
    workflow = yaml.safe_load(path.read_text())
    shards = workflow["jobs"]["scan"]["strategy"]["matrix"]["shard"]
    scan_line = next(c for c in commands(path) if "migrate-audit scan" in c)
    count = int(re.search(r"--shard \$\{\{ matrix\.shard \}\}/(\d+)", scan_line).group(1))
    assert shards == list(range(1, count + 1))  # every shard I of N, each once
    merge_line = next(c for c in commands(path) if "migrate-audit merge" in c)
    assert workflow["jobs"]["merge"]["needs"] == "scan"
    for line, help_text in ((scan_line, scan_help()), (merge_line, merge_help())):
        options = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", line))
        assert options and all(o in help_text for o in options), options


def test_readme_carries_the_same_sharded_workflow() -> None:
    readme = (EXAMPLES.parents[1] / "README.md").read_text()
    assert (EXAMPLES / "github-actions-sharded.yml").read_text().strip() in readme
