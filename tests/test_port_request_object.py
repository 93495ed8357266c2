"""`migrate-audit port`: reads of Flask's request that Starlette's Request answers the same (headers, cookies,
the URL and the client), and the views where they must be left."""
from __future__ import annotations

import textwrap
from pathlib import Path

from migrate_audit.port import port


def _ported(tmp_path: Path, source: str) -> str:
    folder = tmp_path / "project"
    folder.mkdir(exist_ok=True)
    (folder / "app.py").write_text(textwrap.dedent(source), encoding="utf-8")
    return port(str(folder)).after.get("app.py", source)


def test_url_header_and_cookie_reads_take_the_request_parameter(tmp_path: Path) -> None:
    text = _ported(tmp_path, '''\
        from flask import Flask, request

        app = Flask(__name__)


        @app.get("/where")
        def where():
            key = request.headers.get("X-Api-Key")
            return {"next": f"{request.base_url}?page=2", "full": request.full_path, "theme":
                    request.cookies.get("theme", "light"), "ip": request.remote_addr, "key": "X-Key" in request.headers}
        ''')
    assert "def where(request: Request):" in text
    assert 'key = request.headers.get("X-Api-Key")' in text  # the same call on Starlette's headers
    assert "f\"{str(request.url.replace(query=''))}?page=2\"" in text  # the other quote inside the f-string
    assert '"full": request.url.path + "?" + request.url.query' in text
    assert '"ip": request.client.host if request.client else None' in text
    assert "from flask import" not in text and "from fastapi import FastAPI, Request" in text
    assert "TODO" not in text
    compile(text, "app.py", "exec")


def test_a_view_that_reads_the_request_otherwise_keeps_every_read(tmp_path: Path) -> None:
    text = _ported(tmp_path, '''\
        from flask import Flask, request

        app = Flask(__name__)


        @app.get("/a")
        def a():
            return {"path": request.path, "key": request.headers["X-Key"]}


        @app.get("/b")
        def b():
            return {"path": request.path, "endpoint": request.endpoint}
        ''')
    code = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    assert sum('"path": request.path,' in line for line in code) == 2
    assert not any("request.url.path" in line for line in code)
    assert "a missing key answered 400 in Flask" in " ".join(text.replace("#   ", " ").split())
    assert "Request" not in "\n".join(code) and "from flask import request" in text
