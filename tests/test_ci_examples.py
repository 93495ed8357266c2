"""The CI examples under examples/ci/ parse, use only options that exist, install the tool from where it
is, upload SARIF only where the token allows it, and are what README.md and docs/ci.md show, word for word."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "ci"
FORK_GUARD = ("github.event.pull_request.head.repo.full_name == github.repository || "
              "github.event_name != 'pull_request'")


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
    assert sorted(o for o in options if o not in help_text) == []


def test_github_workflow_uploads_sarif_and_writes_the_job_summary() -> None:
    workflow = yaml.safe_load((EXAMPLES / "github-actions.yml").read_text())
    steps = workflow["jobs"]["audit"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif@") for s in steps)
    assert any("$GITHUB_STEP_SUMMARY" in s.get("run", "") for s in steps)
    assert workflow["permissions"] == {"actions": "read", "contents": "read", "security-events": "write"}
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    # Pull requests from forks have a read-only token: the upload is skipped there, not failed.
    assert f"({FORK_GUARD})" in upload["if"] and upload["if"].startswith("${{ ") and upload["if"].endswith(" }}")


def install_commands(path: Path) -> list[str]:
    return [c for c in commands(path) if "pip install" in c]


@pytest.mark.parametrize("name", ["github-actions.yml", "github-actions-sharded.yml", "gitlab-ci.yml"])
def test_examples_install_from_the_repository_in_pyproject(name: str) -> None:
    """`pip install migrate-audit` finds nothing on the package index yet: install from the repository
    named in pyproject.toml, the one address to replace once it is settled."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python < 3.11
        import tomli as tomllib  # type: ignore[no-redef]

    repository = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["urls"]["Repository"]
    installs = install_commands(EXAMPLES / name)
    assert installs and all(c == f'python -m pip install "migrate-audit @ git+{repository}"' for c in installs)


def test_readme_carries_the_same_github_workflow() -> None:
    readme = (REPO / "README.md").read_text()
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


@pytest.mark.parametrize("name", ["github-actions-sharded.yml", "gitlab-ci.yml"])
def test_docs_carry_the_same_workflows(name: str) -> None:
    assert (EXAMPLES / name).read_text().strip() in (REPO / "docs" / "ci.md").read_text()


def test_readme_pre_commit_section_is_what_the_hook_runs() -> None:
    """The README states the hook's arguments; they are the ones .pre-commit-hooks.yaml gives (and
    tests/test_precommit_hook.py runs)."""
    hook = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())[0]
    section = (REPO / "README.md").read_text().split("## pre-commit\n", 1)[1].split("\n## ", 1)[0]
    config = yaml.safe_load(section.split("```yaml\n", 1)[1].split("```", 1)[0])
    assert config["repos"][0]["hooks"] == [{"id": hook["id"]}]
    assert f"`{' '.join(hook['args'])}`" in " ".join(section.split())
