"""The one atomic-write helper (``workspace/atomic.py``): mode kept, nothing left behind on
failure, the old bytes intact until the rename, and every writer goes through it."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sdd_tui.workspace import atomic
from sdd_tui.workspace.atomic import TEMP_SUFFIX, replace_bytes
from sdd_tui.workspace.writer import Conflict, atomic_write

PACKAGE = Path(__file__).resolve().parents[2] / "sdd_tui"


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_replaces_bytes_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "tasks.md"
    target.write_bytes(b"old\r\n")
    os.chmod(target, 0o640)
    inode = target.stat().st_ino
    replace_bytes(target, b"new\r\n\xff")
    assert target.read_bytes() == b"new\r\n\xff"
    assert mode_of(target) == 0o640
    assert target.stat().st_ino != inode  # a rename, not a rewrite in place
    assert os.listdir(tmp_path) == ["tasks.md"]


def test_executable_stays_executable_and_explicit_mode_wins(tmp_path: Path) -> None:
    script = tmp_path / "run.sh"
    script.write_bytes(b"#!/bin/sh\n")
    os.chmod(script, 0o755)
    replace_bytes(script, b"#!/bin/sh\necho hi\n", durable=False)
    assert mode_of(script) == 0o755
    secret = tmp_path / "prefs.json"
    secret.write_bytes(b"{}")
    os.chmod(secret, 0o644)
    replace_bytes(secret, b'{"a": 1}', mode=0o600)
    assert mode_of(secret) == 0o600


def test_new_file_gets_the_umask_default(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        replace_bytes(tmp_path / "new.json", b"{}")
    finally:
        os.umask(old)
    assert mode_of(tmp_path / "new.json") == 0o640


def test_failed_write_leaves_old_bytes_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "board.json"
    target.write_bytes(b"before")

    def full_disk(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "write", full_disk)
    with pytest.raises(OSError, match="No space"):
        replace_bytes(target, b"after" * 1000)
    monkeypatch.undo()
    assert target.read_bytes() == b"before"
    assert os.listdir(tmp_path) == ["board.json"]


def test_failed_rename_leaves_old_bytes_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "tasks.md"
    target.write_bytes(b"before")

    def refuse(src: str, dst: object) -> None:
        assert Path(src).name.endswith(TEMP_SUFFIX) and Path(src).parent == tmp_path
        assert Path(src).read_bytes() == b"after"  # the bytes are all there before the rename
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(PermissionError):
        replace_bytes(target, b"after")
    monkeypatch.undo()
    assert target.read_bytes() == b"before"
    assert os.listdir(tmp_path) == ["tasks.md"]


def test_before_replace_can_cancel(tmp_path: Path) -> None:
    root = tmp_path
    target = root / "tasks.md"
    target.write_bytes(b"v1")

    def editor_saves() -> None:
        target.write_bytes(b"editor")
        raise Conflict("changed")

    with pytest.raises(Conflict):
        replace_bytes(target, b"ours", before_replace=editor_saves)
    assert target.read_bytes() == b"editor"
    assert os.listdir(root) == ["tasks.md"]
    # the workspace writer's conflict check rides on it
    with pytest.raises(Conflict):
        atomic_write(root, target, b"ours", expected=b"v1")
    assert target.read_bytes() == b"editor"
    assert os.listdir(root) == ["tasks.md"]


def test_a_symlinked_temp_name_is_never_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The temp name is created exclusively: a link planted there is skipped, not written."""
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep")
    target = tmp_path / "t.md"
    names = iter([b"\x00\x00\x00\x01", b"\x00\x00\x00\x02"])
    monkeypatch.setattr(atomic.os, "urandom", lambda n: next(names))
    (tmp_path / f".t.md.00000001{TEMP_SUFFIX}").symlink_to(victim)
    replace_bytes(target, b"data")
    assert victim.read_bytes() == b"keep" and target.read_bytes() == b"data"


def test_every_temp_and_rename_writer_uses_the_helper() -> None:
    """One helper: no other module renames a temp file over a target."""
    pattern = re.compile(r"os\.replace\(|\.rename\(|mkstemp|NamedTemporaryFile")
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if p.name != "atomic.py" and pattern.search(p.read_text("utf-8"))
    ]
    assert offenders == []


def test_helper_is_light_to_import() -> None:
    """The theme cache reads through it before the first frame."""
    code = (
        "import sys; before = set(sys.modules); import sdd_tui.workspace.atomic; "
        "print(sorted(set(sys.modules) - before))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "tempfile" not in out and "random" not in out and "shutil" not in out


def test_caches_stay_private(tmp_path: Path) -> None:
    """The parse cache is written 0600 as it was when mkstemp made it."""
    from sdd_tui.workspace.facts import FactsCache

    root = tmp_path / "ws"
    (root / "specs" / "001-a").mkdir(parents=True)
    (root / "specs" / "001-a" / "tasks.md").write_bytes(b"- [ ] T001 a\n")
    store = tmp_path / "cache" / "parse-cache.bin"
    cache = FactsCache(store)
    cache.get(root, "specs/001-a/tasks.md", "tasks")
    cache.save()
    assert mode_of(store) == 0o600
    assert sorted(p.name for p in store.parent.iterdir()) == [".gitignore", "parse-cache.bin"]
