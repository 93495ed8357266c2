"""`Response(stream_with_context(generate()), ...)` in a ported view (port/responses.py, port/requests.py): a
`StreamingResponse` of the view's own generator, whose reads of the request became the view's parameters
(Flask kept the request for it while streaming); compared beside Flask, streamed (no Content-Length)."""
from __future__ import annotations

from pathlib import Path

import pytest
from _port_support import ported_project, side_by_side

from migrate_audit.port import port

APP = '''
from flask import Flask, Response, request, stream_with_context

app = Flask(__name__)
BOOKS = ["Dune", "Emma", "Ulysses", "Beloved"]


@app.get("/export.csv")
def export_books():
    def generate(prefix):
        sep = request.args.get("sep", ",")
        limit = request.args.get("limit", 2, type=int)
        yield f"{prefix}id{sep}title\\n"
        for i, title in enumerate(BOOKS[:limit], start=1):
            yield f"{i}{sep}{title}\\n"

    return Response(stream_with_context(generate("# ")), status=201, headers={"X-Export": "books"},
                    mimetype="text/csv")
'''


def test_a_streamed_generator_answers_as_flask(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")

    folder, result = ported_project(tmp_path, APP)
    assert result.todos == [] and result.routes_ported == 1
    text = result.after["app.py"]
    # wrapped at 88 columns, as ruff formats it (port/layout.py)
    assert "return StreamingResponse(\n        content=generate(\"# \"),\n        status_code=201," in text
    assert "def export_books(\n    sep: str = \",\", limit_args: Annotated[list[str], Query(alias=\"limit\")] = []\n):" \
        in text and "stream_with_context" not in text
    assert "limit = werkzeug_get(limit_args, 2, int)" in text  # Werkzeug's conversion, in the generator
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "stream")
    for url in ("/export.csv", "/export.csv?limit=3&sep=%3B", "/export.csv?limit=0", "/export.csv?limit=x",
                "/export.csv?limit=&limit=3", "/export.csv?limit=3&limit=1"):
        expected, got = flask_client.get(url), fastapi_client.get(url)
        assert (got.status_code, got.headers["content-type"], got.headers.get("content-length"),
                got.headers["x-export"], got.text) == \
            (expected.status_code, expected.headers["content-type"], expected.headers.get("content-length"),
             expected.headers["X-Export"], expected.get_data(as_text=True)), url


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP)
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


@pytest.mark.parametrize("change", [
    ("    return Response(stream_with_context(generate(\"# \")),", "    rows = generate(\"# \")\n"
     "    return Response(stream_with_context(rows),"),  # not a call of the generator there
    ("        sep = request.args.get(\"sep\", \",\")", "        sep = request.headers[\"X-Sep\"]"),  # a TODO inside
])
def test_streams_the_port_cannot_follow_are_left(tmp_path: Path, change: tuple[str, str]) -> None:
    _, result = ported_project(tmp_path, APP.replace(*change))
    assert ("app.py", "FMA227") in result.todos and "StreamingResponse(" not in result.after.get("app.py", "")


PLAIN = '''
from flask import Flask, Response, request

app = Flask(__name__)


def rows(n):
    for i in range(n):
        yield f"{i}\\n"


@app.get("/rows")
def numbered():
    n = request.args.get("n", 2, type=int)

    def generate():
        yield "start\\n"
        yield from rows(n)
    return Response(generate(), mimetype="text/plain")


@app.get("/module")
def module_rows():
    return Response(rows(3), content_type="text/plain; charset=utf-8", headers={"X-Rows": "3"})
'''


def test_a_generator_streamed_without_the_request_answers_as_flask(tmp_path: Path) -> None:
    """Response(generate()) without stream_with_context: a StreamingResponse of the view's or the module's own
    generator, which reads no request (Flask had none while streaming)."""
    pytest.importorskip("fastapi")

    folder, result = ported_project(tmp_path, PLAIN)
    assert result.todos == [] and result.routes_ported == 2
    assert result.after["app.py"].replace("(\n        ", "(").count("StreamingResponse(content=") == 2
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "plain_stream")
    for url in ("/rows", "/rows?n=4", "/module"):
        expected, got = flask_client.get(url), fastapi_client.get(url)
        assert (got.status_code, got.headers["content-type"], got.headers.get("content-length"),
                got.headers.get("x-rows"), got.text) == \
            (expected.status_code, expected.headers["content-type"], expected.headers.get("content-length"),
             expected.headers.get("X-Rows"), expected.get_data(as_text=True)), url


def test_a_generator_reading_the_request_without_its_context_is_left(tmp_path: Path) -> None:
    _, result = ported_project(tmp_path, PLAIN.replace('        yield "start\\n"', '        yield request.path'))
    assert ("app.py", "FMA227") in result.todos
