"""What a view reads from the request: the query string, form fields and the JSON body, as parameters.

- `request.args.get(key, default, type=)` / `.getlist(key[, type=])` become query parameters, `request.form...`
  the same as `Form()` parameters, with Flask's default and conversion (below); `request.args[key]` / `request.form[key]`
  and a form's text `.get(key[, default])` become a list parameter of which Werkzeug's first value is read,
  and a missing `[key]` answers 400 as Werkzeug did (`werkzeug_first`, written into the module): FastAPI's
  scalar `Form()` takes an empty field as missing, where Werkzeug gave "";
- `request.files[key]` / `.get(key)` (FMA203) becomes an `UploadFile` parameter, handed to the view as the
  Werkzeug `FileStorage` Flask gave it, built by a helper written into the module from the upload's stream
  and part headers (Werkzeug used as a library, as Werkzeug's form parser builds it): `.filename`,
  `.save()`, `.mimetype`, `.content_length` answer as before, and helpers typed against `FileStorage`
  (FMA230) keep working. Not from `UploadFile.filename`: python-multipart drops a Windows path from it
  (`C:\\x\\a.png` is `a.png`), which Werkzeug kept. The parameter is a list, of which Werkzeug's first file
  under the key is taken (a FastAPI scalar would be the last). A plain (non-file) field sent under the
  key answers 422, where Werkzeug's `files` did not see it. In a view that also answers GET (branching on
  `request.method`), the parameter defaults to no file, since a GET sends no form, and `files[key]` becomes
  `werkzeug_file_item(...)`, which answers 400 itself for a missing file as Werkzeug did (its body JSON, said in
  a TODO); FastAPI then parses a form body on every method, so a GET whose body is a malformed multipart form
  answers 400 where Flask, not reading it there, answered the view;
- `request.get_data()` (FMA205) becomes a `bytes` parameter filled by a dependency written into the module,
  `await request.body()`: the raw body, as Werkzeug read it when nothing had parsed the form first (the view
  reads no form, file, value or JSON besides); the view stays a plain `def`, run in the thread pool as
  before. `request.data` is left: Werkzeug answers it empty for a form body, which it parses;
- `request.get_json()` / `request.json` becomes a parameter filled by a `request_json` dependency written into
  the module, which reads the body as Flask's get_json() did: 415 unless the Content-Type is JSON, 400 for
  a body that does not parse, else whatever JSON value it holds (`null`, a string: not only objects). The
  statuses are Flask's; the error bodies are FastAPI's JSON `{"detail": ...}` where Flask's were HTML pages
  (said in a TODO above the view). A FastAPI `Body()` parameter would answer 422 for all three.
  `request.get_json(silent=True)` becomes one a `request_json_silent` dependency fills as Werkzeug's silent
  reading did: the JSON value where the Content-Type is JSON and the body parses, else None (no error answer,
  so no TODO); a view reading the body both ways stays (Werkzeug caches the two readings apart);
- `request.values.get(key[, default])` / `.getlist(key)` (FMA206), Werkzeug's `CombinedMultiDict([args,
  form])`, becomes two list parameters, `key_args` (the query string) and `key_form` (the form, only where
  the view does not answer GET: Werkzeug leaves the form out of GET's `values`), read as Werkzeug reads
  them: the first value of the query string, else of the form, else the default; `getlist` both, query
  string first. Lists, because FastAPI's scalar parameter takes the last of repeated values.

Flask's `MultiDict.get` gives the default when the key is missing, and also when `type` fails to convert
the value (ValueError or TypeError), where a typed FastAPI parameter answers 422 (the request-args proof's
hand-written app documents it): so a read with `type=` (other than `str`) becomes a list of the strings sent
(`{key}_args` / `{key}_form`), converted in the view by `werkzeug_get` / `werkzeug_getlist`, written into the
module, as Werkzeug converted them (the first value; getlist leaves out what does not convert). A read without
`type=` converts nothing, so it stays a plain typed parameter. Only literal defaults are ported: a default
expression runs on every request in Flask, once at import in a signature.
"""
from __future__ import annotations

import json
import keyword
from typing import Any

from ast_grep_py import SgNode

