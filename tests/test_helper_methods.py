"""Registration helper methods as the project index answers for them: one module's helper is every
module's, and two helpers of one name that make different registrations answer nothing."""
from __future__ import annotations

from migrate_audit.helper_methods import ALIAS_MARK, alias_table
from migrate_audit.index.resolve import ProjectIndex

HELPER = "flask_restful.Api().add_org_resource"


def test_a_helper_is_known_to_the_whole_project() -> None:
    index = ProjectIndex()
    index.add("app.api", {"api": "flask_restful.Api()", ALIAS_MARK + HELPER: "flask_restful.Api().add_resource"})
    index.add("app.views", {"bp": "flask.Blueprint()"})
    assert index.lookup(ALIAS_MARK, HELPER) == "flask_restful.Api().add_resource"
    assert index.lookup("app.api", "api") == "flask_restful.Api()"
    index.add("other.api", {ALIAS_MARK + HELPER: "flask_restful.Api().add_url_rule"})
    assert index.lookup(ALIAS_MARK, HELPER) is None  # the cache was dropped with the new module


def test_disagreeing_helpers_cancel_out_whatever_the_order() -> None:
    one = {"a": {ALIAS_MARK + HELPER: "x"}, "b": {ALIAS_MARK + HELPER: "y"}, "c": {ALIAS_MARK + HELPER: "x"}}
    assert alias_table(one) == {}
    assert alias_table({"a": {ALIAS_MARK + HELPER: "x"}, "b": {"api": "flask_restful.Api()"}}) == {HELPER: "x"}
