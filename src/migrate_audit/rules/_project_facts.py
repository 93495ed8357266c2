"""What only the whole project can tell, applied to the findings of every file after the scan: the
per-file rules cannot know what another module sets up.

- Extensions are adopted once per project (extensions.py `adopted_once`).
- Flask's signed session cookie (FMA407, FMA807) is claimed only when the project keeps Flask's cookie
  session: not when it uses Flask-Session (FMA315) or assigns `app.session_interface` to an interface of
  its own that is not a `SecureCookieSessionInterface` (server-side sessions, FMA415's territory).
  FMA807 (the cookie's format at cutover) is a project-wide fact: reported once, and the FMA407 on its
  line goes (same place, same claim).
- Gettext calls in templates (FMA611) are Flask-Babel's only in a project that uses a Flask Babel
  extension; with plain `jinja2.ext.i18n` they port as they are.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

from ..model import FileResult, Finding
from .extensions import adopted_once
from .lifecycle import SESSION, SESSION_INTERFACE
from .silent_changes import SESSION_COOKIE
from .templates import I18N

# Flask-Session's rule and the Babel extensions' modules, from the catalogue.
_FLASK_SESSION = "flask_session"
_BABEL_MODULES = frozenset({"flask_babel", "flask_babelex", "flask_babelplus"})
_ASSIGNS_INTERFACE = re.compile(r"\.session_interface\s*=[^=]")


def apply_project_facts(results: Iterable[FileResult], project_roots: set[str]) -> list[FileResult]:
    """The results with the project-wide corrections above (changed results are copies)."""
    files = adopted_once(results, project_roots)
    findings = [f for r in files for f in r.findings]
    if _server_side_sessions(findings):
        files = _without(files, lambda f: f.code in (SESSION.code, SESSION_COOKIE.code))
    else:
        cookie = next((f for f in findings if f.code == SESSION_COOKIE.code), None)
        files = _without(files, lambda f: (f.code == SESSION_COOKIE.code and f is not cookie)
                         or (cookie is not None and f.code == SESSION.code and f.path == cookie.path
                             and f.line == cookie.line))
    imported = {module.partition(".")[0] for r in files for module in r.imports}
    if not imported & _BABEL_MODULES and any(r.imports for r in files):
        files = _without(files, lambda f: f.code == I18N.code)
    return files


def _server_side_sessions(findings: list[Finding]) -> bool:
    if any(f"`{_FLASK_SESSION}`" in f.message for f in findings if f.code.startswith("FMA3")):
        return True
    cookie_interface = any(f.code == SESSION_INTERFACE.code and "SecureCookieSessionInterface" in f.message
                           for f in findings)
    return not cookie_interface and any(_ASSIGNS_INTERFACE.search(f.source_line) for f in findings
                                        if "session_interface" in f.source_line)


def _without(files: list[FileResult], drop: Callable[[Finding], bool]) -> list[FileResult]:
    out = []
    for result in files:
        kept = [f for f in result.findings if not drop(f)]
        out.append(result if len(kept) == len(result.findings) else FileResult(**{**result.__dict__, "findings": kept}))
    return out