from . import codes
from ..rules.request import VALUES
from .edits import NotPortable, PortedFile, Site, enclosing_function, literal
from .routes import Route, arguments, call_of, define_standalone
from ..scopes import span

TYPES = {"int": "int", "float": "float", "str": "str"}
# code -> (the request attribute, the FastAPI marker its parameters need: plain for the query string)
SOURCES = {codes.ARGS: ("args", "Query"), codes.FORM_FIELDS: ("form", "Form"), codes.UPLOADS: ("files", "File"),
           codes.RAW: ("get_data", "Depends")}
# The dependency a view's `request.get_data()` becomes (a coroutine, so the view itself stays a plain def).
BODY_HELPER = "request_body"
BODY_HELPER_TEXT = '''
async def request_body(request: Request) -> bytes:
    """The raw request body, as Werkzeug's request.get_data() gave it."""
    return await request.body()
'''
# What else reads the body: with one of them in the view, Werkzeug's get_data() answered otherwise (empty after
# a form was parsed), and FastAPI reads the body for its own parameters.
_BODY_READERS = (codes.FORM_FIELDS, codes.UPLOADS, codes.BODY, VALUES.code)
# The helper written into a module whose views read request.files; Werkzeug decodes a part's headers as UTF-8
# (werkzeug/sansio/multipart.py), Starlette's Headers as Latin-1.
FILE_HELPER = "werkzeug_file"
FILE_HELPER_TEXT = '''
def werkzeug_file(uploads: list[UploadFile], name: str) -> FileStorage | None:
    """The FileStorage Werkzeug's form parser made of the form's first `name` part (None without one): the
    upload's stream, and the file name and headers read from the part's headers as Werkzeug read them."""
    if not uploads:
        return None
    upload = uploads[0]
    headers = Headers(
        [
            (key, value.encode("latin-1").decode())
            for key, value in upload.headers.items()
        ]
    )
    filename = parse_options_header(headers.get("content-disposition"))[1].get(
        "filename"
    )
    return FileStorage(upload.file, filename, name, headers=headers)
'''
# `request.files[key]` in a view that also answers GET: the list parameter has a default (a GET sends no form), so
# a missing file answers 400 from here, as Werkzeug's BadRequestKeyError did, rather than FastAPI's 422.
FILE_ITEM_HELPER = "werkzeug_file_item"
FILE_ITEM_HELPER_TEXT = '''
def werkzeug_file_item(uploads: list[UploadFile], name: str) -> FileStorage:
    """request.files[name] as Werkzeug read it: the FileStorage of the form's first `name` part, or 400 Bad
    Request (Werkzeug's BadRequestKeyError) when none was sent."""
    storage = werkzeug_file(uploads, name)
    if storage is None:
        raise HTTPException(status_code=400, detail=f"Bad Request: {name!r}")
    return storage
'''
FILE_ITEM_DIFFERS = ("Flask answered 400 with an HTML page when the file was not sent; werkzeug_file_item answers "
                     "400 with JSON {\"detail\": ...}.")
FILE_MISSING_DIFFERS = ("Flask answered 400 (an HTML page) when the file was not sent; FastAPI answers 422 with "
                        "the validation error (the request-files proof documents this difference).")
BODY_DIFFERS = ("Flask answered a body that is not JSON (415) or does not parse (400) with an HTML page; request_json "
                "answers the same statuses with JSON {\"detail\": ...}. A Pydantic model of the fields the view reads "
                "is the next step (it answers 422 where the view would fail on a missing or mistyped field).")
