"""Every direct/partial rule's advice runs: the Flask before and the FastAPI after of each case in
src/migrate_audit/proofs/cases/ are imported and observed side by side (see tools/proof_harness.py).

The runs need the `examples` extra (Flask, FastAPI and the counterpart libraries); the README's test
command installs it. On Python 3.11+ they never skip: advice that was not run is not proven. On 3.10 the
extra installs nothing (the proven FastAPI and Starlette versions need 3.11), so only the runs skip.
"""
from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

import pytest

from migrate_audit import proofs, registry
from migrate_audit.config import Settings
from migrate_audit.model import Verdict
from _tools import harness
from migrate_audit.proofs import ProofError
from migrate_audit.rule_docs import explain_text
from migrate_audit.scan import run_scan

PROOFS = proofs.all_proofs()
CASES = Path(proofs.__file__).parent / "cases"
RUNS_PROOFS = pytest.mark.skipif(
    sys.version_info < (3, 11),
    reason="the examples extra (the Flask/FastAPI versions the advice is proven against) needs Python 3.11+")


def _advised_rules() -> set[str]:
    return {r.code for r in registry.all_rules() if r.verdict in (Verdict.DIRECT, Verdict.PARTIAL)}


def test_every_direct_or_partial_rule_is_proven_or_a_justified_exception() -> None:
    proven, unproven = set(proofs.proofs_by_rule()), proofs.unproven()
    missing = sorted(_advised_rules() - proven - set(unproven))
    assert missing == [], f"rules whose advice no case proves (add a case, or a reason to unproven.toml): {missing}"
    assert sorted(proven & set(unproven)) == [], "a rule listed as unproven has a proof: drop it from unproven.toml"
    assert sorted(set(unproven) - _advised_rules()) == [], "unproven.toml lists rules that are not direct/partial"
    assert all(len(reason) > 30 for reason in unproven.values()), "every exception needs a real reason"


def test_cases_name_existing_advised_rules() -> None:
    known = _advised_rules()
    for proof in PROOFS:
        assert set(proof.rules) <= known, f"{proof.name} proves rules that are not direct/partial: {proof.rules}"


def test_silent_behaviour_changes_show_the_naive_port() -> None:
    # The FMA8xx rules exist because the obvious port behaves differently: each case must show it.
    for proof in PROOFS:
        if any(code.startswith("FMA8") for code in proof.rules):
            assert "naive" in proof.sides, f"{proof.name} proves a silent change without a naive port"


# A naive port may forget an `await` (that is what it shows): Python warns about the coroutine.
@pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")
# Flask-Marshmallow's notice that its optional SQLAlchemy schemas are off: the case uses plain Schemas.
@pytest.mark.filterwarnings("ignore:Flask-SQLAlchemy integration requires marshmallow-sqlalchemy:UserWarning")
@RUNS_PROOFS
@pytest.mark.parametrize("proof", PROOFS, ids=lambda p: p.name)
def test_after_behaves_as_claimed_and_as_recorded(proof: proofs.Proof) -> None:
    observations = harness.observe(proof)
    harness.check_claims(proof, observations)
    problem = harness.drift(proof, observations)
    assert problem is None, problem


@pytest.mark.parametrize("proof", PROOFS, ids=lambda p: p.name)
def test_rules_flag_the_before_and_not_the_after(proof: proofs.Proof, tmp_path: Path) -> None:
    folders = harness.materialize(proof, tmp_path)

    def codes(side: str) -> set[str]:
        result = run_scan([str(folders[side])], Settings(), jobs=1)
        return {f.code for r in result.files for f in r.findings}

    assert sorted(set(proof.rules) - codes("flask")) == [], "the Flask before does not show the idiom"
    assert sorted(set(proof.rules) & codes("fastapi")) == [], "the FastAPI after still shows the idiom"


def _case(folder: Path, files: dict[str, str]) -> proofs.Proof:
    """A case folder made of `files` (path relative to the case folder -> text), loaded as the package does."""
    for relpath, text in files.items():
        (folder / relpath).parent.mkdir(parents=True, exist_ok=True)
        (folder / relpath).write_text(text, encoding="utf-8")
    return proofs.load(folder)


