"""The project index from every file's exports and imports: made once (`build_index`), or made again
and again while a few files change between two builds (`IndexBuilder`, for the analysis driver, which
builds it after each level of analyses: 39 times on the bench corpus).

A file contributes what its analysis says when it has one, else what its text says (`FileSummary`'s
`exports` and `project_imports`). Both builds give the same index for the same files: a module's
names are those of the last file with that module name that has any, a suffix (`app.models` for
`src/app/models.py`) means the first such file's module, and re-exports are then followed as
`ProjectIndex.resolve_reexports` does.
"""
from __future__ import annotations

import bisect
from typing import Iterator, Protocol, Sequence

from ..model import FileResult
from .resolve import ImportTable, ImportTables, ProjectIndex, Reexport, module_suffixes


class IndexedFile(Protocol):
    """What the index needs of a file (summary.FileSummary)."""

    module: str
    exports: dict[str, str]
    project_imports: dict[str, tuple[str, str]]
    analysis: FileResult | None
    mentions_flask: bool


def _exports(file: IndexedFile) -> dict[str, str]:
    return file.analysis.exports if file.analysis is not None else file.exports


def _imports(file: IndexedFile) -> dict[str, tuple[str, str]]:
    return file.analysis.project_imports if file.analysis is not None else file.project_imports


def index_contribution(file: IndexedFile) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """What `file` gives the index besides its module name and Flask mention: its exports and imports."""
    return _exports(file), _imports(file)


def build_index(files: Sequence[IndexedFile]) -> ProjectIndex:
    """The index from every file's exports: parsed ones where analysed, what the text says elsewhere."""
    index = ProjectIndex()
    imports: dict[str, ImportTable] = {}
    for file in files:
        exports = _exports(file)
        if exports:
            index.add(file.module, exports)
        imported = _imports(file)
        if imported:
            imports[file.module] = ImportTable(imported)
    index.resolve_reexports(imports)
    index.uses_flask = any(file.mentions_flask for file in files)
    return index


class IndexBuilder:
    """`build_index(files)` for files that change a few at a time between builds (analyses made or
    dropped): each build looks at what changed since the last one, not at every file's exports and
    imports. `build()` gives the very index `build_index` gives (tests/test_index_build.py)."""

    def __init__(self, files: Sequence[IndexedFile]) -> None:
        self._files = files
        self._tables = ImportTables()
        self._uses_flask = any(file.mentions_flask for file in files)
        # What each file contributed at the last build (the objects themselves: analyses are replaced,
        # never changed in place).
        self._built: ProjectIndex | None = None  # the latest build
        self._seen_files: list[IndexedFile | None] = [None] * len(files)
        self._seen_analyses: list[FileResult | None] = [None] * len(files)
        self._seen_exports: list[dict[str, str] | None] = [None] * len(files)
        self._seen_imports: list[dict[str, tuple[str, str]] | None] = [None] * len(files)
        # Own exports: for each module, the files (positions) with any, and for each suffix the files
        # whose module has it; `_exports` and `_by_suffix` are what `ProjectIndex.add` in file order
        # would make of them.
        self._export_files: dict[str, list[int]] = {}
        self._suffix_files: dict[str, list[int]] = {}
        self._exports: dict[str, dict[str, str]] = {}
        self._by_suffix: dict[str, str] = {}
        # How many of `_exports`' modules bind each name: the names re-exports are followed from.
        self._exported: dict[str, int] = {}
        # Imports: for each module, the files with any (the first gives the module's place in the
        # order re-exports are followed in, the last its imports), and for each imported name, every
        # module's imports of it as `follow_reexports` takes them.
        self._import_files: dict[str, list[int]] = {}
        self._tables_of: dict[str, ImportTable] = {}
        self._imports_of: dict[str, dict[str, list[Reexport]]] = {}

    def build(self) -> ProjectIndex:
        seen_exports, seen_imports = self._seen_exports, self._seen_imports
        files, seen_files, seen_analyses = self._files, self._seen_files, self._seen_analyses
        # Only files replaced or given another analysis since the last build can contribute anything else
        # (3,835 files, 39 builds on the bench corpus; a few dozen change between two).
        changed = [i for i, file, was, analysed in zip(range(len(files)), files, seen_files, seen_analyses)
                   if file is not was or file.analysis is not analysed]
        if not changed and self._built is not None:
            return self._built  # the same files give the same index (never changed once built)
        for i in changed:  # inlined `_exports` and `_imports`
            file = files[i]
            seen_files[i] = file
            analysis = seen_analyses[i] = file.analysis
            exports = analysis.exports if analysis is not None else file.exports
            if exports is not seen_exports[i]:
                self._set_exports(i, file.module, exports)
            imported = analysis.project_imports if analysis is not None else file.project_imports
            if imported is not seen_imports[i]:
                self._set_imports(i, file.module, imported)
        index = ProjectIndex(dict(self._exports), self._uses_flask, dict(self._by_suffix))
        index.follow_reexports(self._importing, self._exported)
        self._built = index
        return index

    def _set_exports(self, i: int, module: str, exports: dict[str, str]) -> None:
        before = self._seen_exports[i]
        self._seen_exports[i] = exports
        if bool(before) != bool(exports):
            positions = self._export_files.setdefault(module, [])
            if exports:
                bisect.insort(positions, i)
            else:
                positions.remove(i)
            for suffix in module_suffixes(module):
                claims = self._suffix_files.setdefault(suffix, [])
                if exports:
                    bisect.insort(claims, i)
                else:
                    claims.remove(i)
                if claims:
                    self._by_suffix[suffix] = self._files[claims[0]].module
                else:
                    del self._suffix_files[suffix], self._by_suffix[suffix]
        positions = self._export_files.get(module)
        old = self._exports.get(module)
        if positions:
            new = self._exports[module] = self._seen_exports[positions[-1]]  # type: ignore[assignment]
        else:
            self._export_files.pop(module, None)
            self._exports.pop(module, None)
            new = None
        if new is not old:
            counts = self._exported
            for name in old or ():
                counts[name] -= 1
                if not counts[name]:
                    del counts[name]
            for name in new or ():
                counts[name] = counts.get(name, 0) + 1

    def _set_imports(self, i: int, module: str, imported: dict[str, tuple[str, str]]) -> None:
        before = self._seen_imports[i]
        self._seen_imports[i] = imported
        positions = self._import_files.setdefault(module, [])
        if bool(before) != bool(imported):
            if imported:
                bisect.insort(positions, i)
            else:
                positions.remove(i)
        old = self._tables_of.pop(module, None)
        if old is not None:
            for name in old.by_name:
                importers = self._imports_of[name]
                del importers[module]
                if not importers:
                    del self._imports_of[name]
        if not positions:
            del self._import_files[module]
            return
        table = self._tables.of(self._seen_imports[positions[-1]])  # type: ignore[arg-type]
        self._tables_of[module] = table
        place = positions[0]
        for name, imports in table.by_name.items():
            self._imports_of.setdefault(name, {})[module] = [
                (place, ordinal, module, local, source, name) for ordinal, local, source in imports]

    def _importing(self, names: set[str]) -> list[Reexport]:
        """Every module's imports of any of `names`, made as the imports change, not at each build: a
        build takes the imports of the names some module exports (2,600 of the bench corpus' 16,000),
        not every importing module's table (39 builds on the bench corpus)."""
        found: list[Reexport] = []
        imports_of = self._imports_of
        for name in names:
            importers = imports_of.get(name)
            if importers:
                for imports in importers.values():
                    found.extend(imports)
        return found
