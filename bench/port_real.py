#!/usr/bin/env python3
"""`migrate-audit port --only UNIT` on real open-source Flask apps: does the ported app start, and does each
GET route of the unit answer as the Flask route does?

    .venv/bin/python bench/port_real.py              # every app below; writes bench/port-real.md
    .venv/bin/python bench/port_real.py flaskr       # one of them, table on stdout only

For each app it gets the released source into bench/.cache/port-real/ (ignored by git: the Flask sdist
through pip, the recall apps through bench/recall_corpus.py, which checks their digests; corpus projects
from $MIGRATE_AUDIT_CORPUS), ports one Blueprint with `port(path, only=UNIT)` in this process (the port
reads the code, it never imports it) and writes the ported tree to a temporary folder. Then two
subprocesses, each in a temporary working folder with HOME there, an environment without this one's
variables and proxies that lead nowhere, run the apps:

* the original: builds the Flask app, finds each GET rule of the unit's files and each whose view the port
  converted fully (by the view function's file and name, PortResult.converted), fills its URL variables
  with a sample value per converter, and asks Flask's test_client;
* the ported tree: imports the main.py the port wrote (the ported routers in FastAPI, the rest of the Flask
  app mounted behind a2wsgi), counts the URL paths FastAPI answers itself, and starts it with
  Starlette's TestClient (lifespan included), then asks the same URLs; where no main.py was written
  (nothing served by FastAPI), it builds the ported tree's Flask app, which must still start, and asks it.

A route "needs no database" when Flask answers it below 500 in a fresh folder with no service running;
the others are not asked. Two answers are the same when the status, the media type, the Location header
and the body (parsed when JSON) are. Every route asked must be: the port must never make the running app
answer worse, whether FastAPI serves the route or the Flask app behind it does.

The control rows port tests/fixtures/port/mixed and tests/fixtures/port/unfinished (ours, not real apps):
they show the comparison itself finds the routes and agrees where the port moved them, and that a
Blueprint whose views keep a TODO is still answered by Flask.

Needs the apps' own dependencies (the table says which import failed): `pip install -e '.[test,examples]'
a2wsgi requests flask-moment elasticsearch rq redis langdetect cachetools debts qrcode sqlalchemy-continuum
python-dateutil email_validator`.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CACHE = BENCH / ".cache" / "port-real"  # `.cache/` is in .gitignore
FLASK_SDIST = "3.1.3"
TIMEOUT = 180


@dataclass(frozen=True)
class RealApp:
    name: str
    source: str  # "flask:<folder in the sdist>", "recall:<app>", "corpus:<project>", "fixture:<folder>"
    only: str  # the Blueprint `port --only` takes
    flask_app: str  # "module:expression": how the original builds its Flask app (evaluated in the child)
    origin: str  # where it comes from, for the table
    env: dict[str, str] = field(default_factory=dict)
    control: bool = False


APPS = (
    RealApp("flaskr", f"flask:flask-{FLASK_SDIST}/examples/tutorial", "blog", "flaskr:create_app()",
            f"Flask {FLASK_SDIST} sdist, examples/tutorial"),
    RealApp("microblog", "recall:microblog", "auth", "app:create_app()",
            "miguelgrinberg/microblog a975ef6 (bench/recall_corpus.py)", {"DATABASE_URL": "sqlite://"}),
    RealApp("ihatemoney", "corpus:ihatemoney-7.2.1", "main", "ihatemoney.run:create_app()",
            "ihatemoney 7.2.1 sdist ($MIGRATE_AUDIT_CORPUS)", {"IHATEMONEY_SETTINGS_FILE_PATH": ""}),
    RealApp("mixed (control, ours)", "fixture:tests/fixtures/port/mixed", "books", "app:app",
            "tests/fixtures/port/mixed", control=True),
    RealApp("unfinished (control, ours)", "fixture:tests/fixtures/port/unfinished", "shop", "app:app",
            "tests/fixtures/port/unfinished", control=True),
)

# Tried and left out: their original does not start with today's Flask stack, so nothing can be compared.
LEFT_OUT = {
    "miguelgrinberg/flasky 3beedd6": "imports get_debug_queries, which Flask-SQLAlchemy 3 removed",
    "gothinkster/flask-realworld-example-app 4b95fb2": "imports flask_sqlalchemy.Model, which Flask-SQLAlchemy 3 removed",
}

# Sample values for URL variables, by Werkzeug converter.
SAMPLES = {"int": 1, "float": 1.5, "path": "a/b", "uuid": "12345678-1234-5678-1234-567812345678"}

# The child: builds an app and asks it the URLs. Its own file, so that a traceback names it.
CHILD = textwrap.dedent('''
    import importlib, inspect, json, os, sys
    # bodies are read as text with undecodable bytes replaced: a route may answer an image (a QR code)

    mode, tree, spec, converted_json, urls_json, out, unit_json = sys.argv[1:8]
    sys.path.insert(0, tree)
    result = {"started": False}
    try:
        if mode == "fastapi":
            from fastapi.testclient import TestClient
            module = importlib.import_module(spec)
            # the URL paths FastAPI answers itself (everything else falls through to Flask): its OpenAPI
            # schema lists them, included routers too (their routes are not in app.routes in newer FastAPI)
            result["served"] = len(module.app.openapi().get("paths", {}))
            with TestClient(module.app, raise_server_exceptions=False) as client:  # lifespan: the app starts
                result["started"] = True
                result["answers"] = {}
                for url in json.loads(urls_json):
                    r = client.get(url, follow_redirects=False)
                    result["answers"][url] = [r.status_code, r.headers.get("content-type", ""),
                                              r.headers.get("location", ""), r.text]
        elif mode == "ported-flask":  # no main.py: the ported tree's Flask app answers everything
            name, expression = spec.split(":", 1)
            app = eval(expression, vars(importlib.import_module(name)))
            client = app.test_client()
            result["started"] = True
            result["answers"] = {}
            for url in json.loads(urls_json):
                r = client.get(url)
                result["answers"][url] = [r.status_code, r.headers.get("content-type", ""),
                                          r.headers.get("location", ""), r.get_data().decode("utf-8", "replace")]
        else:
            name, expression = spec.split(":", 1)
            module = importlib.import_module(name)
            app = eval(expression, vars(module))
            client = app.test_client()
            result["started"] = True
            samples = json.loads(urls_json)  # converter -> sample value
            wanted = {tuple(p) for p in json.loads(converted_json)}
            unit = set(json.loads(unit_json))  # the files --only selected
            urls, kinds = [], {}
            for rule in app.url_map.iter_rules():
                if "GET" not in rule.methods or rule.endpoint not in app.view_functions:
                    continue
                view = inspect.unwrap(app.view_functions[rule.endpoint])
                code = getattr(view, "__code__", None)
                if code is None:
                    continue
                where = os.path.relpath(code.co_filename, tree).replace(os.sep, "/")
                if (where, view.__name__) not in wanted and where not in unit:
                    continue
                values = {}
                for argument, converter in rule._converters.items():
                    kind = {"IntegerConverter": "int", "FloatConverter": "float", "PathConverter": "path",
                            "UUIDConverter": "uuid"}.get(type(converter).__name__, "string")
                    values[argument] = samples.get(kind, "a")
                built = rule.build(values, append_unknown=False)
                if built is not None:
                    urls.append(built[1])
                    kinds[built[1]] = "converted" if (where, view.__name__) in wanted else "unit"
            result["answers"] = {}
            for url in sorted(set(urls)):
                r = client.get(url)
                result["answers"][url] = [r.status_code, r.headers.get("content-type", ""),
                                          r.headers.get("location", ""), r.get_data().decode("utf-8", "replace")]
            result["kinds"] = kinds
    except BaseException as exc:  # noqa: BLE001 - what failed is the result
        result["error"] = f"{type(exc).__name__}: {exc}"[:300]
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(result, handle)
''')


def source_of(app: RealApp) -> Path:
    kind, _, rest = app.source.partition(":")
    if kind == "fixture":
        return ROOT / rest
    if kind == "corpus":
        corpus = os.environ.get("MIGRATE_AUDIT_CORPUS")
        if not corpus:
            raise SystemExit(f"{app.name}: set MIGRATE_AUDIT_CORPUS to the corpus folder (bench/corpus.py)")
        return Path(corpus) / rest
    if kind == "recall":
        folder = CACHE / "recall"
        if not (folder / rest).is_dir():
            subprocess.run([sys.executable, str(BENCH / "recall_corpus.py"), "--dest", str(folder)], check=True)
        return folder / rest
    # the Flask sdist, from PyPI with pip, unpacked with tarfile's data filter (no links out, no absolute paths)
    folder = CACHE / "flask"
    if not (folder / rest).is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", f"flask=={FLASK_SDIST}", "--no-binary", ":all:",
                        "--no-deps", "-q", "-d", str(folder)], check=True)
        with tarfile.open(folder / f"flask-{FLASK_SDIST}.tar.gz") as archive:
            archive.extractall(folder, filter="data")
    return folder / rest


def _child(mode: str, tree: Path, spec: str, converted: list, urls: object, env: dict[str, str],
           work: Path, unit: list[str] = ()) -> dict:  # type: ignore[assignment]
    script, out = work / "child.py", work / f"{mode}.json"
    script.write_text(CHILD, encoding="utf-8")
    clean = {"PATH": os.environ.get("PATH", ""), "HOME": str(work), "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1",
             "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "NO_PROXY": "", **env}
    try:
        subprocess.run([sys.executable, str(script), mode, str(tree), spec, json.dumps(converted), json.dumps(urls),
                        str(out), json.dumps(list(unit))], cwd=work, env=clean, timeout=TIMEOUT, capture_output=True, check=False)
    except subprocess.TimeoutExpired:
        return {"started": False, "error": f"no answer in {TIMEOUT} s"}
    if not out.exists():
        return {"started": False, "error": "the child wrote nothing"}
    return json.loads(out.read_text(encoding="utf-8"))


# A CSRF token is new in every session (Flask-WTF signs a random value), so two clients never get the same
# one: its value is masked before bodies are compared, the rest of the form must be the same.
_CSRF = re.compile(r'(name="csrf_token"[^>]*?value=")[^"]*|(value=")[^"]*("[^>]*?name="csrf_token")')


def _masked(body: str) -> str:
    return _CSRF.sub(lambda m: (m.group(1) or m.group(2)) + "…" + (m.group(3) or ""), body)


def _same(flask: list, fastapi: list) -> bool:
    status, media, location, body = flask
    other_status, other_media, other_location, other_body = fastapi
    body, other_body = _masked(body), _masked(other_body)
    if (status, media.split(";")[0], location) != (other_status, other_media.split(";")[0], other_location):
        return False
    if media.startswith("application/json"):
        try:
            return json.loads(body) == json.loads(other_body)
        except ValueError:
            return False
    return body == other_body


def run(app: RealApp) -> dict:
    from migrate_audit.port import plan, port, writer

    source = source_of(app)
    result = port(str(source), only=app.only)
    unit = sorted(plan.select(plan.read_project(str(source)), app.only))  # the audit is cached by now
    why_not = blockers(source, app.only)
    row: dict = {"blockers": why_not, "app": app.name, "origin": app.origin, "only": app.only, "routes": result.routes,
                 "converted": result.routes_ported, "moved": result.routes_moved, "findings": result.total,
                 "rewritten": result.handled, "notes": result.notes, "control": app.control,
                 "todos": Counter(code for _, code in result.todos).most_common(4)}
    with tempfile.TemporaryDirectory(prefix="port-real-") as temp:
        work = Path(temp)
        original, ported = work / "original", work / "ported"
        writer.write(str(source), {}, str(original))  # a copy: the app may write into its folder
        writer.write(str(source), result.after, str(ported))
        converted = [[path, name] for path, _, name in result.converted]
        flask = _child("flask", original, app.flask_app, converted, SAMPLES, app.env, _folder(work, "flask"), unit)
        mains = [p for p in result.after if Path(p).name in ("main.py", "main_fastapi.py")
                 and result.after[p].startswith('"""The ASGI entry point')]
        urls = sorted(flask.get("answers", {}))
        if mains:
            main = mains[0]
            tree = ported / main[: -len(Path(main).name)]
            module = Path(main).stem
            entry = _child("fastapi", tree, module, converted, urls, app.env, _folder(work, "fastapi"))
        else:  # nothing served by FastAPI: the ported tree (TODO comments, drafts) must still build its Flask app
            entry = _child("ported-flask", ported, app.flask_app, [], urls, app.env, _folder(work, "ported"))
    kinds = flask.get("kinds", {})
    every = flask.get("answers", {})
    ported_answers = entry.get("answers", {})
    # every GET route of the unit (and each converted one) that Flask answers below 500 with no service
    # running, asked of what the port writes to run: main.py, or the ported Flask app when it wrote none
    asked = {url: a for url, a in every.items() if kinds.get(url) in ("converted", "unit") and a[0] < 500}
    answers = {url: a for url, a in every.items() if kinds.get(url) == "converted"}
    same = {url for url, a in asked.items() if url in ported_answers and _same(a, ported_answers[url])}
    row.update({
        "flask_started": flask.get("started", False), "flask_error": flask.get("error", ""),
        "started": entry.get("started", False), "error": entry.get("error", ""),
        "main": bool(mains), "served": entry.get("served", 0), "drafts": len(result.drafts),
        "get_routes": len(answers), "needs_service": sum(1 for a in answers.values() if a[0] >= 500),
        "asked": len(asked), "same": len(same),
        "differs": sorted(f"{url} ({ported_answers[url][0] if url in ported_answers else 'no answer'} for "
                          f"Flask's {a[0]})" for url, a in asked.items() if url not in same),
    })
    return row


