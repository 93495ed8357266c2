"""`import flask` (or `import flask as fl`) and `flask.request.form[...]`: the module style, read by the port as
the name style it rewrites (`from flask import request` and `request.form[...]`).

Every rewrite of the port works on names imported from flask (`request`, `session`, `jsonify`, ...). Rather than
teach each of them the attribute form too, the port first rewrites the module's text: each `flask.X` becomes
`X`, imported by `from flask import X`, where X is one of Flask's own top-level names and binds nothing else
anywhere in the module (no assignment, parameter, import, definition of that name: the rewritten `X` is then
Flask's X in every scope it is read in). Both forms give the same object (`flask.request is request`), so the
normalised module answers as the original did, and the audit's findings, taken on the original text, are moved
onto the normalised one by the offsets of the edits (`Normalised.position`): the edits only delete `flask.`
before a name and add or replace the import, so every finding keeps its node. `import flask` stays while
something else still uses the module (`flask.views.MethodView`, `flask` passed as a value).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import accumulate

from ast_grep_py import SgNode, SgRoot

from ..scopes import span

# Flask's top-level names that `from flask import X` binds to the object `flask.X` is (Flask 2.2 to 3.x): the
# globals, helpers and classes, and the signals. Not its submodules (`flask.views` is an attribute only once
# something imported it) nor the names Flask 3 dropped (`flask.escape` fails when called; imported, at import).
NAMES = frozenset({
    "Blueprint", "Config", "Flask", "Request", "Response", "abort", "after_this_request",
    "copy_current_request_context", "current_app", "flash", "g", "get_flashed_messages", "get_template_attribute",
    "has_app_context", "has_request_context", "json", "jsonify", "make_response", "redirect", "render_template",
    "render_template_string", "request", "send_file", "send_from_directory", "session", "stream_template",
    "stream_template_string", "stream_with_context", "url_for",
    "appcontext_popped", "appcontext_pushed", "appcontext_tearing_down", "before_render_template",
    "got_request_exception", "message_flashed", "request_finished", "request_started", "request_tearing_down",
    "template_rendered"})
# Where an identifier names something other than a binding of it: an attribute of another object, a keyword
# argument's name.
_NOT_BINDINGS = {"attribute": "attribute", "keyword_argument": "name"}


@dataclass(frozen=True)
class Normalised:
    """The module's text in the name style, and where each position of the original went."""

    text: str
    edits: tuple[tuple[int, int, str], ...]  # (start, end, replacement) in the original text, in order
    _old_lines: tuple[int, ...]
    _new_lines: tuple[int, ...]

    def offset(self, old: int) -> int:
        """Where the original offset `old` is in the normalised text: a position inside deleted text goes to
        where the deletion was."""
        shift = 0
        for start, end, replacement in self.edits:
            if old < start:
                break
            if old < end:  # inside `flask.` (a finding never starts there; the nearest place that remains)
                return start + shift + min(old - start, len(replacement))
            shift += len(replacement) - (end - start)
        return old + shift

    def position(self, line: int, column: int) -> tuple[int, int]:
        """The 1-based (line, column) of the audit's finding in the normalised text."""
        new = self.offset(self._old_lines[line - 1] + column - 1)
        at = bisect.bisect_right(self._new_lines, new) - 1
        return at + 1, new - self._new_lines[at] + 1


def normalise(text: str) -> Normalised | None:
    """The module in the name style, or None when there is nothing to rewrite (no lone top-level `import flask`
    or `import flask as fl`, no `flask.X` of a name it can take, a module that does not parse)."""
    if "flask" not in text:
        return None
    try:
        root = SgRoot(text, "python").root()
    except Exception:  # noqa: BLE001 - bad input never crashes the port: the module is read as it is
        return None
    imports = [statement for statement in root.children() if statement.kind() == "import_statement"
               and _module_alias(statement) is not None]
    if len(imports) != 1:
        return None
    if root.find(kind="wildcard_import") is not None:
        return None  # `from helpers import *` may bind any of the names after the import the rewrite adds
    statement = imports[0]
    alias = _module_alias(statement)
    bound = _bound_names(root)
    deletions: list[tuple[int, int]] = []
    names: list[str] = []
    rest = False  # another use of the module remains: `import flask` stays
    for node in root.find_all(kind="identifier"):
        if node.text() != alias or _inside(node, statement):
            continue
        parent = node.parent()
        attribute = parent.field("attribute") if parent is not None and parent.kind() == "attribute" else None
        if attribute is None or parent.field("object") != node:  # type: ignore[union-attr]
            rest = rest or not (parent is not None and parent.kind() in _NOT_BINDINGS
                                and parent.field(_NOT_BINDINGS[parent.kind()]) == node)
            continue
        name = attribute.text()
        if name not in NAMES or name in bound or _assigned(parent):  # type: ignore[arg-type]
            rest = True
            continue
        deletions.append((span(node)[0], span(attribute)[0]))
        if name not in names:
            names.append(name)
    if not deletions:
        return None
    # `"flask.Response"` in a string (an annotation read later): the module stays imported for it
    rest = rest or any(f"{alias}." in node.text() for node in root.find_all(kind="string"))
    already = _imported_from_flask(root)
    new = sorted(name for name in names if name not in already)
    start, end = span(statement)
    edits: list[tuple[int, int, str]] = [(a, b, "") for a, b in deletions]
    if not rest:
        edits.append((start, end, f"from flask import {', '.join(new)}" if new else ""))
    elif new:
        edits.append((end, end, f"\nfrom flask import {', '.join(new)}"))
    edits.sort()
    if not rest and not new:  # the statement goes, with its line
        start, end, _ = edits.pop(next(i for i, edit in enumerate(edits) if edit[0] == span(statement)[0]))
        edits.append((start, end + 1 if text[end:end + 1] == "\n" else end, ""))
        edits.sort()
    out, last = [], 0
    for a, b, replacement in edits:
        out += [text[last:a], replacement]
        last = b
    out.append(text[last:])
    normal = "".join(out)
    return Normalised(normal, tuple(edits), _line_starts(text), _line_starts(normal))


