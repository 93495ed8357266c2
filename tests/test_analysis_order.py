"""The order in which a scan analyses files decides only how often it analyses them, never what it
reports: files are analysed in the order of their imports (so a module sees the final exports of what
it imports), and whatever the order, the result is the one consistent with the final project index."""
from __future__ import annotations

import pytest

from conftest import FIXTURES
from migrate_audit import scan as scan_module
from migrate_audit.config import Settings
from migrate_audit.import_order import Unit, import_units
from migrate_audit.scan import run_scan

# A model chain through files that never mention Flask (`class User(Base)`, `class Base(db.Model)`),
# a package re-export, and an import cycle through a function-level import (user -> services -> models).
PROJECT = FIXTURES / "projects" / "layered_models"


def reversed_units(summaries, members):  # type: ignore[no-untyped-def]
    """The units of the import order in reverse, one after the other."""
    units = list(reversed(import_units(summaries, members)))
    return [Unit(unit.files, unit.cyclic, [k - 1] if k else []) for k, unit in enumerate(units)]


ORDERS = {
    "import order": None,
    "reversed": reversed_units,
    "one cycle": lambda summaries, members: [Unit(sorted(members), True, [])],
    "no order": lambda summaries, members: [],
}


def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the scans of this test analyse, in order, once per analysis."""
    analysed: list[str] = []
    analyze_positions = scan_module._analyze_positions

    def counting(ready, positions, *args):  # type: ignore[no-untyped-def]
        analysed.extend(ready[i].source.relpath for i in positions)
        return analyze_positions(ready, positions, *args)

    monkeypatch.setattr(scan_module, "_analyze_positions", counting)
    return analysed


def findings(order: str, monkeypatch: pytest.MonkeyPatch) -> tuple[list[tuple[str, int, int, str]], list[str]]:
    analysed = counted(monkeypatch)
    if ORDERS[order] is not None:
        monkeypatch.setattr(scan_module, "import_units", ORDERS[order])
    result = run_scan([str(PROJECT)], Settings(), jobs=1)
    found = sorted((f.path, x.line, x.column, x.code) for f in result.files for x in f.findings)
    return found, analysed


@pytest.mark.parametrize("order", sorted(set(ORDERS) - {"import order"}))
def test_the_order_of_analysis_does_not_change_the_findings(order: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expected, _ = findings("import order", monkeypatch)
    assert findings(order, monkeypatch)[0] == expected


def test_import_order_sees_models_defined_in_files_that_never_mention_flask(monkeypatch: pytest.MonkeyPatch) -> None:
    found, analysed = findings("import order", monkeypatch)
    # `User.query` is Flask-SQLAlchemy's only through `User(Base)` and `Base(db.Model)`.
    assert ("app/services.py", 5, 12, "FMA340") in found
    assert ("app/views.py", 11, 32, "FMA340") in found
    assert ("app/models/user.py", 4, 7, "FMA343") in found
    # Each file once: the function-level import of the cycle does not order the analyses, and the
    # module-level ones put every model before the files that use it.
    assert sorted(analysed) == sorted(set(analysed))


def test_without_import_order_files_are_analysed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # What the order saves: all at once, the files using the models are analysed before the models are
    # known and analysed again afterwards.
    _, analysed = findings("no order", monkeypatch)
    assert len(analysed) > len(set(analysed))


def test_conftests_come_before_the_tests_they_give_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    # pytest hands a conftest's fixtures to the tests below it without an import: ordered as if imported,
    # a test module is analysed once, after its conftests, not again when their fixture facts arrive.
    analysed = counted(monkeypatch)
    run_scan([str(FIXTURES / "projects" / "pytest_fixtures")], Settings(), jobs=1)
    first = {path: analysed.index(path) for path in analysed}
    assert first["tests/conftest.py"] < first["tests/api/conftest.py"] < first["tests/api/test_api.py"]
    assert first["tests/conftest.py"] < first["tests/test_books.py"]
    # Three analyses before (once early, again after each conftest's facts). `tests/test_classes.py` is
    # still analysed twice: its base class comes from a module that needs analysis only once the fixtures
    # are known, which no order can foresee.
    assert analysed.count("tests/api/test_api.py") == 1
    assert analysed.count("tests/test_books.py") == 1


def _blueprint_chain(root, length: int) -> None:  # type: ignore[no-untyped-def]
    """`app/m0.py` ... `app/m{length-1}.py`: each module routes on the Blueprint of the next one, imported
    at module level, and the last imports the first: one cycle of module-level imports, whose exports
    (the Blueprints) each file needs from the next."""
    package = root / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for k in range(length):
        last = k == length - 1
        imported = "from . import m0\n" if last else f"from .m{k + 1} import bp{k + 1}\n"
        route = "" if last else f"\n\n@bp{k + 1}.route('/{k}')\ndef view{k}():\n    return request.args.get('q')\n"
        (package / f"m{k}.py").write_text(
            f"from flask import Blueprint, request\n{imported}\nbp{k} = Blueprint('b{k}', __name__)\n{route}")


def test_a_cycle_of_module_level_imports_is_analysed_in_waves_each_file_once(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _blueprint_chain(tmp_path, 6)
    analysed = counted(monkeypatch)
    result = run_scan([str(tmp_path)], Settings(), jobs=1)
    found = sorted((f.path, x.line, x.code) for f in result.files for x in f.findings)
    # Each module's route on the next one's Blueprint is followed: the exports crossed the cycle.
    assert {(f"app/m{k}.py", 7, "FMA102") for k in range(5)} <= set(found)
    # The cycle is broken at its one back edge (m5 -> m0): m5 first, m0 last, each once. All at once,
    # m0 ... m4 would be analysed before any Blueprint was known, and again afterwards.
    assert sorted(analysed) == sorted(set(analysed)) == sorted(f"app/m{k}.py" for k in range(6))
    assert analysed.index("app/m5.py") < analysed.index("app/m4.py") < analysed.index("app/m0.py")
    analysed.clear()
    monkeypatch.setattr(scan_module, "import_units", ORDERS["one cycle"])
    again = run_scan([str(tmp_path)], Settings(), jobs=1)
    assert sorted((f.path, x.line, x.code) for f in again.files for x in f.findings) == found
    assert len(analysed) == 6 + 5
