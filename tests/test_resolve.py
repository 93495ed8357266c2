"""The project index's re-exports: `from .extensions import db` in one module makes `db` a name of that
module too, through chains of any order, modules with nothing of their own, and import cycles."""
from __future__ import annotations

from migrate_audit.index.resolve import ImportTable, ProjectIndex

SQLA = "flask_sqlalchemy.SQLAlchemy()"


def index_of(exports: dict[str, dict[str, str]], imports: dict[str, dict[str, tuple[str, str]]]) -> ProjectIndex:
    index = ProjectIndex()
    for module, names in exports.items():
        index.add(module, dict(names))
    index.resolve_reexports({module: ImportTable(imported) for module, imported in imports.items()})
    return index


def test_a_chain_is_followed_whatever_the_order_of_its_links() -> None:
    imports = {
        "app.views": {"db": ("app.models", "db")},  # listed before the link it depends on
        "app.models": {"db": ("app.extensions", "db"), "os": ("os", "path")},
    }
    index = index_of({"app.extensions": {"db": SQLA}}, imports)
    assert index.lookup("app.views", "db") == SQLA
    assert index.lookup("app.models", "db") == SQLA
    assert index.lookup("app.models", "os") is None  # a third party: never a project name


def test_a_module_with_nothing_of_its_own_is_added_and_found_by_its_suffix() -> None:
    imports = {
        "src.app.ext": {"database": ("app.extensions", "db")},
        "src.app.views": {"db": ("app.ext", "database")},  # `app.ext` means `src.app.ext` once it exists
    }
    index = index_of({"src.app.extensions": {"db": SQLA}}, imports)
    assert index.lookup("app.ext", "database") == SQLA
    assert index.lookup("src.app.views", "db") == SQLA


def test_an_import_cycle_ends() -> None:
    imports = {"a": {"x": ("b", "x"), "db": ("ext", "db")}, "b": {"x": ("a", "x")}}
    index = index_of({"ext": {"db": SQLA}, "a": {}, "b": {}}, imports)
    assert index.lookup("a", "x") is None and index.lookup("b", "x") is None
    assert index.lookup("a", "db") == SQLA


def test_a_module_added_under_a_name_another_one_answered_to_takes_that_name() -> None:
    # `ext` first means `pkg.ext` (by suffix); once a module named exactly `ext` exists, it means that one.
    imports = {"ext": {"db": ("pkg.extensions", "db")}, "views": {"db": ("ext", "db")}}
    index = index_of({"pkg.ext": {"other": "flask.Flask()"}, "pkg.extensions": {"db": SQLA}}, imports)
    assert index.lookup("ext", "db") == SQLA
    assert index.lookup("views", "db") == SQLA


def test_the_changes_between_two_indexes_turn_the_first_into_the_second() -> None:
    """What worker processes get between two levels of analyses (workers.SharedIndex): modules added,
    changed and gone, suffixes claimed and freed."""
    before = index_of({"app.extensions": {"db": SQLA}, "app.old": {"x": "flask.Flask()"}},
                      {"app.views": {"db": ("app.extensions", "db")}})
    after = index_of({"app.extensions": {"db": SQLA, "login": "flask_login.LoginManager()"},
                      "pkg.app.new": {"bp": "flask.Blueprint()"}},
                     {"app.views": {"login": ("app.extensions", "login")}})
    after.uses_flask = True
    changes = after.changes_since(before)
    assert changes.exports["app.old"] is None and changes.by_suffix["old"] is None
    assert "app.extensions" in changes.exports and changes.by_suffix["new"] == "pkg.app.new"
    rebuilt = before.with_changes(changes)
    assert (rebuilt.exports, rebuilt._by_suffix, rebuilt.uses_flask) == (after.exports, after._by_suffix, True)
    assert rebuilt.lookup("app.new", "bp") == "flask.Blueprint()" and rebuilt.lookup("old", "x") is None
    assert before.lookup("app.old", "x") == "flask.Flask()"  # the first index is left as it was
    assert after.changes_since(after).size == 0
