"""Run proofs: import each side's app module, observe it, and check what the case claims.

    python tools/proof_harness.py [--record] [NAME ...]

Without `--record` it runs the named cases (default: all), prints what it observed and exits 1 when a
case's claims fail or its observations differ from the recorded ones. With `--record` it rewrites the
`cases/<name>/measured.json` records from this run (review the diff: a change means Flask, FastAPI or
Starlette changed an answer). Needs the `examples` extra (`pip install -e '.[examples]'`). A developer
tool, used by tests/test_proofs.py: it is not part of the installed package, which only reads the cases
and their records (migrate_audit.proofs).

Each side is written to its own temporary folder (`app.py` plus its files; the naive side laid over the
FastAPI one), never run in place, so a run leaves nothing in the package. It is imported under a unique
module name with that folder as the working directory (so `Flask(__name__)` and Starlette's
`Jinja2Templates(directory="templates")` both find their templates), and dropped again afterwards.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import importlib.util
import io
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any, Iterator

from migrate_audit.proofs import MEASURED_FILE, SIDES, Proof, Request, all_proofs, case_folder, measured, measured_path_name

VERSIONED = ("flask", "werkzeug", "fastapi", "starlette")
BASE_URL = "http://localhost"  # both clients: Flask's test client already uses it


class ProofFailed(AssertionError):
    pass


def materialize(proof: Proof, root: Path) -> dict[str, Path]:
    """Write each side's app folder under `root`; return side -> folder."""
    folders = {}
    for side_name, side in proof.sides.items():
        folder = root / side_name
        folder.mkdir(parents=True)
        (folder / "app.py").write_text(side.code, encoding="utf-8")
        for relpath, text in side.files.items():
            target = folder / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        folders[side_name] = folder
    return folders


@contextlib.contextmanager
def _imported(proof: Proof, side: str, folder: Path) -> Iterator[ModuleType]:
    """Import `folder/app.py` with `folder` as cwd and first on sys.path; forget its modules afterwards."""
    name = f"_proof_{proof.name.replace('-', '_')}_{side}"
    before = set(sys.modules)
    old_cwd = os.getcwd()
    sys.path.insert(0, str(folder))
    os.chdir(folder)
    try:
        spec = importlib.util.spec_from_file_location(name, folder / "app.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        yield module
    finally:
        os.chdir(old_cwd)
        sys.path.remove(str(folder))
        for key in set(sys.modules) - before:
            origin = getattr(sys.modules[key], "__file__", None) or ""
            if key == name or origin.startswith(str(folder)):
                del sys.modules[key]


# Values that change with every release of a library and say nothing about the advice: recorded
# observations must not drift on them (Pydantic's error links carry its minor version).
_VOLATILE = (re.compile(r"(https://errors\.pydantic\.dev/)[0-9.]+/"), r"\1<version>/")


def _stable(value: Any) -> Any:
    if isinstance(value, str):
        return _VOLATILE[0].sub(_VOLATILE[1], value)
    if isinstance(value, list):
        return [_stable(item) for item in value]
    if isinstance(value, dict):
        return {key: _stable(item) for key, item in value.items()}
    return value


def _body(content_type: str, raw: bytes, pairs: bool = False) -> dict[str, Any]:
    text = raw.decode("utf-8", "replace")
    if content_type.split(";")[0].strip().endswith("json"):
        try:
            return {"json": _stable(json.loads(text, object_pairs_hook=(lambda p: [list(i) for i in p]) if pairs
                                               else None))}
        except ValueError:
            pass
    return {"text": text}


def _observe_response(request: Request, status: int, headers: Any, raw: bytes) -> dict[str, Any]:
    content_type = headers.get("content-type") or ""
    seen: dict[str, Any] = {}
    for aspect in request.compare:
        if aspect == "status":
            seen["status"] = status
        elif aspect.startswith("header:"):
            seen[aspect] = headers.get(aspect[7:])
        elif aspect == "body":
            seen["body"] = _body(content_type, raw)
        elif aspect == "json":
            seen["json"] = _body("application/json", raw).get("json", {"not-json": raw.decode("utf-8", "replace")})
        elif aspect == "json-order":
            seen["json-order"] = _body("application/json", raw, pairs=True).get("json")
        elif aspect == "text":
            seen["text"] = raw.decode("utf-8", "replace")
    return seen


def _files_for_flask(files: dict[str, Any]) -> dict[str, Any]:
    return {field: (io.BytesIO(spec["content"].encode()), spec["filename"], spec.get("content_type", "text/plain"))
            for field, spec in files.items()}


def _files_for_httpx(files: dict[str, Any]) -> dict[str, Any]:
    return {field: (spec["filename"], spec["content"].encode(), spec.get("content_type", "text/plain"))
            for field, spec in files.items()}


def _flask_requests(app: Any, requests: tuple[Request, ...]) -> list[dict[str, Any]]:
    client = app.test_client()
    seen = []
    for request in requests:
        opts = request.options
        for key, value in opts.get("cookies", {}).items():
            client.set_cookie(key, value)
        data: Any = None
        if "form" in opts or "files" in opts:
            data = {**opts.get("form", {}), **_files_for_flask(opts.get("files", {}))}
        elif "content" in opts:
            data = opts["content"]
        response = client.open(request.path, method=request.method, query_string=opts.get("query"),
                               json=opts.get("json"), data=data, headers=opts.get("headers"),
                               follow_redirects=opts.get("follow_redirects", False))
        seen.append(_observe_response(request, response.status_code, response.headers, response.get_data()))
    return seen


def _asgi_requests(app: Any, requests: tuple[Request, ...]) -> list[dict[str, Any]]:
    from fastapi.testclient import TestClient

    seen = []
    with TestClient(app, base_url=BASE_URL) as client:
        for request in requests:
            opts = request.options
            for key, value in opts.get("cookies", {}).items():
                client.cookies.set(key, value)
            try:
                response = client.request(request.method, request.path, params=opts.get("query"),
                                          json=opts.get("json"), data=opts.get("form"),
                                          files=_files_for_httpx(opts.get("files", {})) or None,
                                          content=opts.get("content"), headers=opts.get("headers"),
                                          follow_redirects=opts.get("follow_redirects", False))
            except Exception as exc:  # a server error: the exception says more than a bare 500
                seen.append({"raised": f"{type(exc).__name__}: {exc}"})
                continue
            seen.append(_observe_response(request, response.status_code, response.headers, response.content))
    return seen


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=repr))