def _line_starts(text: str) -> tuple[int, ...]:
    return tuple(accumulate((len(line) + 1 for line in text.split("\n")[:-1]), initial=0))


def _module_alias(statement: SgNode) -> str | None:
    """`flask` for a lone `import flask`, `fl` for `import flask as fl` (a statement of one name only)."""
    items = statement.named_children()
    if len(items) != 1:
        return None
    item = items[0]
    if item.kind() == "dotted_name" and item.text() == "flask":
        return "flask"
    if item.kind() == "aliased_import" and item.field("name").text() == "flask":  # type: ignore[union-attr]
        return item.field("alias").text()  # type: ignore[union-attr]
    return None


def _bound_names(root: SgNode) -> set[str]:
    """Flask's names the module uses other than as an attribute of something, a keyword argument's name or a read
    of what its `from flask import X` binds: a rewritten `X` could read something else there."""
    own = _imported_from_flask(root)
    found: set[str] = set()
    for node in root.find_all(kind="identifier"):
        name = node.text()
        if name not in NAMES or name in found:
            continue
        parent = node.parent()
        if parent is not None and parent.kind() in _NOT_BINDINGS and parent.field(_NOT_BINDINGS[parent.kind()]) == node:
            continue
        if name in own and parent is not None and parent.kind() == "dotted_name" and _flask_import(parent.parent()):
            continue
        if name in own and not _binding(node):
            continue  # a read of what `from flask import X` bound: the same X the rewrite reads
        found.add(name)
    return found


# Where an identifier is bound: (kind of its parent, the field it is in, or "" for any child).
_BINDINGS = {("assignment", "left"), ("augmented_assignment", "left"), ("for_statement", "left"),
             ("for_in_clause", "left"), ("function_definition", "name"), ("class_definition", "name"),
             ("parameters", ""), ("lambda_parameters", ""), ("default_parameter", "name"),
             ("typed_default_parameter", "name"), ("typed_parameter", ""), ("pattern_list", ""), ("tuple_pattern", ""),
             ("list_pattern", ""), ("as_pattern_target", ""), ("global_statement", ""), ("nonlocal_statement", ""),
             ("dotted_name", ""), ("aliased_import", ""), ("named_expression", "name"), ("list_splat_pattern", ""),
             ("dictionary_splat_pattern", "")}


def _binding(node: SgNode) -> bool:
    parent = node.parent()
    if parent is None:
        return False
    if (parent.kind(), "") in _BINDINGS:
        return True
    return any(parent.kind() == kind and parent.field(name) == node for kind, name in _BINDINGS if name)


def _imported_from_flask(root: SgNode) -> set[str]:
    """The names a top-level `from flask import X` binds as themselves (not `X as Y`)."""
    names: set[str] = set()
    for statement in root.children():
        if _flask_import(statement):
            names |= {item.text() for item in statement.named_children()[1:] if item.kind() == "dotted_name"}
    return names


def _flask_import(statement: SgNode | None) -> bool:
    if statement is None or statement.kind() != "import_from_statement":
        return False
    module = statement.field("module_name")
    return module is not None and module.text() == "flask"


def _assigned(attribute: SgNode) -> bool:
    """`flask.request = ...`, `del flask.g`: a write to the module, which `request = ...` would not be."""
    parent = attribute.parent()
    if parent is None:
        return False
    if parent.kind() in ("assignment", "augmented_assignment"):
        return parent.field("left") == attribute
    return parent.kind() in ("delete_statement", "pattern_list", "tuple_pattern", "list_pattern")


def _inside(node: SgNode, statement: SgNode) -> bool:
    start, end = span(statement)
    return start <= span(node)[0] < end
