"""One file being ported: its parse tree, the audit's findings in it, and the edits made so far.

Edits are ast-grep's own (`SgNode.replace`, applied with `commit_edits`): text spliced at the offsets of
nodes, so everything the port does not touch (comments, blank lines, formatting) comes through
byte for byte. An edit may be rewritten by a later one that encloses it (`rendered` gives a node's text
with the edits inside it applied): a `jsonify(...)` turned into a dict, then the `(body, 201)` tuple
around it turned into a `JSONResponse`.
"""
from __future__ import annotations

import bisect
import textwrap
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from ast_grep_py import Edit, SgNode, SgRoot

from ..scopes import span
from .layout import quote_lines, wrap_lines

TODO_WIDTH = 100  # a TODO comment is wrapped at this column, its indentation included
# Statements a TODO comment goes above: the innermost one around the site.
_STATEMENTS = frozenset({
    "expression_statement", "return_statement", "raise_statement", "if_statement", "for_statement",
    "while_statement", "with_statement", "try_statement", "assert_statement", "delete_statement",
    "decorated_definition", "function_definition", "class_definition", "import_statement",
    "import_from_statement", "global_statement", "match_statement", "pass_statement"})


class NotPortable(Exception):
    """A site the port leaves to people: the message says why, at the site."""


@dataclass
class Site:
    """A finding of the audit in this file, with the node it points at."""

    code: str
    node: SgNode
    advice: str
    handled: bool = False
    reason: str = ""  # why the port left it to people, when it tried


@dataclass
class Signature:
    function: SgNode
    annotations: dict[str, str] = field(default_factory=dict)  # existing parameter -> annotation
    added: dict[str, str] = field(default_factory=dict)  # new parameter -> its text (`page: int = 1`)


def todo_marker(code: str) -> str:
    return f"# TODO(migrate-audit {code}):"