# The dependency a view's `request.get_json()` becomes; Werkzeug's is_json and get_json (werkzeug/sansio/request.py,
# werkzeug/wrappers/request.py, flask/wrappers.py, 3.1), with its 415 message.
JSON_HELPER = "request_json"
JSON_HELPER_TEXT = '''
async def request_json(request: Request) -> Any:
    """The body as Flask's request.get_json() read it: 415 unless the Content-Type is JSON (application/json
    or application/*+json), 400 when it does not parse, else the JSON value."""
    mimetype = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if mimetype != "application/json" and not (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    ):
        raise HTTPException(
            status_code=415,
            detail="Did not attempt to load JSON data because the request "
            "Content-Type was not 'application/json'.",
        )
    try:
        return loads(await request.body())
    except ValueError:
        raise HTTPException(status_code=400, detail="Bad Request") from None
'''
JSON_MARK = f"Depends({JSON_HELPER})]"
# The dependency `request.get_json(silent=True)` becomes: Werkzeug's get_json with silent=True (the same is_json
# test, the same parse) answers None where get_json() raised, without on_json_loading_failed; so no error answer.
SILENT_HELPER = "request_json_silent"
SILENT_HELPER_TEXT = '''
async def request_json_silent(request: Request) -> Any:
    """The body as Flask's request.get_json(silent=True) read it: None unless the Content-Type is JSON
    (application/json or application/*+json) and the body parses, else the JSON value."""
    mimetype = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if mimetype != "application/json" and not (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    ):
        return None
    try:
        return loads(await request.body())
    except ValueError:
        return None
'''
SILENT_MARK = f"Depends({SILENT_HELPER})]"


def reads_json(file: PortedFile, function: SgNode) -> bool:
    """True when the view's JSON body is already a parameter (get_json(), or get_json(silent=True))."""
    return any(JSON_MARK in text or SILENT_MARK in text for text in file.signature(function).added.values())
BODY = "payload"  # the body parameter's name when the view does not assign the body to a name of its own


def _view(file: PortedFile, node: SgNode, views: dict[int, Route]) -> tuple[SgNode, Route]:
    function = enclosing_function(node)
    if function is not None and function.range().start.index not in views and streamed_in_context(function):
        function = enclosing_function(function)  # a generator the view streams with the request's context
    if function is None or function.range().start.index not in views:
        raise NotPortable("outside a ported view function")
    return function, views[function.range().start.index]


def streamed_in_context(function: SgNode) -> bool:
    """True for a generator defined in a function (the view) that uses it only as `stream_with_context(f(...))`:
    Flask kept the request for it while the response streamed, so what it reads of the request is what the view
    would have read (the query string, the form, the body do not change)."""
    view = enclosing_function(function)
    name = function.field("name")
    body = view.field("body") if view is not None else None
    if view is None or name is None or body is None or function.parent() != body and not (
            function.parent() is not None and function.parent().parent() == body):  # type: ignore[union-attr]
        return False
    if not any(enclosing_function(y) == function for y in function.find_all(kind="yield")):
        return False
    uses = [n for n in body.find_all(kind="identifier") if n.text() == name.text() and n != name]
    for use in uses:
        call = use.parent()
        arguments_node = call.parent() if call is not None and call.kind() == "call" else None
        outer = arguments_node.parent() if arguments_node is not None else None
        if outer is None or outer.kind() != "call" or outer.field("function").text() != "stream_with_context" \
                or len(arguments_node.named_children()) != 1:  # type: ignore[union-attr]
            return False
    return bool(uses)


def _read(site: Site) -> tuple[SgNode, str, dict[str, SgNode]]:
    """The read expression, its method (`get`, `getlist`, `[]`) and its arguments by name."""
    parent = site.node.parent()
    if parent is not None and parent.kind() == "subscript" and parent.field("value") == site.node:
        return parent, "[]", {"key": parent.field("subscript")}  # type: ignore[dict-item]
    call = call_of(parent) if parent is not None and parent.kind() == "attribute" else None
    method = parent.field("attribute").text() if call is not None else ""  # type: ignore[union-attr]
    if call is None or method not in ("get", "getlist"):
        raise NotPortable("only .get(...), .getlist(...) and [key] reads are ported")
    positional, keywords = arguments(call)
    names = ["key", "default", "type"] if method == "get" else ["key", "type"]
    if len(positional) > len(names) or set(keywords) - set(names) or set(keywords) & set(names[: len(positional)]):
        raise NotPortable("arguments the port does not know")
    return call, method, {**dict(zip(names, positional)), **keywords}



def _key_and_default(given: dict[str, SgNode]) -> tuple[str, object]:
    """The literal key of a read, a Python name since it becomes a parameter, and its literal default."""
    try:
        key = literal(given.get("key"))
        default = literal(given["default"]) if "default" in given else None
    except ValueError:
        raise NotPortable("the key or default is not a literal") from None
    if not isinstance(key, str) or not key.isidentifier() or keyword.iskeyword(key):
        raise NotPortable("the key is not a Python name, so it cannot be a parameter name")
    return key, default

