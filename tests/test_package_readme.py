"""The package index page shows the README with links that work there: setup.py makes them absolute."""
from __future__ import annotations

import importlib.util
import re

from _report_support import REPO

_spec = importlib.util.spec_from_file_location("migrate_audit_setup", REPO / "setup.py")
assert _spec is not None and _spec.loader is not None
setup_py = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(setup_py)  # guarded by `__name__ == "__main__"`: defines the functions only

_TARGET_RE = re.compile(r"\]\(([^)\s]+)\)")


def test_every_readme_link_is_absolute_on_the_repository_address() -> None:
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    repository = setup_py.repository_url(pyproject)
    assert repository.startswith("https://")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    relative = [t for t in _TARGET_RE.findall(readme) if not t.startswith(("https://", "http://"))]
    assert relative, "the README links to its files relatively (works in a clone): the rewrite has work to do"
    described = setup_py.long_description()
    for target in _TARGET_RE.findall(described):
        assert target.startswith("https://"), f"{target}: a relative link would break on the package index page"
    for target in relative:  # each one points to a file of the repository that exists
        path = target.partition("#")[0]
        if path:
            assert (REPO / path).exists(), f"README links to {path}, which does not exist"
            assert f"]({repository}/blob/main/{target})" in described


def test_links_rewritten_by_kind() -> None:
    md = ("[a](docs/x.md) ![i](./img/p.png) [b](#usage) [c](https://ex.org/y) [d](mailto:a@b.c) "
          "[e](.github/workflows/ci.yml)")
    assert setup_py.absolute_links(md, "https://forge/o/r") == (
        "[a](https://forge/o/r/blob/main/docs/x.md) ![i](https://forge/o/r/raw/main/img/p.png) "
        "[b](https://forge/o/r#usage) [c](https://ex.org/y) [d](mailto:a@b.c) "
        "[e](https://forge/o/r/blob/main/.github/workflows/ci.yml)")


def test_missing_repository_address_is_named() -> None:
    try:
        setup_py.repository_url('[project]\nname = "x"\n[project.urls]\nHomepage = "https://h"\n')
    except ValueError as error:
        assert "Repository" in str(error)
    else:
        raise AssertionError("a pyproject without a Repository address must stop the build with a reason")
