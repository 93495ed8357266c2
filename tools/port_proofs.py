"""Port every proof case's Flask app with `migrate-audit port` and run the result beside the original.

    python tools/port_proofs.py [--record] [NAME ...]

For each case (src/migrate_audit/proofs/cases/<name>/), the `flask/` app is written to a temporary
folder and ported; the ported app gets the case's requests through FastAPI's `TestClient`, the Flask
app through its `test_client` (tools/proof_harness.py does both), and the answers are compared on what
the case compares (status, key headers, JSON body). The ported app must answer as Flask did on every
request, except those the case documents as differing (`expect = "differs"`). A case whose port left a
TODO is listed with the rules left to people and not compared: its app still needs a person. When
such a case has views the port moves to FastAPI on their own (port/split.py), main.py (those views in
FastAPI, the Flask app mounted behind them) is compared with the Flask app instead: on the case's
requests, or, for a case that has none, on a plain GET of each moved route without path parameters.

Without `--record` it prints one line per case and exits 1 when a fully ported case disagrees; with
`--record` it also writes docs/port.md, the table of the cases, ported or not and why, from this run.
Needs the `examples` extra. A developer tool (tests/test_port.py runs it); not part of the package.
"""
from __future__ import annotations

import argparse
import difflib
import re
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from proof_harness import observe  # type: ignore[import-not-found]

from migrate_audit.port import port
from migrate_audit.proofs import Proof, Request, Side, all_proofs

DOCS = Path(__file__).resolve().parents[1] / "docs" / "port.md"
CASES = "src/migrate_audit/proofs/cases"
EXAMPLE = "request-args"  # the before/after shown in docs/port.md


@dataclass
class Outcome:
    proof: Proof
    handled: int = 0
    total: int = 0
    routes: int = 0
    routes_ported: int = 0  # converted fully: the route and every finding in its view
    left: list[str] = field(default_factory=list)  # rule codes left to people (TODO comments)
    compared: int = 0  # requests compared
    agreed: int = 0  # of them, answered as Flask did (or differing where documented)
    differs: int = 0  # of them, documented as differing and differing
    problems: list[str] = field(default_factory=list)
    error: str = ""
    ported: dict[str, str] = field(default_factory=dict)  # the ported side's files
    moved: int = 0  # routes served by FastAPI on their own while the app stays Flask (main.py compared)

    @property
    def status(self) -> str:
        if self.error:
            return "port failed"
        if self.left and self.moved:
            return ("DIFFERS" if self.problems else "partly ported, moved routes equivalent") if self.compared \
                else "partly ported, moved routes not compared"
        if self.left:
            return "partly ported"
        if not self.proof.requests and not same_calls(self.proof):
            return "ported, not compared"
        return "equivalent" if not self.problems else "DIFFERS"


def ported_side(proof: Proof, folder: Path) -> tuple[Side, object]:
    """Write the case's Flask side to `folder`, port it there; the ported side and the port's result."""
    flask = proof.sides["flask"]
    for relpath, text in proof.sources("flask"):
        target = folder / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    result = port(str(folder))
    files = {"app.py": flask.code, **flask.files}  # as the harness writes the Flask side: a static file byte for byte
    files.update(result.after)
    code = files.pop("app.py")
    # the case's shared probe (probe.py: data both sides start from, e.g. a table) runs beside the ported app too;
    # a Flask side's own probe (flask_probe.py) is Flask's alone
    fastapi = proof.sides.get("fastapi")
    shared = flask.probe if fastapi is not None and flask.probe and fastapi.probe == flask.probe else ""
    return Side(code=code, files=files, app=flask.app, label="FastAPI, ported by migrate-audit", probe=shared), result


# The Flask module's name in the folder main.py is compared from: the harness imports its own app module as
# app.py, which main.py's `from app import app` would otherwise find instead of the Flask app.
FLASK_MODULE = "flask_app.py"
A2WSGI = "from starlette.middleware.wsgi import WSGIMiddleware  # a2wsgi's adapter, which Starlette's stands in for\n"
_MOVED_GET = re.compile(r'api_route\("(/[^"{}]*)", methods=\["GET", "HEAD"\]')


