"""FMA301-339: Flask extensions, from the ecosystem catalogue (`ecosystem/`), which declares the codes:
FMA301-338 name one distribution each (the later records share FMA365-378: extensions_shared.py),
FMA339 is any other `flask_*`, `flaskext.*` or `flask.ext.*` import. The records stay data outside the rules package because the flake8 plugin reads
the catalogue on every lint without loading any rule.

Adoption, not every import: the rule fires at the first import of the extension's own module in a file
(`from flask_sqlalchemy import SQLAlchemy`), never at an import of a project module that re-exports an
extension object (`from app.models import User` is the project's API). `adopted_once` then keeps one
adoption per project and extension, the first in path order: the extension's effort is counted once;
its uses are the feature rules' findings (FMA340-364: `Model.query`, `@cross_origin`, ...).
"""
from __future__ import annotations

import re
from typing import Any, Iterator, TypeVar

from .. import ecosystem
from ..ecosystem import EXTENSIONS, SHARED_CODES, Extension, extension_for_module
from ..api import FileContext, Hit, Use
from ..effort import TESTS, scope_of
from ..names import canonical
from ..registry import on_file, on_import, rule
from ._common import import_statements, imported_module_nodes

_FASTAPI = "https://fastapi.tiangolo.com"
F = TypeVar("F")

# Libraries that are not Flask-specific: their use is a Flask migration concern only in a Flask project.
_FRAMEWORK_AGNOSTIC = frozenset({"celery", "rq", "dash", "connexion"})
# connexion is Flask only through its FlaskApp (connexion 3) or App (connexion 2); AsyncApp is ASGI.
_CONNEXION_ON_FLASK = ("FlaskApp", "connexion.App", "import App")


def category_of(verdict: str) -> str:
    return "optional" if verdict == "keep" else "mandatory"


def _slug(ext: Extension) -> str:
    return ext.name_key.removeprefix("flask-").removeprefix("flask")


def _module_of(ext: Extension, qual: str) -> str:
    return next(m for m in ext.modules if qual == m or qual.startswith(m + "."))


def _direct_import(use: Use) -> bool:
    """True when the import statement names an extension module itself, not a project module that
    re-exports one of its objects (the project index resolves `from app.models import db` to the
    extension's qual: that is a use of the project's API)."""
    stmt = use.node
    if stmt.kind() != "import_from_statement":
        return True
    module = stmt.field("module_name")
    text = "".join(module.text().split()) if module is not None else ""
    if not text or text.startswith("."):
        return False
    return canonical(text).partition(".")[0] == use.qual.partition(".")[0]


def _imported_qual(use: Use) -> str:
    """What the import names: `import opentelemetry.instrumentation.flask` binds `opentelemetry`, but
    imports the integration module."""
    qual = use.qual.replace("()", "")
    if use.node.kind() == "import_statement":
        root = qual.partition(".")[0]
        for item in use.node.field_children("name"):
            name = item.field("name") if item.kind() == "aliased_import" else item
            dotted = canonical("".join(name.text().split())) if name is not None else ""
            if dotted.partition(".")[0] == root and extension_for_module(dotted) is not None:
                return dotted
    return qual


def _sets_up(ext: Extension, ctx: FileContext) -> bool:
    """Whether the file calls one of the extension's classes (`db = SQLAlchemy()`, `CORS(app)`), or a
    project subclass of one (`class AppSecurity(Security)` here or in another module) where an extension
    object is made: at module level, or given the app (`AppSecurity(app)`). A class statement is no call."""
    classes = set(ext.classes)
    # The name first, then the lookbehinds: a pattern that starts with a lookbehind is tried at every
    # position of the text (47x slower on pgadmin4's modules, 10% of its scan).
    if any(re.search(rf"{(name := re.escape(cls.rpartition('.')[2]))}(?<!\w{name})(?<!class {name})\s*\(", ctx.text)
           for cls in classes):
        return True
    # Subclasses of the extension's own class, the record's first (`Babel`, not `Domain`; `CSRFProtect`,
    # not `FlaskForm`): a project `Domain(app)` or form is no set-up of the extension.
    main = ext.classes[0] if ext.classes else ""
    subclasses = [name for name, qual in ctx.bindings.items() if qual == main and "." not in name]
    # Import matchers run before name resolution: a subclass declared in this very file is read here.
    bases = "|".join(re.escape(name) for name in {*subclasses, main.rpartition(".")[2]} if name)
    if bases:
        subclasses += re.findall(rf"^class\s+(\w+)\s*\([^)]*\b(?:{bases})\b", ctx.text, re.MULTILINE)
    return any(re.search(rf"^(?!class )\S.*\b{re.escape(name)}\s*\(|\b{re.escape(name)}\s*\(\s*(?:app\b|[\w.]*\.app\b)",
                         ctx.text, re.MULTILINE) for name in subclasses)


def adoption_matcher(code: str):  # type: ignore[no-untyped-def]
    def match(use: Use) -> Iterator[Hit]:
        qual = _imported_qual(use)
        ext = extension_for_module(qual)
        if ext is None or ext.code != code:
            return
        if not _direct_import(use) and not (ext.classes and use.qual == ext.classes[0] and _sets_up(ext, use.ctx)):
            return  # the project's API, unless it is a project subclass of the extension's class set up here
        root = qual.partition(".")[0]
        if root in _FRAMEWORK_AGNOSTIC and not use.ctx.uses_flask:
            return  # Celery in a Django or plain-Python module is not a Flask migration concern
        if root == "connexion" and not any(marker in use.ctx.text for marker in _CONNEXION_ON_FLASK):
            return
        seen = use.ctx.memo.setdefault("extension-adoptions", set())
        if (code, ext.distribution) in seen:
            return  # one adoption per file and extension; `adopted_once` keeps one per project
        seen.add((code, ext.distribution))
        yield use.hit(module=_module_of(ext, qual), distribution=ext.distribution, counterpart=ext.counterpart,
                      adopted="set up" if _sets_up(ext, use.ctx) else "imported")

    return match


