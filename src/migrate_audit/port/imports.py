"""Imports after the rewrite: Flask names no longer used go, the FastAPI names the rewrites use come in.

Run on the rewritten text (a second parse), so that "used" means used in the code as it now is: `request`
stays imported while a read the port left to people still needs it.
"""
from __future__ import annotations

import bisect

from ast_grep_py import SgNode, SgRoot

from ..scopes import span

# Where the new imports go, in this order (standard library first, as isort would).
# The modules whose unused names go (importing them has no effect of its own).
FLASK_MODULES = frozenset({"flask", "flask.typing", "flask.sessions", "flask.testing", "flask_cors", "werkzeug.exceptions",
                           "werkzeug.routing"})
MODULE_ORDER = ("collections.abc", "dataclasses", "datetime", "decimal", "json", "logging", "os.path", "pathlib", "typing", "urllib.parse", "uuid",
                "fastapi", "fastapi.concurrency", "fastapi.middleware.cors", "fastapi.responses", "fastapi.staticfiles", "fastapi.templating",
                "starlette.convertors")


def _bindings(statement: SgNode) -> list[tuple[SgNode, str]]:
    """(the imported item, the local name it binds) of a `from X import ...`."""
    module = statement.field("module_name")
    found = []
    for item in statement.named_children():
        if item == module:
            continue
        if item.kind() == "dotted_name":
            found.append((item, item.text()))
        elif item.kind() == "aliased_import":
            found.append((item, item.field("alias").text()))  # type: ignore[union-attr]
    return found


def fix_imports(text: str, wanted: dict[str, set[str]], definitions: dict[str, str] | None = None) -> str:
    """`text` with the Flask imports it no longer uses removed, the names in `wanted` imported, and the
    module-level `definitions` (a `templates = Jinja2Templates(...)`) written after the imports."""
    if definitions:
        text = _define(text, definitions)
    return _imports(text, wanted)


def _define(text: str, definitions: dict[str, str]) -> str:
    root = SgRoot(text, "python").root()
    bound = {node.field("left").text() for node in root.children()  # type: ignore[union-attr]
             if node.kind() == "expression_statement" and node.named_children()
             and node.named_children()[0].kind() == "assignment"
             for node in [node.named_children()[0]]}
    lines = [line for name, line in definitions.items() if name not in bound]
    if not lines:
        return text
    statements = [s for s in root.children() if s.kind() in ("import_from_statement", "import_statement")]
    at = text.find("\n", span(statements[-1])[1]) + 1 if statements else _top(root)
    return text[:at] + "\n" + "\n".join(lines) + "\n" + text[at:]


def _imports(text: str, wanted: dict[str, set[str]]) -> str:
    root = SgRoot(text, "python").root()
    statements = [s for s in root.children() if s.kind() in ("import_from_statement", "import_statement")]
    flask_imports = [s for s in statements if s.kind() == "import_from_statement"
                     and s.field("module_name").text() in FLASK_MODULES]  # type: ignore[union-attr]
    import_spans = sorted(span(s) for s in statements)
    import_starts = [start for start, _ in import_spans]

    def in_import(offset: int) -> bool:  # by bisection: a file of many imports and names stays linear
        at = bisect.bisect_right(import_starts, offset) - 1
        return at >= 0 and offset < import_spans[at][1]

    flask_names = {name for s in flask_imports for _, name in _bindings(s)}
    used = {node.text() for node in root.find_all(kind="identifier")
            if not in_import(span(node)[0]) and _a_name(node)
            and not (node.text() in flask_names and _shadowed(node))}
    # a name the rewrites import from FastAPI in place of Flask's (responses._take_name): Flask's import goes
    taken = {name for names in wanted.values() for name in names}
    bound = {name for s in statements if s.kind() == "import_from_statement" for _, name in _bindings(s)
             if not (s in flask_imports and name in taken)}
    edits = {}
    for statement in flask_imports:
        items = _bindings(statement)
        kept = [item.text() for item, name in items if name in used and name not in taken]
        if len(kept) == len(items):
            continue
        module = statement.field("module_name").text()  # type: ignore[union-attr]
        edit = statement.replace(f"from {module} import {', '.join(kept)}" if kept else "")
        if not kept:  # the whole line goes
            newline = text.find("\n", edit.end_pos)
            edit.end_pos = newline + 1 if newline >= 0 else edit.end_pos
        edits[span(statement)[0]] = edit
    lines = []
    for module in sorted(wanted, key=lambda m: MODULE_ORDER.index(m) if m in MODULE_ORDER else len(MODULE_ORDER)):
        names = sorted(wanted[module] - bound)
        if names:
            lines.append(f"from {module} import {', '.join(names)}\n")
    if lines:
        anchor = flask_imports[0] if flask_imports else (statements[-1] if statements else None)
        edit = root.replace("".join(lines))
        if anchor is not None and span(anchor)[0] in edits:  # one edit per place: the Flask import's
            edits[span(anchor)[0]].inserted_text = "".join(lines) + edits[span(anchor)[0]].inserted_text
            edit = None
        elif anchor is not None and anchor in flask_imports:
            edit.start_pos = edit.end_pos = span(anchor)[0]
        elif anchor is not None:
            after = text.find("\n", span(anchor)[1])
            edit.start_pos = edit.end_pos = after + 1 if after >= 0 else len(text)
        else:
            edit.start_pos = edit.end_pos = _top(root)
        if edit is not None:
            edits[-1] = edit
    return root.commit_edits(list(edits.values())) if edits else text


def _a_name(node: SgNode) -> bool:
    """False for an identifier that names no variable: `x.url_for`'s attribute, `f(url_for=...)`'s keyword."""
    parent = node.parent()
    if parent is not None and parent.kind() == "attribute":
        return parent.field("attribute") != node
    if parent is not None and parent.kind() == "keyword_argument":
        return parent.field("name") != node
    if parent is not None and parent.kind() in ("function_definition", "class_definition"):
        return parent.field("name") != node  # a method named `request` binds a name, it uses none
    return True


def _shadowed(node: SgNode) -> bool:
    """True when a function around `node` has a parameter of its name (a view given `request: Request`): the
    Flask name imported under it is not what the code there uses."""
    current = node.parent()
    while current is not None:
        if current.kind() in ("function_definition", "lambda"):
            parameters = current.field("parameters")
            for parameter in parameters.named_children() if parameters is not None else ():
                name = parameter if parameter.kind() == "identifier" else parameter.field("name")
                if name is None and parameter.named_children():
                    name = parameter.named_children()[0]
                if name is not None and name.text() == node.text():
                    return True
        current = current.parent()
    return False


def _top(root: SgNode) -> int:
    """Where imports go in a module that has none: after its docstring."""
    children = root.children()
    if children and children[0].kind() == "expression_statement" and children[0].named_children() \
            and children[0].named_children()[0].kind() == "string":
        return span(children[0])[1] + 1
    return 0