def blockers(source: Path, only: str) -> dict:
    """Why the unit's views do not convert fully, measured on the port's first pass (every finding tried as if
    its unit converted): per view the codes it keeps, and what keeps even a clean view from moving on its own
    (split.hazards: hooks, extensions and config that take part in every request of the app or the unit)."""
    from migrate_audit import registry
    from migrate_audit.port import _view_of, codes, plan, split
    from migrate_audit.port.convert import Facts, port_file

    project = plan.read_project(str(source))
    selected = plan.select(project, only)
    resolve = plan.resolver(project)
    # the facts of the port's first pass (port/__init__.py): Flask's session taken from main.py's bridge
    facts = Facts(project.root, project.app_folder, frozenset(project.flagged), session_elsewhere=True,
                  flask_config=plan.keeps_config(project, selected), flask_injector=plan.injector_on_every_app(project))
    trial = {relpath: project.parse(relpath) for relpath in project.findings}
    converted = {relpath: port_file(file, resolve, None, facts) for relpath, file in trial.items()}
    # the app's hooks and handlers main.py would run around FastAPI's routes, as the port decides (split.carry)
    where = plan.import_root(project.root, project.app_path) if project.app_path else ""
    carried = split.carry(trial, converted, where, plan.module_name, lambda p: (project.root / p).exists(), [])
    kept: Counter = Counter()
    alone: Counter = Counter()
    clean = 0
    for relpath in sorted(selected):
        file = trial[relpath]
        for site in file.sites_of(codes.ROUTE_DECORATOR):
            left = {s.code for s in file.sites_in(_view_of(site)) if not s.handled}
            kept.update(left)
            alone.update(left if len(left) == 1 else ())
            clean += not left
    registry.load()
    names = {rule.code: rule.name for rule in registry.all_rules()}

    def ranked(counts: Counter) -> list[tuple[str, int]]:  # most views first, then by code: the same every run
        return [(f"{code} {names.get(code, '')}".strip(), n) for code, n in sorted(counts.items(), key=lambda c: (-c[1], c[0]))]

    return {"kept": ranked(kept), "alone": ranked(alone), "clean": clean,
            "hazards": split.hazards(trial, plan.project_texts(project), resolve, carried.lifted if carried else set(),
                                     judge_teardowns=carried is None or "request.state" not in carried.text)}


