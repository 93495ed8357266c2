"""What the port tests share: one module ported in a fresh project folder."""
from __future__ import annotations

import importlib
import shutil
import sys
import textwrap
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from _tools import load_module
from migrate_audit.port import port


def ported(tmp_path: Path, source: str, name: str = "app.py", only: str | None = None) -> str:
    """`source` (dedented) as `name` in a project of its own, ported; the text unchanged when the port
    leaves the file as it was."""
    folder = tmp_path / "project"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(textwrap.dedent(source), encoding="utf-8")
    return port(str(folder), only=only).after.get(name, (folder / name).read_text(encoding="utf-8"))


def load_app(folder: Path, name: str):  # type: ignore[no-untyped-def]
    """`folder/app.py` imported as module `name` (a name of its own per side, so that the Flask app and its
    port can be loaded side by side), with the modules beside it importable (those the port wrote: werkzeug_routing)."""
    sys.path.insert(0, str(folder))
    try:
        return load_module(folder / "app.py", name)
    finally:
        sys.path.remove(str(folder))


def ported_project(tmp_path: Path, source: str):  # type: ignore[no-untyped-def]
    """`source` (dedented) as app.py of tmp_path/project, and the port's result on that folder."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(textwrap.dedent(source), encoding="utf-8")
    return folder, port(str(folder))


def tried(folder: Path) -> list:
    """The findings of `folder`'s app.py after the port's first pass on it (port/convert.py), each left to people
    with the reason the port gives when it tried: the why of a TODO, which the written text does not carry."""
    from migrate_audit.port import plan
    from migrate_audit.port.convert import Facts, port_file

    project = plan.read_project(str(folder))
    file = project.parse("app.py")
    port_file(file, plan.resolver(project), None, Facts())
    return file.sites


def write_ported(tmp_path: Path, result) -> Path:  # type: ignore[no-untyped-def]
    """The ported app.py of `result` written in tmp_path/ported with the modules the port wrote beside it (such as
    werkzeug_routing.py), to load beside the Flask one."""
    ported = tmp_path / "ported"
    ported.mkdir()
    for relpath, text in result.after.items():
        if "/" not in relpath:
            (ported / relpath).write_text(text, encoding="utf-8")
    return ported


def side_by_side(tmp_path: Path, folder: Path, result, name: str, **options):  # type: ignore[no-untyped-def]
    """Flask's test client on `folder`'s app.py and FastAPI's TestClient (given `options`) on its port, each
    app loaded as a module of its own (`<name>_flask_side`, `<name>_fastapi_side`), to ask both the same."""
    from fastapi.testclient import TestClient

    flask_client = load_app(folder, f"{name}_flask_side").app.test_client()
    return flask_client, TestClient(load_app(write_ported(tmp_path, result), f"{name}_fastapi_side").app, **options)


def bridged_sides(tmp_path: Path, monkeypatch: Any, source: str, name: str,
                  bridges: tuple[str, ...]) -> Iterator[tuple[Any, Any, Any]]:
    """For a fixture: `source` (dedented) as app.py of tmp_path/project and its port, every file the port wrote
    (the bridge modules beside app.py) in tmp_path/ported on sys.path; yields the Flask app, the ported app and
    the port's result, each app a module of its own (`<name>_flask_<tmp>`, `<name>_ported_<tmp>`), then forgets
    the `bridges` modules the ported app imported, so the next test loads its own."""
    folder, result = ported_project(tmp_path, source)
    ported = tmp_path / "ported"
    ported.mkdir()
    for relpath, text in result.after.items():
        (ported / relpath).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(ported))
    yield (load_module(folder / "app.py", f"{name}_flask_{tmp_path.name}").app,
           load_module(ported / "app.py", f"{name}_ported_{tmp_path.name}").app, result)
    for module in bridges:
        sys.modules.pop(module, None)


def forget(modules: Iterable[str]) -> None:
    """Drop these modules from sys.modules: a project's Flask side and its port share module names."""
    for module in modules:
        sys.modules.pop(module, None)


def import_from(folder: Path, name: str, forget_first: Callable[[], None]):  # type: ignore[no-untyped-def]
    """`name` imported from `folder` once `forget_first` has dropped the other side's modules."""
    forget_first()
    sys.path.insert(0, str(folder))
    try:
        return __import__(name)
    finally:
        sys.path.remove(str(folder))


def forget_packages(*packages: str) -> None:
    """Drop these top-level packages and their submodules from sys.modules (a project's package and the bridge
    modules its port writes, imported again from the ported tree)."""
    for name in list(sys.modules):
        if name.split(".")[0] in packages:
            sys.modules.pop(name)


def factory_sides(tmp_path: Path, monkeypatch: Any, package: str, files: dict[str, str], only: str | None,
                  forget_first: Callable[[], None]):  # type: ignore[no-untyped-def]
    """The package `package` written from (module -> text) and ported with `--only only`: the Flask app its factory
    `create_app()` makes, main.py's FastAPI app (None where no main.py was written) and the result. The Flask side is
    imported from the project, then forgotten (`forget_first`), and the ported tree imported under the same package
    name (main.py imports it by that name)."""
    folder = tmp_path / "project"
    (folder / package).mkdir(parents=True)
    for name, text in files.items():
        (folder / package / f"{name}.py").write_text(text, encoding="utf-8")
    result = port(str(folder), only=only)
    ported = tmp_path / "ported"
    shutil.copytree(folder, ported)
    for relpath, text in result.after.items():
        (ported / relpath).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    flask_app = importlib.import_module(package).create_app()
    forget_first()
    monkeypatch.syspath_prepend(str(ported))
    fastapi_app = load_module(ported / "main.py", f"main_{tmp_path.name}").app if "main.py" in result.after else None
    return flask_app, fastapi_app, result
