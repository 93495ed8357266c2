"""Non-Python file kinds: dependencies, deployment (CI and Supervisor files: ci.py) and Jinja templates.

`kind_for_path` names the kind of a file from its path (discovery calls it); `analyze_file` is the one
dispatch from a kind and a text to a FileResult. Each analyzer is a pure function of the text, plus
`ProjectFacts` for the few judgements that need the Python analysis (dead dependencies). `project.py`
runs them over a scan (the hook in scan.py).
"""
from __future__ import annotations

import posixpath
import re
from typing import Callable

from ..model import Diagnostic, FileResult
from ..source import count_code_lines
from . import ci, deployment, manifests, scripts
from ._base import Analysis, FileHit, ProjectFacts, findings_from_hits
from .dependencies import requirement_hits
from .requirements import RequirementsFile, parse_requirements
from .templates import TEMPLATE_SUFFIXES, analyze_template, in_template_folder

TEMPLATE = "template"
# A template-like file outside a `templates/` folder: audited only when Python code declares its folder
# (`template_folder=`) or the user names it, which the scan knows only after the Python pass.
TEMPLATE_CANDIDATE = "template?"
DEPENDENCY_KINDS = frozenset({"requirements", "pyproject", "setup_cfg", "pipfile", "setup_py"})
_REQUIREMENTS_RE = re.compile(r"^(?:.*[-_.])?requirements?(?:[-_.].*)?\.(?:txt|in|pip)$", re.IGNORECASE)
_CONSTRAINTS_RE = re.compile(r"^constraints?(?:[-_.].*)?\.(?:txt|in)$", re.IGNORECASE)
_COMPOSE_RE = re.compile(r"^(?:docker-)?compose(?:[-_.][\w.-]*)?\.ya?ml$", re.IGNORECASE)
_NAMED_KINDS = {
    "pyproject.toml": "pyproject",
    "setup.cfg": "setup_cfg",
    "Pipfile": "pipfile",
    "Procfile": "procfile",
    "gunicorn.conf": "gunicorn",
    "app.yaml": "appyaml",
    ".flaskenv": "flaskenv",
    ".env": "flaskenv",
    "Dockerfile": "dockerfile",
    "Containerfile": "dockerfile",
    "Makefile": "makefile",
    "makefile": "makefile",
    "GNUmakefile": "makefile",
}
# Start scripts: any `*.sh`, and entrypoints with no suffix or a shell one (`entrypoint.py` is Python).
_SHELL_SUFFIXES = (".sh", ".bash")
_ENTRYPOINT_PREFIXES = ("entrypoint", "docker-entrypoint")
# Python files that are also read as another kind (they are analysed as Python too).
_PYTHON_SIDE_KINDS = {
    "setup.py": "setup_py",
    "gunicorn.conf.py": "gunicorn",
    "gunicorn_config.py": "gunicorn",
    "gunicorn_conf.py": "gunicorn",
    "wsgi.py": "wsgi",
}


def kind_for_path(path: str) -> str | None:
    """The kind of a non-Python file from its `/`-separated path (or bare name), or None."""
    folder, _, name = path.rpartition("/")
    if name in _NAMED_KINDS:
        return _NAMED_KINDS[name]
    ci_or_supervisor = ci.ci_kind(path)
    if ci_or_supervisor is not None:
        return ci_or_supervisor
    if name.endswith(".Dockerfile") or name.startswith("Dockerfile."):
        return "dockerfile"
    if name.startswith("Procfile."):
        return "procfile"
    if _COMPOSE_RE.match(name):
        return "compose"
    if name.startswith("uwsgi") and name.endswith(".ini"):
        return "uwsgi"
    if name.endswith(".wsgi"):
        return "wsgi"
    if name.endswith(_SHELL_SUFFIXES) or (name.startswith(_ENTRYPOINT_PREFIXES) and "." not in name):
        return "shell"
    if _REQUIREMENTS_RE.match(name) or _CONSTRAINTS_RE.match(name):
        return "requirements"
    if folder.rpartition("/")[2] == "requirements" and name.endswith((".txt", ".in")):
        return "requirements"
    if name.lower().endswith(TEMPLATE_SUFFIXES):
        return TEMPLATE if in_template_folder(path, set()) else TEMPLATE_CANDIDATE
    return None


