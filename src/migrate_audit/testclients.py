"""Flask test clients and their responses, followed through test code: `client = app.test_client()` makes
`client` the test client and `rv = client.get("/")` makes `rv` a test response, so the rules of
rules/testing.py see `rv.json`, `rv.data` and `client.post(..., query_string=...)`.

A client comes from `<app>.test_client()` (the app as name resolution knows it, or `create_app()`),
`FlaskClient(app)`, Flask-Testing's `TestCase` (`self.client`), a pytest fixture that returns or yields
one, or a module-level helper that returns one. It is followed into names (`client = ...`, `with ... as
c`), attributes of a class and of its subclasses in the file (`self.client = ...` in `setUp`), the
parameters of test functions and fixtures named after a fixture, and the calls of helpers.

Per scope and flow-insensitive, and conservative: a name holds a client or response only when every
assignment of it in its scope does (`rv = requests.get(...)` beside `rv = client.get(...)` leaves `rv`
unknown), and a parameter only when a fixture of its name gives one.

What a conftest's fixtures give, and what a test base class holds, reach other files through the index
(pytest_fixtures.py).

WebTest's `TestApp(app)` around a Flask app is followed as a client of its own (WEBTEST: its requests
give the same test responses, its `post_json`/`expect_errors=` have rules), and an app or request context
kept to be pushed later (`self.app_context = app.app_context()` in `setUp`, `ctx =
app.test_request_context()` in a fixture) as a context, so that its `push()` and `pop()` lines are found.

pytest-flask provides a `client` fixture (`app.test_client()` of the project's `app` fixture): where an
`app` fixture gives a Flask app and no `client` fixture is defined, a `client` parameter is that client.

Test suites also name the client by its type, which is followed as well: a subclass of `FlaskClient` (in
the file, or imported from a project module that exports it as `client class <Class>`) makes clients when
called, and `self` (or `super()`) in its methods is one; `cast(X, value)` is a client when `value` is one
or `X` is a client class; a parameter, name, attribute or function return annotated with a client class
(`client: AuthenticatedClient`, `-> FlaskClient`, `self.client: "FlaskClient"`, `Optional[...]`,
`X | None`, `Iterator[...]` for a generator) holds one whatever its assignments say. An annotation that
names any other class (`client: TestClient`, `httpx.Client`, a project's own `FlaskClient`) keeps a
fixture's client out of the parameter.
"""
from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING, Iterator, NamedTuple

from ast_grep_py import SgNode

from . import names, testsyntax
from .attributes import _enclosing_class
from .bindings import FACTORY_PREFIX, VIA, _is_use_site, _names_regex, chain_of
from .pytest_fixtures import (APP, FOLLOWED, UNKNOWN, attributes_key, client_class_key, encode, fixture_name,
                              fixtures_key, imported_class_attributes, inherited_fixtures, usefixtures_named)
from .testpaths import is_test_path

if TYPE_CHECKING:
    from .api import Chain, FileContext
    from .index.resolve import ProjectIndex, RecordingIndex

CLIENT = names.TEST_CLIENT
RESPONSE = names.TEST_RESPONSE
WEBTEST = names.WEBTEST_CLIENT
# The `TestApp(app)` call that wraps a Flask app (FMA505): a qual of its own, on the call.
WEBTEST_OF_APP = "webtest.TestApp(flask.Flask())"
# A `'http://localhost...'` literal in a test module that drives the app with one of those clients (FMA538).
BASE_URL = "flask.testing.FlaskClient().base_url"
# Werkzeug's and WebTest's default host, without a port (with one it names a live server): the literal's start.
_BASE_URL_RE = r"""^[rRbBuUfF]{0,2}['"]{1,3}http://localhost(?:/|['"]|$)"""
_CONTEXTS = {"app_context": names.APP_CONTEXT, "test_request_context": names.REQUEST_CONTEXT}
# pytest-flask's fixtures, as quals of the parameters that receive them (rules/testing.py).
PYTEST_FLASK_CLIENT = "pytest_flask.client"
PYTEST_FLASK_LIVE_SERVER = "pytest_flask.live_server"
# A method that a subclass of Flask's client defines over one of Werkzeug's that httpx's client lacks (FMA539):
# a qual of its own, on the method's name.
CLIENT_OVERRIDE = "flask.testing.FlaskClient subclass method"
WERKZEUG_CLIENT_ONLY = frozenset({"open", "session_transaction", "set_cookie", "get_cookie", "delete_cookie",
                                  "run_wsgi_app", "resolve_redirect", "_copy_environ", "_request_from_builder_args"})
REQUEST_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "trace", "open"})
# Flask-Login's `FlaskLoginClient` is a `FlaskClient` that logs a `user=` in on each request.
_CLIENT_CLASSES = frozenset({"flask.testing.FlaskClient", "werkzeug.test.Client", "werkzeug.Client",
                             "flask_login.FlaskLoginClient", "flask_login.test_client.FlaskLoginClient"})