def port_field(file: PortedFile, site: Site, views: dict[int, Route]) -> None:
    """One query-string, form or file read inside a ported view -> a parameter of the view."""
    _, marker = SOURCES[site.code]
    if marker == "File":
        _port_upload(file, site, views)
        return
    if marker == "Depends":
        _port_raw_body(file, site, views)
        return
    read, method, given = _read(site)
    function, route = _view(file, read, views)
    key, default = _key_and_default(given)
    type_name = given["type"].text() if "type" in given else "str"
    if type_name != "str":  # a conversion that can fail: Werkzeug's default (or leaving out), not a 422
        _port_converted(file, site, function, read, method, key, default, given["type"], marker)
        return
    annotation = TYPES[type_name]
    form = marker == "Form"
    if method == "[]" or form and method == "get" and annotation == "str":
        _port_first(file, site, function, read, method, key, default, marker)
        return
    if method == "getlist" or form:
        kind = f"list[{annotation}]" if method == "getlist" else annotation
        typed = f"Annotated[{kind}, {marker}()]"
        file.use("typing", "Annotated")
        file.use("fastapi", marker)
    else:
        typed = annotation
    text = _parameter(key, typed, annotation, method, default)
    _add(file, function, key, text, read)
    _replace_read(file, read, key)
    site.handled = True


# The helper `request.args[key]` / `request.form[key]` become.
FIRST_HELPER = "werkzeug_first"
FIRST_HELPER_TEXT = '''
def werkzeug_first(values: list[str], key: str) -> str:
    """request.args[key] / request.form[key] as Werkzeug read them: the first value sent under the key, or
    400 Bad Request (Werkzeug's BadRequestKeyError) when none was."""
    if not values:
        raise HTTPException(status_code=400, detail=f"Bad Request: {key!r}")
    return values[0]
'''


# The helpers `.get(key, default, type=)` / `.getlist(key, type=)` become: Werkzeug's MultiDict.get and getlist
# (werkzeug/datastructures/structures.py, 3.1), which catch ValueError and TypeError from the conversion.
GET_HELPER = "werkzeug_get"
GET_HELPER_TEXT = '''
def werkzeug_get(values: list[str], default: Any, type: Any) -> Any:
    """`.get(key, default, type=type)` of Werkzeug's MultiDict (the query string, the form): the first value
    sent under the key converted with `type`, or the default when none was sent or the conversion raised
    ValueError or TypeError."""
    if not values:
        return default
    try:
        return type(values[0])
    except (ValueError, TypeError):
        return default
'''
GETLIST_HELPER = "werkzeug_getlist"
GETLIST_HELPER_TEXT = '''
def werkzeug_getlist(values: list[str], type: Any) -> list[Any]:
    """`.getlist(key, type=type)` of Werkzeug's MultiDict (the query string, the form): every value sent
    under the key converted with `type`, leaving out those whose conversion raised ValueError or TypeError."""
    converted = []
    for value in values:
        try:
            converted.append(type(value))
        except (ValueError, TypeError):
            pass
    return converted
'''


def _port_converted(file: PortedFile, site: Site, function: SgNode, read: SgNode, method: str, key: str,
                    default: Any, type_node: SgNode, marker: str) -> None:
    """`.get(key, default, type=T)` / `.getlist(key, type=T)`: every value sent under the key as a list of
    strings (`{key}_args` / `{key}_form`: nothing FastAPI validates, so no 422), converted in the view as
    Werkzeug converted it (`werkzeug_get` / `werkzeug_getlist`): the first value, the default when it does not
    convert (`?page=x`, `?page=`), and the conversion the view named, evaluated where Flask evaluated it."""
    if type_node.kind() not in ("identifier", "attribute"):
        raise NotPortable("type= is not a name")
    helper, text = (GET_HELPER, GET_HELPER_TEXT) if method == "get" else (GETLIST_HELPER, GETLIST_HELPER_TEXT)
    if file.bound.get(helper) not in (None, file.path):
        raise NotPortable(f"the module binds {helper} to something else")
    name = f"{key}_{SOURCES[site.code][0]}"
    file.use("typing", "Annotated", "Any")
    file.use("fastapi", marker)
    _add(file, function, name, f"{name}: Annotated[list[str], {marker}(alias={json.dumps(key)})] = []", read)
    define_standalone(file, helper, text)
    if method == "get":
        fallback = json.dumps(default) if isinstance(default, str) else repr(default)
        file.replace(read, f"{helper}({name}, {fallback}, {file.rendered(type_node)})")
    else:
        file.replace(read, f"{helper}({name}, {file.rendered(type_node)})")
    site.handled = True