@dataclass
class PortedFile:
    path: str  # relative to the ported folder, `/`-separated
    text: str
    root: SgNode
    sites: list[Site] = field(default_factory=list)
    # The edits so far, by the line their start is on: a replace drops the edits inside the node it
    # rewrites, and `rendered` applies them, by looking at the node's own lines only (a file with
    # thousands of views stays linear: no step scans every edit of the file).
    edits: dict[int, list[Edit]] = field(default_factory=dict)
    # Names the rewrites use, by the module they are imported from: {"fastapi": {"APIRouter"}}.
    imports: dict[str, set[str]] = field(default_factory=dict)
    todos: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # line start offset -> (code, text)
    # What converts together (edits never change these): the units this file makes or routes on ("app",
    # a Blueprint's `unit`), the Blueprint units it registers, and why it cannot convert (sites left to
    # people that would fail at import: a hook on the app or Blueprint object, a route not ported).
    units: set[str] = field(default_factory=set)
    registers: set[str] = field(default_factory=set)
    blocked: dict[str, str] = field(default_factory=dict)  # unit ("*": every unit of the file) -> why
    # Module-level definitions the rewrites need (name -> its line), written after the imports.
    definitions: dict[str, str] = field(default_factory=dict)
    # Per view (its function's start offset): annotations for its parameters and parameters to add.
    signatures: dict[int, Signature] = field(default_factory=dict)
    # Indexes a rewrite builds once per file or function and then looks things up in (see responses,
    # requests): the key names what is indexed.
    memo: dict[tuple[str, int], Any] = field(default_factory=dict)
    _line_starts: list[int] = field(default_factory=list)
    _children: dict[tuple[int, int, str], tuple[list[SgNode], list[int]]] = field(default_factory=dict)
    _indexed: int = -1  # how many sites the indexes below were built from
    _by_code: dict[str, list[Site]] = field(default_factory=dict)
    _by_start: list[Site] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)
    _routes: frozenset[int] | None = None
    _bound: dict[str, str] | None = None
    _lines: list[str] | None = None

    @classmethod
    def parse(cls, path: str, text: str) -> PortedFile:
        root = SgRoot(text, "python").root()
        starts = list(accumulate((len(line) + 1 for line in text.split("\n")[:-1]), initial=0))
        return cls(path=path, text=text, root=root, _line_starts=starts)

    # Positions ------------------------------------------------------------------------------------------
    def offset(self, line: int, column: int) -> int:
        return self._line_starts[line - 1] + column - 1

    def line_start(self, offset: int) -> int:
        return self._line_starts[self.line_of(offset)]

    def line_of(self, offset: int) -> int:
        """The 0-based line `offset` is on."""
        return bisect.bisect_right(self._line_starts, offset) - 1

    def node_at(self, line: int, column: int, end_line: int, end_column: int) -> SgNode:
        """The outermost node spanning exactly the finding's range, else the innermost one around it (a
        converter is a part of a string)."""
        start, end = self.offset(line, column), self.offset(end_line, end_column)
        node = self.root
        while span(node) != (start, end):
            # Each node's children are listed once per file and searched by bisection: a module of
            # thousands of statements costs each finding a logarithm, not a pass over them.
            key = (*span(node), node.kind())
            if key not in self._children:
                children = node.children()
                self._children[key] = (children, [span(c)[0] for c in children])
            children, starts = self._children[key]
            at = bisect.bisect_right(starts, start) - 1
            # the first child spanning the range, as a scan from the left would find: only the children
            # that reach `start` can (siblings do not overlap; empty ones touch)
            inner = []
            while at >= 0 and span(children[at])[1] >= start:
                if end <= span(children[at])[1]:
                    inner.append(children[at])
                at -= 1
            inner.reverse()
            if not inner:
                break
            node = inner[0]
        return node

    def _index(self) -> None:
        """The sites by rule and by position, rebuilt only when sites were added since."""
        if self._indexed == len(self.sites):
            return
        self._by_code = {}
        for site in self.sites:
            self._by_code.setdefault(site.code, []).append(site)
        self._by_start = sorted(self.sites, key=lambda site: span(site.node)[0])
        self._starts = [span(site.node)[0] for site in self._by_start]
        self._indexed = len(self.sites)
        self._routes = None

    def route_starts(self) -> frozenset[int]:
        """Where the route decorators' callees start (a view's other decorators are told apart by it)."""
        from .codes import ROUTE_DECORATOR

        self._index()
        if self._routes is None:
            self._routes = frozenset(span(site.node)[0] for site in self._by_code.get(ROUTE_DECORATOR, ()))
        return self._routes

    def sites_of(self, code: str) -> list[Site]:
        self._index()
        return list(self._by_code.get(code, ()))

    def sites_in(self, node: SgNode, code: str | None = None) -> list[Site]:
        """The sites inside `node`, found by bisection: the cost is theirs, not the file's."""
        self._index()
        start, end = span(node)
        first, last = bisect.bisect_left(self._starts, start), bisect.bisect_right(self._starts, end)
        return [site for site in self._by_start[first:last]
                if (code is None or site.code == code) and span(site.node)[1] <= end]

    # Edits ----------------------------------------------------------------------------------------------
    def replace(self, node: SgNode, text: str) -> None:
        """Replace `node` with `text`; edits inside it are dropped (`text` was made from `rendered`)."""
        start, end = span(node)
        self._drop(start, end)
        self._add(node.replace(text))

    def _inside(self, start: int, end: int) -> list[Edit]:
        """The edits within [start, end], from the lines that range covers."""
        return [e for line in range(self.line_of(start), self.line_of(end) + 1) for e in self.edits.get(line, ())
                if start <= e.start_pos and e.end_pos <= end]

    def _drop(self, start: int, end: int) -> None:
        for line in range(self.line_of(start), self.line_of(end) + 1):
            if line in self.edits:
                self.edits[line] = [e for e in self.edits[line] if not (start <= e.start_pos and e.end_pos <= end)
                                    or _appended(e, end)]

    def _add(self, edit: Edit) -> None:
        self.edits.setdefault(self.line_of(edit.start_pos), []).append(edit)

    def rendered(self, node: SgNode) -> str:
        """The node's text with the edits made inside it applied."""
        start, end = span(node)
        text = self.text[start:end]
        for edit in sorted(self._inside(start, end), key=lambda e: e.start_pos, reverse=True):
            if _appended(edit, end):
                continue
            text = text[:edit.start_pos - start] + edit.inserted_text + text[edit.end_pos - start:]
        return text

    def delete_statement(self, statement: SgNode) -> None:
        """Remove a statement that is alone on its lines, with its line break."""
        start, end = span(statement)
        first = self.line_start(start)
        newline = self.text.find("\n", end)
        edit = statement.replace("")
        edit.start_pos, edit.end_pos = first, (newline + 1 if newline >= 0 else end)
        self._drop(first, edit.end_pos)
        self._add(edit)

    def swap_import(self, module: SgNode, to: str) -> None:
        """`from <module> import names` becomes an import of the same names from `to` (a bridge the port
        writes), placed as isort places it with the rewrites' imports (port/imports.py: `to` is first-party
        there) rather than renamed where it stands in the third-party group. A statement whose names or place
        the move could not keep (a comment or `*` in it, not at the module's top level) is renamed in place."""
        statement = module.parent()
        items = [item for item in statement.named_children() if item != module] if statement is not None else []
        if statement is None or statement.kind() != "import_from_statement" or statement.parent() is None \
                or statement.parent().kind() != "module" or "#" in statement.text() or not items \
                or any(item.kind() not in ("dotted_name", "aliased_import") for item in items):  # type: ignore[union-attr]
            self.replace(module, to)
            return
        for item in items:
            local = item.field("alias") if item.kind() == "aliased_import" else item
            self.bound[local.text()] = to  # type: ignore[union-attr]
        self.delete_statement(statement)
        start, end = span(statement)
        first, newline = self.line_start(start), self.text.find("\n", end)
        if first > 0 and self.text[:first].endswith("\n\n") and self.text[newline + 1:newline + 2] == "\n":
            # the statement was a group of its own: the blank line after it goes too (isort's one blank line)
            edit = statement.replace("")
            edit.start_pos, edit.end_pos = newline + 1, newline + 2
            self._add(edit)
        self.imports.setdefault(to, set()).update(item.text() for item in items)

    def signature(self, function: SgNode) -> Signature:
        return self.signatures.setdefault(span(function)[0], Signature(function))

    def append_line(self, node: SgNode, line: str) -> None:
        """Write `line` after the line `node` ends on (after its trailing comment): at the end of that line,
        not at the start of the next, where a TODO for the next statement may go."""
        end = self.text.find("\n", span(node)[1])
        parent = node.parent()
        if node.kind() in ("function_definition", "class_definition", "decorated_definition") and \
                parent is not None and parent.kind() == "block":  # ruff's empty line after a nested definition
            line = "\n" + line
        edit = node.replace("\n" + line)
        edit.start_pos = edit.end_pos = end if end >= 0 else len(self.text)
        self._add(edit)

    def use(self, module: str, *names: str) -> None:
        """Import `names` from `module` for a rewrite; NotPortable when the file binds one of them to
        something else (werkzeug's `HTTPException`), before the rewrite is made."""
        for name in names:
            if self.bound.get(name, module) != module:
                raise NotPortable(f"{name} here is {self.bound[name]}'s, not {module}'s")
        self.imports.setdefault(module, set()).update(names)

    @property
    def bound(self) -> dict[str, str]:
        """Top-level names bound by imports (-> the module) or definitions (-> this file)."""
        if self._bound is None:
            self._bound = {}
            for statement in self.root.children():
                if statement.kind() == "import_from_statement":
                    module = statement.field("module_name").text()  # type: ignore[union-attr]
                    for item in statement.named_children()[1:]:
                        local = item.field("alias") if item.kind() == "aliased_import" else item
                        self._bound[local.text()] = module  # type: ignore[union-attr]
                elif statement.kind() in ("function_definition", "class_definition"):
                    self._bound[statement.field("name").text()] = self.path  # type: ignore[union-attr]
        return self._bound

    def statement_of(self, node: SgNode) -> SgNode:
        current: SgNode | None = node
        while current is not None:
            parent = current.parent()
            if current.kind() in _STATEMENTS and (parent is None or parent.kind() != "decorated_definition"):
                return current
            current = parent
        return node

    def todo(self, site: Site, text: str | None = None) -> None:
        """A `# TODO(migrate-audit FMAxxx): ...` comment above the statement of `site` (once: a comment
        already there from an earlier port is kept, so that porting twice changes nothing)."""
        statement = self.statement_of(site.node)
        line_index = self.line_of(span(statement)[0])
        start = self._line_starts[line_index]
        if self._lines is None:  # once per file: a file with thousands of TODOs stays linear
            self._lines = self.text.split("\n")
        lines = self._lines
        above = line_index - 1
        while above >= 0 and lines[above].lstrip().startswith("#"):
            if lines[above].lstrip().startswith(todo_marker(site.code)):
                return
            above -= 1
        entries = self.todos.setdefault(start, [])
        if all(code != site.code for code, _ in entries):  # the first reason given for a rule at a place
            entries.append((site.code, " ".join((text or site.advice).split())))

    def commit(self) -> str:
        edits = [edit for line in self.edits.values() for edit in line]
        # the lines imports end on: a comment between two imports has a blank line above it (ruff's formatter
        # and isort both put one there), at the top level as in a block (`if TYPE_CHECKING:`)
        imports_end = {self.line_of(span(s)[1]) for kind in ("import_statement", "import_from_statement")
                       for s in self.root.find_all(kind=kind)} if self.todos else set()
        for start, entries in self.todos.items():
            end = self.text.find("\n", start)
            line = self.text[start:end if end >= 0 else len(self.text)]
            indent = line[: len(line) - len(line.lstrip(" \t"))]
            comment = "".join(_comment(indent, code, text) for code, text in entries)
            if line.lstrip().startswith(("import ", "from ")) and self.line_of(start) - 1 in imports_end:
                comment = "\n" + comment
            same = [e for e in self.edits.get(self.line_of(start), ()) if e.start_pos == start]
            if same:  # one edit per place: the comment goes in front of the rewrite that starts there
                same[0].inserted_text = comment + same[0].inserted_text
                continue
            edit = self.root.replace(comment)
            edit.start_pos = edit.end_pos = start
            edits.append(edit)
        text = self.root.commit_edits(edits)
        written = _written_lines(text, edits)
        return wrap_lines(quote_lines(text, written, self.text), written)


