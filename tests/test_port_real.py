"""bench/port_real.py: the comparison of a ported app's answers with Flask's, run on the control app (ours), and
the rule that says two answers are identical."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
_spec = importlib.util.spec_from_file_location("bench_port_real", BENCH / "port_real.py")
port_real = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules[_spec.name] = port_real  # type: ignore[union-attr]  # dataclasses look their module up
_spec.loader.exec_module(port_real)  # type: ignore[union-attr]


def test_the_control_app_starts_and_its_converted_get_routes_answer_as_flask() -> None:
    pytest.importorskip("fastapi")
    pytest.importorskip("a2wsgi")
    control = next(app for app in port_real.APPS if app.control)
    row = port_real.run(control)
    assert row["flask_started"] and row["started"] and row["main"], row
    # the moved GET routes of the Blueprint, found in Flask's url_map by their view, each asked of both apps
    assert row["converted"] > 0 and row["compared"] == row["get_routes"] > 0
    assert row["identical"] == row["compared"] and row["differs"] == []
    # the Blueprint's routes that stay Flask are served through main.py by the mounted Flask app, unchanged
    assert row["rest"] > 0 and row["rest_same"] == row["rest"] and row["rest_differs"] == []
    table = port_real.render([row])
    assert f"| {row['routes']} | {row['converted']} |" in table and "control, ours" in table


@pytest.mark.parametrize(("other", "same"), [
    ([200, "application/json", "", '{"b": 2, "a": 1}'], True),  # JSON compared parsed: key order is free
    ([200, "application/json; charset=utf-8", "", '{"a":1,"b":2}'], True),
    ([201, "application/json", "", '{"a": 1, "b": 2}'], False),
    ([200, "text/html", "", '{"a": 1, "b": 2}'], False),
    ([200, "application/json", "", '{"a": 1}'], False),
    ([200, "application/json", "/elsewhere", '{"a": 1, "b": 2}'], False),
])
def test_identical_means_status_media_type_location_and_body(other: list, same: bool) -> None:
    assert port_real._same([200, "application/json", "", '{"a": 1, "b": 2}'], other) is same