def _port_first(file: PortedFile, site: Site, function: SgNode, read: SgNode, method: str, key: str, default: Any,
                marker: str) -> None:
    """`[key]`, and a form's `.get(key[, default])`: every value sent under the key as a list parameter
    (`{key}_args` / `{key}_form`), of which the first is read, as Werkzeug's MultiDict does. A scalar
    parameter would answer otherwise: the last of repeated values; for a form, FastAPI takes an empty
    field (`email=`, what a browser sends for an empty input) as missing, where Werkzeug gives ""; and a
    missing `[key]` would answer 422, where Werkzeug answered 400."""
    if method == "get" and not isinstance(default, (str, type(None))):
        raise NotPortable(f"the default {default!r} is not of the parameter's type str")
    name = f"{key}_{SOURCES[site.code][0]}"
    if method == "[]" and file.bound.get(FIRST_HELPER) not in (None, file.path):
        raise NotPortable(f"the module binds {FIRST_HELPER} to something else")
    file.use("typing", "Annotated")
    file.use("fastapi", marker, *(("HTTPException",) if method == "[]" else ()))
    _add(file, function, name, f"{name}: Annotated[list[str], {marker}(alias={json.dumps(key)})] = []", read)
    if method == "[]":
        define_standalone(file, FIRST_HELPER, FIRST_HELPER_TEXT)
        file.replace(read, f"{FIRST_HELPER}({name}, {json.dumps(key)})")
    else:
        fallback = json.dumps(default) if isinstance(default, str) else "None"
        file.replace(read, f"({name} or [{fallback}])[0]")
    site.handled = True


def _port_upload(file: PortedFile, site: Site, views: dict[int, Route]) -> None:
    """`request.files[key]` / `.get(key)` -> an `UploadFile` parameter, made the `FileStorage` Werkzeug's form
    parser made of the same part (its stream, file name, field name and headers), so the view and the helpers
    it hands the file to see what they saw in Flask."""
    read, method, given = _read(site)
    function, route = _view(file, read, views)
    if method == "getlist" or "default" in given or "type" in given:
        raise NotPortable("only request.files[key] and request.files.get(key) are ported")
    # a view that also answers GET (branching on request.method, FMA103): the parameter has a default, since a GET
    # sends no form, and files[key] answers 400 itself when the file is missing (werkzeug_file_item)
    answers_get = "GET" in route.methods
    key, _ = _key_and_default(given)
    if reads_json(file, function):
        raise NotPortable("the view also reads a JSON body, which Werkzeug answers 415 beside a form")
    file.use("fastapi", "UploadFile")
    file.use("werkzeug.datastructures", "FileStorage", "Headers")
    file.use("werkzeug.http", "parse_options_header")
    if file.bound.get(FILE_HELPER) not in (None, file.path):
        raise NotPortable(f"the module binds {FILE_HELPER} to something else")
    if answers_get and method == "[]" and file.bound.get(FILE_ITEM_HELPER) not in (None, file.path):
        raise NotPortable(f"the module binds {FILE_ITEM_HELPER} to something else")
    # a list: Werkzeug's `files[key]` is the first file sent under the key, a FastAPI scalar the last
    required = method == "[]" and not answers_get
    _add(file, function, key, f"{key}: list[UploadFile]" if required else f"{key}: list[UploadFile] = []", read)
    define_standalone(file, FILE_HELPER, FILE_HELPER_TEXT)
    if method == "[]" and answers_get:
        file.use("fastapi", "HTTPException")
        define_standalone(file, FILE_ITEM_HELPER, FILE_ITEM_HELPER_TEXT)
        file.replace(read, f"{FILE_ITEM_HELPER}({key}, {json.dumps(key)})")
        file.todo(site, FILE_ITEM_DIFFERS)
    else:
        file.replace(read, f"{FILE_HELPER}({key}, {json.dumps(key)})")
    if required:
        file.todo(Site(site.code, function, site.advice), FILE_MISSING_DIFFERS)
    site.handled = True


