"""`request.get_json(silent=True)` in a ported view (port/requests.py): `request_json_silent`, written into the
module, answers what Werkzeug's silent reading answered (None unless the Content-Type is JSON and the body
parses, else the value, whatever JSON value it is), compared beside Flask on the same requests; a view that
reads the body both silently and not stays with the reason."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from _port_support import ported_project, side_by_side, tried

APP = '''
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/reviews")
def add_review():
    data = request.get_json(silent=True) or {}
    return jsonify(kind=type(data).__name__, data=data)


@app.route("/echo", methods=["GET", "PUT"])
def echo():
    body = request.get_json(silent=True)
    again = request.get_json(silent=True)
    return jsonify(body=body, none=body is None, same=body is again)
'''

# (method, path, body bytes, Content-Type): JSON types, a non-JSON type, a broken body, an empty one, a +json
# type, parameters and case in the type, a body that is not an object, no Content-Type at all
BODIES = [
    (b'{"stars": 5, "text": "fine"}', "application/json"),
    (b'{"stars": 5}', "application/json; charset=utf-8"),
    (b'{"stars": 5}', "Application/JSON"),
    (b'{"stars": 5}', "application/vnd.api+json"),
    (b'{"stars": 5}', "text/plain"),
    (b'{"stars": 5}', "application/x-www-form-urlencoded"),
    (b'{"stars": ', "application/json"),
    (b"", "application/json"),
    (b"null", "application/json"),
    (b'"text"', "application/json"),
    (b"[1, 2]", "application/json"),
    (b"\xff\xfe", "application/json"),
    ('{"t": "\u00e9"}'.encode("utf-16"), "application/json"),
    (b'{"stars": 5}', None),
]


def test_silent_reading_answers_as_flask(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    folder, result = ported_project(tmp_path, APP)
    text = result.after["app.py"]
    assert result.todos == [] and result.routes_ported == 2, result.todos
    assert "payload: Annotated[Any, Depends(request_json_silent)]" in text and "data = payload or {}" in text
    assert "body: Annotated[Any, Depends(request_json_silent)]" in text
    assert "HTTPException" not in text  # the silent reading answers no error of its own
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "json_silent")
    asked = 0
    for path, methods in (("/reviews", ("POST",)), ("/echo", ("PUT", "GET"))):
        for method in methods:
            for body, content_type in BODIES:
                headers = {} if content_type is None else {"Content-Type": content_type}
                expected = flask_client.open(path, method=method, data=body, headers=headers)
                answered = fastapi_client.request(method, path, content=body, headers=headers)
                assert answered.status_code == expected.status_code == 200, (method, path, body, content_type)
                assert answered.json() == json.loads(expected.data), (method, path, body, content_type)
                asked += 1
    assert asked == 3 * len(BODIES)


def test_reading_the_body_both_ways_stays(tmp_path: Path) -> None:
    folder, _ = ported_project(tmp_path, '''
    from flask import Flask, request

    app = Flask(__name__)


    @app.post("/both")
    def both():
        quiet = request.get_json(silent=True)
        loud = request.get_json()
        return {"quiet": quiet, "loud": loud}


    @app.post("/forced")
    def forced():
        return {"body": request.get_json(force=True, silent=True)}
    ''')
    reasons = [site.reason for site in tried(folder) if site.node.text() == "request.get_json"]
    assert "the view reads the JSON body both with and without silent=True" in reasons
    assert any(reason.startswith("get_json() with force=") for reason in reasons)
