"""Python's own verdict on a file's syntax: CPython's parser and symbol table on the text (never run),
tree-sitter's error nodes for files too large for it, and which newer-Python feature explains a
SyntaxError on a file tree-sitter parsed cleanly (it knows the newest grammar)."""
from __future__ import annotations

import ast
import symtable
import sys
import warnings

from ast_grep_py import SgNode

from .model import SyntaxCheck

# tree-sitter node kinds for syntax newer than some Pythons: (feature, the first Python that parses it).
_NEWER_SYNTAX_NODES = {
    "type_alias_statement": ("PEP 695 type alias", (3, 12)),
    "type_parameter": ("PEP 695 type parameters", (3, 12)),
}


# Python's own check of the whole AST as Python objects took 30 s and 3.5 GB for a 20 MB generated
# module. Above this size the tree-sitter parse (already made) is the syntax check. The largest
# hand-written module in the bench corpus is 0.5 MB.
PYTHON_SYNTAX_CHECK_MAX_CHARS = 4 * 1024 * 1024


def _python_check(text: str, path: str) -> None:
    """Raise what Python raises on importing `text`, short of running it: SyntaxError and co.

    `symtable` runs CPython's parser and its symbol-table pass without turning the tree into Python
    objects: 36 % cheaper than `compile(..., PyCF_ONLY_AST)` on the bench corpus (2.8 s vs 4.3 s for
    6,534 files), with the same errors on all of them but one, where it is right and the AST-only check
    is not (`import *` inside a function: a SyntaxError on import). Its recursive pass can exhaust the
    C stack on a very deep expression that the parser alone accepts; that one case asks the parser alone."""
    try:
        symtable.symtable(text, path, "exec")
    except RecursionError:
        compile(text, path, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)


def check_syntax(text: str, path: str, root: SgNode) -> SyntaxCheck:
    """Python's own parser on every parsed file: tree-sitter accepts Python 2 and repairs many errors
    (a missing token, a bad indentation) without a trace, so only Python can tell. It is the
    costliest step of an analysis; correctness of the diagnostics wins over speed here."""
    if len(text) > PYTHON_SYNTAX_CHECK_MAX_CHARS:
        error = _tree_error(root)
        if error is None:
            return SyntaxCheck()
        line = error.range().start.line + 1
        return SyntaxCheck("syntax-error", f"syntax error (line {line}; found by tree-sitter, the file is too "
                           "large for Python's own check); findings in this file have low confidence", line)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for invalid escapes in old code
            _python_check(text, path)
    except SyntaxError as exc:
        line = exc.lineno or 0
        newer = _newer_syntax_at(root, line, exc.msg or "")
        if newer is not None:
            feature, version = newer
            running = ".".join(map(str, sys.version_info[:2]))
            return SyntaxCheck(
                "newer-syntax",
                f"needs a newer Python to check syntax: {feature} (Python {version[0]}.{version[1]}+; running "
                f"{running}) on line {line}; findings in this file have medium confidence",
                line,
            )
        where = f" (line {line})" if line else ""
        return SyntaxCheck("syntax-error", f"{exc.msg}{where}; findings in this file have low confidence", line)
    except (RecursionError, MemoryError, ValueError) as exc:
        return SyntaxCheck(
            "syntax-error", f"Python's parser gave up ({type(exc).__name__}); findings have low confidence"
        )
    return SyntaxCheck()


def _tree_error(root: SgNode) -> SgNode | None:
    """tree-sitter's first ERROR node, or a MISSING one (a token it invented to recover: empty text)."""
    error = root.find(kind="ERROR")
    if error is not None:
        return error
    missing = root.find(regex="^$")
    return missing if missing is not None and missing.kind() != "module" else None


def _newer_syntax_at(root: SgNode, line: int, message: str) -> tuple[str, tuple[int, int]] | None:
    """The newer-Python feature that explains a SyntaxError on `line`, when tree-sitter (which knows the
    newest grammar) parsed the file without error; None for a plain syntax error (Python 2, typos)."""
    if line <= 0 or _tree_error(root) is not None:
        return None
    row = line - 1
    for kind, (feature, version) in _NEWER_SYNTAX_NODES.items():
        if sys.version_info >= version:
            continue
        for node in root.find_all(kind=kind):
            rng = node.range()
            if rng.start.line <= row <= rng.end.line:
                return feature, version
    if sys.version_info < (3, 12):
        # PEP 701 f-strings: reused quotes, backslashes or comments inside the replacement fields.
        for node in root.find_all(kind="interpolation"):
            rng = node.range()
            if not rng.start.line <= row <= rng.end.line:
                continue
            string = node.parent()
            start = string.child(0) if string is not None else None
            quote = start.text().lstrip("rRbBfFuU") if start is not None else ""
            inside = node.text()
            if message.startswith("f-string") or (quote and quote[0] in inside) or "\\" in inside or "#" in inside:
                return "PEP 701 f-string", (3, 12)
    if sys.version_info < (3, 11):
        for node in root.find_all(kind="except_clause"):
            rng = node.range()
            if rng.start.line == row and any(child.kind() == "*" for child in node.children()):
                return "PEP 654 except*", (3, 11)
    return None