def _port_raw_body(file: PortedFile, site: Site, views: dict[int, Route]) -> None:
    """`request.get_data()` -> a parameter the `request_body` dependency fills with the raw body."""
    call = call_of(site.node) if site.node.kind() == "attribute" else None
    if call is None or site.node.field("attribute").text() != "get_data":  # type: ignore[union-attr]
        raise NotPortable("only request.get_data() is ported: request.data is empty for a form body in Werkzeug")
    if arguments(call) != ([], {}):
        raise NotPortable("get_data() with as_text=, cache= or parse_form_data= answers otherwise")
    function, _ = _view(file, call, views)
    others = [s for s in file.sites_in(function) if s.code in _BODY_READERS
              or s.code == codes.RAW and s.node.text() != "request.get_data"]
    if others:
        raise NotPortable(f"the view also reads the body otherwise ({others[0].node.text()}), which Werkzeug's "
                          "get_data() answered after, and FastAPI reads for its own parameters")
    if file.bound.get(BODY_HELPER) not in (None, file.path):
        raise NotPortable(f"the module binds {BODY_HELPER} to something else")
    file.use("typing", "Annotated")
    file.use("fastapi", "Depends", "Request")
    added = file.signature(function).added
    name = next((key for key, text in added.items() if text.endswith(f"Depends({BODY_HELPER})]")), None)
    if name is None:  # the view's first get_data(): the parameter, named as what it is assigned to
        assignment = call.parent()
        name = "body"
        if assignment is not None and assignment.kind() == "assignment" and assignment.field("right") == call \
                and assignment.field("left").kind() == "identifier":  # type: ignore[union-attr]
            name = assignment.field("left").text()  # type: ignore[union-attr]
        _add(file, function, name, f"{name}: Annotated[bytes, Depends({BODY_HELPER})]", call)
    define_standalone(file, BODY_HELPER, BODY_HELPER_TEXT)
    _replace_read(file, call, name)
    site.handled = True


def port_datastructures(file: PortedFile) -> None:
    """Werkzeug's data structures (FMA230) that stay right in a module whose request files all reach its views
    as FileStorage (`werkzeug_file`, written by this port or a port before): `FileStorage` anywhere in it
    (code typed against it gets one), and what the helper itself uses. Other structures (`Headers` typed
    against `request.headers`, which is Starlette's now) are left."""
    helper = next((node for node in file.root.children() if node.kind() == "function_definition"
                   and node.field("name").text() == FILE_HELPER), None)  # type: ignore[union-attr]
    if helper is not None and helper.text().strip() != FILE_HELPER_TEXT.strip():
        return  # the module's own function of that name
    uploads = file.sites_of(codes.UPLOADS)
    if not all(site.handled for site in uploads) or not (uploads or helper is not None):
        return
    start, end = span(helper) if helper is not None else (-1, -1)
    for site in file.sites_of(codes.DATASTRUCTURE):
        inside = start <= span(site.node)[0] and span(site.node)[1] <= end
        if inside or site.node.text() == "FileStorage" and file.bound.get("FileStorage") == "werkzeug.datastructures":
            site.handled = True


def _parameter(key: str, typed: str, annotation: str, method: str, default: Any) -> str:
    if method == "getlist":
        return f"{key}: {typed} = []"
    if method == "[]":
        return f"{key}: {typed}"
    if default is None:
        return f"{key}: {typed.replace(annotation, f'{annotation} | None', 1)} = None"
    if type(default).__name__ != annotation:
        raise NotPortable(f"the default {default!r} is not of the parameter's type {annotation}")
    return f"{key}: {typed} = {json.dumps(default) if isinstance(default, str) else repr(default)}"


