from __future__ import annotations

from pathlib import Path

import pytest

from migrate_audit.config import ConfigError, Settings, load_settings, parse_table, path_matches


def test_defaults_when_no_pyproject(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("x = 1\n")
    assert load_settings(None, [str(tmp_path)]) == Settings()


def test_pyproject_found_by_walking_up(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.migrate-audit]\nselect = ["FMA1", "FMA2"]\nignore = ["FMA102"]\nfail-under = 70\n'
        'fail-on = "blocker"\nexclude = ["migrations"]\n[tool.migrate-audit.effort]\nFMA101 = 3\n'
        '[tool.migrate-audit.category]\nFMA201 = "optional"\n'
        '[tool.migrate-audit.per-file-ignores]\n"tests/*" = ["FMA201"]\n'
    )
    (tmp_path / "pkg").mkdir()
    settings = load_settings(None, [str(tmp_path / "pkg")])
    assert settings.select == ("FMA1", "FMA2") and settings.ignore == ("FMA102",)
    assert settings.fail_under == 70 and settings.fail_on == "blocker"
    assert settings.effort == {"FMA101": 3} and settings.category == {"FMA201": "optional"}
    assert settings.enabled("FMA101") and not settings.enabled("FMA102") and not settings.enabled("FMA301")
    assert not settings.enabled("FMA201", "tests/test_app.py") and settings.enabled("FMA201", "app.py")
    assert settings.config_path == str(tmp_path / "pyproject.toml")


def test_cli_flags_win(tmp_path: Path) -> None:
    settings = Settings(fail_under=70, select=("FMA1",)).merged(fail_under=90, select=None)
    assert settings.fail_under == 90 and settings.select == ("FMA1",)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"selekt": ["FMA1"]}, "unknown key 'selekt'"),
        ({"select": ["FMX1"]}, "unknown rule code 'FMX1'"),
        ({"ignore": "FMA1, NOPE"}, "unknown rule code 'NOPE'"),
        ({"effort": {"FMA101": 4}}, "effort.FMA101 = 4"),
        ({"effort": {"FMA999": 1}}, "unknown rule code 'FMA999'"),
        ({"category": {"FMA101": "urgent"}}, "category.FMA101 = 'urgent'"),
        ({"fail-under": -5}, "fail-under = -5"),
        ({"fail-under": "high"}, "fail-under = 'high'"),
        ({"fail-on": "everything"}, "fail-on = 'everything'"),
        ({"exclude": [1, 2]}, "exclude must be a list of strings"),
        ({"per-file-ignores": ["x"]}, "per-file-ignores must be a table"),
    ],
)
def test_bad_values_name_the_problem(table: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(".", r"\.")):
        parse_table(table, "pyproject.toml")


def test_malformed_toml(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.migrate-audit\nselect = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(None, [str(tmp_path)])


def test_missing_config_file() -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings("/nonexistent/config.toml", ["."])


def test_select_and_ignore_longest_prefix_wins() -> None:
    settings = Settings(select=("FMA1", "FMA105"), ignore=("FMA10",))
    assert settings.enabled("FMA105") and not settings.enabled("FMA104") and settings.enabled("FMA111")


@pytest.mark.parametrize(
    ("path", "pattern", "matches"),
    [("app/migrations/env.py", "migrations", True), ("app/views.py", "migrations", False),
     ("tests/test_a.py", "tests/*", True), ("pkg/tests/test_a.py", "tests/*", False),
     ("pkg/tests/test_a.py", "*/tests/*", True), ("legacy/a.py", "legacy/", True)],
)
def test_path_globs(path: str, pattern: str, matches: bool) -> None:
    assert path_matches(path, pattern) is matches
