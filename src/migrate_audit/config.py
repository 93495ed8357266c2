"""Settings: `[tool.migrate-audit]` in pyproject.toml (or `--config FILE`), then CLI flags on top."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

from . import registry
from .model import EFFORT_SCALE, Category, Rule

FAIL_ON_CHOICES = ("mandatory", "optional", "potential", "information", "blocker", "any")
SECTION = "migrate-audit"


class ConfigError(ValueError):
    """A problem with configuration or arguments: one line for the user, exit code 2 (a ValueError, for
    programs that call `migrate_audit.audit`)."""


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] = ()  # code prefixes; empty selects every rule
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    effort: Mapping[str, int] = field(default_factory=dict)
    category: Mapping[str, str] = field(default_factory=dict)
    fail_under: float | None = None
    fail_on: str | None = None
    config_path: str | None = None

    def enabled(self, code: str, path: str = "") -> bool:
        """flake8 semantics: the longest matching prefix of select or ignore wins."""
        selected = _longest_prefix(code, self.select) if self.select else 0
        if self.select and selected == 0:
            return False
        ignored = _longest_prefix(code, self.ignore)
        if ignored and ignored >= max(selected, 1):
            return False
        if path:
            for pattern, codes in self.per_file_ignores:
                if path_matches(path, pattern) and _longest_prefix(code, codes):
                    return False
        return True

    def effort_of(self, rule: Rule) -> int:
        return self.effort.get(rule.code, rule.effort)

    def category_of(self, rule: Rule) -> str:
        return self.category.get(rule.code, rule.category.value)

    def merged(self, **overrides: Any) -> "Settings":
        """CLI flags win over config: only the ones the user gave (not None, not empty) replace values."""
        given = {k: v for k, v in overrides.items() if v is not None and v != ()}
        return replace(self, **given)


def _longest_prefix(code: str, prefixes: tuple[str, ...]) -> int:
    return max((len(p) for p in prefixes if code.startswith(p)), default=0)


def path_matches(path: str, pattern: str) -> bool:
    """Glob match on a `/`-separated relative path; a pattern without `/` matches any path component."""
    from fnmatch import fnmatchcase

    pattern = pattern.rstrip("/")
    if "/" not in pattern:
        return any(fnmatchcase(part, pattern) for part in path.split("/"))
    return fnmatchcase(path, pattern) or fnmatchcase(path, pattern + "/*") or path.startswith(pattern + "/")


# --- loading -------------------------------------------------------------------------------------

_KEYS = ("select", "ignore", "extend-ignore", "exclude", "per-file-ignores", "effort", "category",
         "fail-under", "fail-on")


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start` that has a [tool.migrate-audit] table."""
    current = start.resolve()
    if current.is_file():
        current = current.parent
    for folder in (current, *current.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                data = _read_toml(candidate)
            except ConfigError:
                raise
            if SECTION in data.get("tool", {}):
                return candidate
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix the file or pass --config") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML (invalid UTF-8 at byte {exc.start}); fix the file or pass --config") from None
    except RecursionError:
        raise ConfigError(f"{path}: not valid TOML (nested too deeply); fix the file or pass --config") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror or exc}") from None


def load_settings(config_file: str | None, scan_paths: list[str]) -> Settings:
    """Settings from `--config FILE` or from the scanned project's pyproject.toml, else defaults."""
    if config_file is not None:
        path = Path(config_file)
        if path.is_dir():
            raise ConfigError(f"config file {config_file} is a folder; give the TOML file's path")
        if not path.is_file():
            raise ConfigError(f"config file {config_file} does not exist; check the --config path")
        data = _read_toml(path)
        table = data.get("tool", {}).get(SECTION, data if path.name != "pyproject.toml" else None)
        if table is None:
            raise ConfigError(f"{config_file} has no [tool.{SECTION}] table")
        return parse_table(table, str(path))
    found = find_pyproject(Path(scan_paths[0])) if scan_paths and Path(scan_paths[0]).exists() else None
    if found is None:
        return Settings()
    return parse_table(_read_toml(found)["tool"][SECTION], str(found))