def moved_side(proof: Proof, folder: Path) -> tuple[Side, object] | None:
    """The case's Flask app ported with app.py named FLASK_MODULE, as main.py serves it: None when nothing
    moved to FastAPI on its own, or another file imports the app module by its name."""
    sources = dict(proof.sources("flask"))
    if any(re.search(r"\b(from app import|import app\b)", text) for path, text in sources.items() if path != "app.py"):
        return None
    sources[FLASK_MODULE] = sources.pop("app.py")
    for relpath, text in sources.items():
        target = folder / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    result = port(str(folder))
    if not result.routes_moved or "main.py" not in result.after:  # type: ignore[attr-defined]
        return None
    files = {**sources, **result.after, "a2wsgi.py": A2WSGI}  # type: ignore[attr-defined]
    code = files.pop("main.py")
    return Side(code=code, files=files, app="app", label="main.py: moved routes in FastAPI, Flask behind"), result


def _compare(outcome: Outcome, proof: Proof, side: Side, requests: tuple[Request, ...], derived: bool = False) -> None:
    both = replace(proof, sides={"flask": proof.sides["flask"], "fastapi": side}, requests=requests, calls=())
    for check, seen in zip(both.requests, observe(both)):
        outcome.compared += 1
        if derived and 300 <= seen["flask"].get("status", 0) < 400:
            # a redirect: what the client follows (the redirect-after-post proof compares these two); the HTML
            # body Werkzeug adds only tells a browser where to go
            seen = {key: {k: v for k, v in value.items() if k in ("status", "header:location")}
                    if isinstance(value, dict) else value for key, value in seen.items()}
        if seen["fastapi"] == seen["flask"]:
            outcome.agreed += 1
        elif check.expect == "differs":
            outcome.agreed += 1
            outcome.differs += 1
        else:
            outcome.problems.append(f"{check.label}: Flask {seen['flask']} vs ported {seen['fastapi']}")


def _moved(outcome: Outcome, proof: Proof) -> None:
    with tempfile.TemporaryDirectory(prefix=f"port-moved-{proof.name}-") as tmp:
        found = moved_side(proof, Path(tmp))
    if found is None:
        return
    side, result = found
    outcome.moved = result.routes_moved  # type: ignore[attr-defined]
    requests = proof.requests or tuple(
        Request(label=f"GET {path} (a moved route)", method="GET", path=path,
                compare=("status", "header:location", "header:content-type", "body"), expect="same", why="",
                options={})
        for module, text in sorted(side.files.items()) if module.endswith("_fastapi.py")
        for path in _MOVED_GET.findall(text))
    if requests:
        _compare(outcome, proof, side, requests, derived=not proof.requests)


def run(proof: Proof) -> Outcome:
    outcome = Outcome(proof)
    try:
        with tempfile.TemporaryDirectory(prefix=f"port-{proof.name}-") as tmp:
            side, result = ported_side(proof, Path(tmp))
    except Exception as exc:  # noqa: BLE001 - a port that crashes is an outcome to report, not a stop
        outcome.error = f"{type(exc).__name__}: {exc}"
        return outcome
    outcome.handled, outcome.total = result.handled, result.total  # type: ignore[attr-defined]
    outcome.routes, outcome.routes_ported = result.routes, result.routes_ported  # type: ignore[attr-defined]
    outcome.left = sorted({code for _, code in result.todos})  # type: ignore[attr-defined]
    outcome.ported = {"app.py": side.code, **side.files}
    if outcome.left:
        _moved(outcome, proof)
        return outcome
    if proof.requests:
        _compare(outcome, proof, side, proof.requests)
    if same_calls(proof):
        _compare_calls(outcome, proof, side)
    return outcome


def same_calls(proof: Proof) -> tuple:
    """The case's calls the ported module can answer: those written alike for the Flask and the FastAPI side (the
    tests of a module, run by name), when both sides run one probe; the port keeps the Flask module's names."""
    flask, fastapi = proof.sides["flask"], proof.sides.get("fastapi")
    if fastapi is None or flask.probe != fastapi.probe:
        return ()
    return tuple(call for call in proof.calls if call.expressions.get("flask") == call.expressions.get("fastapi"))


def _compare_calls(outcome: Outcome, proof: Proof, side: Side) -> None:
    """Run `same_calls` in the ported module beside the Flask one, and compare what each gives."""
    calls = same_calls(proof)
    both = replace(proof, sides={"flask": proof.sides["flask"], "fastapi": replace(side, probe=proof.sides["flask"].probe)},
                   requests=(), calls=calls)
    for check, seen in zip(calls, observe(both)):
        outcome.compared += 1
        if seen["fastapi"] == seen["flask"]:
            outcome.agreed += 1
        elif check.expect == "differs":
            outcome.agreed += 1
            outcome.differs += 1
        else:
            outcome.problems.append(f"{check.label}: Flask {seen['flask']} vs ported {seen['fastapi']}")