def _written_lines(text: str, edits: list[Edit]) -> set[int]:
    """The 0-based lines of `text` (the edits applied) that an edit wrote into, found from the edits' offsets
    alone: each edit moves what follows it by what it inserted less what it removed."""
    starts = list(accumulate((len(line) + 1 for line in text.split("\n")[:-1]), initial=0))
    lines: set[int] = set()
    moved = 0
    for edit in sorted(edits, key=lambda edit: edit.start_pos):
        if edit.inserted_text:
            first = edit.start_pos + moved
            last = first + len(edit.inserted_text.rstrip("\n"))
            lines.update(range(bisect.bisect_right(starts, first) - 1, bisect.bisect_right(starts, last)))
        moved += len(edit.inserted_text) - (edit.end_pos - edit.start_pos)
    return lines


def enclosing_function(node: SgNode) -> SgNode | None:
    """The innermost function definition around `node` (not `node` itself)."""
    current = node.parent()
    while current is not None and current.kind() != "function_definition":
        current = current.parent()
    return current


def _comment(indent: str, code: str, text: str) -> str:
    lines = textwrap.wrap(f"{todo_marker(code)} {text}", width=max(40, TODO_WIDTH - len(indent)),
                          subsequent_indent="#   ", break_long_words=False, break_on_hyphens=False)
    return "".join(f"{indent}{line}\n" for line in lines)


