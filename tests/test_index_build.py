"""The incremental index (IndexBuilder) gives the very index a build from scratch (build_index) gives,
after any sequence of analyses made and dropped: modules that share a name or a suffix, exports that
appear and disappear, re-export chains and cycles."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

import pytest

from migrate_audit.index.build import IndexBuilder, build_index
from migrate_audit.model import FileResult

MODULES = ["app", "app.ext", "app.models", "src.app.models", "pkg.app.ext", "views", "app.views", "ext",
           "app.models"]  # the last one twice: `app/models.py` and `app/models/__init__.py`
NAMES = ["db", "app", "bp", "login", "x"]
QUALS = ["flask_sqlalchemy.SQLAlchemy()", "flask.Flask()", "flask.Blueprint()", "flask_login.LoginManager()"]


@dataclass
class File:
    module: str
    exports: dict[str, str] = field(default_factory=dict)
    project_imports: dict[str, tuple[str, str]] = field(default_factory=dict)
    analysis: FileResult | None = None
    mentions_flask: bool = False


def _exports(rng: random.Random) -> dict[str, str]:
    return {name: rng.choice(QUALS) for name in rng.sample(NAMES, rng.randint(0, 2))}


def _imports(rng: random.Random) -> dict[str, tuple[str, str]]:
    return {rng.choice(NAMES): (rng.choice(MODULES), rng.choice(NAMES)) for _ in range(rng.randint(0, 3))}


def _analysis(rng: random.Random) -> FileResult:
    result = FileResult(path="x.py", kind="python")
    result.exports, result.project_imports = _exports(rng), _imports(rng)
    return result


def _same(files: list[File], builder: IndexBuilder) -> None:
    built, expected = builder.build(), build_index(files)
    assert built.exports == expected.exports
    assert built._by_suffix == expected._by_suffix
    assert built.uses_flask == expected.uses_flask
    for module in MODULES:
        for name in NAMES:
            assert built.lookup(module, name) == expected.lookup(module, name)


@pytest.mark.parametrize("seed", range(40))
def test_the_incremental_index_is_the_one_built_from_scratch(seed: int) -> None:
    rng = random.Random(seed)
    files = [File(module, _exports(rng), _imports(rng), mentions_flask=rng.random() < 0.5) for module in MODULES]
    builder = IndexBuilder(files)
    _same(files, builder)
    for _ in range(12):
        for file in rng.sample(files, rng.randint(1, 4)):
            file.analysis = None if rng.random() < 0.25 else _analysis(rng)
        _same(files, builder)


def test_a_build_leaves_the_files_exports_as_they_were() -> None:
    """Re-exports go into the index's own copies, never into a file's (or its analysis's) dictionary."""
    files = [File("app.ext", {"db": QUALS[0]}), File("app.models", {"x": QUALS[1]}, {"db": ("app.ext", "db")})]
    index = IndexBuilder(files).build()
    assert index.lookup("app.models", "db") == QUALS[0]
    assert files[1].exports == {"x": QUALS[1]}
    assert build_index(files).lookup("app.models", "db") == QUALS[0] and files[1].exports == {"x": QUALS[1]}
