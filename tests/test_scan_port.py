"""`scan --port`: every finding says whether `migrate-audit port` rewrites it (the port's own decision), and
every report shows what the port takes off and what remains for people."""
from __future__ import annotations

import ast
import csv
import io
import json
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest

from migrate_audit import audit, effort
from migrate_audit.cli import main
from migrate_audit.port import port

MIXED = Path(__file__).parent / "fixtures" / "port" / "mixed"  # a Blueprint whose convertible views move
SCHEMA = json.loads(files("migrate_audit").joinpath("schema/report.schema.json").read_text())


def _scan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["scan", *args, "--no-cache"])
    out, err = capsys.readouterr()
    return code, out, err


def _functions(path: Path) -> list[tuple[str, int, int]]:
    """(name, first line with decorators, last line) of each top-level function of a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.name, min([node.lineno, *(d.lineno for d in node.decorator_list)]), node.end_lineno or node.lineno)
            for node in tree.body if isinstance(node, ast.FunctionDef)]


def test_each_finding_is_marked_as_the_port_decides(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _scan(capsys, str(MIXED), "--port", "--format", "json")
    assert code == 0
    report = json.loads(out)
    jsonschema.validate(report, SCHEMA)
    result = port(str(MIXED))
    # Independently of the port's bookkeeping: the views it moves are those it copies into *_fastapi.py, and
    # a finding is ported exactly when it is in one of them (nothing else in this project converts).
    moved = {(relpath.replace("_fastapi", ""), name) for relpath, text in result.after.items()
             if relpath.endswith("_fastapi.py") for name in _names(text)}
    assert moved, "the fixture has views that move"
    for finding in report["findings"]:
        inside = [name for name, first, last in _functions(MIXED / finding["path"]) if first <= finding["line"] <= last]
        expected = bool(inside) and (finding["path"], inside[0]) in moved
        assert finding["ported"] is expected, finding
    assert sum(f["ported"] for f in report["findings"]) == result.handled > 0


def _names(text: str) -> set[str]:
    return {node.name for node in ast.parse(text).body if isinstance(node, ast.FunctionDef)}


def test_the_summary_splits_the_work_between_the_port_and_people(capsys: pytest.CaptureFixture[str]) -> None:
    report = json.loads(_scan(capsys, str(MIXED), "--port", "--format", "json")[1])
    s, port_ = report["summary"], report["summary"]["port"]
    left = port_["remaining"]
    assert port_["findings"] + left["findings"] == s["findings"]
    assert port_["story_points"] + left["story_points"] == s["story_points"]
    assert (port_["routes"], port_["routes_ported"]) == (port(str(MIXED)).routes, port(str(MIXED)).routes_ported)
    # the remaining estimate is the effort model's on the findings left, not a share of the total
    rest = dict(report, findings=[f for f in report["findings"] if not f["ported"]])
    assert left["estimate_days"] == effort.estimate_report(rest).as_dict()["estimate_days"] <= s["estimate_days"]
    assert left["estimate_text"] == effort.estimate_report(rest).text


def test_without_the_flag_the_report_is_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    plain = json.loads(_scan(capsys, str(MIXED), "--format", "json")[1])
    marked = json.loads(_scan(capsys, str(MIXED), "--format", "json", "--port")[1])
    assert "port" not in plain["summary"] and not any("ported" in f for f in plain["findings"])
    for f in marked["findings"]:
        del f["ported"]
    del marked["summary"]["port"]
    assert marked == plain  # the old fields are the same: --port only adds


def test_every_format_shows_what_remains(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    html, md, csv_file, sarif = tmp_path / "r.html", tmp_path / "r.md", tmp_path / "r.csv", tmp_path / "r.sarif"
    code, text, _ = _scan(capsys, str(MIXED), "--port", "--html", str(html), "--markdown", str(md),
                          "--csv", str(csv_file), "--sarif", str(sarif), "--color", "never")
    assert code == 0
    report = audit(str(MIXED), no_cache=True, port=True).as_dict()
    s = report["summary"]
    done = f"migrate-audit port rewrites {s['port']['findings']} of {s['findings']} findings"
    assert done in " ".join(text.split())
    assert "Left for people:" in text and done in md.read_text(encoding="utf-8")
    page = html.read_text(encoding="utf-8")
    assert done in page and 'id="port-share"' in page
    data = json.loads(page.split('<script type="application/json" id="ma-data">')[1].split("</script>")[0])
    assert [bool(f.get("ported")) for f in data["findings"]] == [f["ported"] for f in report["findings"]]
    rows = list(csv.DictReader(io.StringIO(csv_file.read_text(encoding="utf-8"))))
    assert [row["ported"] == "true" for row in rows] == [f["ported"] for f in report["findings"]]
    run = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]
    assert run["properties"]["port"] == s["port"]
    # SARIF orders results most important first: match them to the report's findings by fingerprint
    ported = {f["fingerprint"]: f["ported"] for f in report["findings"]}
    assert len(run["results"]) == len(ported)
    assert all(r["properties"]["ported"] == ported[r["partialFingerprints"]["migrateAudit/v1"]]
               for r in run["results"])
    assert any(f["ported"] for f in report["findings"]) and not all(f["ported"] for f in report["findings"])


def test_a_report_without_the_flag_has_no_port_column_or_section(capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path) -> None:
    csv_file, html, sarif = tmp_path / "r.csv", tmp_path / "r.html", tmp_path / "r.sarif"
    code, text, _ = _scan(capsys, str(MIXED), "--csv", str(csv_file), "--html", str(html), "--sarif", str(sarif))
    assert code == 0 and "Left for people" not in text and 'id="port-share"' not in html.read_text(encoding="utf-8")
    assert "ported" not in csv_file.read_text(encoding="utf-8").splitlines()[0]
    run = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]
    assert "port" not in run["properties"] and not any("ported" in r["properties"] for r in run["results"])


@pytest.mark.parametrize("args", [
    [str(MIXED), str(MIXED / "books.py")],  # two paths
    [str(MIXED / "books.py")],  # a file: the port resolves imports from a project folder
    [str(MIXED), "--shard", "1/2"],
])
def test_port_needs_one_whole_folder(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code, _, err = _scan(capsys, *args, "--port")
    assert code == 2
    assert err.startswith("migrate-audit: error: --port") and err.count("\n") == 1 and "Traceback" not in err


def test_merge_keeps_what_the_port_takes_off(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sample = Path(__file__).parents[1] / "examples" / "bookshelf"
    marked, other, plain = tmp_path / "mixed.json", tmp_path / "sample.json", tmp_path / "plain.json"
    for folder, target, extra in ((MIXED, marked, ["--port"]), (sample, other, ["--port"]), (sample, plain, [])):
        assert _scan(capsys, str(folder), "--json", str(target), "-q", *extra)[0] == 0
    one = json.loads(marked.read_text(encoding="utf-8"))
    assert main(["merge", str(marked), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr()[0])["summary"]["port"] == one["summary"]["port"]
    assert main(["merge", str(marked), str(other), "--format", "json"]) == 0
    portfolio = json.loads(capsys.readouterr()[0])
    jsonschema.validate(portfolio, SCHEMA)
    apps = [one, json.loads(other.read_text(encoding="utf-8"))]
    merged = portfolio["summary"]["port"]
    for key in ("findings", "story_points", "routes", "routes_ported"):
        assert merged[key] == sum(a["summary"]["port"][key] for a in apps), key
    # what remains is estimated as a portfolio is: the sum of each application's remaining estimate
    rest = effort.estimate_portfolio(effort.places_from_report(dict(a, findings=[f for f in a["findings"]
                                                                                if not f["ported"]])) for a in apps)
    assert merged["remaining"]["estimate_days"] == rest.as_dict()["estimate_days"]
    assert main(["merge", str(marked), str(plain), "--format", "json"]) == 0  # one without --port: no figure
    assert "port" not in json.loads(capsys.readouterr()[0])["summary"]


def test_a_port_that_fails_leaves_the_scan_and_says_so(capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import migrate_audit.port

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(migrate_audit.port, "port", broken)
    code, out, err = _scan(capsys, str(MIXED), "--port", "--format", "json")
    assert code == 0 and "port" not in json.loads(out)["summary"]
    assert "--port: the port failed (RuntimeError: boom)" in err and "Traceback" not in err