def python_side_kind(relpath: str) -> str | None:
    return _PYTHON_SIDE_KINDS.get(posixpath.basename(relpath))


def _dependency_file(parsed: RequirementsFile, text: str, relpath: str, kind: str,
                     facts: ProjectFacts | None) -> Analysis:
    result = FileResult(path=relpath, kind=kind)
    hits = list(requirement_hits(parsed.requirements, facts))
    result.findings = findings_from_hits(hits, text, relpath)
    result.diagnostics = list(parsed.diagnostics)
    return Analysis(result, list(parsed.includes))


_DEPLOYMENT: dict[str, Callable[[str, str], tuple[list[FileHit], list[Diagnostic]]]] = {
    "dockerfile": deployment.analyze_dockerfile,
    "procfile": deployment.analyze_procfile,
    "compose": deployment.analyze_compose,
    "gunicorn": deployment.analyze_gunicorn_conf,
    "uwsgi": deployment.analyze_uwsgi,
    "appyaml": deployment.analyze_appyaml,
    "flaskenv": deployment.analyze_flaskenv,
    "shell": scripts.analyze_shell_script,
    "makefile": scripts.analyze_makefile,
    "ci": ci.analyze_ci_config,
    "supervisor": ci.analyze_supervisor,
}
_MANIFESTS: dict[str, Callable[[str, str], RequirementsFile]] = {
    "pyproject": manifests.parse_pyproject,
    "setup_cfg": manifests.parse_setup_cfg,
    "pipfile": manifests.parse_pipfile,
    "setup_py": manifests.parse_setup_py,
}


def analyze_file(kind: str, text: str, relpath: str, facts: ProjectFacts | None = None) -> Analysis:
    """Analyse one non-Python file (or the non-Python reading of setup.py, gunicorn.conf.py, wsgi.py).

    Template lines count towards the codebase's size (they are code that moves with the app);
    dependency and deployment files count 0 lines: a long requirements file is not a bigger codebase.
    """
    if kind in ("requirements", "constraints"):
        constraint = kind == "constraints" or bool(_CONSTRAINTS_RE.match(posixpath.basename(relpath)))
        return _dependency_file(parse_requirements(text, relpath, constraint), text, relpath, kind, facts)
    if kind in _MANIFESTS:
        return _dependency_file(_MANIFESTS[kind](text, relpath), text, relpath, kind, facts)
    result = FileResult(path=relpath, kind=kind)
    if kind in (TEMPLATE, TEMPLATE_CANDIDATE):
        result.kind = TEMPLATE
        hits, result.diagnostics = analyze_template(
            text, relpath, facts.path_parameters if facts else None, facts.context_names if facts else frozenset())
        result.lines = count_code_lines(text)
    elif kind == "wsgi":
        uses_flask = facts is None or facts.imported_modules is None or "flask" in facts.imported_modules
        hits, result.diagnostics = deployment.analyze_wsgi_entry(text, relpath, uses_flask)
    elif kind in _DEPLOYMENT:
        hits, result.diagnostics = _DEPLOYMENT[kind](text, relpath)
    else:
        raise ValueError(f"no analyzer for file kind {kind!r}")
    result.findings = findings_from_hits(hits, text, relpath)
    return Analysis(result)


__all__ = ["TEMPLATE", "TEMPLATE_CANDIDATE", "DEPENDENCY_KINDS", "Analysis", "ProjectFacts", "analyze_file",
           "kind_for_path", "python_side_kind"]