ADOPTION_MESSAGE = "{distribution} (`{module}`) is {adopted} here"

for _ext in EXTENSIONS:
    if _ext.code in SHARED_CODES:
        continue
    _rule = rule(
        _ext.code, f"{_slug(_ext)}-extension", f"{_ext.distribution} in use", ADOPTION_MESSAGE, _ext.counterpart,
        category_of(_ext.verdict), _ext.effort, _ext.verdict,
        rationale=(_ext.note + " " if _ext.note else "") + f"Counterpart health: {_ext.health}.",
        links=_ext.links, declared_in=ecosystem.__name__,
    )
    on_import(_rule, *{m.partition(".")[0] for m in _ext.modules})(adoption_matcher(_ext.code))

UNKNOWN_EXTENSION = rule(
    "FMA339", "unknown-flask-extension", "Flask extension the catalogue does not know",
    "`{module}` looks like a Flask extension (distribution {distribution}?) that the catalogue does not know",
    "needs review: find its FastAPI/Starlette counterpart (or drop it), then count the work",
    "potential", 3, "unknown",
    rationale="A `flask_*` module is almost always bound to Flask's app and request contexts. The audit "
    "cannot say what replaces it, so it asks for a human look rather than staying silent.",
    links=(f"{_FASTAPI}/alternatives/#flask",),
)


def unknown_extension_module(qual: str) -> str | None:
    """The module of a Flask extension the catalogue lacks that `qual` (a canonical import) names:
    `flask_foo` for `flask_foo.Bar`; None for Flask itself, a catalogued module, or any other package.
    Only the first dotted component counts: `ckan.lib.flask_multistatic` is ckan's own module."""
    root = qual.partition(".")[0].rstrip("()")
    if not root.startswith("flask_") or extension_for_module(qual.replace("()", "")) is not None:
        return None
    return root


def suggested_distribution(module: str) -> str:
    """`flask_foo_bar` -> `Flask-Foo-Bar`, the usual spelling of an extension's distribution."""
    return "Flask-" + "-".join(part.capitalize() for part in module.removeprefix("flask_").split("_"))


@on_file(UNKNOWN_EXTENSION)
def _unknown_extensions(ctx: FileContext) -> Iterator[Hit]:
    unknown = {module for qual in ctx.bindings.values() if (module := unknown_extension_module(qual))}
    own = ctx.module.partition(".")[0]
    unknown.discard(own)  # a project's own top-level package named flask_foo is the project
    if not unknown:
        return
    for stmt in import_statements(ctx):
        for name in imported_module_nodes(stmt):
            root = canonical("".join(name.text().split())).partition(".")[0]
            if root in unknown:
                unknown.discard(root)
                yield Hit(stmt, {"module": root, "distribution": suggested_distribution(root)})


# The codes of adoptions: one per project and extension (see `adopted_once`).
ADOPTION_CODES = frozenset({ext.code for ext in EXTENSIONS} | {UNKNOWN_EXTENSION.code})


def field_of(finding: Any, name: str) -> Any:
    """A finding's field, whether it is a `Finding` or a report's finding dictionary."""
    return finding[name] if isinstance(finding, dict) else getattr(finding, name)


def adopted_once(findings: list[F], project_roots: set[str]) -> list[F]:
    """`findings` (of the whole project) with one adoption per extension: in the application's code
    before tests, migrations and scripts (an Alembic revision that builds `Security(app)` to re-hash
    passwords is not where the app adopts it), then where it is set up before where it is only imported,
    then the first in path order. A `flask_*` module that is a folder or module of the project itself
    (`project_roots`: the Flask-Admin repository's own `flask_admin`, a vendored copy) is the project, not
    an extension it adopts."""
    chosen: dict[tuple[str, str], tuple[tuple[bool, bool, str, int, int], Any]] = {}
    for finding in findings:
        key = _adoption_key(finding)
        root = _quoted_module(field_of(finding, "message")).partition(".")[0] if key is not None else ""
        if key is None or (root.startswith("flask_") and root in project_roots):
            continue
        path = field_of(finding, "path")
        rank = (_outside_the_app(path), _SET_UP not in field_of(finding, "message"), path,
                field_of(finding, "line"), field_of(finding, "column"))
        if key not in chosen or rank < chosen[key][0]:
            chosen[key] = (rank, finding)
    kept = {id(finding) for _, finding in chosen.values()}
    return [f for f in findings if _adoption_key(f) is None or id(f) in kept]


_SET_UP = " is set up here"
# Folders of code that runs beside the application, not in it: database migrations and scripts.
_BESIDE_THE_APP = frozenset({"migrations", "alembic", "scripts", "bin"})


def _outside_the_app(path: str) -> bool:
    """Test code (the estimate's own definition, `effort.scope_of`), migrations and scripts."""
    return scope_of(path) == TESTS or any(part in _BESIDE_THE_APP for part in path.split("/")[:-1])


def _adoption_key(finding: Any) -> tuple[str, str] | None:
    code, message = field_of(finding, "code"), field_of(finding, "message")
    if code not in ADOPTION_CODES:
        return None
    ext = ecosystem.record_for_finding(code, message)
    return (code, ext.distribution if ext is not None else _quoted_module(message))


def _quoted_module(message: str) -> str:
    """The module an adoption message quotes in backticks, which tells the records of a shared code apart."""
    start = message.find("`")
    return message[start + 1:message.find("`", start + 1)] if start >= 0 else message