def parse_table(table: Any, source: str, where: str | None = None) -> Settings:
    """The settings of a `[tool.migrate-audit]` table read from `source`; `where` names the table in
    messages (default: the source and the table's name)."""
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: [tool.{SECTION}] must be a table")
    normalized: dict[str, Any] = {}
    for key, value in table.items():
        canonical = key.replace("_", "-")
        if canonical not in _KEYS:
            raise ConfigError(
                f"{source}: unknown key '{key}' in [tool.{SECTION}]; valid keys are {', '.join(_KEYS)}"
            )
        normalized[canonical] = value
    where = where or f"{source}: [tool.{SECTION}]"
    ignore = _codes(normalized.get("ignore", []), f"{where} ignore") + _codes(
        normalized.get("extend-ignore", []), f"{where} extend-ignore"
    )
    return Settings(
        select=_codes(normalized.get("select", []), f"{where} select"),
        ignore=ignore,
        exclude=_strings(normalized.get("exclude", []), f"{where} exclude"),
        per_file_ignores=_per_file_ignores(normalized.get("per-file-ignores", {}), where),
        effort=_effort(normalized.get("effort", {}), where),
        category=_category(normalized.get("category", {}), where),
        fail_under=_fail_under(normalized["fail-under"], f"{where} fail-under") if "fail-under" in normalized
        else None,
        fail_on=_fail_on(normalized["fail-on"], f"{where} fail-on") if "fail-on" in normalized else None,
        config_path=source,
    )


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")
    return tuple(value)


def validate_code(code: str, where: str) -> str:
    code = code.strip().upper()
    if not code or not any(known.startswith(code) for known in registry.known_codes()):
        raise ConfigError(
            f"{where}: unknown rule code '{code}'; run 'migrate-audit rules' to list the codes"
        )
    return code


def _codes(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in value.replace(",", " ").split() if v]
    return tuple(validate_code(c, where) for c in _strings(value, where))


def parse_codes(text: str, where: str) -> tuple[str, ...]:
    """`FMA1,FMA205` from the command line."""
    return _codes(text, where)


def _per_file_ignores(value: Any, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} per-file-ignores must be a table of glob = [codes]")
    return tuple(
        (pattern, _codes(codes, f"{where} per-file-ignores '{pattern}'")) for pattern, codes in value.items()
    )


def _effort(value: Any, where: str) -> dict[str, int]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} effort must be a table of CODE = points")
    result = {}
    for code, points in value.items():
        full = _exact_code(code, f"{where} effort")
        if isinstance(points, bool) or not isinstance(points, int) or points not in EFFORT_SCALE:
            raise ConfigError(
                f"{where} effort.{code} = {points!r}; use one of {', '.join(map(str, EFFORT_SCALE))}"
            )
        result[full] = points
    return result


def _category(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} category must be a table of CODE = category")
    choices = [c.value for c in Category]
    result = {}
    for code, category in value.items():
        full = _exact_code(code, f"{where} category")
        if category not in choices:
            raise ConfigError(f"{where} category.{code} = {category!r}; use one of {', '.join(choices)}")
        result[full] = category
    return result


def _exact_code(code: Any, where: str) -> str:
    if not isinstance(code, str) or code.upper() not in registry.known_codes():
        raise ConfigError(f"{where}: unknown rule code '{code}'; run 'migrate-audit rules' to list the codes")
    return code.upper()


def _fail_under(value: Any, where: str) -> float:
    # Above 100 is allowed and always fails: a way to test the gate itself.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0 or value == float("inf"):
        raise ConfigError(f"{where} = {value!r}; use a readiness score from 0 to 100")
    return float(value)


def _fail_on(value: Any, where: str) -> str:
    if value not in FAIL_ON_CHOICES:
        raise ConfigError(f"{where} = {value!r}; use one of {', '.join(FAIL_ON_CHOICES)}")
    return str(value)


def check_fail_under(value: float, where: str = "--fail-under") -> float:
    return _fail_under(value, where)


def check_fail_on(value: Any, where: str = "--fail-on") -> str:
    return _fail_on(value, where)
