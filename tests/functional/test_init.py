"""``sdd-tui init``: config with commented defaults, .gitattributes and .gitignore lines,
never overwriting, and a no-op the second time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from sdd_tui.cli import main
from sdd_tui.cli.init_cmd import GITATTRIBUTES_LINE, GITIGNORE_LINES, config_text
from sdd_tui.formats.config import DEFAULT_COLUMNS, SddConfig, load_config
from sdd_tui.operations.checks import DEFAULT_SEVERITY


def init(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, str]:
    code = main(["init", str(path)])
    out, err = capsys.readouterr()
    assert err == ""
    return code, out


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_config_text_loads_as_the_defaults() -> None:
    config, problems = load_config(config_text().encode(), ".sdd/config.yaml")
    assert problems == []
    assert config.column_ids == DEFAULT_COLUMNS
    assert config.tests.command is None and config.tests.junit is None
    assert config.git.autocommit is False
    assert config.checks == DEFAULT_SEVERITY
    assert config == SddConfig(checks=dict(DEFAULT_SEVERITY))


def test_config_text_is_commented() -> None:
    text = config_text()
    data = yaml.safe_load(text)
    assert set(data) == {"columns", "tests", "checks", "git"}
    comments = [ln for ln in text.splitlines() if ln.lstrip().startswith("#")]
    assert len(comments) >= 10
    assert "pytest --junitxml=.sdd/results/junit.xml" in text  # the example test command
    for rule, severity in DEFAULT_SEVERITY.items():
        assert f"{rule}:" in text and severity in text


def test_init_on_an_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = init(capsys, tmp_path)
    assert code == 0
    assert out.splitlines() == [
        "created .sdd/config.yaml",
        "created .gitattributes",
        "created .gitignore",
        "created .sdd/.gitignore",
    ]
    assert (tmp_path / ".sdd" / "config.yaml").read_text(encoding="utf-8") == config_text()
    attributes = (tmp_path / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert GITATTRIBUTES_LINE in attributes
    assert GITATTRIBUTES_LINE == ".sdd/history.jsonl merge=union"
    ignore = (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()
    for line in (".sdd/cache/", ".sdd/results/", ".sdd/.lock", ".sdd/board.json.corrupt-*"):
        assert line in ignore
    assert set(GITIGNORE_LINES) <= set(ignore)
    assert set(snapshot(tmp_path)) == {
        ".sdd/config.yaml",
        ".sdd/.gitignore",
        ".gitattributes",
        ".gitignore",
    }


def test_init_twice_is_a_no_op(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    init(capsys, tmp_path)
    before = snapshot(tmp_path)
    mtimes = {p: os.stat(tmp_path / p).st_mtime_ns for p in before}
    code, out = init(capsys, tmp_path)
    assert code == 0
    assert out.splitlines() == [
        "skipped .sdd/config.yaml: exists (left as it is)",
        "nothing to do: already set up",
    ]
    assert snapshot(tmp_path) == before
    assert {p: os.stat(tmp_path / p).st_mtime_ns for p in before} == mtimes


def test_init_with_existing_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = b"# mine\ncolumns: [todo, doing, done]\n"
    (tmp_path / ".sdd").mkdir()
    (tmp_path / ".sdd" / "config.yaml").write_bytes(config)
    (tmp_path / ".gitattributes").write_bytes(b"*.png binary")  # no final newline
    (tmp_path / ".gitignore").write_bytes(b"node_modules/\r\n/.sdd/cache\r\n")  # CRLF
    code, out = init(capsys, tmp_path)
    assert code == 0
    assert out.splitlines() == [
        "created .sdd/.gitignore",
        "appended to .gitattributes: .sdd/history.jsonl merge=union",
        "appended to .gitignore: .sdd/results/, .sdd/.lock, .sdd/board.json.corrupt-*",
        "skipped .sdd/config.yaml: exists (left as it is)",
    ]
    assert (tmp_path / ".sdd" / "config.yaml").read_bytes() == config
    attributes = (tmp_path / ".gitattributes").read_bytes()
    assert attributes.startswith(b"*.png binary\n#")
    assert attributes.endswith(b"\n.sdd/history.jsonl merge=union\n")
    ignore = (tmp_path / ".gitignore").read_bytes()
    assert ignore.startswith(b"node_modules/\r\n/.sdd/cache\r\n# sdd-tui")
    assert ignore.endswith(b"\r\n.sdd/results/\r\n.sdd/.lock\r\n.sdd/board.json.corrupt-*\r\n")
    assert b"\n.sdd/cache/" not in ignore  # '/.sdd/cache' already covers it
    assert b"\r\n" in ignore and ignore.count(b"\n") == ignore.count(b"\r\n")
    before = snapshot(tmp_path)
    code, out = init(capsys, tmp_path)
    assert out.splitlines()[-1] == "nothing to do: already set up"
    assert snapshot(tmp_path) == before


def test_lines_already_present_in_another_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    attributes = b"/.sdd/history.jsonl merge=union -diff\n"
    ignore = b"\n".join(line.encode() for line in GITIGNORE_LINES) + b"\n"
    (tmp_path / ".gitattributes").write_bytes(attributes)
    (tmp_path / ".gitignore").write_bytes(ignore)
    _, out = init(capsys, tmp_path)
    assert out.splitlines() == ["created .sdd/config.yaml", "created .sdd/.gitignore"]
    assert (tmp_path / ".gitattributes").read_bytes() == attributes
    assert (tmp_path / ".gitignore").read_bytes() == ignore


def test_conflicting_attribute_is_skipped_with_a_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    attributes = b".sdd/history.jsonl merge=binary\n"
    (tmp_path / ".gitattributes").write_bytes(attributes)
    code, out = init(capsys, tmp_path)
    assert code == 0
    assert (
        "skipped .gitattributes: has another rule for .sdd/history.jsonl "
        "(.sdd/history.jsonl merge=binary); add '.sdd/history.jsonl merge=union' yourself if wanted"
    ) in out.splitlines()
    assert (tmp_path / ".gitattributes").read_bytes() == attributes


def test_unsafe_files_are_not_edited(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ignore = b"caf\xe9\n"  # Latin-1, not UTF-8
    (tmp_path / ".gitignore").write_bytes(ignore)
    target = tmp_path / "elsewhere"
    target.write_bytes(b"*.png binary\n")
    (tmp_path / ".gitattributes").symlink_to(target)
    code, out = init(capsys, tmp_path)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "created .sdd/config.yaml"
    assert any(
        ln.startswith("skipped .gitignore: is not UTF-8 text (not edited); add these lines")
        for ln in lines
    )
    assert any(ln.startswith("skipped .gitattributes: is a symlink (not edited)") for ln in lines)
    assert (tmp_path / ".gitignore").read_bytes() == ignore
    assert target.read_bytes() == b"*.png binary\n"


def test_sdd_as_a_file_is_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".sdd").write_bytes(b"not a folder")
    code, out = init(capsys, tmp_path)
    assert code == 0
    assert "skipped .sdd/config.yaml: .sdd exists and is not a folder" in out.splitlines()
    assert (tmp_path / ".sdd").read_bytes() == b"not a folder"


def test_ignoring_sdd_entirely_gets_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".gitignore").write_bytes(b".sdd/\n")
    _, out = init(capsys, tmp_path)
    assert out.splitlines()[-1].startswith("note: .gitignore ignores .sdd/ as a whole")


def test_init_then_workspace_loads_cleanly(
    sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sdd_tui.workspace.loader import load

    target = sample.parent / "fresh"
    target.mkdir()
    (target / "specs").mkdir()
    init(capsys, target)
    loaded = load(target)
    assert loaded.workspace.problems == ()
    assert loaded.config is not None and loaded.config.checks == DEFAULT_SEVERITY


def test_missing_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["init", str(tmp_path / "nope")])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.startswith("sdd-tui: no such folder:")
    assert not (tmp_path / "nope").exists()


def test_default_path_is_the_current_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    capsys.readouterr()
    assert (tmp_path / ".sdd" / "config.yaml").is_file()
