"""`migrate-audit port`: Flask-CORS as CORSMiddleware (port/extensions.py), compared beside Flask-CORS on the
requests of a browser (an Origin header): simple requests from an allowed and another origin, and preflights,
for its defaults, its options and its CORS_* config keys; what still differs is checked to differ as the TODO
says, and what CORSMiddleware has no keyword for is left."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from _port_support import side_by_side, tried

from migrate_audit.port import port

APP = '''\
from flask import Flask
from flask_cors import CORS

app = Flask(__name__)
{cors}


@app.route("/", methods=["GET", "POST"])
def home():
    return {{"ok": True}}, 200, {{"X-Total": "3"}}
'''
GOOD, OTHER = "https://a.example", "https://evil.example"
ANSWER = ["access-control-allow-origin", "access-control-allow-credentials", "access-control-expose-headers"]
PREFLIGHT = ["access-control-allow-origin", "access-control-allow-credentials", "access-control-allow-methods",
             "access-control-allow-headers"]
# (method, headers, the headers compared) of a browser's requests (its origins are serialized in lower case);
# the preflight asks for one header, which both send back as asked. From another origin only the allow-origin
# header counts: without it the browser refuses the answer, whatever else it carries.
REQUESTS = [
    ("GET", {"Origin": GOOD}, ANSWER), ("POST", {"Origin": GOOD}, ANSWER), ("GET", {"Origin": OTHER}, ANSWER[:1]),
    ("OPTIONS", {"Origin": GOOD, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
     PREFLIGHT),
    ("OPTIONS", {"Origin": GOOD, "Access-Control-Request-Method": "GET"}, PREFLIGHT),
]


def _project(tmp_path: Path, cors: str):  # type: ignore[no-untyped-def]
    folder = tmp_path / "project"
    folder.mkdir(exist_ok=True)
    (folder / "app.py").write_text(APP.format(cors=textwrap.dedent(cors).strip()), encoding="utf-8")
    return folder, port(str(folder))


CONFIGURATIONS = [
    "CORS(app)",
    "cors = CORS(app, supports_credentials=True, max_age=60)",  # a name nothing uses: the statement goes
    'CORS(app, resources={r"/*": {"origins": "https://a.example"}}, supports_credentials=False)',
    'CORS(app, resources=r"/*", expose_headers="X-Total")',
    'CORS(app, origins="https://b.example", resources={r"/*": {"origins": "https://a.example"}})',
    'CORS(app, origins=["https://b.example", "https://a.example"])',
    'CORS(app, origins="https://a.example", supports_credentials=True, expose_headers=["X-Total", "X-A"], max_age=300)',
    'CORS(app, send_wildcard=True, expose_headers="X-Total")',
    'CORS(app, methods=["get", "post"], origins=["https://a.example"])',
    '''
    app.config["CORS_ORIGINS"] = ["https://a.example"]
    app.config["CORS_SUPPORTS_CREDENTIALS"] = True
    app.config["CORS_EXPOSE_HEADERS"] = ["X-Total"]
    CORS(app)
    ''',
    '''
    app.config["CORS_ORIGINS"] = ["https://b.example"]
    CORS(app, origins=["https://a.example"])
    ''',
]


@pytest.mark.parametrize("cors", CONFIGURATIONS)
def test_a_browser_gets_the_same_cors_headers(tmp_path: Path, cors: str) -> None:
    pytest.importorskip("flask_cors")
    folder, result = _project(tmp_path, cors)
    text = result.after["app.py"]
    assert result.todos == [] and "app.add_middleware(" in text and "CORSMiddleware," in text and "flask_cors" not in text, result.todos
    flask, fastapi = side_by_side(tmp_path, folder, result, f"cors_{abs(hash(cors))}")
    for method, headers, compared in REQUESTS:
        expected, got = flask.open("/", method=method, headers=headers), fastapi.request(method, "/", headers=headers)
        assert got.status_code == expected.status_code, (method, headers)
        for header in compared + (["access-control-max-age"] if "max_age" in cors and method == "OPTIONS" else []):
            assert got.headers.get(header) == expected.headers.get(header), (method, headers, header)
        if method != "OPTIONS":
            assert got.json() == expected.json


def test_what_differs_is_what_the_todo_says(tmp_path: Path) -> None:
    """The differences the TODO names, each seen: without Origin, a preflight refused, Max-Age, Vary, the
    headers sent to another origin and on a preflight, an origin in capitals."""
    pytest.importorskip("flask_cors")
    folder, result = _project(tmp_path, 'CORS(app, origins=["https://a.example"])')
    assert "Access-Control-Max-Age: 600" in result.after["app.py"]
    flask, fastapi = side_by_side(tmp_path, folder, result, "cors_differs")
    assert flask.get("/").headers.get("access-control-allow-origin") == GOOD
    assert "access-control-allow-origin" not in fastapi.get("/").headers
    refused = {"Origin": OTHER, "Access-Control-Request-Method": "POST"}
    assert (flask.options("/", headers=refused).status_code, fastapi.options("/", headers=refused).status_code) == (200, 400)
    assert "access-control-allow-origin" not in fastapi.options("/", headers=refused).headers
    preflight = dict(REQUESTS[3][1])
    assert "access-control-max-age" not in flask.options("/", headers=preflight).headers
    assert fastapi.options("/", headers=preflight).headers["access-control-max-age"] == "600"
    assert "vary" not in flask.get("/", headers={"Origin": GOOD}).headers  # one origin: Flask-CORS adds no Vary
    assert fastapi.get("/", headers={"Origin": GOOD}).headers["vary"] == "Origin"
    (tmp_path / "more").mkdir()
    folder, result = _project(tmp_path / "more", 'CORS(app, origins=["https://a.example"], supports_credentials=True, '
                                                 'expose_headers=["X-Total"])')
    flask, fastapi = side_by_side(tmp_path / "more", folder, result, "cors_differs_more")
    other = fastapi.get("/", headers={"Origin": OTHER}).headers
    assert other["access-control-allow-credentials"] == "true" and other["access-control-expose-headers"] == "X-Total"
    assert "access-control-allow-credentials" not in flask.get("/", headers={"Origin": OTHER}).headers
    preflight = dict(REQUESTS[3][1])
    assert flask.options("/", headers=preflight).headers["access-control-expose-headers"] == "X-Total"
    assert "access-control-expose-headers" not in fastapi.options("/", headers=preflight).headers
    capitals = {"Origin": "https://A.EXAMPLE"}
    assert flask.get("/", headers=capitals).headers["access-control-allow-origin"] == "https://A.EXAMPLE"
    assert "access-control-allow-origin" not in fastapi.get("/", headers=capitals).headers


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = _project(tmp_path, CONFIGURATIONS[9])
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


@pytest.mark.parametrize("cors, why", [
    ('CORS(app, resources={r"/api/*": {"origins": "*"}})', "resources limits Flask-CORS to some paths"),
    ('CORS(app, resources={r"/*": {"origins": "*"}, r"/api/*": {"origins": "https://a.example"}})',
     "resources limits Flask-CORS to some paths"),
    ('CORS(app, allow_headers=["Content-Type"])', "a list of allowed headers"),
    ('CORS(app, origins=[r"https://.*\\.example"])', "looking like regular expressions"),
    ("CORS(app, always_send=False)", "always_send has no CORSMiddleware keyword"),
    ("CORS(app, origins=ORIGINS)", "origins= is not a literal"),
    ('CORS(app, send_wildcard=True, supports_credentials=True)', "refuses send_wildcard"),
    ('CORS(app)\napp.config["CORS_ORIGINS"] = ["https://a.example"]', "is set after CORS(app)"),
    ('app.config.from_object("settings")\nCORS(app)', "loaded from elsewhere"),
    ('app.config.update(CORS_ORIGINS=["https://a.example"])\nCORS(app)', "named otherwise"),
    ('cors = CORS(app, origins=["https://a.example"])\nprint(cors)', "the CORS object is kept and used"),
])
def test_what_corsmiddleware_answers_otherwise_is_left(tmp_path: Path, cors: str, why: str) -> None:
    _, result = _project(tmp_path, cors)
    code = "\n".join(line for line in result.after["app.py"].splitlines() if not line.lstrip().startswith("#"))
    assert "app = Flask(__name__)" in code and "CORSMiddleware" not in code
    sites = tried(tmp_path / "project")  # the reason, from the conversion the port tried
    assert any(why in site.reason for site in sites), [site.reason for site in sites]


@pytest.mark.parametrize("source, why", [
    ("from flask_mail import Mail\nmail = Mail(app)", "Mail(app) at app.py:5 has no faithful FastAPI counterpart: "
     "Flask-Mail's Message() and send() read current_app"),
    ("from flask_executor import Executor\nexecutor = Executor(app)", "Executor(app) at app.py:5 has no faithful "
     "FastAPI counterpart: Flask-Executor's submit() wraps the function in copy_current_request_context"),
    ("from flask_wtf.csrf import CSRFProtect\nCSRFProtect(app)", "CSRFProtect(app) at app.py:5 has no faithful"),
    ("from flask_mail import Mail\nmail = Mail()\nmail.init_app(app)", "mail.init_app(app) at app.py:6 has no faithful "
     "FastAPI counterpart: Flask-Mail's"),
    # (without injector=, the bridge carries FlaskInjector over: tests/test_port_injector.py)
    ("from flask_injector import FlaskInjector\nFlaskInjector(app=app, modules=[], injector=None)",
     "FlaskInjector(app) at app.py:5"),
    ("from flask_marshmallow import Marshmallow\nma = Marshmallow(app)\nURL = ma.URLFor('home')",
     "Marshmallow(app) at app.py:5 stays: ma.URLFor needs Flask's request or app context"),
])
def test_an_extension_without_counterpart_says_why_the_app_stays_flask(tmp_path: Path, source: str, why: str) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(APP.format(cors=source).replace("from flask_cors import CORS\n", ""), encoding="utf-8")
    result = port(str(folder))
    assert any(note.startswith(f"app stays Flask: {why}") for note in result.notes), result.notes