# What an annotation with Werkzeug's test response class holds.
_RESPONSE_CLASSES = frozenset({"werkzeug.test.TestResponse", "werkzeug.wrappers.response.TestResponse"})
# What an annotation can say a name, attribute or function's result holds.
_TYPED = frozenset({APP, CLIENT, RESPONSE})
# An annotation naming a class that is neither: a parameter so annotated takes no fixture's Flask client.
OTHER = "other"
# Modules whose names in an annotation say nothing about the class (`Any`, `Optional`): no verdict.
_TYPING = frozenset({"typing", "typing_extensions", "t", "collections"})
# `Optional[X]`, `Union[X, None]` (whitespace removed): the types inside, split at their commas.
_UNION_RE = re.compile(r"^(?:(?:typing|t|typing_extensions)\.)?(?:Optional|Union)\[(.*)\]$")
# What a generator (a yield fixture) is annotated with: its first type argument is what it yields.
_GENERATOR_RE = re.compile(r"^(?:[\w.]+\.)?(?:Iterator|Iterable|Generator|AsyncIterator|AsyncIterable|"
                           r"AsyncGenerator)\[(.*)\]$")
_DOTTED_RE = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")
_WEBTEST_CLASSES = frozenset({"webtest.TestApp", "webtest.app.TestApp"})
# WebTest's request methods (`TestApp.get`, `post_json`, ...): each returns a test response.
WEBTEST_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request",
                             "post_json", "put_json", "patch_json", "delete_json"})
_TESTCASE_CLASSES = frozenset({"flask_testing.TestCase", "flask_testing.LiveServerTestCase",
                               "flask_testing.utils.TestCase", "flask_testing.utils.LiveServerTestCase"})
# The members of an app that tests call on `create_app()` directly: those calls are followed as the app.
_APP_TEST_MEMBERS = frozenset({"test_client", "test_request_context", "test_cli_runner", "app_context"})
_MAX_ROUNDS = 6
# What each followed object is called in a finding's note on how it was reached (`Hit.via`).
_KINDS = {APP: "Flask app", CLIENT: "Flask test client", RESPONSE: "test response", WEBTEST: "WebTest client",
          names.APP_CONTEXT: "Flask application context", names.REQUEST_CONTEXT: "Flask request context"}
# What makes a file worth following clients in, besides fixtures from a conftest above it.
_WORDS = ("test_client", "FlaskClient", "flask_testing", "werkzeug.test", "fixture", "webtest", "app_context",
          "test_request_context")
_NOT_FIXTURES = frozenset({"self", "cls", "request"})


