"""Flask's `json.dumps` / `json.loads` in a ported view (port/responses.py): `flask_json_dumps`, written into the
module, writes what the app's default JSON provider wrote in a request (keys sorted, non-ASCII escaped, dates
as HTTP dates, Decimal and UUID as strings, dataclasses as dicts); compared beside Flask byte for byte."""
from __future__ import annotations

from pathlib import Path

import pytest
from _port_support import ported_project, side_by_side

from migrate_audit.port import port

APP = '''
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from flask import Flask, Response, json, request
from markupsafe import Markup

app = Flask(__name__)


@dataclass
class Line:
    sku: str
    qty: int


ORDER = {"zeta": 1, "id": uuid.UUID("12345678-1234-5678-1234-567812345678"), "total": Decimal("9.90"),
         "placed": datetime(2026, 11, 25, 14, 30), "due": date(2026, 12, 1), "lines": [Line("a", 2)],
         "aware": datetime(2026, 1, 1, 12, tzinfo=timezone(timedelta(hours=2))), "note": Markup("<b>caf\u00e9</b>"),
         "name": "Stanis\u0142aw"}


@app.get("/orders/export")
def export():
    return Response(json.dumps(ORDER), mimetype="application/json")


@app.get("/orders/pretty")
def pretty():
    return Response(json.dumps({"b": [1, 2], "a": json.loads(request.args.get("extra", "null"))}, indent=2))
'''


def test_flasks_json_dumps_writes_what_flask_wrote(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")

    folder, result = ported_project(tmp_path, APP)
    assert result.todos == [] and result.routes_ported == 2
    assert "flask_json_dumps(ORDER)" in result.after["app.py"] and "loads(extra)" in result.after["app.py"]
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "json_dumps")
    for url in ("/orders/export", "/orders/pretty", '/orders/pretty?extra={"y":1,"x":[true]}'):
        expected, got = flask_client.get(url), fastapi_client.get(url)
        assert (got.status_code, got.headers["content-type"], got.content) == \
            (expected.status_code, expected.headers["content-type"], expected.data), url


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP)
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


def test_json_used_outside_a_view_is_left_everywhere(tmp_path: Path) -> None:
    """At import time Flask's dumps had no app and did not sort: the module keeps Flask's json, all of it."""
    _, result = ported_project(tmp_path, APP + '\nSNAPSHOT = json.dumps({"b": 1, "a": 2})\n')
    assert result.todos.count(("app.py", "FMA233")) == 4 and "flask_json_dumps" not in result.after.get("app.py", "")
