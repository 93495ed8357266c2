"""Name resolution: which local names in a file are bound to Flask objects.

Resolution is flow-insensitive and file-wide, like a reader skimming the imports: `import flask as f`,
`from flask import request as rq`, `from flask import *`, legacy `flask.ext.*`, instances
(`app = Flask(__name__)`, `bp = ApiBlueprint(...)`), project subclasses (`class ApiBlueprint(Blueprint)`),
annotated parameters (`def init(app: Flask)`) and names imported from the project's own modules that the
project index knows to be Flask objects (`from .extensions import db`).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Generic, Iterable, Iterator, TypeVar

if TYPE_CHECKING:  # annotations only: the flake8 plugin reads stored analyses without loading the parser
    from ast_grep_py import SgNode

from .. import names

T = TypeVar("T")
ALIAS_MARK = "~"  # `lookup(ALIAS_MARK, qual)`: the registration a project helper method makes (helper_methods.py)



@dataclass(frozen=True)
class ImportBinding:
    local: str
    qual: str
    node: SgNode  # the import statement


@dataclass
class ProjectIndex:
    """Flask-related names that each project module binds, for resolving imports across modules."""

    exports: dict[str, dict[str, str]] = field(default_factory=dict)
    uses_flask: bool = False
    _by_suffix: dict[str, str] = field(default_factory=dict)
    _received: dict[str, str] | None = field(default=None, repr=False, compare=False)
    _receivers: set[tuple[str, str]] = field(default_factory=set, repr=False, compare=False)
    _aliases: dict[str, str] | None = field(default=None, repr=False, compare=False)

    def add(self, module: str, bindings: dict[str, str]) -> None:
        self.exports[module] = bindings
        self._received = self._aliases = None
        by_suffix = self._by_suffix
        for suffix in module_suffixes(module):
            # `src/app/extensions.py` is imported as `app.extensions`: index every suffix.
            by_suffix.setdefault(suffix, module)

    def module(self, name: str) -> str | None:
        if name in self.exports:
            return name
        return self._by_suffix.get(name)

    def lookup(self, module: str, name: str) -> str | None:
        """The qual `name` of `module` is bound to; for the name `@`, every call fact about `module`'s
        functions (flow.py), as one string; for `@function`, whether the project passes that function an
        app (`@`) or not (None)."""
        if name.startswith("@"):
            return self.received(module) if name == "@" else self.receives(module, name[1:])
        if module == ALIAS_MARK:
            return self.aliases().get(name)
        found = self.module(module)
        if found is None:
            return None
        return self.exports[found].get(name)

    def aliases(self) -> dict[str, str]:
        """The project's registration helper methods: method qual -> the registration it makes."""
        if self._aliases is None:
            from ..helper_methods import alias_table

            self._aliases = alias_table(self.exports)
        return self._aliases

    def received(self, module: str) -> str | None:
        """What the project's calls pass to the functions of `module` (as its callers spell it), encoded."""
        if self._received is None:
            from ..flow import encode, received_table

            table = received_table(self.exports)
            self._received = {callee: encode(facts) for callee, facts in table.items()}
            self._receivers = {(callee, function) for callee, facts in table.items() for function in facts}
        return self._received.get(module)

    def receives(self, module: str, function: str) -> str | None:
        self.received(module)
        return "@" if (module, function) in self._receivers else None

    def receivers(self) -> tuple[dict[str, str], set[tuple[str, str]]]:
        """The modules (as callers spell them) whose functions the project passes an app, and those
        (module, function) pairs."""
        self.received("")
        return self._received, self._receivers  # type: ignore[return-value]

    @property
    def size(self) -> int:
        return len(self.exports) + len(self._by_suffix)

    def copy(self) -> ProjectIndex:
        return ProjectIndex({module: dict(bindings) for module, bindings in self.exports.items()},
                            self.uses_flask, dict(self._by_suffix))

    def changes_since(self, base: ProjectIndex) -> IndexChanges:
        """What this index changes of `base`: `base.with_changes(...)` equals this one."""
        return IndexChanges(_changes(self.exports, base.exports), _changes(self._by_suffix, base._by_suffix),
                            self.uses_flask)

    def with_changes(self, changes: IndexChanges) -> ProjectIndex:
        """A new index: this one with `changes` made (this one is left as it is)."""
        return ProjectIndex(_changed(self.exports, changes.exports), changes.uses_flask,
                            _changed(self._by_suffix, changes.by_suffix))

    def resolve_reexports(self, tables: dict[str, ImportTable]) -> None:
        """Follow `from .extensions import db` re-exports until nothing changes. `tables`: each
        importing module's imports of other modules, in the order they are followed in."""
        ordered = list(tables.items())

        def importing(names: set[str]) -> list[Reexport]:
            return [(place, ordinal, module, local, source, name)
                    for place, (module, table) in enumerate(ordered) for name in names.intersection(table.by_name)
                    for ordinal, local, source in table.by_name[name]]

        self.follow_reexports(importing)

    def follow_reexports(self, importing: Callable[[set[str]], list[Reexport]],
                         exported: Iterable[str] | None = None) -> None:
        """`resolve_reexports`, with `importing(names)` giving the imports (`Reexport`) of any of `names`
        by any module, and `exported` every name the index's modules bind, when the caller knows them.
        Binding dictionaries are copied before they are changed: the index may share them with its maker."""
        # Only imports of a name that some module exports can make a re-export (of that name, under
        # its local name, which may be exported in turn): on the bench corpus, a few hundred of its
        # 24k imports. They are taken in the order of the places and of each module's imports, which
        # decides the order modules are added in, and so which one a shared suffix means.
        wanted = set(exported) if exported is not None else {
            name for bindings in self.exports.values() for name in bindings}
        frontier = set(wanted)
        picked: list[Reexport] = []
        while frontier:
            found = importing(frontier)
            picked.extend(found)
            frontier = {entry[3] for entry in found}.difference(wanted)  # their local names
            wanted |= frontier
        picked.sort()
        # The imports grouped by the module they import from, each group with the project module that
        # name means, or None (a third party).
        groups: dict[str, list[tuple[str, str, str]]] = {}
        for _, _, module, local, source, name in picked:
            groups.setdefault(source, []).append((module, local, name))
        found_of = {source: self.module(source) for source in groups}
        todo = [source for source, found in found_of.items() if found is not None]
        private: set[str] = set()  # modules whose bindings dictionary is this index's own
        for _ in range(20):  # re-export chains are short; the bound stops cycles
            added: list[str] = []
            changed: set[str] = set()
            for source in todo:
                exported = self.exports[found_of[source]]  # type: ignore[index]
                for module, local, name in groups[source]:
                    qual = exported.get(name)
                    if qual and self.exports.get(module, {}).get(local) != qual:
                        if module not in self.exports:
                            self.add(module, {})  # registers the module's import names
                            added.append(module)
                        elif module not in private:
                            self.exports[module] = dict(self.exports[module])
                        private.add(module)
                        self.exports[module][local] = qual
                        changed.add(module)
            if not changed:
                return
            # Next round, only imports from a module whose exports just changed can change anything,
            # and those that now mean another module.
            todo = [source for source, found in found_of.items() if found in changed]
            if added:
                # What a name means changes only for a module added under that very name, or one that
                # meant nothing before (suffixes are first come, first served: never reassigned).
                fresh_modules = set(added)
                for source, found in found_of.items():
                    if found is None or source in fresh_modules:
                        now = self.module(source)
                        if now != found:
                            found_of[source] = now
                            if found not in changed:
                                todo.append(source)