def follow_test_clients(ctx: FileContext, uses: dict[SgNode, Chain], index: ProjectIndex | RecordingIndex | None,
                        project_imports: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Add to `uses` every use of a Flask test client or response in this file (and of an app that a
    fixture gives); returns the exports that say so to other files: a conftest's fixtures, the module's
    helpers that return a client, the attributes its test classes hold one in."""
    inherited = inherited_fixtures(ctx.path, index, "usefixtures" in ctx.text)
    based = imported_class_attributes(ctx, index, project_imports)
    clients = _imported_client_classes(index, project_imports)
    if not inherited and not based and not clients and not (any(word in ctx.text for word in _WORDS) and (any(
            _source(qual) for chain in uses.values() for qual, _ in chain)
            or any(qual in _CLIENT_CLASSES for qual in ctx.bindings.values()))):
        return {}  # nothing here can make an app or a client: most modules with a `fixture`
    follower = _Follower(ctx, uses, inherited, based, clients, project_imports)
    follower.solve()
    follower.add_uses()
    return follower.exports()


def _imported_client_classes(index: ProjectIndex | RecordingIndex | None,
                             project_imports: dict[str, tuple[str, str]]) -> frozenset[str]:
    """The local names of the subclasses of Flask's test client this module imports from the project."""
    if index is None:
        return frozenset()
    return frozenset(local for local, (module, name) in project_imports.items()
                     if name[:1].isupper() and index.lookup(module, client_class_key(name)))


class _Function(NamedTuple):
    node: SgNode
    number: int  # its scope number (`ScopeSpans`)
    name: str
    fixture: str | None  # the fixture's name, for a fixture (only a module-level one is shared)
    top: bool  # module-level
    owner: SgNode | None  # the class, for a method
    exits: list[SgNode]  # what it returns or yields (module-level functions and methods only)
    params: list[SgNode]  # the parameters pytest may fill (`_Follower._parameters`)
    returns: str | None  # APP, CLIENT or RESPONSE when its return annotation says so


Target = tuple  # ("name", scope number, name), ("attr", class node, attribute) or ("fixture-attr", fixture, attribute)


class _Follower:
    def __init__(self, ctx: FileContext, uses: dict[SgNode, Chain], inherited: dict[str, str],
                 based: dict[str, dict[str, str]], imported_clients: frozenset[str] = frozenset(),
                 project_imports: dict[str, tuple[str, str]] | None = None) -> None:
        self.ctx, self.uses, self.inherited, self.based = ctx, uses, inherited, based
        self.project_imports = project_imports or {}
        self.qual_at: dict[SgNode, str] = {node: qual for chain in uses.values() for qual, node in chain}
        self.values: dict[Target, str] = {}  # what each name or attribute holds (FOLLOWED only)
        self.local: set[tuple[int, str]] = set()  # every (scope, name) some site or parameter binds
        # What an annotation or a client class says a name or attribute holds: it wins over its assignments.
        self.declared: dict[Target, str] = {}
        self.fixtures: dict[str, str] = {}  # this module's fixtures -> qual or UNKNOWN
        self.helpers: dict[str, str] = {}  # module-level functions whose calls return a followed object
        self.pytest_flask: list[SgNode] = []  # parameters that pytest-flask's `client` fills
        self.live_servers: list[SgNode] = []
        self.origins: dict[tuple[int, str], str] = {}  # (scope, parameter) -> where its value comes from
        self.classes = self._classes()
        self.class_names: dict[str, SgNode] = {}  # the first class of each name, as `_classes` reads bases
        for cls in self.classes:
            name = cls.field("name")
            if name is not None:
                self.class_names.setdefault(name.text(), cls)
        self.client_classes = self._client_classes(imported_clients)
        self.client_nodes = {cls for cls in self.client_classes.values() if cls is not None}
        self.sites = self._sites()
        self.functions = self._functions()
        self.methods: dict[tuple[SgNode, str], str] = {}  # (class, method) -> what its calls return
        self.calls = self._helper_calls()

    # -- what the file has -------------------------------------------------------------------------
    def _classes(self) -> dict[SgNode, list[SgNode]]:
        """Each class, with the classes of this file it derives from (by name) and itself."""
        found: dict[SgNode, list[SgNode]] = {}
        if "class" not in self.ctx.text:
            return found
        by_name: dict[str, SgNode] = {}
        bases: dict[SgNode, list[str]] = {}
        for cls in self.ctx.root.find_all(kind="class_definition"):
            name, arguments = cls.field("name"), cls.field("superclasses")
            if name is not None:
                by_name.setdefault(name.text(), cls)
            bases[cls] = [arg.text() for arg in arguments.named_children()] if arguments is not None else []
        for cls in bases:
            seen, todo, met = [cls], [cls], {cls}
            while todo:
                for base in bases.get(todo.pop(), ()):
                    parent = by_name.get(base)
                    if parent is not None and parent not in met:
                        met.add(parent)
                        seen.append(parent)
                        todo.append(parent)
            found[cls] = seen
        return found

    def _client_classes(self, imported: frozenset[str]) -> dict[str, SgNode | None]:
        """The subclasses of Flask's test client by name: those imported from the project (None) and those
        of this file that derive from one, directly or through classes of the file (their definition)."""
        found: dict[str, SgNode | None] = dict.fromkeys(imported)
        if not self.classes:
            return found
        parents: dict[SgNode, list[SgNode]] = {}  # each class's bases of this file, by name
        todo = []
        for cls in self.classes:
            parents[cls] = []
            for base in testsyntax.bases(cls):
                if self.qual_at.get(base) in _CLIENT_CLASSES or base.text() in imported:
                    todo.append(cls)
                elif base.text() in self.class_names:
                    parents[cls].append(self.class_names[base.text()])
        children: dict[SgNode, list[SgNode]] = {}
        for cls, bases in parents.items():
            for base in bases:
                children.setdefault(base, []).append(cls)
        clients: set[SgNode] = set()
        while todo:  # down from the classes that derive from a client class itself, each once
            cls = todo.pop()
            if cls not in clients:
                clients.add(cls)
                todo.extend(children.get(cls, ()))
        for cls in self.classes:  # in the file's order: a set's is not fixed
            name = cls.field("name") if cls in clients else None
            if name is not None:
                found[name.text()] = cls
        return found

    def _annotated(self, node: SgNode | None) -> str | None:
        """APP, CLIENT or RESPONSE when a type (an annotation, `cast`'s first argument) names Flask's app class,
        a test client class or the test response class, alone or with None; OTHER when it names another
        class; else None."""
        if node is None:
            return None
        text = "".join(node.text().split())
        if len(text) >= 2 and text[0] in "'\"" and text[-1] == text[0]:
            text = text.strip("'\"")  # a string annotation: `"FlaskClient"`, `'Optional[FlaskClient]'`
        return self._type_verdict(text)

    def _type_verdict(self, text: str) -> str | None:
        union = _UNION_RE.match(text)
        verdicts = set()
        for part in union.group(1).split(",") if union else text.split("|"):
            part = part.strip("'\"")
            if part == "None":
                continue
            if not _DOTTED_RE.match(part):
                return None  # `list[FlaskClient]`, `Callable[...]`: not a client itself
            verdicts.add(self._class_verdict(part))
        if len(verdicts) == 1:
            return verdicts.pop()
        return OTHER if OTHER in verdicts else None

    def _class_verdict(self, dotted: str) -> str | None:
        head, _, rest = dotted.partition(".")
        if not rest and head in self.client_classes:
            return CLIENT
        if not rest and head in self.class_names:
            return OTHER  # a class of this file that is no Flask client, even one named `FlaskClient`
        qual = self.ctx.bindings.get(head)
        if qual is not None:
            for part in rest.split(".") if rest else ():
                qual = names.member(qual, part)
            if qual in _CLIENT_CLASSES:
                return CLIENT
            if qual == "flask.Flask":
                return APP  # `-> Flask` on an `app` fixture, `Iterator[Flask]` on one that yields it
            return RESPONSE if qual in _RESPONSE_CLASSES else None  # `bp: Blueprint`: some other Flask class
        if head in _TYPING:
            return None
        imported = self.project_imports.get(head)
        if imported is not None:  # `from starlette.testclient import TestClient`; typing's names say nothing
            return None if imported[0].partition(".")[0] in _TYPING else OTHER
        return OTHER if rest else None  # `httpx.Client`: a class of a module imported whole

    def _returned(self, function: SgNode) -> str | None:
        """APP, CLIENT or RESPONSE when the function's return annotation says so (`-> FlaskClient`), or what
        it yields (`-> Iterator[FlaskClient]`)."""
        returns = function.field("return_type")
        if returns is None:
            return None
        text = "".join(returns.text().split())
        generator = _GENERATOR_RE.match(text)
        verdict = self._type_verdict(generator.group(1).split(",")[0] if generator else text.strip("'\""))
        return verdict if verdict in _TYPED else None

    def _sites(self) -> list[tuple[Target, SgNode]]:
        """(target, value) of every assignment to a plain name or a `self.`/`cls.` attribute, and of
        every `with value as name`; an annotated one (`self.client: FlaskClient`, with or without a
        value, or a class body's `client: FlaskClient`) declares what it holds."""
        sites: list[tuple[Target, SgNode]] = []
        for node in self.ctx.root.find_all({"rule": {"any": [{"kind": "assignment"}, {"kind": "as_pattern"}]}}):
            if node.kind() == "assignment":
                left, right = node.field("left"), node.field("right")
                annotation = node.field("type")
                if annotation is not None and left is not None:
                    self._declare(left, node, annotation)
            else:
                holder = self.ctx.parents[node]
                if holder is None or holder.kind() != "with_item":
                    continue
                right, alias = node.child(0), node.field("alias")
                left = alias.child(0) if alias is not None else None
            if left is None or right is None or right.kind() == "assignment":
                continue
            target = self._target(left, node)
            if target is not None:
                sites.append((target, right))
                if target[0] == "name":
                    self.local.add((target[1], target[2]))
        return sites

    def _declare(self, left: SgNode, site: SgNode, annotation: SgNode) -> None:
        verdict = self._annotated(annotation)
        if verdict not in _TYPED:
            return
        statement = self.ctx.parents[site]
        block = self.ctx.parents[statement] if statement is not None else None
        cls = self.ctx.parents[block] if block is not None and block.kind() == "block" else None
        if left.kind() == "identifier" and cls is not None and cls.kind() == "class_definition":
            self.declared[("attr", cls, left.text())] = verdict  # a class body's `client: FlaskClient`
            return
        target = self._target(left, site)
        if target is not None and target[0] != "fixture-attr":
            self.declared[target] = verdict
            if target[0] == "name":
                self.local.add((target[1], target[2]))

    def _target(self, left: SgNode, site: SgNode) -> Target | None:
        if left.kind() == "identifier":
            return ("name", self.ctx.scopes.innermost(site), left.text())
        if left.kind() == "attribute":
            receiver, attr = left.field("object"), left.field("attribute")
            if receiver is not None and attr is not None and receiver.text() == "request.cls":
                # `request.cls.client = client` in a fixture: the test classes that use it hold it there.
                function = self.ctx.scopes.enclosing_function(site)
                name = function.field("name") if function is not None else None
                return ("fixture-attr", name.text(), attr.text()) if name is not None else None
            if receiver is not None and attr is not None and receiver.text() in ("self", "cls"):
                cls = _enclosing_class(site, self.ctx)
                if cls is not None:
                    return ("attr", cls, attr.text())
        return None

    def _functions(self) -> list[_Function]:
        """Every `def`, with what the fixpoint reads of it; the names of their parameters are locals."""
        found = []
        for function in self.ctx.functions:
            name = function.field("name")
            if name is None:
                continue
            number = self.ctx.scopes.innermost(name)
            holder = self.ctx.parents[function]
            fixture = None
            if holder is not None and holder.kind() == "decorated_definition":
                fixture = fixture_name(holder, name.text())
                holder = self.ctx.parents[holder]
            top = holder is not None and holder.kind() == "module"
            owner = self.ctx.parents[holder] if holder is not None and holder.kind() == "block" else None
            owner = owner if owner is not None and owner.kind() == "class_definition" else None
            params = self._parameters(function, number)
            for param in params:
                self.local.add((number, param.text()))
            if owner is not None and owner in self.client_nodes:
                self._declare_self(function, number, owner)
            # Only module-level functions and methods are fixtures and helpers: only their exits are read.
            read = top or owner is not None
            found.append(_Function(function, number, name.text(), fixture, top, owner,
                                   list(testsyntax.exits(function)) if read else [], params,
                                   self._returned(function) if read else None))
        return found

    def _parameters(self, function: SgNode, number: int) -> list[SgNode]:
        """The parameters pytest may fill: plain ones, and annotated ones unless the annotation names a
        class that is no Flask client (`client: TestClient`). Every annotated one is a local, and one
        annotated with a client or response class holds one (`client: AuthenticatedClient`)."""
        found = []
        params = function.field("parameters")
        for param in params.named_children() if params is not None else ():
            kind = param.kind()
            if kind == "identifier":
                found.append(param)
                continue
            if kind not in ("typed_parameter", "typed_default_parameter"):
                continue
            ident = param.child(0) if kind == "typed_parameter" else param.field("name")
            if ident is None or ident.kind() != "identifier":
                continue
            self.local.add((number, ident.text()))
            annotation = param.field("type")
            verdict = self._annotated(annotation)
            if verdict in _TYPED and annotation is not None:
                self.declared[("name", number, ident.text())] = verdict
                self.origins[(number, ident.text())] = f"its annotation `{_short(annotation.text())}` names"
            if verdict != OTHER and kind == "typed_parameter":
                found.append(ident)
        return found

    def _declare_self(self, function: SgNode, number: int, owner: SgNode) -> None:
        """`self` in a method of a subclass of Flask's test client is that client."""
        holder = self.ctx.parents[function]
        if holder is not None and holder.kind() == "decorated_definition" and any(
                child.kind() == "decorator" and child.text().lstrip("@ \t") in ("staticmethod", "classmethod")
                for child in holder.children()):
            return
        params = function.field("parameters")
        first = next(iter(params.named_children()), None) if params is not None else None
        name = owner.field("name")
        if first is not None and first.kind() == "identifier" and name is not None:
            self.declared[("name", number, first.text())] = CLIENT
            self.origins[(number, first.text())] = f"that `{name.text()}` is (a subclass of Flask's `FlaskClient`)"

    def _helper_calls(self) -> dict[str, list[SgNode]]:
        """The calls of each module-level helper by its plain name (`login(client, ...)`), for what its
        parameters receive."""
        helpers = {function.name for function in self.functions
                   if function.top and function.fixture is None and not function.name.startswith("test")}
        found: dict[str, list[SgNode]] = {}
        if not helpers:
            return found
        for call in self.ctx.root.find_all(kind="call"):
            function = call.field("function")
            if function is not None and function.kind() == "identifier" and function.text() in helpers:
                found.setdefault(function.text(), []).append(call)
        return found

    def _received(self, function: _Function, calls: list[SgNode]) -> Iterator[tuple[SgNode, str | None]]:
        """Each parameter of a helper with what one call gives it, when a call passes it at all: a client
        passed to `login(client, ...)` makes `client` one inside, if every call agrees."""
        for call in calls:
            if self._shadowed(call, function.name):
                continue
            arguments = call.field("arguments")
            args = arguments.named_children() if arguments is not None else []
            if any(arg.kind() in ("list_splat", "dictionary_splat") for arg in args):
                for param in function.params:
                    yield param, None  # `f(*args)`: what each parameter receives is unknown
                continue
            positional = [arg for arg in args if arg.kind() not in ("keyword_argument", "comment")]
            keywords = {key.text(): arg.field("value") for arg in args if arg.kind() == "keyword_argument"
                        for key in (arg.field("name"),) if key is not None}
            for number, param in enumerate(function.params):
                value = positional[number] if number < len(positional) else keywords.get(param.text())
                if value is not None:
                    yield param, self.value(value)

    # -- the fixpoint ------------------------------------------------------------------------------
    def solve(self) -> None:
        for _ in range(_MAX_ROUNDS):
            before = (dict(self.values), dict(self.fixtures), dict(self.helpers), dict(self.methods))
            self._round()
            if before == (self.values, self.fixtures, self.helpers, self.methods):
                return

    def _round(self) -> None:
        seen: dict[Target, set[str | None]] = {}
        for function in self.functions:
            fixture = function.fixture
            if function.top:
                exits = {self.value(node) for node in function.exits}
                one = function.returns or (exits.pop() if len(exits) == 1 else None)
                if fixture is not None:
                    self.fixtures[fixture] = one if one in FOLLOWED else UNKNOWN
                elif one in (CLIENT, RESPONSE, WEBTEST):
                    self.helpers[function.name] = one
                if fixture is None and not function.name.startswith("test"):
                    for param, value in self._received(function, self.calls.get(function.name, [])):
                        seen.setdefault(("name", function.number, param.text()), set()).add(value)
                        self.origins[(function.number, param.text())] = f"passed by every call of `{function.name}`"
            elif function.owner is not None:
                exits = {self.value(node) for node in function.exits}
                one = function.returns or (exits.pop() if len(exits) == 1 else None)
                if one in (CLIENT, RESPONSE, WEBTEST):
                    self.methods[(function.owner, function.name)] = one
                else:
                    self.methods.pop((function.owner, function.name), None)
            if fixture is not None or function.name.startswith("test"):
                for param in function.params:
                    value = self._fixture_value(param, fixture)
                    if value is not None:
                        seen.setdefault(("name", function.number, param.text()), set()).add(value)
                        self.origins[(function.number, param.text())] = f"the `{param.text()}` fixture gives"
        for cls in self.classes:
            for base in testsyntax.bases(cls):
                if self.qual_at.get(base) in _TESTCASE_CLASSES:
                    self.values[("attr", cls, "client")] = CLIENT
                for attr, qual in self.based.get(base.text(), {}).items():
                    self.values[("attr", cls, attr)] = qual
            for attr, qual in self._used_fixture_attributes(cls).items():
                self.values[("attr", cls, attr)] = qual
        for target, right in self.sites:
            if right.kind() != "none":
                seen.setdefault(target, set()).add(self.value(right))
        for target, values in seen.items():
            one = values.pop() if len(values) == 1 else None
            if target[0] == "fixture-attr":
                key = f"{target[1]}.cls.{target[2]}"
                if one in FOLLOWED and target[1] in self.fixtures:
                    self.fixtures[key] = one
                continue
            if one in FOLLOWED:
                self.values[target] = one
            else:
                self.values.pop(target, None)
        self.values.update(self.declared)

    def _used_fixture_attributes(self, cls: SgNode) -> dict[str, str]:
        """What the fixtures a class names in `@pytest.mark.usefixtures(...)` put in its attributes."""
        holder = self.ctx.parents[cls]
        if holder is None or holder.kind() != "decorated_definition":
            return {}
        fixtures = {**self.inherited, **self.fixtures}
        found = {}
        for fixture in usefixtures_named(holder):
            prefix = f"{fixture}.cls."
            found.update((key[len(prefix):], qual) for key, qual in fixtures.items() if key.startswith(prefix))
        return found

    def _fixture_value(self, param: SgNode, fixture: str | None) -> str | None:
        name = param.text()
        if name in _NOT_FIXTURES:
            return None
        everything = {**self.inherited, **self.fixtures}
        # A fixture's parameter of its own name is the fixture it overrides (a conftest's, or a plugin's).
        fixtures = self.inherited if name == fixture else everything
        if name in fixtures:
            return fixtures[name] if fixtures[name] in FOLLOWED else None
        if name == "client" and everything.get("app") == APP:
            return CLIENT  # pytest-flask's `client`: `app.test_client()` of the project's `app` fixture
        return None

    def value(self, node: SgNode, depth: int = 0) -> str | None:
        """APP, CLIENT, WEBTEST, RESPONSE or a context when `node` evaluates to one, else None."""
        qual = self.qual_at.get(node)
        if qual is not None and qual in FOLLOWED:
            return qual
        kind = node.kind()
        if depth > 32:
            return None
        if kind == "parenthesized_expression":
            inner = node.named_children()
            return self.value(inner[0], depth + 1) if len(inner) == 1 else None
        if kind == "identifier":
            return self._name_value(node, node.text())
        if kind == "attribute":
            return self._attribute_value(node)
        if kind != "call":
            return None
        function = node.field("function")
        if function is None:
            return None
        qual = self.qual_at.get(function)
        if qual is not None:
            if qual.startswith(FACTORY_PREFIX):
                made = qual[len(FACTORY_PREFIX):]
                return made if made in FOLLOWED else None
            if qual in _CLIENT_CLASSES:
                return CLIENT
            if qual == "flask.Flask":
                return APP
            if qual in _WEBTEST_CLASSES:
                wrapped = testsyntax.first_argument(node)
                return WEBTEST if wrapped is not None and self.value(wrapped, depth + 1) == APP else None
        if self._is_cast(function):
            return self._cast_value(node, depth)
        if function.kind() == "attribute":
            target, attr = function.field("object"), function.field("attribute")
            if target is None or attr is None:
                return None
            method = attr.text()
            if target.text() in ("self", "cls") and self.methods:
                returned = self._method_value(node, method)
                if returned is not None:
                    return returned
            if method not in REQUEST_METHODS and method not in WEBTEST_METHODS and method != "test_client" \
                    and method not in _CONTEXTS:
                return None
            held = self.value(target, depth + 1)
            if method == "test_client":
                return CLIENT if held == APP else None
            if method in _CONTEXTS:
                return _CONTEXTS[method] if held == APP else None
            if held == WEBTEST:
                return RESPONSE if method in WEBTEST_METHODS else None
            return RESPONSE if held == CLIENT and method in REQUEST_METHODS else None
        if function.kind() == "identifier" and function.text() in self.helpers \
                and self._name_value(function, function.text()) is None:
            return self.helpers[function.text()]
        if function.kind() == "identifier" and function.text() in self.client_classes \
                and not self._shadowed(function, function.text()):
            return CLIENT  # `AuthenticatedClient(app)`: an instance of a subclass of Flask's client
        if function.kind() == "identifier" and function.text() == "super":
            cls = _enclosing_class(node, self.ctx)
            return CLIENT if cls is not None and cls in self.client_nodes else None
        return None

    def _is_cast(self, function: SgNode) -> bool:
        """`cast` imported from typing, or `typing.cast`."""
        if function.kind() == "identifier":
            return function.text() == "cast" and self.project_imports.get("cast", ("",))[0] in _TYPING
        target, attr = function.field("object"), function.field("attribute")
        return function.kind() == "attribute" and target is not None and attr is not None \
            and attr.text() == "cast" and target.text() in _TYPING

    def _cast_value(self, call: SgNode, depth: int) -> str | None:
        """`cast(X, value)`: a client or response when X names that class (whatever the value), else what
        the value is, unless X names some other class."""
        arguments = call.field("arguments")
        args = [arg for arg in arguments.named_children() if arg.kind() != "comment"] if arguments is not None else []
        if len(args) != 2 or any(arg.kind() in ("keyword_argument", "list_splat", "dictionary_splat") for arg in args):
            return None
        verdict = self._annotated(args[0])
        if verdict in _TYPED:
            return verdict
        return None if verdict == OTHER else self.value(args[1], depth + 1)

    def _name_value(self, node: SgNode, name: str) -> str | None:
        scopes = self.ctx.scopes
        scope = scopes.innermost(node)
        while scope >= 0:
            held = self.values.get(("name", scope, name))
            if held is not None or (scope, name) in self.local:
                return held
            scope = scopes.outer(scope)
        return self.values.get(("name", -1, name))

    def _shadowed(self, node: SgNode, name: str) -> bool:
        """Whether a scope around `node` binds `name` itself (a local that hides the module's helper)."""
        scopes = self.ctx.scopes
        scope = scopes.innermost(node)
        while scope >= 0:
            if (scope, name) in self.local:
                return True
            scope = scopes.outer(scope)
        return False

    def _method_value(self, node: SgNode, method: str) -> str | None:
        """What `self.<method>(...)` returns, for a method of the enclosing class or a base in the file."""
        cls = _enclosing_class(node, self.ctx)
        for holder in self.classes.get(cls, ()) if cls is not None else ():
            if (holder, method) in self.methods:
                return self.methods[(holder, method)]
        return None

    def _attribute_value(self, node: SgNode) -> str | None:
        receiver, attr = node.field("object"), node.field("attribute")
        if receiver is None or attr is None or receiver.text() not in ("self", "cls"):
            return None
        cls = _enclosing_class(node, self.ctx)
        for holder in self.classes.get(cls, ()) if cls is not None else ():
            held = self.values.get(("attr", holder, attr.text()))
            if held is not None:
                return held
        return None

    # -- the uses ----------------------------------------------------------------------------------
    def add_uses(self) -> None:
        ctx, uses = self.ctx, self.uses
        todo: list[Chain] = list(uses.values())
        named = {target[2] for target in self.values if target[0] == "name"}
        if named:
            for node in ctx.root.find_all(kind="identifier", regex=_names_regex(named)):
                if node not in uses and _is_use_site(node, ctx.parents):
                    held = self._name_value(node, node.text())
                    if held is not None:
                        todo.append(self._add(node, held))
                        self._note_origin(node, held)
        for (kind, cls, attr), held in list(self.values.items()):
            if kind != "attr":
                continue
            pattern = rf"^(?:self|cls)\s*\.\s*{re.escape(attr)}$"
            for holder, chain in self.classes.items():
                if cls not in chain:
                    continue
                for node in holder.find_all(kind="attribute", regex=pattern):
                    parent = ctx.parents[node]
                    if node in uses or (parent is not None and parent.kind() == "assignment"
                                        and parent.field("left") == node):
                        continue
                    if self._attribute_value(node) == held:
                        todo.append(self._add(node, held))
        if self.client_nodes and "super" in ctx.text:
            for ident in ctx.root.find_all(kind="identifier", regex="^super$"):  # `super().open(...)` in a subclass
                call = ctx.parents[ident]
                if call is not None and call.kind() == "call" and call.field("function") == ident \
                        and call not in uses and self.value(call) == CLIENT:
                    todo.append(self._add(call, CLIENT))
        for name, calls in self.calls.items():  # `log_in(client).data`: a helper's result used in place
            held = self.helpers.get(name)
            for call in calls if held is not None else ():
                after = ctx.parents[call]
                if call not in uses and after is not None and after.kind() == "attribute" \
                        and after.field("object") == call and not self._shadowed(call, name):
                    todo.append(self._add(call, held))
        # `TokenClient(app).get("/").json`: a client class's instance used in place (one walk for all the classes)
        if self.client_classes:
            for ident in ctx.root.find_all(kind="identifier", regex=_names_regex(set(self.client_classes))):
                call = ctx.parents[ident]
                after = ctx.parents[call] if call is not None else None
                if call is not None and call.kind() == "call" and call.field("function") == ident and call not in uses \
                        and after is not None and after.kind() == "attribute" and after.field("object") == call:
                    todo.append(self._add(call, CLIENT))
        self._mark_pytest_flask()
        self._mark_overrides()
        self._mark_webtest()
        self._mark_base_urls()
        while todo:  # calls that go on: `app.test_client().get("/").json`, `create_app().test_client()`
            for qual, level in todo.pop():
                call = ctx.parents[level]
                if call is None or call.kind() != "call" or call.field("function") != level or call in uses:
                    continue
                made = _call_result(qual)
                after = ctx.parents[call]
                if made is None or after is None or after.kind() != "attribute" or after.field("object") != call:
                    continue
                member = after.field("attribute")
                if made == APP and (member is None or member.text() not in _APP_TEST_MEMBERS):
                    continue
                todo.append(self._add(call, made))

    def _note_origin(self, node: SgNode, held: str) -> None:
        """Say how a parameter was reached (`client`: the Flask test client the `client` fixture gives),
        where the function's own text does not: the findings on it carry the note."""
        scopes, name = self.ctx.scopes, node.text()
        scope = scopes.innermost(node)
        while scope >= 0 and (scope, name) not in self.local:
            scope = scopes.outer(scope)
        origin = self.origins.get((scope, name))
        if origin is not None and held in _KINDS:
            self.ctx.memo.setdefault(VIA, {})[node] = f"`{name}`: the {_KINDS[held]} {origin}"

    def _add(self, node: SgNode, qual: str) -> Chain:
        chain = self.uses[node] = chain_of(node, qual, self.ctx.parents)
        for level_qual, level in chain:
            self.qual_at[level] = level_qual
        return chain

    def _mark_base_urls(self) -> None:
        """The `'http://localhost...'` literals of a test module that uses a Flask or WebTest client: the
        responses' URLs start so there, and with `http://testserver` under TestClient."""
        if "http://localhost" not in self.ctx.text or not is_test_path(self.ctx.path) \
                or not any(qual in (CLIENT, WEBTEST) for qual in self.qual_at.values()):
            return
        for node in self.ctx.root.find_all(kind="string", regex=_BASE_URL_RE):
            if node not in self.uses:
                self.uses[node] = [(BASE_URL, node)]

    def _mark_overrides(self) -> None:
        """The methods of this file's subclasses of Flask's client that override one of Werkzeug's that httpx's
        client does not have (`def open(self, ...)`): each name a use of its own qual, for FMA539."""
        for cls in self.client_classes.values():
            body = cls.field("body") if cls is not None else None
            for statement in body.named_children() if body is not None else ():
                function = statement.field("definition") if statement.kind() == "decorated_definition" else statement
                name = function.field("name") if function is not None and function.kind() == "function_definition" \
                    else None
                if name is not None and name.text() in WERKZEUG_CLIENT_ONLY:
                    self.uses[name] = [(CLIENT_OVERRIDE, name)]

    def _mark_webtest(self) -> None:
        """Each `TestApp(app)` call that wraps a Flask app: a use of its own qual, for FMA505."""
        if "TestApp" not in self.ctx.text:
            return
        for node, qual in list(self.qual_at.items()):
            call = self.ctx.parents[node]
            if qual in _WEBTEST_CLASSES and call is not None and call.kind() == "call" \
                    and call.field("function") == node and self.value(call) == WEBTEST:
                self.uses[call] = [(WEBTEST_OF_APP, call)]

    def _mark_pytest_flask(self) -> None:
        """The parameters pytest-flask fills: `client` where no fixture of the project gives one, and
        `live_server`. Each is a use of its own qual, for rules/testing.py."""
        fixtures = {**self.inherited, **self.fixtures}
        if fixtures.get("app") != APP:
            return
        for function in self.functions:
            fixture = function.fixture
            if fixture is None and not function.name.startswith("test"):
                continue
            for param in function.params:
                available = self.inherited if param.text() == fixture else fixtures
                if param.text() == "live_server" and "live_server" not in available:
                    self.uses[param] = [(PYTEST_FLASK_LIVE_SERVER, param)]
                elif param.text() == "client" and "client" not in available:
                    self.uses[param] = [(PYTEST_FLASK_CLIENT, param)]

    def exports(self) -> dict[str, str]:
        found = {name: FACTORY_PREFIX + qual for name, qual in self.helpers.items() if qual == CLIENT}
        for name, cls in self.client_classes.items():  # an imported one too: `from .conftest import X` re-exports
            holder = self.ctx.parents[cls] if cls is not None else None
            if holder is not None and holder.kind() == "decorated_definition":
                holder = self.ctx.parents[holder]
            if cls is None or (holder is not None and holder.kind() == "module"):
                found[client_class_key(name)] = CLIENT
        attributes: dict[SgNode, dict[str, str]] = {}  # each class's own followed attributes
        for (kind, owner, attr), qual in self.values.items():
            if kind == "attr":
                attributes.setdefault(owner, {})[attr] = qual
        for cls, chain in self.classes.items() if attributes else ():
            name, holder = cls.field("name"), self.ctx.parents[cls]
            if holder is not None and holder.kind() == "decorated_definition":
                holder = self.ctx.parents[holder]
            if name is None or holder is None or holder.kind() != "module":
                continue
            held: dict[str, str] = {}
            for base in reversed(chain):  # the class's own attributes win over its bases'
                held.update(attributes.get(base, {}))
            if held:
                found[attributes_key(name.text())] = encode(held)
        # A conftest under one with Flask fixtures exports its own even when none is Flask's: they override.
        if posixpath.basename(self.ctx.path.replace("\\", "/")) == "conftest.py" and self.fixtures and any(
                qual in FOLLOWED for qual in (*self.fixtures.values(), *self.inherited.values())):
            found[fixtures_key(self.ctx.module)] = encode(self.fixtures)
        return found


def _short(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _source(qual: str) -> bool:
    """Whether a use of `qual` can make or be a followed object (an app, a factory, a client class)."""
    return qual in FOLLOWED or qual in _CLIENT_CLASSES or qual in _TESTCASE_CLASSES or qual == "flask.Flask" \
        or qual in _WEBTEST_CLASSES \
        or (qual.startswith(FACTORY_PREFIX) and qual[len(FACTORY_PREFIX):] in FOLLOWED)


def _call_result(qual: str) -> str | None:
    """What calling the object at a chain level of `qual` gives, when it is followed."""
    if qual.startswith(FACTORY_PREFIX):
        made = qual[len(FACTORY_PREFIX):]
        return made if made in FOLLOWED else None
    if qual == "flask.Flask":
        return APP
    if qual in _CLIENT_CLASSES:
        return CLIENT
    head, _, member = qual.rpartition(".")
    if head == APP and member == "test_client":
        return CLIENT
    if head == CLIENT and member in REQUEST_METHODS:
        return RESPONSE
    if head == WEBTEST and member in WEBTEST_METHODS:
        return RESPONSE
    if head == APP and member in _CONTEXTS:
        return _CONTEXTS[member]
    return None
