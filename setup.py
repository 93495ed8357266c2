"""Build hook: the package index page gets the README with links that work there.

README.md links to the repository's own files relatively (`docs/ci.md`), which works in a clone and on the
forge but not on the package index page, where there is no file beside it. The long description is the README
with every relative link made absolute on the address in `[project.urls] Repository`, so that address is
defined once (pyproject.toml) and both places stay right. Everything else is in pyproject.toml.
"""
from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent

# `[text](target)` and `![alt](target)`; a target with a scheme (`https:`, `mailto:`) is already absolute.
_LINK_RE = re.compile(r"(!?)\[([^\]\n]*)\]\(([^)\s]+)\)")
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_REPOSITORY_RE = re.compile(r'^\s*Repository\s*=\s*"([^"]+)"', re.MULTILINE)


def repository_url(pyproject: str) -> str:
    """The `Repository` address from pyproject.toml's `[project.urls]`."""
    urls = pyproject.partition("[project.urls]")[2].split("\n[", 1)[0]
    found = _REPOSITORY_RE.search(urls)
    if found is None:
        raise ValueError("pyproject.toml: [project.urls] has no Repository address to make README links absolute")
    return found.group(1).rstrip("/")


def absolute_links(markdown: str, repository: str, branch: str = "main") -> str:
    """Relative links made absolute: files to `<repo>/blob/<branch>/path`, images to `<repo>/raw/...`,
    `#anchor` to the repository's front page, where the README is rendered with its anchors."""
    def absolute(match: re.Match[str]) -> str:
        bang, text, target = match.groups()
        if _SCHEME_RE.match(target) or target.startswith("//"):
            return match.group(0)
        if target.startswith("#"):
            return f"{bang}[{text}]({repository}{target})"
        kind = "raw" if bang else "blob"
        return f"{bang}[{text}]({repository}/{kind}/{branch}/{target.removeprefix('./')})"

    return _LINK_RE.sub(absolute, markdown)


def long_description() -> str:
    pyproject = (HERE / "pyproject.toml").read_text(encoding="utf-8")
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    return absolute_links(readme, repository_url(pyproject))


if __name__ == "__main__":  # setuptools runs this file as __main__; tests import it for the functions
    from setuptools import setup

    setup(long_description=long_description(), long_description_content_type="text/markdown")
