"""Imports after the rewrite: Flask names no longer used go, the FastAPI names the rewrites use come in.

Run on the rewritten text (a second parse), so that "used" means used in the code as it now is: `request`
stays imported while a read the port left to people still needs it.

What the port writes here is what `ruff check --select I` and `ruff format` would write (isort's profile,
as ruff applies it by default): a new import joins the group of its section (standard library, third-party,
first-party: the project's own modules), at its sorted place, or one of the module's imports already there;
a section the module has no group of gets its own, between blank lines; a line longer than LINE_LENGTH is
wrapped in parentheses, one name a line. The project's own imports are not reordered.
"""
from __future__ import annotations

import bisect
import re
import sys
from pathlib import Path

from ast_grep_py import SgNode, SgRoot

from ..scopes import span
from .layout import LINE_LENGTH, wrap_lines

# The modules whose unused names go (importing them has no effect of its own).
FLASK_MODULES = frozenset({"flask", "flask.typing", "flask.sessions", "flask.testing", "flask.views", "flask_cors", "werkzeug.exceptions",
                           "werkzeug.routing"})
# isort's sections, in their order
FUTURE, STDLIB, THIRD_PARTY, FIRST_PARTY, LOCAL = range(5)
_DEFINITION = re.compile(r"(?:@|def |async def |class )")


# The modules the port writes into a project (port/written/: the session bridge): the project's own once written.
WRITTEN = frozenset(path.stem for path in (Path(__file__).parent / "written").glob("*.py"))


def first_party(root: Path | None) -> frozenset[str]:
    """The top-level modules of the project at `root` (a package folder or a module, there or in src/): isort's
    first-party section, found as ruff finds it (its `src` setting's default, `.` and `src`), and those the port
    writes into it."""
    names: set[str] = set(WRITTEN)
    for folder in (root, root / "src") if root is not None else ():
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        names.update(entry.stem if entry.suffix in (".py", ".pyi") else entry.name for entry in entries
                     if entry.suffix in (".py", ".pyi") or entry.is_dir() and entry.name.isidentifier())
    return frozenset(names)


def section(module: str, mine: frozenset[str] = frozenset()) -> int:
    top = module.split(".")[0]
    if module.startswith("."):
        return LOCAL
    if top == "__future__":
        return FUTURE
    if top in mine:
        return FIRST_PARTY
    return STDLIB if top in sys.stdlib_module_names else THIRD_PARTY


def _module_key(module: str, straight: bool = False) -> tuple[int, str, str]:
    """isort's order in a section: `import x` lines first, then `from x import`, by module, case aside."""
    return (0 if straight else 1, module.lower(), module)


def _name_key(name: str) -> tuple[int, str, str]:
    """isort's order of the names of a `from` import (`order-by-type`): CONSTANTS, Classes, then the rest."""
    bare = name.split(" as ")[0]
    kind = 0 if len(bare) > 1 and bare.isupper() else 1 if bare[:1].isupper() else 2
    return (kind, bare.lower(), name)


def from_import(module: str, names: list[str] | set[str], indent: str = "") -> str:
    """`from module import a, b` (names sorted as isort sorts them), wrapped as ruff wraps a line too long for
    LINE_LENGTH; no final line break."""
    ordered = sorted(set(names), key=_name_key)
    line = f"{indent}from {module} import {', '.join(ordered)}"
    if len(line) <= LINE_LENGTH:
        return line
    return f"{indent}from {module} import (\n" + "".join(f"{indent}    {name},\n" for name in ordered) + f"{indent})"


def import_block(wanted: dict[str, set[str]], mine: frozenset[str] = frozenset()) -> list[str]:
    """The lines of a new module's imports of `wanted` (module -> names): its sections in order, a blank line
    between two."""
    lines: list[str] = []
    last = None
    for module in sorted((m for m in wanted if wanted[m]), key=lambda m: (section(m, mine), _module_key(m))):
        if last is not None and section(module, mine) != last:
            lines.append("")
        last = section(module, mine)
        lines += from_import(module, wanted[module]).split("\n")
    return lines


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


def fix_imports(text: str, wanted: dict[str, set[str]], definitions: dict[str, str] | None = None,
                mine: frozenset[str] = frozenset()) -> str:
    """`text` with the Flask imports it no longer uses removed, the names in `wanted` imported, and the
    module-level `definitions` (a `templates = Jinja2Templates(...)`) written after the imports; `mine`: the
    project's own top-level modules (`first_party`)."""
    if definitions:
        text = _define(text, definitions)
    return _imports(text, wanted, mine)


def _runs(root: SgNode) -> list[list[SgNode]]:
    """The module's runs of top-level import statements: imports with nothing but comments between them."""
    runs: list[list[SgNode]] = []
    previous = None
    for child in root.children():
        if child.kind() in ("import_from_statement", "import_statement", "future_import_statement"):
            if previous != "import":
                runs.append([])
            runs[-1].append(child)
            previous = "import"
        elif child.kind() != "comment":
            previous = child.kind()
    return runs