def literal(node: SgNode | None) -> Any:
    """The value of a plain literal node (a string without interpolation, a number, True/False/None), or
    raise ValueError."""
    import ast

    if node is None:
        raise ValueError("no node")
    if node.kind() == "string" and any(c.kind() == "interpolation" for c in node.children()):
        raise ValueError("an f-string")
    if node.kind() not in ("string", "integer", "float", "true", "false", "none", "unary_operator"):
        raise ValueError(node.kind())
    return ast.literal_eval(node.text())


def statement_names(statement: SgNode) -> set[str]:
    """The names a top-level statement binds."""
    kind = statement.kind()
    if kind == "decorated_definition":
        statement = statement.field("definition")  # type: ignore[assignment]
        kind = statement.kind()
    if kind in ("function_definition", "class_definition"):
        return {statement.field("name").text()}  # type: ignore[union-attr]
    if kind == "import_from_statement":
        module = statement.field("module_name")
        return {(item.field("alias") or item).text() for item in statement.named_children()  # type: ignore[union-attr]
                if item != module and item.kind() in ("dotted_name", "aliased_import")}
    if kind == "import_statement":
        return {item.field("alias").text() if item.kind() == "aliased_import" else item.text().split(".")[0]  # type: ignore[union-attr]
                for item in statement.named_children()}
    if kind == "expression_statement" and statement.named_children() \
            and statement.named_children()[0].kind() == "assignment":
        left = statement.named_children()[0].field("left")
        return {n.text() for n in ([left] if left.kind() == "identifier" else left.find_all(kind="identifier"))}  # type: ignore[union-attr]
    return set()


def _appended(edit: Edit, end: int) -> bool:
    """A line append_line writes after a node's line that ends at `end` (`werkzeug_routing(app)` after
    `app = FastAPI()`): not part of the node, so neither its rendering nor a rewrite of the node takes it."""
    return edit.start_pos == edit.end_pos == end and edit.inserted_text.startswith("\n")