def render(outcomes: list[Outcome]) -> str:
    equivalent = [o for o in outcomes if o.status == "equivalent"]
    lines = ["# What `migrate-audit port` ports, proven on the proof cases", "",
             "<!-- Generated by `python tools/port_proofs.py --record`: do not edit. -->", "",
             f"Each proof case's Flask app (`{CASES}/<case>/flask/`) is ported by `migrate-audit port`, and the "
             "ported app answers the case's requests through FastAPI's `TestClient` beside the Flask app's "
             "`test_client`. *equivalent*: every finding was rewritten and every request is answered as Flask "
             "answered it (status, the headers and JSON body the case compares), except where the case documents "
             "a difference. *partly ported*: the port left TODO comments for the rules listed (their sites need "
             "a person), so the app is not compared; but where views of it convert fully and nothing outside them "
             "takes part in answering them (port/split.py), they move to a new module FastAPI serves in front of "
             "the Flask app, and main.py is compared with the Flask app (*moved routes equivalent*), on the case's "
             "requests or, for a case without any, a plain GET of each moved route without path parameters. "
             "A case's calls written alike for its Flask and FastAPI sides (the tests its module defines, run by "
             "name with one probe) are run in the ported module beside the Flask one and counted with the "
             "requests: the port rewrites test code too (port/test_clients.py). "
             "tests/test_port.py runs the same comparison.", "",
             "Why views move on their own (route-level splitting) rather than their decorators becoming "
             "dependencies: a unit of a real app almost always keeps something the port leaves to people (a hook, "
             "`app.config`, `Api(bp)`, a `@login_required`), so converting whole units converts nothing there. A "
             "moved view is a copy: the Flask module keeps its code, so nothing can fail at import, and the Flask "
             "route still serves `url_for`, the other methods of its path and a rollback; main.py includes the "
             "copies before it mounts the Flask app, so FastAPI answers their paths and Flask the rest. What a "
             "copy cannot keep is whatever outside the view took part in answering, so main.py carries it in "
             "front of FastAPI's routes where the port can: the app's request hooks, signals and error handlers, "
             "copied as the whole-app port converts them (port/hooks_in_front.py), ProxyFix, CORS, Compress and "
             "Talisman as their middleware (port/in_front.py; the app factory's Flask-CORS as the Flask app's own "
             "after_request function: port/cors_front.py), each applied to the requests FastAPI's routes match "
             "only; a view moves only when nothing else does: no other hook, error handler, middleware, "
             "request-hooking extension or request-changing config key applies to its unit (an extension that "
             "answers only URLs of its own, Flask-CORS's `resources=`, Flask-Admin's or Flask-RESTX's routes, "
             "checks the view's URL against them: port/extension_scopes.py), its URL overlaps no "
             "other route, `add_url_rule`'s included (Werkzeug and Starlette order "
             "rules differently), but a route of its module with the same rule that moves with it, it renders no template and builds no URL, and every name it uses is its own, "
             "FastAPI's or a context-free name of its module (nothing with findings, nor using what has; where the copy "
             "runs in the Flask app's context, Flask-SQLAlchemy's objects, and in a request context built from the "
             "FastAPI request, names that only read it: Flask-Marshmallow's schemas, `url_for`, `current_app`; "
             "port/flask_sqlalchemy.py), and it "
             "has no decorator besides its route's but those its copy takes along, whose bridge answers there as "
             "in Flask (Flask-Pydantic's `validate`, injector's `@inject`, Flask-Login's guards where main.py gives "
             "the Flask app's manager; port/split.py). A view's other decorators stay on its path operation where the "
             "port makes them do what they did (port/decorators.py): the module's own `functools.wraps` decorators, "
             "their wrappers ported as views are (FastAPI reads the view's parameters through `__wrapped__`), those "
             "another module of the project defines, ported there and converting with every module using them "
             "(port/shared_decorators.py), and Flask-Login's, through a bridge module over Flask's own session "
             "cookie, in the manager's module and the modules importing its names (port/login.py; a manager the "
             "app factory gives its app, while the app stays Flask: the Flask app's own, which main.py hands the "
             "bridge); any other "
             "keeps its view with Flask, saying why.", "",
             "Three differences of rewrites counted here as faithful, which the cases' comparisons do not see "
             "(checked by hand with Flask 3.1.3 and FastAPI 0.165.0): a query key sent twice, where Werkzeug's "
             "`request.args.get` answers the first value and a FastAPI parameter the last (`?q=a&q=b`: `a` in "
             "Flask, `b` in FastAPI; `args[key]` and form reads keep Werkzeug's first); values of `jsonify(...)` "
             "that are not JSON types, which Flask's provider writes otherwise than FastAPI's encoder (a "
             "`datetime` as an HTTP date, not ISO 8601; a `Decimal` as a string, not a number); and the text of "
             "a JSON body, whose value is the same but which Flask writes with sorted keys, non-ASCII escaped "
             "and a final newline, and FastAPI in the view's key order, UTF-8, without the newline (so the bytes "
             "and `Content-Length` differ; the cases compare the parsed body). The port cannot know the types "
             "behind a name, so a view that can meet the second needs a person's check; a client that compares "
             "JSON text, not values, needs one for the third.", "",
             "The answers of the router itself: an app ported whole calls `werkzeug_routing(app)` (a module the "
             "port writes beside it, port/written/werkzeug_routing.py), so a method its URL does not take, "
             "`OPTIONS`, a URL missing its rule's trailing slash and an unknown URL get Werkzeug's answers (405 "
             "and the `Allow` of every rule of the URL, 200 with it, a 308 redirect, Werkzeug's 404 page; the "
             "project's own 404 or 405 handler where it has one), where FastAPI's router answered 405, 405 with "
             "one path operation's methods as JSON, 307 and JSON. A strangler's main.py, whose Flask app behind answers "
             "what FastAPI's routes do not match fully, calls `werkzeug_routing(app, flask_app)` where a Blueprint "
             "left the Flask app: on its paths, which the Flask app has no rule for any more, another method, "
             "`OPTIONS` and a missing slash get Werkzeug's answers too, not the Flask app's 404 (routes that move "
             "on their own keep Flask's answers: the Flask app keeps their rules). Not yet faithful there: those "
             "answers do not run the Flask app's `after_request` hooks, and Flask-CORS does not complete a "
             "preflight among them (the port says so in a note).",
             "",
             f"{len(equivalent)} of {len(outcomes)} cases are ported and equivalent; "
             f"{sum(o.total for o in outcomes)} findings in all the cases' Flask apps, "
             f"{sum(o.handled for o in outcomes)} of them rewritten; {sum(o.routes for o in outcomes)} routes, "
             f"{sum(o.routes_ported for o in outcomes)} of them converted fully (the route and every finding in "
             "its view); "
             f"{sum(o.moved for o in outcomes)} routes of {sum(1 for o in outcomes if o.moved)} partly ported cases "
             "move to FastAPI on their own, and main.py answers "
             f"{sum(o.agreed for o in outcomes if o.moved)}/{sum(o.compared for o in outcomes if o.moved)} of the "
             "requests compared there as Flask did.", "",
             "| case | outcome | findings rewritten | routes converted fully | requests answered as Flask "
             "(documented differences) | left to people |",
             "|---|---|---|---|---|---|"]
    example = next((o for o in outcomes if o.proof.name == EXAMPLE and o.ported), None)
    if example is not None:
        diff = difflib.unified_diff(example.proof.sources("flask")[0][1].splitlines(keepends=True),
                                    example.ported["app.py"].splitlines(keepends=True), "flask/app.py", "ported/app.py")
        lines[-2:-2] = [f"The {EXAMPLE} case, before and after (`migrate-audit port FOLDER --diff`):", "",
                        "```diff", *"".join(diff).splitlines(), "```", ""]
    for o in outcomes:
        requests = f"{o.agreed}/{o.compared} ({o.differs})" if o.compared else "-"
        left = ", ".join(o.left) or (o.error.replace("|", "\\|") if o.error else "")
        lines.append(f"| [{o.proof.name}](../{CASES}/{o.proof.name}/) | {o.status} | {o.handled}/{o.total} | "
                     f"{o.routes_ported}/{o.routes} | {requests} | {left} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/port_proofs.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="case names (default: all)")
    parser.add_argument("--record", action="store_true", help="write docs/port.md from this run (all cases)")
    args = parser.parse_args(argv)
    outcomes = [run(p) for p in all_proofs() if not args.names or p.name in args.names]
    for o in outcomes:
        print(f"{o.status:<22} {o.proof.name} {' '.join(o.left)} {o.error}")
        for problem in o.problems:
            print(f"    {problem}")
    if args.record and not args.names:
        DOCS.write_text(render(outcomes), encoding="utf-8")
    return 1 if any(o.status in ("DIFFERS", "port failed") for o in outcomes) else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main())
