"""Finding and reading the workspace's JUnit result files."""

from __future__ import annotations

import glob
import os
from pathlib import Path

from sdd_tui.formats.junit import JUnitError, TestResults, parse_junit
from sdd_tui.model.workspace import Problem
from sdd_tui.workspace.fsread import ReadProblem, read_file

DEFAULT_GLOBS = (
    ".sdd/results/**/*.xml",
    "junit.xml",
    "test-results/**/*.xml",
    "reports/**/*.xml",
    "build/test-results/**/*.xml",
    "target/surefire-reports/*.xml",
)
MAX_RESULT_BYTES = 50 * 1024 * 1024


def result_files(root: Path, globs: list[str] | tuple[str, ...] | None = None) -> list[str]:
    """Root-relative paths of result files matching ``globs`` (default locations if None)."""
    found: dict[str, None] = {}
    for pattern in globs or DEFAULT_GLOBS:
        if os.path.isabs(pattern) or ".." in Path(pattern).parts:
            continue
        for match in sorted(glob.glob(pattern, root_dir=root, recursive=True)):
            found.setdefault(Path(match).as_posix(), None)
    return list(found)


def load_results(
    root: Path, globs: list[str] | tuple[str, ...] | None = None
) -> tuple[TestResults, list[Problem]]:
    results = TestResults()
    problems: list[Problem] = []
    for rel in result_files(root, globs):
        try:
            read = read_file(root, root / rel, limit=MAX_RESULT_BYTES)
        except ReadProblem as exc:
            problems.append(Problem(rel, str(exc)))
            continue
        try:
            cases = parse_junit(read.data, rel)
        except JUnitError as exc:
            problems.append(Problem(rel, str(exc), exc.line))
            continue
        results.files.append(rel)
        results.cases.extend(cases)
    return results, problems
