"""The project's own view decorators that views import from another module (`from .auth import login_required`).

port/decorators.py converts a module's own `functools.wraps` decorators where the module uses them. Flask's tutorial,
and most apps, define them once (`auth.py`) and use them on the views of other modules (`blog.py`): the decorator is
ported where it is defined, once, as the module's own are (its wrapper gets the rewrites of a view), and stays on the
path operations of every module that imports it. Where the defined module and its users are is read from the
project's imports (`from X import name [as local]`, X resolved to a project file as the port resolves Blueprints,
plan.module_files), before the port's first pass: what it finds is given to every file's port (convert.Facts.shared).

The ported decorator is not Flask's any more, so it converts only together with every module that uses it: the
defining module and its users convert as one (`hold_together`: when one stays Flask, all stay, saying why), and only
when nothing else of the project may use it (another module naming it, a use other than as a decorator of a route's
view, its module's name used to reach it: `@auth.login_required`), and its wrapper converts with nothing left to
people (port/decorators.py, its shape: `def d(view): @functools.wraps(view) def w(**kwargs): ...; return
view(**kwargs); return w`). Its users learn from a trial port of the defining module whether the wrapper reads the
request: then every view it decorates asks FastAPI for it, as the defining module's own views do.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Iterable

from ast_grep_py import SgNode

from ..scopes import span

USED = ("shared decorators used", 0)  # file.memo key: [(Shared, view function)] of the decorators kept on its views


@dataclass(frozen=True)
class Shared:
    """A decorator `name` defined in the module `path` that the modules `users` import by name for their views."""

    path: str
    name: str
    users: tuple[str, ...]
    request: bool = False  # its ported wrapper reads the request: the views it decorates ask FastAPI for it
    why: str = ""  # not empty: it stays Flask's, and the routes it decorates with it, for this reason
    kind: str = "decorator"  # or login.KIND: the LoginManager `name` that the users' Flask-Login names rely on
    # login.KIND only: the Flask app's manager, which main.py's bridge reads while the app stays Flask
    # (login.given_in_factory): its users convert each on its own, the manager's module staying Flask
    in_front: bool = False
    views: tuple[str, ...] = ()  # login.KIND, in_front: the endpoints its login_view and refresh_view name

    def __str__(self) -> str:
        return f"{self.name} ({self.path})"


def imported_names(file: Any) -> dict[str, tuple[str, str]]:
    """The module-level `from X import name [as local]` of `file` (a PortedFile): local -> (X, name)."""
    found: dict[str, tuple[str, str]] = {}
    for statement in file.root.children():
        if statement.kind() != "import_from_statement":
            continue
        module = statement.field("module_name")
        for item in statement.named_children()[1:]:
            if item.kind() == "aliased_import":
                found[item.field("alias").text()] = (module.text(), item.field("name").text())  # type: ignore[union-attr]
            elif item.kind() == "dotted_name":
                found[item.text()] = (module.text(), item.text())  # type: ignore[union-attr]
    return found


def defined_in(importer: str, module: str, paths: Iterable[str]) -> str | None:
    """The project file `from module import ...` in `importer` reads, among `paths`."""
    from .plan import module_files

    known = set(paths)
    return next((path for path in module_files(importer, module) if path in known), None)


USES = ("decorators on views", 0)  # file.memo key: name -> its `@name` decorators on the file's route views
WRITTEN = ("names written", 0)  # file.memo key: name -> how often the file writes it


def decorating(file: Any, name: str) -> list[tuple[SgNode, SgNode]]:
    """The `@name` decorators of the file's route views: (the decorator's expression, the view function); the file
    is walked once, whatever the number of names asked."""
    from .decorators import _callee

    if USES not in file.memo:
        routes = file.route_starts()
        found: dict[str, list[tuple[SgNode, SgNode]]] = {}
        for definition in file.root.find_all(kind="decorated_definition"):
            function = definition.field("definition")
            decorators = [d.named_children()[0] for d in definition.children() if d.kind() == "decorator" and
                          d.named_children()]
            if function is None or function.kind() != "function_definition" or not any(
                    span(_callee(d))[0] in routes for d in decorators):
                continue
            for d in decorators:
                if d.kind() == "identifier":
                    found.setdefault(d.text(), []).append((d, function))
        file.memo[USES] = found
    return file.memo[USES].get(name, [])


def _written(file: Any, name: str) -> int:
    if WRITTEN not in file.memo:
        counts: dict[str, int] = {}
        for node in file.root.find_all(kind="identifier"):
            counts[node.text()] = counts.get(node.text(), 0) + 1
        file.memo[WRITTEN] = counts
    return file.memo[WRITTEN].get(name, 0)


def find(project: Any, resolve: Any, facts: Any) -> tuple[Shared, ...]:
    """Every decorator a project module imports by name from another for its views, with whether it converts
    (`why`): read from the imports, then checked by a trial port of the defining module."""
    from .convert import port_file
    from .decorators import OWN, SHARED_WHY

    files = {path: project.parse(path) for path in project.findings if path.endswith(".py")}
    users: dict[tuple[str, str], list[str]] = {}  # (defining module, name) -> the modules using it on their views
    problems: dict[tuple[str, str], str] = {}
    for path, file in sorted(files.items()):
        for local, (module, name) in imported_names(file).items():
            where = defined_in(path, module, files)
            if where is None or where == path:
                continue
            used = decorating(file, local)
            if not used:
                continue
            key = (where, name)
            users.setdefault(key, []).append(path)
            if _written(file, local) != len(used) + 1:  # the import, and the decorators
                problems.setdefault(key, f"{path} uses it otherwise than as a decorator of its views")
    found = []
    for (where, name), using in sorted(users.items()):
        word = re.compile(rf"\b{re.escape(name)}\b")
        others = [path for path in sorted(project.texts) if path.endswith(".py") and path != where and
                  path not in using and word.search(project.texts[path])]
        why = problems.get((where, name)) or (f"{others[0]} names it too (the port does not follow such a use)"
                                              if others else "")
        found.append(Shared(where, name, tuple(using), why=why))
    # the trial port of each defining module: whether the wrapper converts, and whether it reads the request
    result = []
    for where in sorted({shared.path for shared in found}):
        here = [shared for shared in found if shared.path == where]
        file = project.parse(where)
        port_file(file, resolve, None, replace(facts, shared=tuple(found)))
        owns = {own.name: own for own in file.memo.get(OWN, ())}
        refused = file.memo.get(SHARED_WHY, {})
        for shared in here:
            if shared.why:
                result.append(shared)
            elif shared.name not in owns or shared.name in refused:
                result.append(replace(shared, why=refused.get(shared.name, "the port does not convert it")))
            else:
                result.append(replace(shared, request="request" in file.signature(owns[shared.name].wrapper).added))
    from .login import find_shared

    return tuple(result) + find_shared(project, resolve, facts)


def hold_together(files: dict[str, Any], selected: set[str], stay: dict[str, str],
                  shared: tuple[Shared, ...]) -> tuple[tuple[Shared, ...], bool]:
    """After the first pass (`files`, with the units that `stay` Flask): a decorator converts only with its module and
    every user of it. Where one of them stays, each of the others' units is held back too (file.blocked, which
    units.staying reads) and the decorator stays Flask's. The decorators as they now are, and whether a unit
    was held back (then the units are to be read again)."""
    held = False
    result = []
    for one in shared:
        if one.in_front:
            kept, changed = _held_in_front(files, stay, one) if not one.why else (one, False)
            result.append(kept)
            held = held or changed
            continue
        members = (one.path, *one.users)
        staying = None if one.why else next(
            (f"{path} is not selected" if path not in selected else f"{path} stays Flask with {unit}: {stay[unit]}"
             for path in members for unit in ([""] if path not in selected else sorted(files[path].units & set(stay)))),
            None)
        if staying is None:  # refused (its users keep their routes with Flask), or converting with all of them
            result.append(one)
            continue
        result.append(replace(one, why=staying))
        reason = f"the {one.kind} {one} stays Flask's with the modules using it: {staying}"
        for path in members:
            for unit in sorted(files[path].units - set(stay)):
                if unit not in files[path].blocked:
                    files[path].blocked[unit] = reason
                    held = True
    return tuple(result), held


def _held_in_front(files: dict[str, Any], stay: dict[str, str], one: Shared) -> tuple[Shared, bool]:
    """A manager main.py's bridge reads from the Flask app: its users convert each on its own while the app stays
    Flask; where the app converts, there is no Flask app in front of which to read it, and they stay. The manager,
    and whether a unit was held back."""
    changed = False
    if "app" in stay:  # (a login view that moves: main.py lets the Flask app build its URL, login.main_with_manager)
        return one, changed
    reason = f"the {one.kind} {one} is given the app in its factory, which converts (the bridge reads it from the " \
             "Flask app main.py mounts)"
    for path in one.users:
        for unit in sorted(files[path].units - set(stay)):
            if unit not in files[path].blocked:
                files[path].blocked[unit] = reason
                changed = True
    return (replace(one, why=reason) if changed else one), changed


def read(file: Any, shared: tuple[Shared, ...]) -> None:
    """Before the routes are read, in a module that uses decorators of another: those that convert stay on its
    path operations; the others keep their routes with Flask, saying why."""
    from .decorators import keep, refuse

    if not shared:
        return
    by_name = {(one.path, one.name): one for one in shared if file.path in one.users and one.kind == "decorator"}
    if not by_name:
        return
    for local, (module, name) in imported_names(file).items():
        where = next((path for path, known in by_name if known == name and
                      path == defined_in(file.path, module, [path])), None)
        if where is None:
            continue
        one = by_name[where, name]
        for expression, view in decorating(file, local):
            if one.why:
                refuse(file, expression, f"imported from {module}, which stays Flask's: {one.why}")
            else:
                keep(file, expression)
                file.memo.setdefault(USED, []).append((one, view))


def finish(file: Any) -> None:
    """After the rewrites: a decorator whose wrapper reads the request hands it on, so the views it decorates ask
    FastAPI for it (port/decorators.finish_own does the same for the module's own)."""
    from .hooks import give_request

    for one, view in file.memo.get(USED, ()):
        if one.request and "request" not in file.signature(view).added and not any(
                p.text() == "request" for p in view.field("parameters").find_all(kind="identifier")):
            give_request(file, view)
