"""JUnit files with character references XML 1.0 forbids (issue 16, item 6): ``&#27;`` from
ANSI colours in a failure message, ``&#0;``, ``&#8;``.  They are read (the references dropped,
colour sequences with them), a warning says so; DTDs and entities stay refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.files import write_tree

from sdd_tui.formats.junit import JUnitError, parse_junit
from sdd_tui.workspace.results import ResultsCache, load_results

COLOURED = b"""<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="3">
<testcase classname="tests.test_publish" name="test_fr_001_publish" time="0.1">
<failure message="&#27;[31mAssertionError&#27;[0m: 1 != 2">&#27;[1m&#27;[31mE   assert 1 == 2\
&#27;[0m
tab&#9;kept, bell&#7;gone, nul&#0;gone, backspace&#x8;gone, \
fffe&#xFFFE;gone, d800&#55296;gone</failure>
</testcase>
<testcase classname="tests.test_publish" name="test_fr_002_ok" time="0.1"/>
<testcase classname="tests.test_publish" name="test_amp_&amp;_kept &#x263A;" time="0.1"/>
</testsuite></testsuites>
"""


def test_forbidden_references_are_dropped_not_the_file() -> None:
    warnings: list[str] = []
    cases = parse_junit(COLOURED, "junit.xml", warnings=warnings)
    assert [(c.name, c.status) for c in cases] == [
        ("test_fr_001_publish", "failed"),
        ("test_fr_002_ok", "passed"),
        ("test_amp_&_kept \u263a", "passed"),
    ]
    failed = cases[0]
    assert failed.message == "AssertionError: 1 != 2"
    assert failed.text.startswith("E   assert 1 == 2\ntab\tkept, bellgone, nulgone, backspacegone")
    assert "fffegone, d800gone" in failed.text
    assert "\x1b" not in failed.text and "[31m" not in failed.text
    assert len(warnings) == 1
    assert "XML 1.0" in warnings[0] and "&#27; ×5" in warnings[0]
    assert warnings[0].startswith("10 character reference(s)")


def test_clean_files_give_no_warning() -> None:
    warnings: list[str] = []
    parse_junit(COLOURED.replace(b"&#27;", b"").replace(b"&#7;", b""), warnings=warnings)
    assert len(warnings) == 1  # still &#0;, &#x8;, &#xFFFE; and &#55296;
    warnings.clear()
    ok = b'<testsuite name="s"><testcase classname="a" name="b &#9;&#10;&#x41;"/></testsuite>'
    [case] = parse_junit(ok, warnings=warnings)
    assert case.name == "b \t\nA" and warnings == []


def test_dtds_and_entities_stay_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "&#27;">]>'
        b'<testsuite name="s"><testcase classname="a" name="&a;"/></testsuite>'
    )
    with pytest.raises(JUnitError, match="DTD"):
        parse_junit(bomb)


def test_results_loader_keeps_the_cases_and_warns(tmp_path: Path) -> None:
    write_tree(tmp_path, {".sdd/results/junit.xml": COLOURED})
    cache = ResultsCache()
    results, problems = load_results(tmp_path, cache=cache)
    assert len(results.cases) == 3
    [problem] = problems
    assert problem.path == ".sdd/results/junit.xml" and "XML 1.0" in problem.message
    # read again from the cache: the warning stays with the cases
    again, problems_again = load_results(tmp_path, cache=cache)
    assert again.cases == results.cases and problems_again == problems
