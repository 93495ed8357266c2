"""Test clients followed across files (testclients.py, pytest_fixtures.py): a conftest's fixtures reach
the test modules below it through the index, and a change to them reaches those modules' analyses, with
the result cache as without it."""
from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES

from migrate_audit.config import Settings
from migrate_audit.engine import analyze_python
from migrate_audit.pytest_fixtures import conftest_modules, decode, encode
from migrate_audit.scan import run_scan
from migrate_audit.testpaths import is_pytest_module, is_test_path


def _codes(project: Path, path: str, cache: Path | None = None) -> list[str]:
    result = run_scan([str(project)], Settings(), jobs=1, cache_dir=str(cache) if cache else None)
    return sorted(f.code for r in result.files if r.path == path for f in r.findings)


def test_a_changed_conftest_fixture_changes_the_tests_that_use_it(tmp_path: Path) -> None:
    project = tmp_path / "pytest_fixtures"
    shutil.copytree(FIXTURES / "projects" / "pytest_fixtures", project)
    cache = tmp_path / "cache"
    assert _codes(project, "tests/test_books.py", cache) == ["FMA411", "FMA503", "FMA520", "FMA530"]
    conftest = project / "tests" / "conftest.py"
    conftest.write_text(conftest.read_text(encoding="utf-8").replace(
        "return app.test_client()", "return object()"), encoding="utf-8")
    # `client` is no longer a Flask test client: its response findings go, the `app` fixture's stay.
    assert _codes(project, "tests/test_books.py", cache) == ["FMA411", "FMA503"]
    assert _codes(project, "tests/test_books.py") == ["FMA411", "FMA503"]


def test_conftest_modules_are_those_above_a_file_nearest_first() -> None:
    assert conftest_modules("tests/api/test_x.py") == ["tests.api.conftest", "tests.conftest", "conftest"]
    assert conftest_modules("tests/conftest.py") == ["conftest"]
    assert conftest_modules("conftest.py") == []


def test_fixture_facts_round_trip() -> None:
    facts = {"client": "flask.testing.FlaskClient()", "app": "flask.Flask()", "db": "?",
             "client.cls.client": "flask.testing.FlaskClient()"}
    assert decode(encode(facts)) == facts
    assert decode(None) == {} and decode("") == {}


def test_test_paths() -> None:
    assert [p for p in ("tests/x.py", "a/testing/b.py", "a/test_b.py", "a/b_test.py", "a/b_tests.py",
                        "conftest.py", "superset/cli/test.py", "app/views.py", "contest.py")
            if is_test_path(p)] == ["tests/x.py", "a/testing/b.py", "a/test_b.py", "a/b_test.py", "a/b_tests.py",
                                    "conftest.py"]
    assert [p for p in ("a/test_b.py", "a/b_test.py", "a/b_tests.py", "tests/helpers.py", "a/conftest.py")
            if is_pytest_module(p)] == ["a/test_b.py", "a/b_test.py", "a/conftest.py"]


def test_a_finding_on_a_parameter_says_how_the_client_reached_it(tmp_path: Path) -> None:
    """A fixture's client and a client passed to a helper: the findings name where the object comes from."""
    (tmp_path / "test_notes.py").write_text(
        "import pytest\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n"
        "@pytest.fixture\ndef client():\n    return app.test_client()\n\n\n"
        "def log_in(session):\n    return session.get('/', query_string={'a': 1})\n\n\n"
        "def test_home(client):\n    client.set_cookie('theme', 'dark')\n    log_in(client)\n", encoding="utf-8")
    result = run_scan([str(tmp_path)], Settings(), jobs=1)
    messages = {f.code: f.message for r in result.files for f in r.findings}
    assert messages["FMA530"].endswith(
        "(`session`: the Flask test client passed by every call of `log_in`)"), messages["FMA530"]
    assert messages["FMA527"].endswith("(`client`: the Flask test client the `client` fixture gives)"), \
        messages["FMA527"]
    assert messages["FMA505"].startswith("`app.test_client()`")


def test_a_finding_on_a_typed_client_says_how_it_was_reached(tmp_path: Path) -> None:
    """A client reached by its annotation, and `self` in a subclass of Flask's client: the findings say so."""
    (tmp_path / "test_typed.py").write_text(
        "from flask.testing import FlaskClient\n\n\n"
        "class Authenticated(FlaskClient):\n    def legacy(self):\n"
        "        return self.get('/', environ_base={'REMOTE_ADDR': '1'})\n\n\n"
        "def test_home(other: 'Authenticated'):\n    other.get('/', query_string={'a': 1})\n", encoding="utf-8")
    result = run_scan([str(tmp_path)], Settings(), jobs=1)
    messages = {f.code: f.message for r in result.files for f in r.findings}
    assert messages["FMA531"].endswith(
        "(`self`: the Flask test client that `Authenticated` is (a subclass of Flask's `FlaskClient`))"), \
        messages["FMA531"]
    assert messages["FMA530"].endswith("(`other`: the Flask test client its annotation `'Authenticated'` names)"), \
        messages["FMA530"]


def test_typed_clients_are_followed_in_linear_time() -> None:
    """Subclasses of Flask's client, each with a method on `super()`, and parameters annotated with them:
    twice as many take about twice the time (a walk per class over the others would take four)."""
    from hostile import growth

    def source(count: int) -> str:
        return "from flask.testing import FlaskClient\n" + "".join(
            f"class C{i}(FlaskClient):\n    def m(self, c: 'C{i}'):\n"
            f"        return super().open('/', query_string=1), c.get('/').data\n" for i in range(count))

    def analyse(count: int) -> None:
        findings = analyze_python(source(count), "tests/test_typed.py").findings
        assert len(findings) == 1 + 3 * count  # the import line, then three per class

    ratio = growth(analyse, 600)
    if ratio >= 3:  # a busy machine can disturb one measurement; a quadratic walk fails both
        ratio = min(ratio, growth(analyse, 600))
    assert ratio < 3, f"600 -> 1,200 client classes: {ratio:.1f}x the time"
