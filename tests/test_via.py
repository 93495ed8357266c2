"""How an object was reached, when the source does not show it, ends a finding's message: `self` in a
Flask subclass, an attribute holding the app, a parameter every caller passes the app in, a helper method
of an Api subclass. Findings on module-level names say nothing more."""
from __future__ import annotations

from migrate_audit.engine import analyze_python

from conftest import FIXTURES


def messages(name: str) -> dict[tuple[int, str], str]:
    path = FIXTURES / "engine" / name
    result = analyze_python(path.read_text(encoding="utf-8"), path.name)
    return {(f.line, f.code): f.message for f in result.findings}


def test_receivers_and_helpers_say_how_they_were_reached() -> None:
    found = messages("resolution_subclasses.py")
    assert found[26, "FMA107"] == "`self.register_blueprint(shelf)` registers a Blueprint (`self`: `App`, a subclass of `Flask`)"
    assert found[49, "FMA340"].endswith("(`cls`: the model `Book`)")
    assert found[80, "FMA359"].endswith("(`add_org_resource` calls `add_resource`)")
    assert found[12, "FMA106"] == 'Flask Blueprint `Blueprint("shelf", __name__)`'


def test_attributes_and_parameters_say_where_the_object_comes_from() -> None:
    held = messages("resolution_attributes.py")
    assert held[11, "FMA109"].endswith("(`self.app`: the `Flask` object stored in `ApiServer.__init__`)")
    passed = messages("resolution_parameters.py")
    assert passed[23, "FMA405"].endswith("(`target`: the `Flask` object every call of `configure_errors` passes)")
    assert passed[39, "FMA101"] == "Flask application `Flask(__name__)`"
