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
"""
from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING, Iterator, NamedTuple

from ast_grep_py import SgNode

from . import names, testsyntax
from .attributes import _enclosing_class
from .bindings import FACTORY_PREFIX, VIA, _is_use_site, _names_regex, chain_of
from .pytest_fixtures import (APP, FOLLOWED, UNKNOWN, attributes_key, encode, fixture_name, fixtures_key,
                              imported_class_attributes, inherited_fixtures, usefixtures_named)
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
REQUEST_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "trace", "open"})
_CLIENT_CLASSES = frozenset({"flask.testing.FlaskClient", "werkzeug.test.Client", "werkzeug.Client"})
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
    if not inherited and not based and not (any(word in ctx.text for word in _WORDS) and any(
            _source(qual) for chain in uses.values() for qual, _ in chain)):
        return {}  # nothing here can make an app or a client: most modules with a `fixture`
    follower = _Follower(ctx, uses, inherited, based)
    follower.solve()
    follower.add_uses()
    return follower.exports()


class _Function(NamedTuple):
    node: SgNode
    number: int  # its scope number (`ScopeSpans`)
    name: str
    fixture: str | None  # the fixture's name, for a fixture (only a module-level one is shared)
    top: bool  # module-level
    owner: SgNode | None  # the class, for a method
    exits: list[SgNode]  # what it returns or yields (module-level functions and methods only)
    params: list[SgNode]  # the parameters pytest may fill (`testsyntax.parameters`)


Target = tuple  # ("name", scope number, name), ("attr", class node, attribute) or ("fixture-attr", fixture, attribute)


class _Follower:
    def __init__(self, ctx: FileContext, uses: dict[SgNode, Chain], inherited: dict[str, str],
                 based: dict[str, dict[str, str]]) -> None:
        self.ctx, self.uses, self.inherited, self.based = ctx, uses, inherited, based
        self.qual_at: dict[SgNode, str] = {node: qual for chain in uses.values() for qual, node in chain}
        self.values: dict[Target, str] = {}  # what each name or attribute holds (FOLLOWED only)
        self.local: set[tuple[int, str]] = set()  # every (scope, name) some site or parameter binds
        self.fixtures: dict[str, str] = {}  # this module's fixtures -> qual or UNKNOWN
        self.helpers: dict[str, str] = {}  # module-level functions whose calls return a followed object
        self.pytest_flask: list[SgNode] = []  # parameters that pytest-flask's `client` fills
        self.live_servers: list[SgNode] = []
        self.classes = self._classes()
        self.sites = self._sites()
        self.functions = self._functions()
        self.methods: dict[tuple[SgNode, str], str] = {}  # (class, method) -> what its calls return
        self.origins: dict[tuple[int, str], str] = {}  # (scope, parameter) -> where its value comes from
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
            seen, todo = [cls], [cls]
            while todo:
                for base in bases.get(todo.pop(), ()):
                    parent = by_name.get(base)
                    if parent is not None and parent not in seen:
                        seen.append(parent)
                        todo.append(parent)
            found[cls] = seen
        return found

    def _sites(self) -> list[tuple[Target, SgNode]]:
        """(target, value) of every assignment to a plain name or a `self.`/`cls.` attribute, and of
        every `with value as name`."""
        sites: list[tuple[Target, SgNode]] = []
        for node in self.ctx.root.find_all({"rule": {"any": [{"kind": "assignment"}, {"kind": "as_pattern"}]}}):
            if node.kind() == "assignment":
                left, right = node.field("left"), node.field("right")
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
            params = list(testsyntax.parameters(function))
            for param in params:
                self.local.add((number, param.text()))
            # Only module-level functions and methods are fixtures and helpers: only their exits are read.
            found.append(_Function(function, number, name.text(), fixture, top, owner,
                                   list(testsyntax.exits(function)) if top or owner is not None else [], params))
        return found

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
                one = exits.pop() if len(exits) == 1 else None
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
                one = exits.pop() if len(exits) == 1 else None
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
        return None

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
        for name, calls in self.calls.items():  # `log_in(client).data`: a helper's result used in place
            held = self.helpers.get(name)
            for call in calls if held is not None else ():
                after = ctx.parents[call]
                if call not in uses and after is not None and after.kind() == "attribute" \
                        and after.field("object") == call and not self._shadowed(call, name):
                    todo.append(self._add(call, held))
        self._mark_pytest_flask()
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
        for cls, chain in self.classes.items():
            name, holder = cls.field("name"), self.ctx.parents[cls]
            if holder is not None and holder.kind() == "decorated_definition":
                holder = self.ctx.parents[holder]
            if name is None or holder is None or holder.kind() != "module":
                continue
            held: dict[str, str] = {}
            for base in reversed(chain):  # the class's own attributes win over its bases'
                held.update((attr, qual) for (kind, owner, attr), qual in self.values.items()
                            if kind == "attr" and owner is base)
            if held:
                found[attributes_key(name.text())] = encode(held)
        # A conftest under one with Flask fixtures exports its own even when none is Flask's: they override.
        if posixpath.basename(self.ctx.path.replace("\\", "/")) == "conftest.py" and self.fixtures and any(
                qual in FOLLOWED for qual in (*self.fixtures.values(), *self.inherited.values())):
            found[fixtures_key(self.ctx.module)] = encode(self.fixtures)
        return found


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
