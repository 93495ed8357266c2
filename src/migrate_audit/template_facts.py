"""What the template pass needs to know from the Python code: where templates live, which `url_for`
keyword arguments are path parameters, and which Flask globals the code passes to templates itself.

Read by the engine from each analysed Python file (`FileResult.template_folders`, `path_parameters`,
`template_context`), used by `filekinds/templates.py`. Kept apart from it so that analysing Python code
(the flake8 plugin) never imports Jinja or the other non-Python file kinds.
"""
from __future__ import annotations

import ast
import posixpath
import re

from ast_grep_py import SgNode


def declared_template_folders(root: SgNode, relpath: str) -> list[str]:
    """`template_folder='...'` string literals in a Python file, as `/`-separated paths relative to the
    scan root (Flask resolves them against the folder of the module that declares them)."""
    folders = []
    for keyword in root.find_all(kind="keyword_argument"):
        name, value = keyword.field("name"), keyword.field("value")
        if name is None or value is None or name.text() != "template_folder" or value.kind() != "string":
            continue
        try:
            folder = ast.literal_eval(value.text())
        except (ValueError, SyntaxError):
            continue
        if isinstance(folder, str) and folder and not posixpath.isabs(folder):
            folders.append(posixpath.normpath(posixpath.join(posixpath.dirname(relpath), folder)))
    return sorted(set(folders))


_ROUTE_PARAMETER_RE = re.compile(r"<(?:[A-Za-z_]\w*(?:\([^)>]*\))?:)?([A-Za-z_]\w*)>")
_ROUTE_STRING_RE = re.compile(r"[\"'](/[^\"'\n]*<[^\"'\n]*)[\"']")


def route_parameter_names(text: str) -> list[str]:
    """Names of Werkzeug path parameters (`/books/<int:book_id>`) in the string literals of a Python
    file: a cheap, over-inclusive reading that only serves to not flag `url_for(..., book_id=...)`."""
    names = set()
    for literal in _ROUTE_STRING_RE.finditer(text):
        names.update(_ROUTE_PARAMETER_RE.findall(literal.group(1)))
    return sorted(names)


# `\brender...`, spelt with the literal first so that `re` searches for "render" (fast) rather than
# trying the pattern at every character (20x slower over a whole file): the lookbehind is the `\b`.
_RENDER_CALL_RE = re.compile(r"render(?<=\brender)\w*template\w*\s*\(")
_CONTEXT_GLOBALS = ("g", "session", "config", "current_user")
_CONTEXT_KEYWORD_RE = re.compile(r"\b(" + "|".join(_CONTEXT_GLOBALS) + r")\s*=(?!=)")
_PAREN_RE = re.compile(r"[()]")
_CALL_SCAN_LIMIT = 4000  # characters read after `render_template(` looking for its `)`


def template_context_names(text: str) -> list[str]:
    """Which of Flask's template globals a Python file passes explicitly to a `render_template`-like
    call (`render_template('admin.html', config=config)`): in the templates such a name is the
    project's own variable, which FastAPI templates receive the same way."""
    names = set()
    for call in _RENDER_CALL_RE.finditer(text):
        start = call.end()
        end = limit = min(len(text), start + _CALL_SCAN_LIMIT)
        depth = 1
        for paren in _PAREN_RE.finditer(text, start, limit):  # to the matching `)`, within the limit
            depth += 1 if paren.group() == "(" else -1
            if not depth:
                end = paren.end()
                break
        names.update(_CONTEXT_KEYWORD_RE.findall(text, start, end))
    return sorted(names)
