"""What to port: the audit's findings by file, the Blueprints, where the Flask app is made, and the files
one `--only UNIT` selects.

The port never looks for Flask code itself: every site it rewrites is a finding of the audit (which
resolves what each name is bound to), so a `request` that is not Flask's, or a `route` method of another
framework, is never touched.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from . import codes
from ..config import ConfigError
from ..rules.inventory import INVENTORY_CODES
from .edits import PortedFile, Site, enclosing_function
from .routes import BlueprintInfo, call_of, describe_blueprint


@dataclass(frozen=True)
class AppSite:
    """How the Flask application is reached in its module: `variable`, or `factory()` for an app factory."""

    variable: str
    factory: str | None = None


@dataclass
class Project:
    root: Path
    texts: dict[str, str] = field(default_factory=dict)  # path -> text, for the files with findings
    findings: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    blueprints: list[BlueprintInfo] = field(default_factory=list)
    app: AppSite | None = None
    app_folder: str | None = None  # where the Flask app module is (its templates/ and static/ folders)
    app_path: str | None = None  # the Flask app module
    flagged: set[str] = field(default_factory=set)  # every path with findings, templates included

    def parse(self, path: str) -> PortedFile:
        """A fresh parse of one file with its findings as sites."""
        file = PortedFile.parse(path, self.texts[path])
        for finding in self.findings[path]:
            node = file.node_at(finding["line"], finding["column"], finding["end_line"], finding["end_column"])
            file.sites.append(Site(finding["code"], node, finding["counterpart"] or finding["message"]))
        return file


def module_name(path: str, root: str = "") -> str:
    """The dotted name of the module at `path`, imported from the folder `root` (both relative to the
    ported folder)."""
    path = path[len(root):] if root and path.startswith(root) else path
    parts = path[:-3].split("/") if path.endswith(".py") else path.split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_root(project_root: Path, path: str) -> str:
    """The folder Python imports the module at `path` from: above its outermost package (`src/` in a src
    layout), as `folder/` relative to the ported folder, "" for the ported folder itself."""
    parts = path.split("/")[:-1]
    while parts and (project_root.joinpath(*parts) / "__init__.py").is_file():
        parts.pop()
    return "/".join(parts) + "/" if parts else ""


def read_project(path: str, audit_options: dict[str, Any] | None = None) -> Project:
    """Audit `path` (a folder) and read the files the audit found Flask in; `audit_options` are the audit's
    keywords (the cache and jobs of the scan that asked for the port)."""
    from ..pipeline import audit

    if not os.path.isdir(path):
        raise ConfigError(f"{path} is not a folder: port a project folder (its imports are resolved from it)")
    report = audit([path], **(audit_options or {})).as_dict()
    project = Project(Path(path))
    for finding in report["findings"]:
        project.flagged.add(finding["path"])
        if finding["suppressed"] or not finding["path"].endswith(".py"):
            continue  # requirements, templates and configuration are people's work in this increment
        if finding["code"] in INVENTORY_CODES:
            continue  # no rewrite of their own: imports go with the names they bring in (imports.py)
        project.findings.setdefault(finding["path"], []).append(finding)
    _skip_own_modules(project)
    for relpath in project.findings:
        project.texts[relpath] = (project.root / relpath).read_text(encoding="utf-8")
    for relpath in project.findings:
        file = project.parse(relpath)
        for site in file.sites_of(codes.BLUEPRINT):
            if (info := describe_blueprint(file, site)) is not None:
                project.blueprints.append(info)
        for site in file.sites_of(codes.APP):
            if project.app is None and (found := _app_site(file, site)) is not None:
                project.app, project.app_path = found, relpath
                project.app_folder = str(Path(relpath).parent).replace(os.sep, "/")
    return project


def _skip_own_modules(project: Project) -> None:
    """Leave out the modules an earlier port wrote (the bridges and helpers of port/written/, some of which import
    Flask on purpose, such as login.FRONT_FILE), as written: the next `--only` step of a strangler keeps them as they
    are. A module people changed is the project's own, read as any other."""
    shipped = {entry.name: entry.read_text(encoding="utf-8")
               for entry in files(__package__).joinpath("written").iterdir() if entry.name.endswith(".py")}
    for relpath in [path for path in project.findings if path.rpartition("/")[2] in shipped]:
        try:
            ours = (project.root / relpath).read_text(encoding="utf-8") == shipped[relpath.rpartition("/")[2]]
        except (OSError, UnicodeDecodeError):
            ours = False
        if ours:
            del project.findings[relpath]