K = TypeVar("K")
V = TypeVar("V")


def _changes(now: dict[K, V], before: dict[K, V]) -> dict[K, V | None]:
    """The entries of `now` that differ from `before`, and None for each key `now` no longer has."""
    changes: dict[K, V | None] = {key: value for key, value in now.items() if before.get(key) != value}
    changes.update((key, None) for key in before if key not in now)
    return changes


def _changed(before: dict[K, V], changes: dict[K, V | None]) -> dict[K, V]:
    """A copy of `before` with `changes` (`_changes`) made."""
    after = dict(before)
    for key, value in changes.items():
        if value is None:
            after.pop(key, None)
        else:
            after[key] = value
    return after


@dataclass(frozen=True)
class IndexChanges:
    """What an index changes of an earlier one (`ProjectIndex.changes_since`): how a worker process
    that holds the earlier index gets the later one without being sent it whole."""

    exports: dict[str, dict[str, str] | None]  # module -> its bindings now; None: no longer there
    by_suffix: dict[str, str | None]
    uses_flask: bool

    @property
    def size(self) -> int:
        return len(self.exports) + len(self.by_suffix)


# One import of a name by a module, as re-exports are followed in: (the importing module's place, the
# import's place among its imports, the importing module, the local name, the module imported from, the
# name imported).
Reexport = tuple[int, int, str, str, str, str]


