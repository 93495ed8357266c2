"""Fixtures for the non-Python file kinds (tests/fixtures/rules/<rule module>/<kind>/...: the rules of
rules/deployment.py are proven by tests/fixtures/rules/deployment/dockerfile/Dockerfile), with the expected findings
written in each file's own comment syntax: `# FMA701: 1` for requirements, TOML, ini and YAML,
`{# FMA601: 5 #}` for templates. Formats without trailing comments (Dockerfile, Procfile) put
`# next-line: FMA720: 5` on the line before (`# at-line 12: ...` where even that is impossible, as
inside a YAML block scalar). `diag: syntax-error` annotates an expected diagnostic the
same way, and a first-line `OPTIONS: imports=flask,flask_login; path_parameters=book_id` sets the
project facts. The full sorted lists are compared: an unexpected finding fails like a missing one.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from migrate_audit.discovery import classify
from migrate_audit.filekinds import ProjectFacts, analyze_file, kind_for_path, python_side_kind

from conftest import ANNOTATION_RE, FIXTURES

# tests/fixtures/rules/<rule module>/<file kind>/<file>
FILE_FIXTURES = sorted(p for p in (FIXTURES / "rules").glob("*/*/*") if p.is_file())
_DIAG_RE = re.compile(r"diag:\s*([a-z-]+)")
_OPTIONS_RE = re.compile(r"OPTIONS:\s*(.*?)\s*(?:#}|$)")


def _comment(line: str) -> str | None:
    return line[line.index("#"):] if "#" in line else None


def expected(text: str) -> tuple[list[tuple[str, int, int, bool]], list[tuple[str, int]]]:
    findings, diagnostics = [], []
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        comment = _comment(line)
        if comment is None or "OPTIONS:" in comment:
            continue
        at_line = re.search(r"at-line (\d+):", comment)
        target = int(at_line.group(1)) if at_line else number + 1 if "next-line:" in comment else number
        for code, column, suppressed in ANNOTATION_RE.findall(comment):
            findings.append((code, target, int(column), bool(suppressed)))
        diagnostics += [(kind, target) for kind in _DIAG_RE.findall(comment)]
    return sorted(findings), sorted(diagnostics)


def facts(text: str) -> ProjectFacts | None:
    first = text.split("\n", 1)[0]
    match = _OPTIONS_RE.search(first)
    if not match:
        return None
    options = dict(part.strip().split("=", 1) for part in match.group(1).split(";") if "=" in part)
    def names(key: str) -> frozenset[str] | None:
        return frozenset(filter(None, options[key].split(","))) if key in options else None
    return ProjectFacts(names("imports"), names("path_parameters"), names("context") or frozenset())


def test_file_fixtures_are_found() -> None:
    assert {p.parent.name for p in FILE_FIXTURES} >= {"requirements", "dockerfile", "template", "wsgi"}


@pytest.mark.parametrize("fixture", FILE_FIXTURES, ids=lambda p: str(p.relative_to(FIXTURES / "rules")))
def test_file_fixture(fixture: Path) -> None:
    text = fixture.read_text(encoding="utf-8")
    kind = fixture.parent.name
    analysis = analyze_file(kind, text, fixture.name, facts(text))
    result = analysis.result
    want_findings, want_diagnostics = expected(text)
    assert sorted((f.code, f.line, f.column, f.suppressed) for f in result.findings) == want_findings
    assert sorted((d.kind, d.line) for d in result.diagnostics) == want_diagnostics, result.diagnostics
    for finding in result.findings:
        assert "{" not in finding.message.replace("{#", "").replace("{{", ""), finding.message


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("requirements.txt", "requirements"), ("requirements-dev.txt", "requirements"),
        ("dev-requirements.in", "requirements"), ("requirements/base.txt", "requirements"),
        ("requirements/prod.in", "requirements"), ("constraints.txt", "requirements"),
        ("MANIFEST.in", None), ("docs/index.txt", "template?"), ("LICENSE", None),
        ("pyproject.toml", "pyproject"), ("setup.cfg", "setup_cfg"), ("Pipfile", "pipfile"),
        ("Pipfile.lock", None), ("Dockerfile", "dockerfile"), ("docker/web.Dockerfile", "dockerfile"),
        ("Dockerfile.prod", "dockerfile"), ("Procfile", "procfile"), ("docker-compose.yml", "compose"),
        ("docker-compose.override.yaml", "compose"), ("compose.yaml", "compose"), ("gunicorn.conf", "gunicorn"),
        ("uwsgi.ini", "uwsgi"), ("deploy/app.yaml", "appyaml"), (".flaskenv", "flaskenv"), (".env", "flaskenv"),
        ("app/templates/base.html", "template"), ("app/templates/mail/welcome.txt", "template"),
        ("app/templates/macros.j2", "template"), ("app/static/index.html", "template?"),
        ("docs/_templates/layout.html", "template?"), ("app.wsgi", "wsgi"), ("settings.yaml", None),
        ("scripts/start.sh", "shell"), ("boot.bash", "shell"), ("entrypoint", "shell"),
        ("docker/docker-entrypoint", "shell"), ("docker-entrypoint.sh", "shell"), ("entrypoint-prod", "shell"),
        ("entrypoint.py", "python"), ("entrypoint.js", None), ("entrypoint.ps1", None), ("Makefile", "makefile"),
        ("makefile", "makefile"), ("GNUmakefile", "makefile"), ("Makefile.am", None), ("docs/Makefile", "makefile"),
        (".travis.yml", "ci"), (".circleci/config.yml", "ci"), (".github/workflows/test.yaml", "ci"),
        (".gitlab-ci.yml", "ci"), (".github/dependabot.yml", None), ("deployment/supervisor/app.conf", "supervisor"),
        ("supervisord.conf", "supervisor"), ("deploy/nginx/site.conf", None),
    ],
)
def test_kind_for_path(path: str, kind: str | None) -> None:
    assert (classify(path) if path.endswith(".py") else kind_for_path(path)) == kind


@pytest.mark.parametrize(
    ("path", "kind"),
    [("setup.py", "setup_py"), ("gunicorn.conf.py", "gunicorn"), ("deploy/gunicorn_config.py", "gunicorn"),
     ("wsgi.py", "wsgi"), ("app/views.py", None)],
)
def test_python_side_kinds(path: str, kind: str | None) -> None:
    assert python_side_kind(path) == kind


def test_render_call_context_names() -> None:
    from migrate_audit.filekinds.templates import template_context_names

    source = (
        "return render_title_template('admin.html', config=config,\n"
        "    title=_('x'), g=g, session_id=sid)\n"
        "if config == other: render_template('a.html', current_user == 1)\n"
    )
    assert template_context_names(source) == ["config", "g"]


def test_route_parameter_names() -> None:
    from migrate_audit.filekinds.templates import route_parameter_names

    source = "@bp.route('/books/<int:book_id>/<path:rest>')\nx = '<b>not a route</b>'\n"
    assert route_parameter_names(source) == ["book_id", "rest"]


def test_scan_reads_includes_declared_template_folders_and_dead_dependencies(tmp_path: Path) -> None:
    """End to end: what only the project-level pass can decide."""
    from migrate_audit.config import Settings
    from migrate_audit.scan import run_scan

    files = {
        "app/__init__.py": "from flask import Flask\napp = Flask(__name__, template_folder='views')\n",
        "app/views/home.html": "{{ g.user }}\n",
        "app/static/page.html": "{{ g.user }}\n",  # static HTML, never rendered by Flask
        "requirements.txt": "Flask==3.0\n-r deps/common.pip\n-r missing.txt\n-c ../outside.txt\n",
        "deps/common.pip": "Flask-Login==0.6\n",
        "pyproject.toml": "[project\nname = 'x'\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    result = run_scan([str(tmp_path)], Settings(), jobs=1)
    found = sorted((f.path, f.code) for r in result.files for f in r.findings if not f.path.endswith(".py"))
    assert found == [("app/views/home.html", "FMA605"), ("deps/common.pip", "FMA706"),
                     ("requirements.txt", "FMA701")]
    assert sorted((d.path, d.kind) for d in result.diagnostics) == [
        ("../outside.txt", "outside-root"), ("missing.txt", "missing-include"), ("pyproject.toml", "parse-error")]


def test_every_distribution_alias_installs_a_module_of_its_extension() -> None:
    """FMA706 decides 'never imported' from the extension's modules; an alias whose package installs
    another module would always look dead."""
    from migrate_audit.ecosystem import DISTRIBUTION_ALIASES

    installs = {"flask-reuploaded": "flask_uploads", "flask-security": "flask_security"}
    assert set(installs) <= set(DISTRIBUTION_ALIASES)
    for alias, ext in DISTRIBUTION_ALIASES.items():
        module = installs.get(alias, alias.replace("-", "_"))
        assert module in ext.modules, alias


@pytest.mark.parametrize("framework, expected", [
    ("flask", [("templates/index.html", "FMA602"), ("templates/index.html", "FMA603")]),
    ("quart", [("templates/index.html", "FMA602"), ("templates/index.html", "FMA603")]),
    ("fastapi", []),  # FastAPI's own Jinja templates: url_for('books.show') is a route name there
])
def test_templates_are_audited_only_in_projects_that_import_flask(tmp_path: Path, framework: str,
                                                                  expected: list[tuple[str, str]]) -> None:
    from migrate_audit.config import Settings
    from migrate_audit.scan import run_scan

    (tmp_path / "templates").mkdir()
    (tmp_path / "app.py").write_text(f"import {framework}\n")
    (tmp_path / "templates" / "index.html").write_text("{{ url_for('books.show', page=2) }}\n")
    result = run_scan([str(tmp_path)], Settings(), jobs=1)
    assert sorted({(f.path, f.code) for r in result.files for f in r.findings if f.path.endswith(".html")}) == expected
    # A template given by name is audited whatever the project imports: the user asked for it.
    given = run_scan([str(tmp_path / "templates" / "index.html")], Settings(), jobs=1)
    assert {f.code for r in given.files for f in r.findings} == {"FMA602", "FMA603"}


@pytest.mark.parametrize("source", [
    "<p>\n{% cache 60 %}{{ g.user }}{% endcache %}\n",  # an extension's tag we do not have
    "{% if a %}\n{{ b }}\n",  # a block never closed: the error is at the end
    "{{ a }}\n{{ 'bad \\N{nope}' }}\n",  # an escape the lexer accepts and its wrapping rejects
    "{% for x in %}{% endfor %}\n",
])
def test_template_syntax_errors_are_jinja_parse_errors(source: str) -> None:
    """The syntax check parses the tokens already lexed for the audit, not the text again: its errors
    must be those of `Environment.parse`, message and line."""
    import jinja2

    from migrate_audit.filekinds.templates import analyze_template, jinja_environment

    with pytest.raises(jinja2.TemplateSyntaxError) as raised:
        jinja_environment().parse(source, name="t.html")
    _, diagnostics = analyze_template(source, "t.html")
    assert [(d.line, raised.value.message in d.message) for d in diagnostics] == [(raised.value.lineno, True)]


def test_template_extensions_do_not_rewrite_the_source_or_the_stream() -> None:
    """The parser reads the tokens `_lex` made from the raw text, which skips the extensions'
    `preprocess` and `filter_stream` that `Environment.parse` runs: none may define them."""
    from jinja2.ext import Extension

    from migrate_audit.filekinds.templates import jinja_environment

    for extension in jinja_environment().iter_extensions():
        assert type(extension).preprocess is Extension.preprocess
        assert type(extension).filter_stream is Extension.filter_stream


# --- shell start scripts and Makefiles: odd inputs never crash and cost time in proportion -----------------

_SCRIPT_SHAPES = {
    "commands": "FLASK_APP=app flask run\n",
    "heredocs": "cat <<EOF\ngunicorn app:app\nEOF\n",
    "case_patterns": "start|serve) exec gunicorn app:app ;;\n",
    "variables": "X$=.venv/bin/python\n$X$ -m flask run\n",
    "continuations": "gunicorn \\\n  --bind :80 \\\n",
    "unclosed_quote": "echo 'it is ",  # one quote that never closes: the rest of the file is one word
}


def _script(shape: str, count: int, kind: str) -> str:
    text = "".join(_SCRIPT_SHAPES[shape].replace("$=", f"{i}=").replace("$ ", f"{i} ") for i in range(count))
    if kind == "makefile":
        text = "".join(f"\t{line}\n" if i % 2 else f"V{i} = x\n" for i, line in enumerate(text.split("\n")))
    elif kind == "ci":  # a block scalar of commands, then the same lines as list items
        lines = text.split("\n")
        text = "steps:\n  - run: |\n" + "".join(f"      {line}\n" for line in lines) + "script:\n" + "".join(
            f"  - {line}\n" for line in lines)
    elif kind == "supervisor":
        text = "[program:web]\n" + "".join(f"command={line}\n" for line in text.split("\n"))
    return text


@pytest.mark.parametrize("kind", ["shell", "makefile", "ci", "supervisor"])
@pytest.mark.parametrize("shape", sorted(_SCRIPT_SHAPES))
def test_scripts_are_read_in_linear_time(kind: str, shape: str) -> None:
    from hostile import growth

    def analyse(size: int) -> None:
        analyze_file(kind, _script(shape, size, kind), "start.sh" if kind == "shell" else "Makefile")

    ratio = growth(analyse, 2_500)
    if ratio >= 3:  # a busy machine can disturb one measurement; a quadratic reader fails both
        ratio = min(ratio, growth(analyse, 2_500))
    assert ratio < 3, f"{kind}/{shape}: 2,500 -> 5,000 repetitions: {ratio:.1f}x the time"


def test_scan_reads_scripts_without_crashing_on_binary_or_odd_encodings(tmp_path: Path) -> None:
    """A binary `entrypoint` is named, not parsed; Latin-1 bytes in a script keep its findings."""
    from migrate_audit.config import Settings
    from migrate_audit.scan import run_scan

    (tmp_path / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    (tmp_path / "entrypoint").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)))
    (tmp_path / "start.sh").write_bytes(b"#!/bin/sh\n# caf\xe9\nexec gunicorn app:app\n")
    (tmp_path / "Makefile").write_bytes(b"run:\n\tflask run\r\n\xff\xfe\n")
    result = run_scan([str(tmp_path)], Settings(), jobs=1)
    found = sorted((f.path, f.code, f.line) for r in result.files for f in r.findings if not f.path.endswith(".py"))
    assert found == [("Makefile", "FMA721", 2), ("start.sh", "FMA720", 3)]
    diagnostics = sorted((d.path, d.kind) for r in result.files for d in r.diagnostics)
    assert diagnostics == [("Makefile", "decode-error"), ("entrypoint", "binary"), ("start.sh", "decode-error")]
