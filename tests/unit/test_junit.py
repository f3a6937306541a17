"""JUnit XML results: one fixture per dialect, hostile input, result discovery and
test-status.json (issue "Test status", Results and Bad input)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers.files import JUNIT_FIXTURES as FIXTURES

from sdd_tui.formats.junit import JUnitError, NotJUnit, parse_junit, strip_escapes
from sdd_tui.formats.test_status import TestStatusError, parse_test_status
from sdd_tui.workspace import results as results_mod
from sdd_tui.workspace.results import (
    ResultsCache,
    load_results,
    load_snapshot,
    load_test_status,
    result_files,
    unread_bytes,
)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def by_name(cases):  # type: ignore[no-untyped-def]
    return {c.name: c for c in cases}


# --------------------------------------------------------------------------- dialects


def test_pytest_dialect() -> None:
    cases = parse_junit(fixture("pytest.xml"), "pytest.xml")
    assert [c.status for c in cases] == [
        "passed",
        "failed",
        "error",
        "passed",
        "skipped",
        "skipped",
    ]
    named = by_name(cases)
    ok = named["test_fr_001_publish_returns_201"]
    assert ok.classname == "tests.contract.test_publish"
    assert ok.time == pytest.approx(0.021)
    assert ok.properties == (("requirements", "FR-001, FR-002"),)
    assert ok.source == "pytest.xml"
    assert ok.suite == "pytest"
    failed = named["test_fr_003_rejects_duplicate_slug"]
    assert failed.message.startswith("AssertionError: assert 201 == 409")
    assert "tests/contract/test_publish.py:27: AssertionError" in failed.text
    assert ">       assert response.status_code == 409" in failed.text  # entities decoded
    error = named["test_us2_link_opens_recipe"]
    assert error.classname == "tests.integration.test_share.TestShareLink"
    assert "Connection refused" in error.message
    skipped = named["test_unicode_titles"]
    assert skipped.message == "needs ICU"
    xfail = named["test_req_1_2_slug_length"]
    assert xfail.status == "skipped" and xfail.message == "slug length not decided yet"


def test_jest_junit_dialect() -> None:
    cases = parse_junit(fixture("jest-junit.xml"))
    assert len(cases) == 5
    named = by_name(cases)
    failed = named["publish a recipe rejects a blank title"]
    assert failed.status == "failed"
    # jest-junit writes no message attribute: the first line of the text is the message
    assert failed.message == "Error: expect(received).toThrow(expected)"
    assert "publish.test.ts:31:7" in failed.text
    assert failed.file == "src/__tests__/publish.test.ts"
    assert named["publish a recipe shares offline"].status == "skipped"
    assert named["publish a recipe shares offline"].time == 0.0
    assert {c.suite for c in cases} == {"publish a recipe", "slug"}


def test_gotestsum_dialect() -> None:
    cases = parse_junit(fixture("gotestsum.xml"))
    named = by_name(cases)
    assert [c.status for c in cases] == ["passed", "failed", "passed", "skipped", "passed"]
    failed = named["TestFR003RejectsDuplicate"]
    assert failed.message == "Failed"
    assert "publish_test.go:41: got status 201, want 409" in failed.text
    assert named["TestShareOffline"].message.startswith("=== RUN   TestShareOffline")
    # suite-level properties (go.version) are never a test's properties
    assert all(c.properties == () for c in cases)
    assert named["TestPublish/US1_empty_title"].classname == "example.com/recipebox/publish"


def test_cargo_nextest_dialect() -> None:
    cases = parse_junit(fixture("nextest.xml"))
    named = by_name(cases)
    # a flaky test passed on retry; a test failing every rerun has a final <failure>
    assert named["recipe::tests::t011_import_round_trip"].status == "passed"
    failed = named["fr_003_rejects_duplicate"]
    assert failed.status == "failed"
    assert failed.classname == "recipebox::publish"
    assert "left: 201" in failed.text
    assert failed.message.startswith("thread 'fr_003_rejects_duplicate' panicked")
    assert len(cases) == 4


def test_maven_surefire_dialect() -> None:
    cases = parse_junit(fixture("surefire.xml"))
    assert [c.status for c in cases] == ["passed", "failed", "error", "skipped"]
    named = by_name(cases)
    failed = named["fr002RejectsBlankTitle"]
    assert failed.message == "expected: <title> but was: <servings>"
    assert "RecipeServiceTest.java:38" in failed.text
    assert named["importsLegacyFormat"].message == "Unsupported share format version 0"
    assert named["sharesToPrinter"].message == "printer not available"
    # suite <properties> are JVM system properties, not test links
    assert all(c.properties == () for c in cases)


def test_totals_count_each_status() -> None:
    from sdd_tui.formats.junit import TestResults

    res = TestResults(parse_junit(fixture("surefire.xml")) + parse_junit(fixture("pytest.xml")))
    assert res.totals() == {"passed": 3, "failed": 2, "errors": 2, "skipped": 3}
    assert res.failing


def test_time_with_thousands_separator_and_garbage() -> None:
    raw = (
        b'<testsuite><testcase name="a" time="1,204.5"/><testcase name="b" time="soon"/>'
        b'<testcase name="c" time="-1"/><testcase name="d" time="nan"/></testsuite>'
    )
    times = [c.time for c in parse_junit(raw)]
    assert times == [1204.5, None, None, None]


def test_namespaced_report() -> None:
    raw = (
        b'<t:testsuites xmlns:t="urn:x"><t:testsuite name="s"><t:testcase name="test_fr_001" '
        b'classname="k"><t:failure message="m">boom</t:failure></t:testcase></t:testsuite>'
        b"</t:testsuites>"
    )
    (case,) = parse_junit(raw)
    assert case.status == "failed" and case.text == "boom"


# --------------------------------------------------------------------------- hostile input


def test_malformed_xml_names_the_line() -> None:
    with pytest.raises(JUnitError) as exc:
        parse_junit(fixture("malformed.xml"))
    assert "malformed XML" in str(exc.value)
    assert exc.value.line == 5


def test_entity_expansion_bomb_is_refused_without_expanding() -> None:
    with pytest.raises(JUnitError) as exc:
        parse_junit(fixture("bomb.xml"))
    assert "DTD" in str(exc.value) and "lol" not in str(exc.value)


def test_external_entity_is_refused() -> None:
    with pytest.raises(JUnitError) as exc:
        parse_junit(fixture("xxe.xml"))
    assert "DTD" in str(exc.value)


def test_empty_and_not_junit() -> None:
    with pytest.raises(JUnitError, match="empty"):
        parse_junit(b"  \n")
    with pytest.raises(NotJUnit, match="coverage"):
        parse_junit(fixture("coverage.xml"))


def test_escape_sequences_are_stripped_from_failures() -> None:
    # some tools write colours as raw bytes (not even legal XML): still read, colours gone
    raw = (
        b'<testsuite><testcase name="t"><failure message="\x1b[31mred\x1b[0m">'
        b"\x1b]0;title\x07E   assert \x1b[1m1\x1b[22m == 2\x1b[?25l\x07"
        b"</failure></testcase></testsuite>"
    )
    (case,) = parse_junit(raw)
    assert case.message == "red"
    assert case.text == "E   assert 1 == 2"
    # pytest escapes ESC as the text "#x1B"
    pytest_style = (
        b'<testsuite><testcase name="t"><failure message="m">E   #x1B[31mboom#x1B[0m'
        b"</failure></testcase></testsuite>"
    )
    (case,) = parse_junit(pytest_style)
    assert case.text == "E   boom"
    assert strip_escapes("\x1b[31mred\x1b[0m \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ \x9b2J") == (
        "red link "
    )


def test_huge_failure_text_is_clipped() -> None:
    body = "x" * 500_000
    raw = f'<testsuite><testcase name="t"><failure>{body}</failure></testcase></testsuite>'
    (case,) = parse_junit(raw.encode())
    assert len(case.text) < 250_000
    assert case.text.endswith("more characters not shown)")


# --------------------------------------------------------------------------- discovery


def _tree(root: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def test_default_locations(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            ".sdd/results/unit/junit.xml": fixture("pytest.xml"),
            "junit.xml": fixture("jest-junit.xml"),
            "test-results/go.xml": fixture("gotestsum.xml"),
            "reports/coverage.xml": fixture("coverage.xml"),
            "build/test-results/test/TEST-x.xml": fixture("surefire.xml"),
            "target/surefire-reports/TEST-y.xml": fixture("surefire.xml"),
            "elsewhere/junit.xml": fixture("pytest.xml"),
        },
    )
    assert result_files(tmp_path) == [
        ".sdd/results/unit/junit.xml",
        "junit.xml",
        "test-results/go.xml",
        "reports/coverage.xml",
        "build/test-results/test/TEST-x.xml",
        "target/surefire-reports/TEST-y.xml",
    ]
    results, problems = load_results(tmp_path)
    # coverage.xml in reports/ is not a test report: skipped quietly by default
    assert problems == []
    assert "reports/coverage.xml" not in results.files
    assert len(results.files) == 5
    assert len(results.cases) == 6 + 5 + 5 + 4 + 4


def test_configured_globs_report_non_junit_files(tmp_path: Path) -> None:
    _tree(tmp_path, {"out/a.xml": fixture("nextest.xml"), "out/cov.xml": fixture("coverage.xml")})
    results, problems = load_results(tmp_path, ["out/*.xml", "/etc/*.xml", "../x/*.xml"])
    assert results.files == ["out/a.xml"]
    assert [(p.path, "not a JUnit report" in p.message) for p in problems] == [
        ("out/cov.xml", True)
    ]


def test_bad_files_become_problems_and_the_rest_loads(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            ".sdd/results/good.xml": fixture("pytest.xml"),
            ".sdd/results/bad.xml": fixture("malformed.xml"),
            ".sdd/results/bomb.xml": fixture("bomb.xml"),
        },
    )
    results, problems = load_results(tmp_path)
    assert results.files == [".sdd/results/good.xml"]
    messages = {p.path: p for p in problems}
    assert "malformed XML" in messages[".sdd/results/bad.xml"].message
    assert messages[".sdd/results/bad.xml"].line == 5
    assert "DTD" in messages[".sdd/results/bomb.xml"].message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_matching_the_glob_is_never_opened(tmp_path: Path) -> None:
    (tmp_path / ".sdd" / "results").mkdir(parents=True)
    os.mkfifo(tmp_path / ".sdd" / "results" / "pipe.xml")  # opening it would block
    _tree(tmp_path, {".sdd/results/ok.xml": fixture("surefire.xml")})
    results, problems = load_results(tmp_path)
    assert results.files == [".sdd/results/ok.xml"]
    (problem,) = problems
    assert problem.path == ".sdd/results/pipe.xml"
    assert "FIFO" in problem.message and "not opened" in problem.message


def test_huge_results_file_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "junit.xml"
    with open(path, "wb") as fh:  # 100 MB, sparse: cheap to make
        fh.write(b"<testsuites>")
        fh.seek(100 * 1024 * 1024)
        fh.write(b"</testsuites>")
    opened: list[Path] = []
    real_read = results_mod.read_file

    def spy(root, p, **kw):  # type: ignore[no-untyped-def]
        opened.append(p)
        return real_read(root, p, **kw)

    monkeypatch.setattr(results_mod, "read_file", spy)
    results, problems = load_results(tmp_path)
    assert results.cases == []
    (problem,) = problems
    assert "too large" in problem.message and "not read" in problem.message
    assert opened == []


def test_symlink_loop_under_a_double_star_glob(tmp_path: Path) -> None:
    _tree(tmp_path, {".sdd/results/a/junit.xml": fixture("surefire.xml")})
    os.symlink(tmp_path / ".sdd" / "results", tmp_path / ".sdd" / "results" / "a" / "loop")
    results, problems = load_results(tmp_path)
    assert results.files == [".sdd/results/a/junit.xml"]
    assert len(results.cases) == 4
    assert problems == []


def test_cache_reuses_parsed_files_until_they_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path, {"junit.xml": fixture("pytest.xml")})
    cache = ResultsCache()
    calls: list[str] = []
    real = results_mod.parse_junit

    def counting(raw: bytes, source: str = "", **kwargs):  # type: ignore[no-untyped-def]
        calls.append(source)
        return real(raw, source, **kwargs)

    monkeypatch.setattr(results_mod, "parse_junit", counting)
    assert unread_bytes(tmp_path, None, cache) > 0
    load_results(tmp_path, cache=cache)
    assert unread_bytes(tmp_path, None, cache) == 0
    load_results(tmp_path, cache=cache)
    assert calls == ["junit.xml"]
    (tmp_path / "junit.xml").write_bytes(fixture("surefire.xml"))
    os.utime(tmp_path / "junit.xml", ns=(1, 1))  # a different mtime whatever the clock says
    results, _ = load_results(tmp_path, cache=cache)
    assert calls == ["junit.xml", "junit.xml"]
    assert len(results.cases) == 4


# --------------------------------------------------------------------------- test-status.json

GUIDE_EXAMPLE = b"""{
  "specVersion": "1.2.0",
  "lastUpdated": "2024-01-15T10:30:00Z",
  "acceptanceCriteria": {
    "delivery_speed": {
      "requirement": "95% within 60 seconds",
      "status": "passing",
      "metrics": {"p95": 45.3, "p99": 58.2}
    },
    "retry_logic": {
      "requirement": "3 retries with exponential backoff",
      "status": "passing",
      "tests": ["email_retry_test.ts", "sms_retry_test.ts"]
    },
    "quiet_hours": {
      "requirement": "No SMS between 10 PM - 8 AM",
      "status": "in_progress",
      "notes": "Timezone handling needs work"
    },
    "unsubscribe": {
      "requirement": "One-click unsubscribe without auth",
      "status": "passing",
      "compliance": "CAN-SPAM verified"
    }
  }
}
"""


def test_test_status_of_the_guide() -> None:
    status = parse_test_status(GUIDE_EXAMPLE, "test-status.json")
    assert status.spec_version == "1.2.0"
    assert status.last_updated == "2024-01-15T10:30:00Z"
    keys = [c.key for c in status.criteria]
    assert keys == ["delivery_speed", "retry_logic", "quiet_hours", "unsubscribe"]
    c = {c.key: c for c in status.criteria}
    assert c["delivery_speed"].metrics == (("p95", "45.3"), ("p99", "58.2"))
    assert c["retry_logic"].tests == ("email_retry_test.ts", "sms_retry_test.ts")
    assert c["quiet_hours"].status == "in_progress"
    assert c["quiet_hours"].notes == "Timezone handling needs work"
    assert c["unsubscribe"].extra == (("compliance", "CAN-SPAM verified"),)
    assert status.counts() == {"passing": 3, "failing": 0, "in_progress": 1, "other": 0}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{", "invalid JSON"),
        (b"[1, 2]", "expected a JSON object"),
        (b'{"acceptanceCriteria": [1]}', "must be an object"),
        (b"\xff\xfe", "UTF-8"),
        (b"[" * 100_000, "invalid JSON"),
    ],
)
def test_test_status_bad_input(raw: bytes, message: str) -> None:
    with pytest.raises(TestStatusError, match=message):
        parse_test_status(raw)


def test_test_status_odd_shapes_are_kept() -> None:
    raw = b'{"acceptanceCriteria": {"a": "just text", "b": {"status": "FAILING", "tests": "x.py"}}}'
    status = parse_test_status(raw)
    a, b = status.criteria
    assert a.requirement == "just text" and a.status == "" and not a.known
    assert b.status == "failing" and b.tests == ("x.py",)


def test_test_status_root_and_zencoder(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "test-status.json": GUIDE_EXAMPLE,
            ".zencoder/test-status.json": b"{ not json",
        },
    )
    found, problems = load_test_status(tmp_path)
    assert [s.path for s in found] == ["test-status.json"]
    (problem,) = problems
    assert problem.path == ".zencoder/test-status.json" and "invalid JSON" in problem.message
    snap = load_snapshot(tmp_path)
    assert snap.results.cases == [] and len(snap.status) == 1 and not snap.empty