def _folder(work: Path, name: str) -> Path:
    folder = work / f"run-{name}"
    folder.mkdir()
    return folder


def _why(notes: list[str]) -> str:
    """The first reason the unit's routes stay Flask, shortened for the table."""
    reasons = [n for n in notes if "stays Flask" in n or "no route" in n]
    text = reasons[0] if reasons else (notes[0] if notes else "")
    return text if len(text) <= 220 else text[:219] + "…"


def render(rows: list[dict]) -> str:
    real = [r for r in rows if not r["control"]]
    lines = [
        "# `migrate-audit port --only UNIT` on real Flask apps",
        "",
        "Generated by `bench/port_real.py` (see its docstring for the method); do not edit by hand.",
        "Routes: route decorators in the unit's files; converted fully: the route and every finding in its view",
        "rewritten; served by FastAPI: the URL paths main.py's FastAPI app answers itself (a unit whose views",
        "keep a TODO stays Flask, port/units.py, and only its views converted fully move, port/split.py); GET asked:",
        "every GET route of the unit Flask answers below 500 with no service running, asked of what the port",
        "wrote to run (main.py, or the ported tree's Flask app where it wrote none); same as Flask: same status,",
        "media type, Location and body.",
        "",
        "| App | Source | `--only` | Routes in the unit | Converted fully | Served by FastAPI | Findings rewritten "
        "| Original starts | Ported app imports and starts | GET asked | Same as Flask |",
        "|---|---|---|---:|---:|---:|---:|---|---|---:|---:|",
    ]
    for r in rows:
        started = "yes" if r["started"] else f"no: {r['error']}"
        what = "main.py (FastAPI + Flask behind a2wsgi)" if r["main"] else "Flask app of the ported tree"
        original = "yes" if r["flask_started"] else f"no: {r['flask_error']}"
        lines.append(f"| {r['app']} | {r['origin']} | {r['only']} | {r['routes']} | {r['converted']} | {r['served']} | "
                     f"{r['rewritten']} of {r['findings']} | {original} | {started} ({what}) | {r['asked']} | "
                     f"{r['same']} |")
    routes = sum(r["routes"] for r in real)
    converted = sum(r["converted"] for r in real)
    lines += ["", f"Real apps: {converted} of {routes} routes converted fully "
                  f"({converted / routes:.0%}); {sum(r['same'] for r in real)} of {sum(r['asked'] for r in real)} "
                  "GET routes asked answered as by Flask." if routes else "", "",
              "## Per app: why its routes stay Flask (the port's first note)", ""]
    for r in rows:
        why = _why(r["notes"]) or "every unit converts"
        todos = ", ".join(f"{code} ({n})" for code, n in r["todos"])
        lines.append(f"- **{r['app']}** (`--only {r['only']}`): {why}" + (f". Most TODOs left: {todos}" if todos else "")
                     + (f". {r['drafts']} draft module(s) written for people to finish" if r["drafts"] else ""))
        if r["differs"]:
            lines.append(f"  - not answered as by Flask: {', '.join(r['differs'][:6])}")
    lines += ["", "## What the unit's views keep (the port's first pass, as if the unit converted whole)", "",
              "Per app: how many of the unit's views keep a TODO of each rule (the most frequent first), the rules that",
              "are a view's only TODO, the views with nothing left, and what keeps even those from moving on their",
              "own (hooks, extensions and config that take part in every request of the app or of the unit).", ""]
    for r in rows:
        b = r["blockers"]
        kept = ", ".join(f"{code} ({n})" for code, n in b["kept"][:10])
        alone = ", ".join(f"{code} ({n})" for code, n in b["alone"]) or "none"
        lines.append(f"- **{r['app']}**: views keeping: {kept or 'nothing'}; the only TODO of a view: {alone}; "
                     f"views with nothing left: {b['clean']}")
        lines += [f"  - nothing moves from {unit}: {why}" for unit, why in sorted(b["hazards"].items())]
    lines += ["", "Tried and left out (the original app does not start beside Flask 3, so nothing can be compared):", ""]
    lines += [f"- {origin}: {why}" for origin, why in LEFT_OUT.items()]
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("apps", nargs="*", help="names of APPS to run (default: all, and write bench/port-real.md)")
    args = parser.parse_args(argv)
    chosen = [a for a in APPS if not args.apps or a.name.split(" ")[0] in args.apps]
    rows = []
    for app in chosen:
        print(f"porting {app.name} --only {app.only}...", file=sys.stderr, flush=True)
        rows.append(run(app))
    text = render(rows)
    if args.apps:
        print(text)
    else:
        (BENCH / "port-real.md").write_text(text, encoding="utf-8")
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
