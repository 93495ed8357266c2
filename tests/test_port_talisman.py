"""`migrate-audit port`: Flask-Talisman as the TalismanHeaders middleware written into the module
(port/talisman.py), compared beside Talisman: the redirect to HTTPS (status, Location, its headers), the headers
on answers over HTTPS and plain HTTP, a 404, for its defaults and literal options; what differs is checked to
differ as the TODO says, and what has no counterpart is left."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from _port_support import side_by_side, tried

from migrate_audit.port import port

APP = '''\
from flask import Flask, abort
from flask_talisman import Talisman

app = Flask(__name__)
{talisman}


@app.get("/")
def index():
    return "<h1>Shop</h1>"


@app.get("/boom")
def boom():
    abort(404)
'''
HEADERS = ["strict-transport-security", "x-frame-options", "x-content-type-options", "content-security-policy",
           "content-security-policy-report-only", "referrer-policy", "permissions-policy", "document-policy",
           "feature-policy", "x-xss-protection", "x-download-options", "location"]
HTTPS = {"X-Forwarded-Proto": "https"}
REQUESTS = [("/", HTTPS), ("/?page=2&q=a%20b", HTTPS), ("/boom", HTTPS), ("/", {}), ("/?page=2", {}),
            ("/boom", {}), ("/", {"X-Forwarded-Proto": "http"})]


def _project(tmp_path: Path, talisman: str):  # type: ignore[no-untyped-def]
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(APP.format(talisman=textwrap.dedent(talisman).strip()), encoding="utf-8")
    return folder, port(str(folder))


@pytest.mark.parametrize("talisman", [
    "Talisman(app)",
    "talisman = Talisman(app)",  # a name nothing uses: the statement goes
    "Talisman(app, force_https_permanent=True, frame_options=\"DENY\", strict_transport_security_preload=True, "
    "strict_transport_security_max_age=600, referrer_policy=\"no-referrer\", x_xss_protection=True, "
    "force_file_save=True)",
    "Talisman(app, content_security_policy=\"default-src 'self';  img-src *\", "
    "content_security_policy_report_uri=\"/csp\", content_security_policy_report_only=True, "
    "permissions_policy={\"geolocation\": \"()\", \"camera\": \"(self)\"}, document_policy=\"force-load-at-top\", "
    "feature_policy={\"geolocation\": [\"'self'\", \"https://a.example\"]})",
    "Talisman(app, force_https=False, strict_transport_security=False, content_security_policy=None, "
    "frame_options=\"ALLOW-FROM\", frame_options_allow_from=\"https://a.example\")",
])
def test_the_answers_carry_talismans_headers_and_redirect(tmp_path: Path, talisman: str) -> None:
    pytest.importorskip("flask_talisman")
    folder, result = _project(tmp_path, talisman)
    text = result.after["app.py"]
    assert result.todos == [] and "flask_talisman" not in text and "class TalismanHeaders:" in text, result.todos
    flask, fastapi = side_by_side(tmp_path, folder, result, f"talisman_{abs(hash(talisman))}", follow_redirects=False)
    for path, headers in REQUESTS:
        headers = {"Host": "shop.example", **headers}  # the test clients' default hosts differ
        expected, got = flask.get(path, headers=headers), fastapi.get(path, headers=headers)
        assert got.status_code == expected.status_code, (path, headers)
        for header in HEADERS:
            assert got.headers.get(header) == expected.headers.get(header), (path, headers, header)
        if expected.status_code == 200:
            assert got.text == expected.text


def test_what_differs_is_what_the_todo_says(tmp_path: Path) -> None:
    pytest.importorskip("flask_talisman")
    folder, result = _project(tmp_path, "Talisman(app)")
    assert "FLASK_DEBUG" in result.after["app.py"]
    flask, fastapi = side_by_side(tmp_path, folder, result, "talisman_differs", follow_redirects=False)
    assert "Redirecting..." in flask.get("/").text and fastapi.get("/").text == ""


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = _project(tmp_path, "Talisman(app)")
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


@pytest.mark.parametrize("talisman, why", [
    ("talisman = Talisman(app)\nOPTIONS = talisman.force_https", "the Talisman object is kept and used"),
    ('Talisman(app, content_security_policy_nonce_in=["script-src"])', "CSP nonces"),
    ("Talisman(app, content_security_policy=CSP)", "is not a literal"),
    ('app.secret_key = "x"\nTalisman(app)', "session cookie"),
    ("Talisman(app, frame_option=\"DENY\")", "is no Talisman option"),
    ("Talisman(app)\nCORS(app)", "with Flask-CORS"),
])
def test_what_has_no_counterpart_is_left(tmp_path: Path, talisman: str, why: str) -> None:
    _, result = _project(tmp_path, talisman)
    code = "\n".join(line for line in result.after["app.py"].splitlines() if not line.lstrip().startswith("#"))
    assert "app = Flask(__name__)" in code and "TalismanHeaders" not in code
    sites = tried(tmp_path / "project")  # the reason, from the conversion the port tried
    assert any(why in site.reason for site in sites), [site.reason for site in sites]


@pytest.mark.parametrize("talisman", [
    "Talisman(app, content_security_policy={\"default-src\": 5})",
    "Talisman(app, content_security_policy=" + "[" * 2000 + "]" * 2000 + ")",
    "Talisman(app, frame_options=True)",
])
def test_odd_options_are_left_not_crashed_on(tmp_path: Path, talisman: str) -> None:
    _, result = _project(tmp_path, talisman)
    assert ("app.py", "FMA389") in result.todos and "TalismanHeaders" not in result.after.get("app.py", "")
