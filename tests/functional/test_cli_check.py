"""``sdd-tui check``: linter-style lines, JSON shape, exit codes and ``--feature`` scoping."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.checks import CHECKLIST, SPEC, clean_workspace

from sdd_tui.cli import main
from sdd_tui.operations.checks import RULE_IDS

# 22 unchecked items, 1 spec without plan, and requirements no test proves: FR-004…FR-007 of
# 002 and one finding for all of 003's; the shared traceability model (operations.trace) also
# finds FR-001 of 002 unproven (its tests name other requirements).
WARNINGS = 29
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<rule>[a-z-]+): (?P<message>.+)$")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_sample_workspace_has_errors(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(sample), "--no-git")
    assert code == 1
    lines = out.splitlines()
    summary = lines.pop()
    assert summary == f"3 errors, {WARNINGS} warnings in 3 features"
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), [line for line, m in zip(lines, parsed, strict=True) if not m]
    clar = [m.groupdict() for m in parsed if m and m["rule"] == "open-clarification"]
    assert [(c["path"], c["line"]) for c in clar] == [
        ("specs/003-nutrition-labels/spec.md", "73"),
        ("specs/003-nutrition-labels/spec.md", "75"),
        ("specs/003-nutrition-labels/spec.md", "76"),
    ]
    assert "specs/002-meal-planner/checklists/ux.md:11: unchecked-checklist-item: CHK003" in out
    assert err == ""


def test_feature_scoping(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(sample), "--feature", "002-meal-planner", "--json", "--no-git")
    assert code == 0  # only warnings in 002
    data = json.loads(out)
    assert {f["feature"] for f in data["findings"]} == {"002-meal-planner"}
    assert data["summary"]["features"] == ["002-meal-planner"]
    assert data["summary"]["errors"] == 0
    code, out, _ = run(capsys, str(sample), "--feature", "003", "--no-git")
    assert code == 1
    assert all("specs/003-nutrition-labels/" in line for line in out.splitlines()[:-1])
    code, out, _ = run(capsys, str(sample), "--feature", "001-recipe-sharing", "--no-git")
    assert (code, out) == (0, "no findings in 1 feature\n")


def test_json_shape(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(sample), "--json", "--no-git")
    assert code == 1
    data = json.loads(out)
    assert set(data) == {"findings", "summary", "problems"}
    for finding in data["findings"]:
        assert set(finding) == {"rule", "severity", "path", "line", "message", "feature"}
        assert finding["rule"] in RULE_IDS
        assert finding["severity"] in ("error", "warning")
        assert isinstance(finding["line"], int) or finding["line"] is None
        assert not finding["path"].startswith("/") and "\\" not in finding["path"]
    summary = data["summary"]
    assert summary["errors"] == 3 and summary["warnings"] == WARNINGS
    assert summary["findings"] == len(data["findings"])
    assert set(summary["rules"]) == set(RULE_IDS)
    assert summary["rules"]["open-clarification"] == {"severity": "error", "count": 3}
    assert summary["test_results"] is True
    assert summary["git"] is False


def test_unknown_feature_is_a_usage_error(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(sample), "--feature", "999-nope")
    assert (code, out) == (2, "")
    assert err == "sdd-tui: unknown feature '999-nope'\n"


def test_bad_arguments_and_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--frobnicate")
    assert code == 2 and "unrecognized arguments" in err
    code, _, err = run(capsys, str(tmp_path / "missing"))
    assert code == 2 and "no such file or directory" in err


def test_clean_workspace_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = clean_workspace(tmp_path)
    code, out, _ = run(capsys, str(root), "--no-git")
    assert (code, out) == (0, "no findings in 1 feature\n")


def test_warnings_only_exit_zero_and_config_can_make_them_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = clean_workspace(tmp_path, checklist=CHECKLIST.replace("- [x] CHK002", "- [ ] CHK002"))
    code, out, _ = run(capsys, str(root), "--no-git")
    assert code == 0
    assert out.splitlines()[-1] == "0 errors, 1 warning in 1 feature"
    config = root / ".sdd" / "config.yaml"
    config.parent.mkdir()
    config.write_text("checks:\n  unchecked-checklist-item: error\n", encoding="utf-8")
    code, out, _ = run(capsys, str(root), "--no-git")
    assert code == 1
    assert out.splitlines()[-1] == "1 error, 0 warnings in 1 feature"


def test_errors_turned_off_exit_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = SPEC.replace("from JSON.", "from [NEEDS CLARIFICATION: which format?]")
    root = clean_workspace(tmp_path, spec=spec)
    assert run(capsys, str(root), "--no-git")[0] == 1
    config = root / ".sdd" / "config.yaml"
    config.parent.mkdir()
    config.write_text('checks:\n  open-clarification: "off"\n', encoding="utf-8")
    code, out, _ = run(capsys, str(root), "--no-git")
    assert (code, out) == (0, "no findings in 1 feature\n")


def test_unknown_rule_in_config_is_reported_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = clean_workspace(tmp_path, **{".sdd/config.yaml": "checks:\n  typo-rule: error\n"})
    code, _, err = run(capsys, str(root), "--no-git")
    assert code == 0
    assert "unknown rule 'typo-rule'" in err


def test_workspace_text_cannot_inject_terminal_sequences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = SPEC.replace("from JSON.", "from [NEEDS CLARIFICATION: \x1b[31mred\x1b[0m?]")
    root = clean_workspace(tmp_path, spec=spec)
    _, out, _ = run(capsys, str(root), "--no-git")
    assert "\x1b" not in out
    assert "\\x1b[31mred" in out


def test_help_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for rule in RULE_IDS:
        assert rule in out


def test_installed_command_exit_codes(sample: Path) -> None:
    """The real entry point in a subprocess: exit statuses as a CI job sees them."""
    cmd = [sys.executable, "-m", "sdd_tui", "check", "--no-git"]
    failing = subprocess.run([*cmd, str(sample)], capture_output=True, text=True, timeout=60)
    assert failing.returncode == 1
    passing = subprocess.run(
        [*cmd, str(sample), "--feature", "001-recipe-sharing"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert passing.returncode == 0, passing.stderr
    usage = subprocess.run(
        [*cmd, str(sample), "--feature", "nope"], capture_output=True, text=True, timeout=60
    )
    assert usage.returncode == 2
    assert usage.stderr.strip() == "sdd-tui: unknown feature 'nope'"
