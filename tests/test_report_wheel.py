"""The HTML templates ship in the wheel: build it, install it in a clean venv, render a report there.

A wheel holds nothing outside the package unless pyproject.toml maps it in, and an editable checkout
would hide a missing mapping (it reads reports/templates/ in place), hence the real install.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from _report_support import REPO, SAMPLE

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TEMPLATES = REPO / "reports" / "templates"


def test_pyproject_lists_every_package_and_maps_the_templates() -> None:
    """The package list is explicit (packages.find cannot map reports/templates): it must not miss one."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    src = REPO / "src"
    found = {init.parent.relative_to(src).as_posix().replace("/", ".") for init in src.rglob("__init__.py")}
    assert found <= listed, "add the new package to [tool.setuptools] packages"
    assert "migrate_audit._templates" in listed
    assert config["package-dir"]["migrate_audit._templates"] == "reports/templates"
    shipped = config["package-data"]["migrate_audit._templates"]
    suffixes = {path.suffix for path in TEMPLATES.iterdir() if path.is_file() and path.name != "__init__.py"}
    assert suffixes <= {pattern.lstrip("*") for pattern in shipped}, "a template file type would not ship"


@pytest.mark.slow
def test_html_report_from_an_installed_wheel(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(_tracked_copy(tmp_path / "tree")), "--no-deps",
                    "-w", str(dist), "-q"], check=True, cwd=tmp_path)
    (wheel,) = dist.glob("migrate_audit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    (metadata,) = [name for name in names if name.endswith(".dist-info/METADATA")]
    described = zipfile.ZipFile(wheel).read(metadata).decode("utf-8")
    assert "Description-Content-Type: text/markdown" in described
    links = re.findall(r"\]\(([^)\s]+)\)", described)
    assert links and all(link.startswith("https://") for link in links), "relative links break on the index page"
    for template in TEMPLATES.iterdir():
        if template.is_file():
            assert f"migrate_audit/_templates/{template.name}" in names
    for module in (REPO / "src" / "migrate_audit").rglob("*.py"):
        assert module.relative_to(REPO / "src").as_posix() in names
    for case in (REPO / "src" / "migrate_audit" / "proofs" / "cases").rglob("*"):
        if case.is_file():
            assert case.relative_to(REPO / "src").as_posix() in names, "explain needs every proof case and record"

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, cwd=tmp_path)

    # Run from a folder outside the checkout, so nothing can be imported from it.
    work = tmp_path / "work"
    shutil.copytree(SAMPLE, work / "sample")
    located = subprocess.run(
        [str(python), "-c", "import migrate_audit as m, migrate_audit._templates as t; print(m.__file__, t.__file__)"],
        check=True, cwd=work, capture_output=True, text=True,
    ).stdout.split()
    for path in located:
        assert Path(path).is_relative_to(venv), f"{path} is not from the installed wheel"
    done = subprocess.run(
        [str(venv / "bin" / "migrate-audit"), "scan", "sample", "-q", "--html", "report.html", "--sarif", "r.sarif"],
        cwd=work, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    html = (work / "report.html").read_text(encoding="utf-8")
    for section in ("overview", "extensions", "plan", "findings", "rules", "diagnostics"):
        assert f'<section id="{section}">' in html
    explained = subprocess.run([str(venv / "bin" / "migrate-audit"), "explain", "FMA223"], cwd=work,
                               capture_output=True, text=True, check=True).stdout
    assert "307 · location: /books/dune   <- differs from Flask" in explained, "proof records ship in the wheel"
    assert 'id="ma-data"' in html and "shelf/books/views.py" in html
    assert (work / "r.sarif").read_text(encoding="utf-8").startswith("{")


def _tracked_copy(target: Path) -> Path:
    """The files git tracks, copied to `target`: what a fresh clone builds. setuptools builds in the source
    tree's `build/` and reuses what an earlier build left there, so a module deleted or renamed since then
    would ship again from a working copy (two rule modules declaring one code)."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):  # not a git checkout (an unpacked sdist): no stale build
        shutil.copytree(REPO, target, ignore=shutil.ignore_patterns("build", ".venv*", "*.egg-info", ".corpus"))
        return target
    for name in filter(None, listed.decode().split("\0")):
        source = REPO / name
        if source.is_file():  # a file deleted in the work tree but not yet in the index is not copied
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target