def _evaluate(expression: str, module: ModuleType) -> Any:
    try:
        return _jsonable(eval(expression, vars(module)))  # noqa: S307 - our own case files, never scanned code
    except Exception as exc:  # the exception is the observation (a naive port that raises)
        return {"raised": f"{type(exc).__name__}: {exc}"}


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def observe(proof: Proof) -> list[dict[str, Any]]:
    """Run every side of `proof`; one entry per check, `{"label", "flask", "fastapi"[, "naive"]}`."""
    by_side: dict[str, list[Any]] = {}
    with tempfile.TemporaryDirectory(prefix=f"proof-{proof.name}-") as tmp, _environment(proof.env):
        folders = materialize(proof, Path(tmp))
        for side in SIDES:
            if side not in folders:
                continue
            with _imported(proof, side, folders[side]) as module:
                if proof.sides[side].probe:
                    exec(proof.sides[side].probe, vars(module))  # noqa: S102 - our own case files
                seen: list[Any] = []
                if proof.requests:
                    app = getattr(module, proof.sides[side].app)
                    run = _flask_requests if side == "flask" else _asgi_requests
                    seen += run(app, proof.requests)
                seen += [_evaluate(call.expressions[side], module) for call in proof.calls]
                by_side[side] = seen
    return [{"label": check.label, **{side: values[i] for side, values in by_side.items()}}
            for i, check in enumerate(proof.checks)]


def check_claims(proof: Proof, observations: list[dict[str, Any]]) -> None:
    """The after behaves as the before, except where the case documents why not; a naive port differs."""
    problems = []
    for check, seen in zip(proof.checks, observations):
        same = seen["fastapi"] == seen["flask"]
        if check.expect == "same" and not same:
            problems.append(f"{check.label}: the FastAPI port behaves differently: Flask {seen['flask']} "
                            f"vs FastAPI {seen['fastapi']}")
        if check.expect == "differs" and same:
            problems.append(f"{check.label}: documented as differing ({check.why}) but both gave {seen['flask']}")
    if "naive" in proof.sides and all(seen["naive"] == seen["flask"] for seen in observations):
        problems.append("the naive port behaves exactly like Flask: it shows no difference, so drop it or fix it")
    if problems:
        raise ProofFailed(f"proof {proof.name}:\n  " + "\n  ".join(problems))


def versions() -> dict[str, str]:
    return {name: importlib.metadata.version(name) for name in VERSIONED}


def record(proof: Proof, observations: list[dict[str, Any]]) -> Path:
    path = Path(str(case_folder(proof).joinpath(MEASURED_FILE)))
    data = {"proof": proof.name, "versions": versions(), "observations": observations}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def drift(proof: Proof, observations: list[dict[str, Any]]) -> str | None:
    """Why the recorded observations no longer hold, or None."""
    recorded = measured(proof)
    if recorded is None:
        return f"proof {proof.name} has no {measured_path_name(proof)}: run the harness with --record"
    if recorded["observations"] != observations:
        return (f"proof {proof.name}: observations differ from {measured_path_name(proof)} (recorded with "
                f"{recorded['versions']}, running {versions()}); if the new behaviour is right, re-record with "
                f"`python tools/proof_harness.py --record {proof.name}` and review the diff")
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/proof_harness.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="case names (default: all)")
    parser.add_argument("--record", action="store_true", help="rewrite the measured records from this run")
    args = parser.parse_args(argv)
    proofs = [p for p in all_proofs() if not args.names or p.name in args.names]
    unknown = set(args.names) - {p.name for p in proofs}
    if unknown:
        print(f"error: no proof named {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    status = 0
    for proof in proofs:
        try:
            observations = observe(proof)
            check_claims(proof, observations)
        except Exception as exc:  # report every case, not just the first failure
            print(f"FAIL {proof.name}: {exc}")
            status = 1
            continue
        if args.record:
            print(f"recorded {record(proof, observations)}")
        elif (problem := drift(proof, observations)) is not None:
            print(f"DRIFT {problem}")
            status = 1
        else:
            print(f"ok   {proof.name} ({', '.join(proof.rules)})")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
