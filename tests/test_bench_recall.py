"""The matching rules of bench/recall.py, the scorer of the hand-labelled recall set (issue 18).

No network and no corpus: only the pure functions that decide whether a labelled site is found,
whether a finding sits on a labelled line, and which files the labels cover.
"""
from __future__ import annotations

from pathlib import Path

from _tools import load_module

BENCH = Path(__file__).resolve().parent.parent / "bench"
recall = load_module(BENCH / "recall.py", "bench_recall")

Site, Finding = recall.Site, recall.Finding


def finding(file: str, line: int, end_line: int, code: str = "FMA101") -> Finding:
    return Finding(file, line, end_line, code, "m")


def test_a_site_is_found_by_a_range_that_covers_its_line_in_the_same_file_only():
    inside = Site("app/views.py", 11, "request", "app")
    first = Site("app/views.py", 10, "route", "app")
    last = Site("app/views.py", 12, "route", "app")
    after = Site("app/views.py", 13, "route", "app")
    other_file = Site("app/other.py", 11, "request", "app")
    found = recall.found_sites([inside, first, last, after, other_file], [finding("app/views.py", 10, 12)])
    assert found == {inside, first, last}


def test_no_findings_find_nothing_and_a_one_line_finding_finds_its_line():
    site = Site("a.py", 3, "url", "test")
    assert recall.found_sites([site], []) == set()
    assert recall.found_sites([site], [finding("a.py", 3, 3)]) == {site}
    assert recall.found_sites([site], [finding("a.py", 2, 2), finding("a.py", 4, 9)]) == set()


def test_a_finding_is_on_a_labelled_line_when_its_range_holds_one():
    labelled = {"a.py": {5, 9}}
    assert recall.on_labelled_line(finding("a.py", 4, 6), labelled)
    assert recall.on_labelled_line(finding("a.py", 9, 9), labelled)
    assert not recall.on_labelled_line(finding("a.py", 6, 8), labelled)
    assert not recall.on_labelled_line(finding("b.py", 5, 5), labelled)


def test_scope_covers_python_and_start_up_files_but_not_templates_or_revisions():
    assert recall.in_scope("app/views.py")
    assert recall.in_scope("boot.sh")
    assert recall.in_scope("Procfile")
    assert recall.in_scope("migrations/env.py")
    assert not recall.in_scope("migrations/versions/1b966e7f4b9e_post_model.py")
    assert not recall.in_scope("app/templates/index.html")
    assert not recall.in_scope("requirements/common.txt")


def test_the_sample_is_seeded_and_only_a_labelled_finding_is_true_without_a_judgement():
    result = recall.AppResult("x", Path("."), [Site("a.py", 2, "route", "app")], set(),
                              [finding("a.py", 2, 2), finding("a.py", 7, 7, "FMA200"),
                               finding("t.html", 1, 1)], {})
    one = recall.draw_sample([result], 10, seed=1)
    assert one == recall.draw_sample([result], 10, seed=1)
    assert [(s.finding.file, s.labelled) for s in one] == [("a.py", True), ("a.py", False), ("t.html", False)]
    assert recall.verdict(one[0], {}) == ("true", "covers a labelled site")
    assert recall.verdict(one[1], {})[0] == "unjudged"
    assert recall.verdict(one[1], {("x", "a.py", 7, "FMA200"): ("false", "why")}) == ("false", "why")