class ImportTable:
    """One module's imports of other modules (local name -> (module, name)) by imported name, as
    `ProjectIndex.resolve_reexports` looks them up."""

    __slots__ = ("by_name",)

    def __init__(self, imported: dict[str, tuple[str, str]]) -> None:
        self.by_name: dict[str, list[tuple[int, str, str]]] = {}  # name -> [(place, local, module)]
        for ordinal, (local, (source, name)) in enumerate(imported.items()):
            self.by_name.setdefault(name, []).append((ordinal, local, source))


class ImportTables:
    """An `ImportTable` per imports dictionary, made once: a scan builds its index again after each
    level of analyses (40 times on the bench corpus) from mostly the same files. Holding each
    dictionary keeps its id from being reused while this lives."""

    def __init__(self) -> None:
        self._made: dict[int, tuple[dict[str, tuple[str, str]], ImportTable]] = {}

    def of(self, imported: dict[str, tuple[str, str]]) -> ImportTable:
        made = self._made.get(id(imported))
        if made is None or made[0] is not imported:
            made = self._made[id(imported)] = (imported, ImportTable(imported))
        return made[1]


class MarkedEntries:
    """The entries of binding dictionaries whose keys `marked` accepts (call facts, helper methods: keys
    no import can spell), made once per dictionary: every index a scan builds, and every one its workers
    get, has the project's tables of facts and helper methods made anew from mostly the same dictionaries
    (a thousand modules, 9,000 bindings on the bench corpus). Dictionaries are never changed once in an
    index that answers (`ProjectIndex.follow_reexports` copies before it changes one); holding each keeps
    its id from being reused while it is remembered."""

    def __init__(self, marked: Callable[[str], bool]) -> None:
        self._marked = marked
        self._made: dict[int, tuple[dict[str, str], list[tuple[str, str]]]] = {}

    def of(self, exports: dict[str, dict[str, str]]) -> Iterator[tuple[str, str]]:
        """The marked (key, value) of every dictionary of `exports`, in their order."""
        made, marked = self._made, self._marked
        if len(made) > 4 * len(exports) + 1024:
            made.clear()  # dictionaries of indexes gone: forget them rather than keep them alive
        for bindings in exports.values():
            entry = made.get(id(bindings))
            if entry is None or entry[0] is not bindings:
                entry = made[id(bindings)] = (bindings, [(key, value) for key, value in bindings.items()
                                                         if marked(key)])
            yield from entry[1]


@functools.lru_cache(maxsize=1 << 16)  # a scan builds its index again after each level of analyses
def module_suffixes(module: str) -> tuple[str, ...]:
    """Every name `module` can be imported as, longest first: `app.api.views`, `api.views`, `views` (a
    project scanned from above or below its import root). The index, its builder and the call facts
    (flow.py) all key modules this way."""
    parts = module.split(".")
    return tuple(".".join(parts[i:]) for i in range(len(parts)))


class RecordingIndex:
    """The index as one file's analysis sees it, remembering every answer it gives. An analysis whose
    recorded answers are all still the same in a later index is still valid: no need to parse again."""

    def __init__(self, index: ProjectIndex | None) -> None:
        self._index = index
        self.uses_flask = bool(index and index.uses_flask)
        self.answers: dict[tuple[str, str], str | None] = {}

    def lookup(self, module: str, name: str) -> str | None:
        qual = self._index.lookup(module, name) if self._index is not None else None
        self.answers[(module, name)] = qual
        return qual


