"""What only the whole project can tell, applied to its findings once they are all known: the per-file
rules cannot know what another module sets up. The report applies it (report/build.py for a scan,
report/merge.py to shards put together), on findings as `Finding` objects or as report dictionaries:
it reads their code, message, path, line and column only, and only ever drops findings.

- Extensions are adopted once per project (extensions.py `adopted_once`); the inventory's line for an
  extension's import (FMA910) goes where the adoption kept stands, the same line claimed once, and where the
  extension is the project itself (`flask_appbuilder` in Flask-AppBuilder's repository); the uses of an extension's
  objects (FMA389) in the extension's own repository are the extension, not a use of it.
- Flask's signed session cookie (FMA407, FMA807) is claimed only when the project keeps Flask's cookie
  session: not when it uses Flask-Session or a session interface of its own built on `SessionInterface`
  (server-side sessions: FMA315, FMA415). FMA807 (the cookie's format at cutover) is a project-wide
  fact: reported once, and the FMA407 on its line goes (same place, same claim).
- Gettext calls in templates (FMA611) are Flask-Babel's only in a project that imports a Flask Babel
  extension; with plain `jinja2.ext.i18n` they port as they are.
"""
from __future__ import annotations

from typing import Any, Iterable, Protocol, TypeVar

from ..ecosystem import EXTENSIONS
from .ext_objects import EXTENSION_OBJECT
from .extensions import ADOPTION_CODES, adopted_once, field_of
from .inventory import IMPORT_LINE
from .lifecycle import SESSION, SESSION_INTERFACE
from .silent_changes import SESSION_COOKIE
from .templates import I18N

_BABEL_MODULES = frozenset({"flask_babel", "flask_babelex", "flask_babelplus"})
# FMA415 names the class a project's session interface is built on: `SessionInterface` alone means the
# project stores sessions itself; `SecureCookieSessionInterface` keeps Flask's signed cookie.
_OWN_INTERFACE = "`SessionInterface`"

F = TypeVar("F")

# The codes of the findings the project's facts read (FMA415 names the session interface) and may drop: all
# others stand as their file's analysis made them.
FACT_CODES = ADOPTION_CODES | {EXTENSION_OBJECT.code, SESSION.code, SESSION_COOKIE.code, I18N.code,
                               SESSION_INTERFACE.code, IMPORT_LINE.code}


class ProjectFile(Protocol):
    path: str
    imports: list[str]


def apply_project_facts(findings: list[F], files: Iterable[ProjectFile]) -> list[F]:
    """`findings` (of the whole project) without what the project's setup contradicts."""
    files = list(files)
    roots = {part.removesuffix(".py") for f in files for part in f.path.split("/")}
    kept = [f for f in adopted_once(findings, roots) if not _in_the_extension_itself(f, roots)]
    adoptions = {_where(f)[:2] for f in kept if field_of(f, "code") in ADOPTION_CODES}
    kept = [f for f in kept if field_of(f, "code") != IMPORT_LINE.code or not (
        _where(f)[:2] in adoptions or (_imported_root(f).startswith("flask_") and _imported_root(f) in roots))]
    messages = [(field_of(f, "code"), field_of(f, "message")) for f in kept]
    if any(code.startswith("FMA3") and "(`flask_session`)" in message for code, message in messages) or any(
            code == SESSION_INTERFACE.code and message.startswith(_OWN_INTERFACE) for code, message in messages):
        kept = [f for f in kept if field_of(f, "code") not in (SESSION.code, SESSION_COOKIE.code)]
    else:
        cookies = sorted((_where(f) for f in kept if field_of(f, "code") == SESSION_COOKIE.code))
        first = cookies[0] if cookies else None
        kept = [f for f in kept if not (
            (field_of(f, "code") == SESSION_COOKIE.code and _where(f) != first)
            or (first is not None and field_of(f, "code") == SESSION.code and _where(f)[:2] == first[:2]))]
    imported = {module.partition(".")[0] for f in files for module in f.imports}
    if files and any(f.imports for f in files) and not imported & _BABEL_MODULES:
        kept = [f for f in kept if field_of(f, "code") != I18N.code]
    return kept


def _imported_root(finding: Any) -> str:
    """The top-level module an inventory import line names (its message starts with it, quoted): an extension's
    that is a folder or module of the project (the Flask-AppBuilder repository's `flask_appbuilder`, as
    `adopted_once` reads it; never `flask` itself, which indico's `web/flask/` folder is not) is the project's."""
    return field_of(finding, "message").partition("`")[2].partition("`")[0].partition(".")[0]


def _in_the_extension_itself(finding: Any, project_roots: set[str]) -> bool:
    """An FMA389 (an extension object's use) in the extension's own repository (its package is a folder of
    the project: Flask-Admin's tests using `Admin`): the project is the extension, not a user of it."""
    if field_of(finding, "code") != EXTENSION_OBJECT.code:
        return False
    message = field_of(finding, "message")
    return any(f" {ext.distribution}'s " in message and any(m.partition(".")[0] in project_roots for m in ext.modules)
               for ext in EXTENSIONS)


def _where(finding: Any) -> tuple[str, int, int]:
    return (field_of(finding, "path"), field_of(finding, "line"), field_of(finding, "column"))