def _add(file: PortedFile, function: SgNode, key: str, text: str, read: SgNode | None = None) -> None:
    """Give the view the parameter `key`; NotPortable when the name is taken: by a parameter, or by a name
    the view binds itself (`ok = request.args.get("ok") == "1"`: the parameter would be overwritten, and
    the other reads of the key would see the view's value), except the `key = <read>` statement the
    parameter replaces."""
    signature = file.signature(function)
    memo = ("parameters", function.range().start.index)
    if memo not in file.memo:  # once per view, however many reads it has
        file.memo[memo] = parameter_names(function), bound_names(function)
    existing, bound = file.memo[memo]
    if key in existing or signature.added.get(key, text) != text:
        raise NotPortable(f"the view already has a parameter {key} (or reads the key differently elsewhere)")
    if len(bound.get(key, ())) > (1 if read is not None and _assigned_to(read) == key else 0):
        raise NotPortable(f"the view binds the name {key} itself, which the parameter would be")
    signature.added[key] = text


def _assigned_to(read: SgNode) -> str | None:
    """The name of `name = read`, where the read is the whole right side."""
    assignment = read.parent()
    if assignment is not None and assignment.kind() == "assignment" and assignment.field("right") == read \
            and assignment.field("left").kind() == "identifier":  # type: ignore[union-attr]
        return assignment.field("left").text()  # type: ignore[union-attr]
    return None


# Where a name is bound: the field holding its target(s).
_TARGETS = {"assignment": "left", "augmented_assignment": "left", "for_statement": "left",
            "for_in_clause": "left", "named_expression": "name", "as_pattern_target": None}


def bound_names(function: SgNode) -> dict[str, list[int]]:
    """Where the view (or the module, with every function in it) binds each name (assignments, loop and
    `with`/`except` targets, walrus, nested definitions, imports), by the offsets of the targets."""
    counts: dict[str, list[int]] = {}

    def targets(node: SgNode | None) -> None:
        if node is None:
            return
        if node.kind() == "identifier":
            counts.setdefault(node.text(), []).append(span(node)[0])
        elif node.kind() in ("pattern_list", "tuple_pattern", "list_pattern", "tuple", "list", "list_splat_pattern",
                             "parenthesized_expression", "as_pattern_target"):
            for child in node.named_children():
                targets(child)

    body = function if function.kind() == "module" else function.field("body")
    for kind, field_name in _TARGETS.items():
        for node in body.find_all(kind=kind) if body is not None else ():
            targets(node.field(field_name) if field_name else node)
    for kind in ("function_definition", "class_definition"):
        for node in body.find_all(kind=kind) if body is not None else ():
            targets(node.field("name"))
    for kind in ("import_statement", "import_from_statement"):
        for node in body.find_all(kind=kind) if body is not None else ():
            for item in node.named_children():
                local = item.field("alias") if item.kind() == "aliased_import" else item
                if local is not None and local.kind() == "dotted_name" and item is not node.field("module_name"):
                    targets(local.named_children()[0] if local.named_children() else None)
                elif local is not None and local.kind() == "identifier":
                    targets(local)
    return counts


def parameter_names(function: SgNode) -> set[str]:
    parameters = function.field("parameters")
    existing = {p.text() for p in parameters.named_children() if p.kind() == "identifier"} if parameters else set()
    existing |= {p.field("name").text() for p in parameters.named_children()  # type: ignore[union-attr]
                 if p.kind() == "default_parameter"} if parameters else set()
    return existing


def port_values(file: PortedFile, site: Site, views: dict[int, Route]) -> None:
    """`request.values.get(key[, default])` / `.getlist(key)` -> the query string's and the form's values."""
    read, method, given = _read(site)
    function, route = _view(file, read, views)
    if method == "[]":
        raise NotPortable("a missing key answered 400 in Flask, a missing required parameter 422 in FastAPI")
    if "type" in given:
        raise NotPortable("type= gave the default when a value did not convert; FastAPI answers 422")
    key, default = _key_and_default(given)
    if not isinstance(default, (str, int, float, bool, type(None))):
        raise NotPortable("the default is not a plain literal")
    sources = [("args", "Query")] + ([] if "GET" in route.methods else [("form", "Form")])
    if reads_json(file, function):
        raise NotPortable("the view also reads a JSON body, which Werkzeug answers 415 beside a form")
    file.use("typing", "Annotated")
    names = []
    for suffix, marker in sources:
        file.use("fastapi", marker)
        name = f"{key}_{suffix}"
        text = f"{name}: Annotated[list[str], {marker}(alias={json.dumps(key)})] = []"
        signature = file.signature(function)
        if signature.added.get(name, text) != text:
            raise NotPortable(f"the view already has a parameter {name}")
        if signature.added.get(name) is None:
            _add(file, function, name, text)
        names.append(name)
    if method == "getlist":
        file.replace(read, "(" + " + ".join(names) + ")")
    else:
        fallback = json.dumps(default) if isinstance(default, str) else repr(default)
        file.replace(read, "(" + " or ".join(names) + f" or [{fallback}])[0]")
    site.handled = True