def answers_hold(answers: dict[tuple[str, str], str | None], index: ProjectIndex) -> bool:
    return all(index.lookup(module, name) == qual for (module, name), qual in answers.items())


class ModuleNames(Generic[T]):
    """Values keyed by project module, found by the names an import can use: `src/app/views.py` is
    indexed as `src.app.views` but imported as `app.views`, so every suffix of a module's name maps to it
    (the first module added wins), and an imported dotted path (`app.views.bp`) is looked up by its longest
    known prefix."""

    def __init__(self) -> None:
        self._by_name: dict[str, T] = {}

    def add(self, module: str, value: T) -> None:
        for suffix in module_suffixes(module):
            self._by_name.setdefault(suffix, value)

    def find(self, imported: str) -> T | None:
        parts = imported.split(".")
        for k in range(len(parts), 0, -1):
            value = self._by_name.get(".".join(parts[:k]))
            if value is not None:
                return value
        return None


def module_name_for(relpath: str) -> str:
    """`pkg/sub/views.py` -> `pkg.sub.views`; `pkg/__init__.py` -> `pkg`."""
    parts = relpath.replace("\\", "/").split("/")
    last = parts[-1]
    parts[-1] = last[:-3] if last.endswith(".py") else last
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(p for p in parts if p)


def absolute_module(module_text: str, current_module: str, is_package: bool) -> str:
    """Resolve a relative import (`..models`) against the importing module's name."""
    if not module_text.startswith("."):
        return module_text
    dots = len(module_text) - len(module_text.lstrip("."))
    rest = module_text[dots:]
    base = current_module.split(".") if current_module else []
    if not is_package and base:
        base = base[:-1]
    drop = dots - 1
    if drop:
        base = base[:-drop] if drop <= len(base) else []
    return ".".join([*base, rest] if rest else base)


def _dotted(node: SgNode) -> str:
    return "".join(node.text().split())


def iter_import_bindings(
    statements: list[SgNode], current_module: str, is_package: bool, index: ProjectIndex | None
) -> Iterator[tuple[ImportBinding | None, str, SgNode]]:
    """Yield (binding or None, absolute module, statement) for every import statement given.

    A binding is produced only for Flask-related names; the module is always yielded so the caller can
    record the project's import graph.
    """
    for stmt in statements:
        if stmt.kind() == "import_statement":
            for item in stmt.field_children("name"):
                if item.kind() == "aliased_import":
                    module = _dotted(item.field("name"))  # type: ignore[arg-type]
                    alias = item.field("alias")
                    local = alias.text() if alias else module
                    yield _module_binding(local, module, stmt), module, stmt
                else:
                    module = _dotted(item)
                    # `import flask.views` binds `flask`; attribute access then walks the dotted path.
                    top = module.partition(".")[0]
                    yield _module_binding(top, top, stmt), module, stmt
            continue
        module_node = stmt.field("module_name")
        if module_node is None:
            continue
        module = absolute_module(_dotted(module_node), current_module, is_package)
        wildcard = any(child.kind() == "wildcard_import" for child in stmt.children())
        if wildcard:
            if names.canonical(module) == "flask":
                for name in sorted(names.FLASK_PUBLIC_NAMES):
                    yield ImportBinding(name, names.canonical(f"flask.{name}"), stmt), module, stmt
            else:
                yield None, module, stmt
            continue
        for item in stmt.field_children("name"):
            if item.kind() == "aliased_import":
                imported = _dotted(item.field("name"))  # type: ignore[arg-type]
                alias = item.field("alias")
                local = alias.text() if alias else imported
            else:
                imported = local = _dotted(item)
            qual: str | None = None
            if names.is_interesting_module(module):
                qual = names.canonical(f"{module}.{imported}")
            elif index is not None:
                qual = index.lookup(module, imported)
            yield (ImportBinding(local, qual, stmt) if qual else None), module, stmt


def _module_binding(local: str, module: str, stmt: SgNode) -> ImportBinding | None:
    if not names.is_interesting_module(module):
        return None
    return ImportBinding(local, names.canonical(module), stmt)
