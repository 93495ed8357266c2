"""The developer tools the tests exercise, imported from tools/ (scripts kept out of the installed package)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

TOOLS = Path(__file__).resolve().parents[1] / "tools"


def load_module(path: Path, name: str) -> ModuleType:
    """The Python file `path` imported as module `name`: a script of tools/ or bench/, or an app a test wrote."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickling look modules up by name
    spec.loader.exec_module(module)
    return module


def _load(name: str) -> ModuleType:
    return load_module(TOOLS / f"{name}.py", name)


docs = _load("docs")
harness = _load("proof_harness")
port_proofs = _load("port_proofs")
port_style = _load("port_style")