_RULES = 'rules = ["FMA223"]\n'
_REQUEST = '[[requests]]\npath = "/"\n'
_APPS = {"flask/app.py": "x = 1\n", "fastapi/app.py": "y = 1\n"}


@pytest.mark.parametrize("files, message", [
    ({"flask/app.py": "x = 1\n"}, "case.toml"),
    ({"case.toml": _RULES + _REQUEST, "flask/app.py": "x = 1\n"}, "needs a flask/ and a fastapi/ folder"),
    ({"case.toml": _RULES + _REQUEST, "flask/app.py": "", "fastapi/main.py": ""}, "fastapi/app.py is missing"),
    ({"case.toml": _RULES, **_APPS}, "observes nothing"),
    ({"case.toml": _RULES + _REQUEST + 'compare = ["colour"]\n', **_APPS}, "cannot compare on 'colour'"),
    ({"case.toml": _RULES + _REQUEST + 'expect = "differs"\n', **_APPS}, "needs a `why`"),
    ({"case.toml": _RULES + '[[calls]]\nflask = "1"\n', **_APPS}, "one expression per side"),
    # The apps are files now: a `code` string in case.toml is a leftover of the old format.
    ({"case.toml": _RULES + '[flask]\ncode = "x"\n' + _REQUEST, **_APPS}, "unknown keys ['code']"),
    ({"case.toml": _RULES + '[naive]\napp = "api"\n' + _REQUEST, **_APPS}, "[naive] describes a side that has no folder"),
    ({"case.toml": _RULES + _REQUEST, **_APPS, "naive_probe.py": ""}, "a probe for a side that has no folder"),
    ({"case.toml": _RULES + _REQUEST, **_APPS, "notes.md": ""}, "unexpected notes.md"),
])
def test_malformed_cases_are_refused_with_the_reason(files: dict[str, str], message: str, tmp_path: Path) -> None:
    with pytest.raises(ProofError, match=re.escape("proof bad: ") + ".*" + re.escape(message)):
        _case(tmp_path / "bad", files)


def test_the_naive_side_is_the_fastapi_side_with_its_own_files_and_probe_laid_over(tmp_path: Path) -> None:
    case = _case(tmp_path / "naive", {
        "case.toml": _RULES + '[fastapi]\napp = "api"\nlabel = "after"\n' + _REQUEST,
        "flask/app.py": "app = 1\n",
        "fastapi/app.py": "api = 1\n", "fastapi/templates/a.html": "A", "fastapi/templates/b.html": "B",
        "fastapi_probe.py": "def probe(): pass\n",
        "naive/templates/b.html": "naive B", "naive/__pycache__/app.cpython-311.pyc": "",
    })
    naive = case.sides["naive"]
    assert (naive.code, naive.files) == ("api = 1\n", {"templates/a.html": "A", "templates/b.html": "naive B"})
    assert (naive.app, naive.label, naive.probe) == ("api", proofs.SIDE_LABELS["naive"], "def probe(): pass\n")
    assert case.sides["fastapi"].probe == "def probe(): pass\n"
    (tmp_path / "naive" / "naive_probe.py").write_text("def probe(): return 1\n", encoding="utf-8")
    assert proofs.load(tmp_path / "naive").sides["naive"].probe == "def probe(): return 1\n"
    assert case.sources("naive") == [("app.py", "api = 1\n"), ("templates/a.html", "A\n"),
                                     ("templates/b.html", "naive B\n")]


def test_a_shared_probe_observes_every_side_that_has_none_of_its_own(tmp_path: Path) -> None:
    case = _case(tmp_path / "shared", {"case.toml": _RULES + _REQUEST, **_APPS, "naive/app.py": "z = 1\n",
                                       "probe.py": "def seen(): return 1\n", "flask_probe.py": "def seen(): return 2\n"})
    assert {side: data.probe for side, data in case.sides.items()} == {
        "flask": "def seen(): return 2\n", "fastapi": "def seen(): return 1\n", "naive": "def seen(): return 1\n"}