# What may set a config key that changes how requests are answered (split.RISKY_KEYS), besides Python.
_CONFIG_SUFFIXES = (".py", ".cfg", ".ini", ".env", ".toml", ".yaml", ".yml", ".conf", ".json")
_SKIPPED_DIRS = frozenset({".git", "__pycache__", ".venv", "venv", ".tox", "node_modules", "site-packages"})


def project_texts(project: Project) -> dict[str, str]:
    """Every Python and configuration file of the project, path -> text (unreadable ones are skipped)."""
    texts = dict(project.texts)
    for folder, dirs, names in os.walk(project.root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
        for name in names:
            path = Path(folder) / name
            relpath = path.relative_to(project.root).as_posix()
            if relpath in texts or not name.endswith(_CONFIG_SUFFIXES) or path.stat().st_size > 2_000_000:
                continue
            try:
                texts[relpath] = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
    return texts


def _app_site(file: PortedFile, site: Site) -> AppSite | None:
    call = call_of(site.node)
    assignment = call.parent() if call is not None else None
    if assignment is None or assignment.kind() != "assignment" or assignment.field("left").kind() != "identifier":  # type: ignore[union-attr]
        return None
    function = enclosing_function(assignment)
    factory = function.field("name").text() if function is not None else None  # type: ignore[union-attr]
    return AppSite(assignment.field("left").text(), factory)  # type: ignore[union-attr]


def resolver(project: Project):  # type: ignore[no-untyped-def]
    """Finds the Blueprint a name in a file stands for: defined there, or imported from a project file."""
    by_place = {(b.path, b.variable): b for b in project.blueprints}
    # per parse of a file: the Blueprints its imports bind, by local name (its tree is walked once, not once
    # per route: a module of thousands of views stays linear)
    imported: dict[int, tuple[PortedFile, dict[str, BlueprintInfo]]] = {}

    def resolve(file: PortedFile, name: str) -> BlueprintInfo | None:
        if (file.path, name) in by_place:
            return by_place[file.path, name]
        if imported.get(id(file), (None,))[0] is not file:
            imported[id(file)] = (file, {**_through_modules(file, by_place), **_imported_blueprints(file, by_place)})
        return imported[id(file)][1].get(name)

    return resolve


def _imported_blueprints(file: PortedFile, by_place: dict[tuple[str, str], BlueprintInfo]) -> dict[str, BlueprintInfo]:
    found: dict[str, BlueprintInfo] = {}
    for statement in file.root.find_all(kind="import_from_statement"):  # app factories import inside
        module = statement.field("module_name").text()  # type: ignore[union-attr]
        for item in statement.named_children()[1:]:
            original, local = item.text(), item.text()
            if item.kind() == "aliased_import":
                original, local = item.field("name").text(), item.field("alias").text()  # type: ignore[union-attr]
            for candidate in module_files(file.path, module):
                if (candidate, original) in by_place and local not in found:  # the first import, as before
                    found[local] = by_place[candidate, original]
    return found


def _through_modules(file: PortedFile, by_place: dict[tuple[str, str], BlueprintInfo]) -> dict[str, BlueprintInfo]:
    """`module.variable` -> its Blueprint, where the file binds a module of the project by importing it
    (`from . import blog` or `import flaskr.blog as blog`, in an app factory too) and names the Blueprint as
    an attribute of it: flaskr's `app.register_blueprint(blog.bp)`. The first binding of a local name, as
    _imported_blueprints; a name bound by both kinds of import reads as the module's attribute only where the
    dotted text is used."""
    variables: dict[str, list[tuple[str, BlueprintInfo]]] = {}  # module file -> its Blueprints
    for (path, variable), info in by_place.items():
        variables.setdefault(path, []).append((variable, info))
    found: dict[str, BlueprintInfo] = {}
    bound: set[str] = set()
    for statement in file.root.find_all(kind="import_from_statement"):
        module = statement.field("module_name").text()  # type: ignore[union-attr]
        for item in statement.named_children()[1:]:
            original, local = item.text(), item.text()
            if item.kind() == "aliased_import":
                original, local = item.field("name").text(), item.field("alias").text()  # type: ignore[union-attr]
            if local in bound or "." in original:
                continue
            bound.add(local)
            joined = module + original if module.endswith(".") else f"{module}.{original}"
            for candidate in module_files(file.path, joined):
                for variable, info in variables.get(candidate, ()):
                    found.setdefault(f"{local}.{variable}", info)
    for statement in file.root.find_all(kind="import_statement"):
        for item in statement.named_children():
            if item.kind() != "aliased_import" or item.field("alias").text() in bound:  # type: ignore[union-attr]
                continue  # `import flaskr.blog` binds flaskr: its Blueprints are read as `flaskr.blog.bp` below
            local = item.field("alias").text()  # type: ignore[union-attr]
            bound.add(local)
            for candidate in module_files(file.path, item.field("name").text()):  # type: ignore[union-attr]
                for variable, info in variables.get(candidate, ()):
                    found.setdefault(f"{local}.{variable}", info)
    return found


def module_files(importer: str, module: str) -> list[str]:
    dots = len(module) - len(module.lstrip("."))
    parts = [p for p in module.lstrip(".").split(".") if p]
    if dots:
        base = importer.split("/")[:-1]
        base = base[: len(base) - (dots - 1)] if dots > 1 else base
        parts = base + parts
    stem = "/".join(parts)
    return [f"{stem}.py", f"{stem}/__init__.py"]


def select(project: Project, only: str | None) -> set[str]:
    """The files to port: all those with findings, or those of one unit: a Blueprint (by its name or
    variable), a module (`catalog.views`) or a folder (`catalog`)."""
    if only is None:
        return set(project.findings)
    folders = {b.path[: -len("__init__.py")] for b in project.blueprints
               if only in (b.name, b.variable) and b.path.endswith("__init__.py")}  # a Blueprint's package
    chosen = {b.path for b in project.blueprints if only in (b.name, b.variable)}
    folders.add(only.replace(".", "/").rstrip("/") + "/")
    chosen |= {p for p in project.findings if module_name(p) == only or p == only
               or any(p.startswith(folder) for folder in folders)}
    if not chosen:
        names = sorted({b.name for b in project.blueprints})
        raise ConfigError(f"--only {only}: no Blueprint, module or folder of that name has Flask findings"
                          + (f"; Blueprints: {', '.join(names)}" if names else ""))
    return chosen


def keeps_config(project: Project, selected: set[str]) -> bool:
    """True when the app is sure to stay Flask with its config, read where it is made: its module is not among
    the files ported, or it is made in a factory whose module sets or reads its `app.config` (each call loads a
    config of its own, which port/config.py leaves to Flask, and so the app). The FastAPI app composed in front
    of it then carries that config to the views that convert (config.port_config_reads)."""
    if project.app is None or project.app_path is None:
        return False
    if project.app_path not in selected:
        return True
    if project.app.factory is None:
        return False
    from .config import CODES

    if not any(finding["code"] in CODES for finding in project.findings.get(project.app_path, ())):
        return False
    prefix = f"{project.app.variable}.config"
    file = project.parse(project.app_path)
    return any(site.node.text().startswith(prefix) and enclosing_function(site.node) is not None
               for code in CODES for site in file.sites_of(code))


def injector_on_every_app(project: Project) -> bool:
    """True when every app the project makes gets a FlaskInjector (`FlaskInjector(app=app, ...)` at the top of the
    app's module, or of its factory's body): a view of another module then takes its arguments from that app's
    injector, which main.py hands to FastAPI (`injector_of(flask_app)`) while the app stays Flask, and the bridge's
    FlaskInjector puts on the FastAPI app where the app's module converts whole (port/injector.py)."""
    if project.app is None or project.app_path is None:
        return False
    from .injector import WIRING

    if not any(finding["code"] == WIRING for finding in project.findings.get(project.app_path, ())):
        return False  # (most apps: the module is not parsed again)
    variable = project.app.variable  # type: ignore[union-attr]
    file = project.parse(project.app_path)  # type: ignore[arg-type]
    for site in file.sites_of(WIRING):
        # the finding's span may be a block's whose one statement the call is: the call's own statement
        call = site.node if site.node.kind() == "call" else site.node.find(kind="call")
        if call is None:
            continue
        statement = file.statement_of(call)
        block = statement.parent()
        # made on every app: at the top of the module, or of the factory's body (not under an `if`), so
        # main.py's injector_of(flask_app) finds it
        top = block is not None and (block.kind() == "module" or block.kind() == "block" and block.parent() is not None
                                     and block.parent().kind() == "function_definition"  # type: ignore[union-attr]
                                     and block.parent().field("name").text() == project.app.factory)  # type: ignore[union-attr]
        if top and re.match(rf"FlaskInjector\(\s*(app\s*=\s*)?{re.escape(variable)}\b", call.text()):
            return True
    return False