def _top_imports(root: SgNode) -> list[SgNode]:
    """The module's run of import statements (comments between them aside) that holds its first Flask import,
    else its first run: where the port's imports go. A module that makes its app before importing its views
    (against a cycle), or sets sys.path first, keeps that order."""
    runs = _runs(root)
    for run in runs:
        if any(s.kind() == "import_from_statement" and s.field("module_name").text() in FLASK_MODULES  # type: ignore[union-attr]
               for s in run):
            return run
    return runs[0] if runs else []


def _docstring(node: SgNode) -> bool:
    return node.kind() == "expression_statement" and bool(node.named_children()) \
        and node.named_children()[0].kind() == "string"


def _define(text: str, definitions: dict[str, str]) -> str:
    """The definitions not bound yet, after the module's imports, with the blank lines ruff's formatter puts
    around them (two around a function or class, one after the imports)."""
    root = SgRoot(text, "python").root()
    bound = {node.field("left").text() for node in root.children()  # type: ignore[union-attr]
             if node.kind() == "expression_statement" and node.named_children()
             and node.named_children()[0].kind() == "assignment"
             for node in [node.named_children()[0]]}
    # a line of a definition too long is split as ruff would (a helper's text is formatted where it is written)
    written = [wrap_lines(line.strip("\n"), set(range(line.count("\n") + 1))) for name, line in definitions.items()
               if name not in bound]
    if not written:
        return text
    statements = _top_imports(root)
    at = text.find("\n", span(statements[-1])[1]) + 1 if statements else _top(root)
    if at == 0 and statements:  # the last import ends the file without a line break
        text, at = text + "\n", len(text) + 1
    block = ""
    for index, definition in enumerate(written):
        wide = _is_definition(definition) or index > 0 and _is_definition(written[index - 1])
        block += ("\n\n" if wide else "\n") + definition + "\n"
    rest = text[at:]
    after = len(rest) - len(rest.lstrip("\n"))  # the blank lines already between the imports and the code
    needed = (2 if _is_definition(written[-1]) else 1) if rest.strip() else 0
    return text[:at] + block + "\n" * max(0, needed - after) + rest


def _is_definition(text: str) -> bool:
    """A function or class (decorated or under its comments), which ruff's formatter sets between two blank
    lines at a module's top level."""
    code = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return bool(code) and bool(_DEFINITION.match(code[0]))


def _imports(text: str, wanted: dict[str, set[str]], mine: frozenset[str] = frozenset()) -> str:
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
    # Splices of the text: (start, end) -> new text; an insertion has start == end.
    splices: dict[tuple[int, int], str] = {}
    removed: set[int] = set()  # start offsets of the statements that go whole
    for statement in flask_imports:
        items = _bindings(statement)
        kept = [item.text() for item, name in items if name in used and name not in taken]
        if len(kept) == len(items):
            continue
        start, end = span(statement)
        if kept:
            module = statement.field("module_name").text()  # type: ignore[union-attr]
            splices[(start, end)] = from_import(module, kept) if "#" not in statement.text() else \
                f"from {module} import {', '.join(kept)}"
        else:  # the whole line goes
            newline = text.find("\n", end)
            splices[(start, newline + 1 if newline >= 0 else end)] = ""
            removed.add(start)
    new = {module: sorted(wanted[module] - bound) for module in wanted if wanted[module] - bound}
    if new or removed:
        _place(text, root, new, mine, splices, removed)
    # the lines of the import run the port changed, to find it again in the new text
    marks = {line.strip() for inserted in splices.values() for line in inserted.split("\n") if line.strip()} | \
        {s.text() for s in _top_imports(root) if span(s) not in splices}
    for (start, end), inserted in sorted(splices.items(), reverse=True):
        text = text[:start] + inserted + text[end:]
    return _after_imports(text, marks) if splices else text


def _after_imports(text: str, marks: set[str]) -> str:
    """The blank lines after the run of imports the port changed (the one with a statement or line of `marks`),
    as isort sets them: two before a function or class (or the comments above one), one before anything else."""
    root = SgRoot(text, "python").root()
    runs = _runs(root)
    head = next((run for run in runs if any(s.text() in marks or s.text().split("\n")[0].strip() in marks
                                            for s in run)), [])
    if not head:
        return text
    children = root.children()
    # the first statement after the imports (comments above a definition go with it)
    nxt = next((child for child in children[children.index(head[-1]) + 1:] if child.kind() != "comment"), None)
    if nxt is None:
        return text
    wanted = 2 if nxt.kind() in ("function_definition", "class_definition", "decorated_definition") else 1
    end = text.find("\n", span(head[-1])[1])
    if end < 0:
        return text
    rest = text[end + 1:]
    blank = len(rest) - len(rest.lstrip("\n"))
    if not rest.strip() or blank == wanted:
        return text
    return text[:end + 1] + "\n" * wanted + rest.lstrip("\n")


