"""pytest fixtures as facts across files: what each fixture of a `conftest.py` gives (a Flask app, test
client or response), and what a test class holds in its attributes, for testclients.py.

Fixtures of a `conftest.py` hold for the test modules of its folder and below, as pytest sees them. They
travel in its exports under one key no import can spell (`fixtures <conftest module>`, with the module's
own full name, so that an index lookup by a shorter suffix finds nothing), encoded as `name=qual;...`
(`?` for a fixture that gives something else: it still overrides a farther conftest's). A fixture that
sets an attribute on the test classes that use it (`request.cls.client = client`) adds `name.cls.attr`.
A test module asks the index for each conftest above it: the answer is recorded, so its analysis is made
again when a conftest's fixtures change, whatever the order.

A module's test classes that hold a client or app in an attribute are exported as `attributes <Class>`;
a module that derives a class from one it imports asks for that key. Its subclasses of Flask's test client
(`class AuthenticatedClient(FlaskClient)`) are exported as `client class <Class>`, for the modules that
annotate or build clients with them.
"""
from __future__ import annotations

import functools
import posixpath
import re
from typing import TYPE_CHECKING

from ast_grep_py import SgNode

from . import names
from .index.resolve import module_name_for
from .testpaths import is_pytest_module

if TYPE_CHECKING:
    from .api import FileContext
    from .index.resolve import ProjectIndex, RecordingIndex

APP = "flask.Flask()"
# Flask-SQLAlchemy's object, which a `db` fixture commonly yields (`yield _db`): its `db.session` in the tests
# is the app-bound session.
DB = "flask_sqlalchemy.SQLAlchemy()"
# What a fixture can give that is followed.
FOLLOWED = frozenset({APP, names.TEST_CLIENT, names.TEST_RESPONSE, names.WEBTEST_CLIENT, names.APP_CONTEXT,
                      names.REQUEST_CONTEXT, DB})
UNKNOWN = "?"
FIXTURES_MARK = "fixtures "  # a space: no import can spell this exports key
ATTRIBUTES_MARK = "attributes "  # `attributes <Class>`: what a test class holds in `self.<attribute>`
CLIENT_CLASS_MARK = "client class "  # `client class <Class>`: the class is a Flask test client class
_FIXTURE_RE = re.compile(r"^@\s*(?:pytest(?:_asyncio)?\s*\.\s*)?(?:yield_)?fixture\b")  # `yield_fixture`: pytest < 6.2
_USEFIXTURES_RE = re.compile(r"^@\s*pytest\s*\.\s*mark\s*\.\s*usefixtures\s*\(")
_STRING_RE = re.compile(r"""(['"])(\w+)\1""")


def fixtures_key(module: str) -> str:
    return f"{FIXTURES_MARK}{module}"


def encode(fixtures: dict[str, str]) -> str:
    return ";".join(f"{name}={qual}" for name, qual in sorted(fixtures.items()))


def decode(text: str | None) -> dict[str, str]:
    found = {}
    for item in text.split(";") if text else ():
        name, _, qual = item.partition("=")
        found[name] = qual
    return found


def conftest_modules(relpath: str) -> list[str]:
    """The modules of the conftest.py files that hold for `relpath`, nearest first (not itself)."""
    return list(_conftest_modules(relpath))


@functools.lru_cache(maxsize=1 << 16)
def _conftest_modules(relpath: str) -> tuple[str, ...]:
    """`conftest_modules`, cached: the scan asks for every file that may need an analysis after each
    index build (9,500 times on the bench corpus, a third of the parent's `_needs_analysis` time), and
    the answer depends on the path alone."""
    path = relpath.replace("\\", "/")
    folder = posixpath.dirname(path)
    found = []
    while True:
        conftest = posixpath.join(folder, "conftest.py") if folder else "conftest.py"
        if conftest != path:
            found.append(module_name_for(conftest))
        if not folder:
            return tuple(found)
        folder = posixpath.dirname(folder)


def inherited_fixtures(relpath: str, index: ProjectIndex | RecordingIndex | None,
                       any_module: bool = False) -> dict[str, str]:
    """The fixtures the conftest files above a pytest module give it (a nearer one overrides). Other
    modules under them only see them through `@pytest.mark.usefixtures` (`any_module`): a base class of
    test classes."""
    if index is None or not (any_module or is_pytest_module(relpath)):
        return {}
    found: dict[str, str] = {}
    for module in reversed(conftest_modules(relpath)):
        found.update(decode(index.lookup(module, fixtures_key(module))))
    return found


def attributes_key(cls: str) -> str:
    return f"{ATTRIBUTES_MARK}{cls}"


def client_class_key(cls: str) -> str:
    return f"{CLIENT_CLASS_MARK}{cls}"


def fixtures_reach(relpath: str, imported: frozenset[tuple[str, str]], index: ProjectIndex) -> bool:
    """True when a conftest above this pytest module gives a Flask app or test client, or it imports a
    test class that holds one, or (any module) a conftest above it has a fixture that sets a client on the
    test classes that use it, or it imports a subclass of Flask's test client: the module needs an analysis
    even when it never mentions Flask (scan.py)."""
    if any(name[:1].isupper() and index.lookup(module, client_class_key(name)) for module, name in imported):
        return True  # it imports a subclass of Flask's test client, in test code or a helper of it
    if not is_pytest_module(relpath):
        # A base class of test classes, which `@pytest.mark.usefixtures` may give a fixture's attributes.
        return any(".cls." in name and qual in FOLLOWED
                   for name, qual in inherited_fixtures(relpath, index, any_module=True).items())
    return any(qual in FOLLOWED for qual in inherited_fixtures(relpath, index).values()) or any(
        index.lookup(module, attributes_key(name)) for module, name in imported)


def imported_class_attributes(ctx: FileContext, index: ProjectIndex | RecordingIndex | None,
                               project_imports: dict[str, tuple[str, str]]) -> dict[str, dict[str, str]]:
    """{local name: {attribute: qual}} of the imported classes that hold a client or app in an attribute,
    for the classes of this file that derive from them (`class TestBooks(BaseTestCase)`)."""
    if index is None or not project_imports or "class" not in ctx.text:
        return {}
    found = {}
    for local, (module, name) in project_imports.items():
        if name[:1].isupper():  # a class, by the usual spelling
            held = decode(index.lookup(module, attributes_key(name)))
            if held:
                found[local] = held
    return found


def fixture_name(decorated: SgNode, default: str) -> str | None:
    """The fixture's name when a decorator makes the function a pytest fixture (`name=` can rename it)."""
    for decorator in decorated.children():
        if decorator.kind() != "decorator" or not _FIXTURE_RE.match(decorator.text()):
            continue
        call = next(iter(decorator.named_children()), None)
        arguments = call.field("arguments") if call is not None and call.kind() == "call" else None
        for arg in arguments.named_children() if arguments is not None else ():
            key, value = arg.field("name"), arg.field("value")
            if arg.kind() == "keyword_argument" and key is not None and key.text() == "name" \
                    and value is not None and value.kind() == "string":
                return value.text().strip("'\"") or default
        return default
    return None


def usefixtures_named(decorated: SgNode) -> list[str]:
    """The fixtures a class's `@pytest.mark.usefixtures("a", "b")` decorators name."""
    return [fixture for decorator in decorated.children()
            if decorator.kind() == "decorator" and _USEFIXTURES_RE.match(decorator.text())
            for _, fixture in _STRING_RE.findall(decorator.text())]