def test_claims_fail_when_the_after_differs_or_the_naive_port_does_not(tmp_path: Path) -> None:
    case = _case(tmp_path / "claims", {"case.toml": _RULES + _REQUEST, **_APPS, "naive/app.py": "z = 1\n"})
    with pytest.raises(harness.ProofFailed, match="behaves differently"):
        harness.check_claims(case, [{"label": "GET /", "flask": {"status": 302}, "fastapi": {"status": 307},
                                     "naive": {"status": 307}}])
    with pytest.raises(harness.ProofFailed, match="naive port behaves exactly like Flask"):
        harness.check_claims(case, [{"label": "GET /", "flask": {"status": 302}, "fastapi": {"status": 302},
                                     "naive": {"status": 302}}])
    harness.check_claims(case, [{"label": "GET /", "flask": {"status": 302}, "fastapi": {"status": 302},
                                 "naive": {"status": 307}}])


def test_calls_observe_non_http_behaviour_through_the_probe(tmp_path: Path) -> None:
    case = _case(tmp_path / "calls", {"case.toml": '''
rules = ["FMA503"]
env = { PROOF_GREETING = "hello" }
[[calls]]
label = "greeting"
flask = "shout()"
fastapi = "GREETING.upper()"
expect = "differs"
why = "the port adds an exclamation mark"
[[calls]]
label = "a failing call is an observation"
flask = "1 / 0"
fastapi = "1 / 0"
''', "flask/app.py": "import os\nGREETING = os.environ['PROOF_GREETING']\n",
        "flask_probe.py": "def shout(): return GREETING.upper()\n",
        "fastapi/app.py": "import os\nGREETING = os.environ['PROOF_GREETING'] + '!'\n"})
    observations = harness.observe(case)
    assert observations == [
        {"label": "greeting", "flask": "HELLO", "fastapi": "HELLO!"},
        {"label": "a failing call is an observation", "flask": {"raised": "ZeroDivisionError: division by zero"},
         "fastapi": {"raised": "ZeroDivisionError: division by zero"}},
    ]
    harness.check_claims(case, observations)


def test_every_python_file_of_the_cases_parses() -> None:
    """The cases are real files so that ruff, pyupgrade and editors read them: each must be valid Python."""
    python_files = sorted(CASES.rglob("*.py"))
    # app.py of the flask and fastapi side of every case, at the least
    assert len(python_files) >= 2 * len(PROOFS)
    for path in python_files:
        ast.parse(path.read_bytes(), filename=str(path))


def test_explain_shows_the_proven_pair_and_what_was_measured() -> None:
    text = explain_text(registry.get_rule("FMA223"))
    proof = proofs.proof_for("FMA223")
    view = proofs.measured_view(proof)
    assert f"Proven: {proof.title}" in text
    assert f"Measured with {view.versions_text}" in text
    for check in view.checks:
        for row in check.rows:
            assert f"{row.label:<19}  {row.shown}" + ("   <- differs from Flask" if row.differs else "") in text
    for side in proof.sides:
        assert all(line.strip() in text for line in proof.sides[side].code.splitlines())


def test_all_records_come_from_one_environment_and_the_readme_names_it() -> None:
    recorded = {json.dumps(proofs.measured(p)["versions"], sort_keys=True) for p in PROOFS if proofs.measured(p)}
    assert len(recorded) == 1, f"record every case in one environment: {recorded}"
    versions = json.loads(recorded.pop())
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    stated = (f"Flask {versions['flask']} (Werkzeug {versions['werkzeug']}) and FastAPI {versions['fastapi']} "
              f"(Starlette {versions['starlette']})")
    assert stated in readme, f"README must say the advice was proven against {stated}"


def test_explain_says_which_fastapi_the_advice_was_last_proven_against() -> None:
    versions = proofs.proven_against()
    assert set(versions) == {"flask", "werkzeug", "fastapi", "starlette"}  # one environment (test above)
    against = proofs.proven_against_text()
    assert f"FastAPI {versions['fastapi']} (Starlette {versions['starlette']})" in against
    proven = explain_text(registry.get_rule("FMA223"))
    assert f"Proven against {against}." in proven
    not_run = explain_text(registry.get_rule("FMA404"))
    assert f"Not run: {proofs.unproven()['FMA404'].rstrip('.')}. The rest of the advice was last proven against " \
           f"{against}." in not_run
    blocker = explain_text(registry.get_rule("FMA349"))
    assert f"A blocker: there is no counterpart to run. The rest of the advice was last proven against {against}." \
        in blocker