def _place(text: str, root: SgNode, new: dict[str, list[str]], mine: frozenset[str],
           splices: dict[tuple[int, int], str], removed: set[int]) -> None:
    """Add to `splices` the imports of `new` (module -> names), each where isort would have it."""
    head = _top_imports(root)
    # `from M import ...` of the head, to add M's new names to (not one with comments inside, nor a `*`)
    merged = {statement.field("module_name").text(): statement for statement in head  # type: ignore[union-attr]
              if statement.kind() == "import_from_statement" and span(statement)[0] not in removed
              and "#" not in statement.text() and "*" not in statement.text()
              and not statement.field("module_name").text().startswith(".")}  # type: ignore[union-attr]
    groups: list[list[SgNode]] = []  # the head's groups: its imports between blank lines
    for statement in head:
        between = text[span(groups[-1][-1])[1]:span(statement)[0]] if groups else ""
        if groups and not any(not line.strip() for line in between.split("\n")[1:-1]):
            groups[-1].append(statement)
        else:
            groups.append([statement])

    def module_of(statement: SgNode) -> str:
        if statement.kind() == "import_from_statement":
            return statement.field("module_name").text()  # type: ignore[union-attr]
        if statement.kind() == "future_import_statement":
            return "__future__"
        name = statement.named_children()[0]
        return (name.field("name") if name.kind() == "aliased_import" else name).text()  # type: ignore[union-attr]

    def leading(statement: SgNode) -> int:
        """Where the statement's lines start, its comments above included (a TODO stays with its import)."""
        start = text.rfind("\n", 0, span(statement)[0]) + 1
        while start > 0:
            above = text.rfind("\n", 0, start - 1) + 1
            if not text[above:start].lstrip().startswith("#"):
                break
            start = above
        return start

    def after(statement: SgNode) -> int:
        end = text.find("\n", span(statement)[1])
        return end + 1 if end >= 0 else len(text)

    sections = [section(module_of(group[0]), mine) for group in groups]
    inserts: dict[int, list[tuple[tuple[int, str, str], str]]] = {}  # offset -> (key, line)
    fresh: dict[int, dict[int, list[str]]] = {}  # offset -> new group's section -> its modules
    for module, names in new.items():
        if module in merged:
            statement = merged[module]
            present = [item.text() for item, _ in _bindings(statement)]
            splices[span(statement)] = from_import(module, present + names)
            continue
        line = from_import(module, names) + "\n"
        key = _module_key(module)
        mine_section = section(module, mine)
        if mine_section in sections:
            group = groups[sections.index(mine_section)]
            staying = [s for s in group if span(s)[0] not in removed] or group
            later = next((s for s in staying if _module_key(module_of(s), s.kind() == "import_statement") > key), None)
            at = leading(later) if later is not None else after(staying[-1])
            inserts.setdefault(at, []).append((key, line))
        elif groups:
            later_group = next((g for g, sect in zip(groups, sections) if sect > mine_section), None)
            at = leading(later_group[0]) if later_group is not None else after(groups[-1][-1])
            fresh.setdefault(at, {}).setdefault(mine_section, []).append(module)
        else:
            fresh.setdefault(-1, {}).setdefault(mine_section, []).append(module)
    for at, lines in inserts.items():
        splices[(at, at)] = "".join(line for _, line in sorted(lines)) + splices.get((at, at), "")
    for at, by_section in fresh.items():
        block = "\n".join(import_block({m: set(new[m]) for ms in by_section.values() for m in ms}, mine)) + "\n"
        if at == -1:  # no imports yet: after the docstring, a blank line either side
            at = _top(root)
            block = ("\n" if at else "") + block + ("\n" if text[at:at + 1] not in ("\n", "") else "")
        elif any(at == leading(group[0]) for group in groups):  # before a group of a later section
            splices[(at, at)] = block + "\n" + splices.get((at, at), "")
            continue
        else:  # after the last group
            block = "\n" + block
        splices[(at, at)] = splices.get((at, at), "") + block
    # a group whose imports all went, and that got none: the blank line after it goes too (isort's one
    # blank line between two sections, and after the imports)
    for group in groups:
        first, last = leading(group[0]), after(group[-1])
        if all(span(s)[0] in removed for s in group) and not any(first <= at <= last for at, end in splices
                                                                     if at == end):
            end = text.find("\n", span(group[-1])[1]) + 1
            if end and text[end:end + 1] == "\n" and (span(group[-1])[0], end) in splices:
                del splices[(span(group[-1])[0], end)]
                splices[(span(group[-1])[0], end + 1)] = ""


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
    """Where imports go in a module that has none: after its docstring (and the comments above it)."""
    children = [child for child in root.children() if child.kind() != "comment"]
    if children and _docstring(children[0]):
        return span(children[0])[1] + 1
    return 0