def port_body(file: PortedFile, site: Site, views: dict[int, Route]) -> None:
    """`request.get_json()` / `request.json` -> a parameter the `request_json` dependency fills;
    `request.get_json(silent=True)` -> one `request_json_silent` fills (None where get_json() answered 415 or 400)."""
    node = site.node
    read = call_of(node) if node.text().endswith("get_json") else node
    silent = read is not None and read.kind() == "call" and _silent_only(read)
    if read is None or (read.kind() == "call" and not silent and arguments(read) != ([], {})):
        raise NotPortable("get_json() with force=, cache= or silent= other than silent=True answers differently")
    function, _ = _view(file, read, views)
    if any("Form(" in text or "UploadFile" in text for text in file.signature(function).added.values()):
        raise NotPortable("the view also reads form fields or files, which Werkzeug answers beside a JSON body "
                          "otherwise than FastAPI")
    helper, mark = (SILENT_HELPER, SILENT_MARK) if silent else (JSON_HELPER, JSON_MARK)
    other = JSON_MARK if silent else SILENT_MARK
    if any(other in text for text in file.signature(function).added.values()):
        # Werkzeug caches the silent and the plain reading apart (get_json() still raises after a silent None)
        raise NotPortable("the view reads the JSON body both with and without silent=True")
    if file.bound.get(helper) not in (None, file.path):
        raise NotPortable(f"the module binds {helper} to something else")
    file.use("typing", "Annotated", "Any")
    file.use("json", "loads")
    file.use("fastapi", "Depends", "Request")
    if not silent:
        file.use("fastapi", "HTTPException")
    added = file.signature(function).added
    name = next((key for key, text in added.items() if text.endswith(mark)), None)
    if name is None:  # the view's first read: the parameter, named as what it is assigned to
        name = _assigned_to(read) or BODY
        _add(file, function, name, f"{name}: Annotated[Any, {mark}", read)
        if not silent:  # silent=True answers no error of its own
            file.todo(Site(site.code, function, site.advice), BODY_DIFFERS)
    define_standalone(file, helper, SILENT_HELPER_TEXT if silent else JSON_HELPER_TEXT)
    _replace_read(file, read, name)
    site.handled = True


def _silent_only(call: SgNode) -> bool:
    """`get_json(silent=True)`: the one keyword, the literal True (cache=True is the default; force= reads any body)."""
    try:
        positional, keywords = arguments(call)
    except NotPortable:
        return False
    return not positional and set(keywords) == {"silent"} and keywords["silent"].text() == "True"


def starlette_request(file: PortedFile, function: SgNode) -> None:
    """Give the view a `request: Request` parameter (templates and URLs need it); NotPortable while the view
    still reads Flask's `request`, which the parameter would hide, or has a parameter of that name."""
    if any(not s.handled and s.node.text().split(".")[0] == "request" for s in file.sites_in(function)):
        raise NotPortable("the view still reads Flask's request, which a `request: Request` parameter would hide")
    parameters = function.field("parameters")
    if parameters is not None and any(p.text() == "request" for p in parameters.find_all(kind="identifier")):
        raise NotPortable("the view already has a parameter named request")
    file.use("fastapi", "Request")
    file.signature(function).added["request"] = "request: Request"


def _replace_read(file: PortedFile, read: SgNode, key: str) -> None:
    """`page = request.args.get("page", ...)` goes (the parameter is `page`); any other read becomes the name."""
    assignment = read.parent()
    statement = assignment.parent() if assignment is not None else None
    if (assignment is not None and assignment.kind() == "assignment" and statement is not None
            and statement.kind() == "expression_statement" and assignment.field("right") == read
            and assignment.field("left").text() == key and assignment.field("type") is None):  # type: ignore[union-attr]
        file.delete_statement(statement)
    else:
        file.replace(read, key)
