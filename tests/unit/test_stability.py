"""Waiting for an outside write to settle (issue 16, item 15): a file that looks cut off
(no final newline) is only suspect when it had a final newline before the change."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from sdd_tui.workspace.stability import SUSPECT_QUIET, FileEndings, wait_until_stable

FAST = 0.2  # well under SUSPECT_QUIET (0.3 s), with room for a busy machine


def _timed(root: Path, paths: set[str], endings: FileEndings | None) -> float:
    t0 = time.monotonic()
    wait_until_stable(root, paths, endings=endings)
    return time.monotonic() - t0


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(data)  # an in-place write, mtime "now": not quiet yet


def test_a_file_that_never_ended_in_a_newline_is_read_at_once(tmp_path: Path) -> None:
    path = tmp_path / "tasks.md"
    _write(path, b"- [ ] T001 One\n- [ ] T002 Two")
    endings = FileEndings()
    endings.remember([path])
    for n in range(5):
        _write(path, b"- [ ] T001 One\n- [x] T002 Two " + str(n).encode())
        assert _timed(tmp_path, {"tasks.md"}, endings) < FAST


def test_a_file_cut_where_it_had_a_final_newline_must_stay_quiet(tmp_path: Path) -> None:
    path = tmp_path / "tasks.md"
    _write(path, b"- [ ] T001 One\n- [ ] T002 Two\n")
    endings = FileEndings()
    endings.remember([path])
    _write(path, b"- [ ] T001 One\n- [ ] T0")  # a writer stopped mid-line
    assert _timed(tmp_path, {"tasks.md"}, endings) >= SUSPECT_QUIET
    assert not endings.had_newline(path)  # what was read in the end: that is the "before" now


def test_a_file_whose_writer_finishes_the_line_is_read_then(tmp_path: Path) -> None:
    path = tmp_path / "tasks.md"
    _write(path, b"- [ ] T001 One\n")
    endings = FileEndings()
    endings.remember([path])
    _write(path, b"- [ ] T001 One\n- [ ] T0")

    def finish() -> None:
        time.sleep(0.05)
        with open(path, "ab") as fh:
            fh.write(b"02 Two\n")

    writer = threading.Thread(target=finish)
    writer.start()
    took = _timed(tmp_path, {"tasks.md"}, endings)
    writer.join()
    assert took < SUSPECT_QUIET
    assert path.read_bytes().endswith(b"Two\n")
    assert endings.had_newline(path)


def test_an_unknown_file_is_judged_as_before(tmp_path: Path) -> None:
    path = tmp_path / "tasks.md"
    _write(path, b"- [ ] T001 One\n- [ ] T0")
    assert _timed(tmp_path, {"tasks.md"}, FileEndings()) >= SUSPECT_QUIET
    _write(path, b"- [ ] T001 One\n")
    assert _timed(tmp_path, {"tasks.md"}, FileEndings()) < FAST


def test_without_endings_the_process_remembers_what_it_saw(tmp_path: Path) -> None:
    path = tmp_path / "progress.md"
    _write(path, b"## Current Task\n- [ ] Send SMS")  # ends without a newline
    past = time.time() - 5
    os.utime(path, (past, past))
    wait_until_stable(tmp_path, {"progress.md"})  # seen once (quiet already: no wait)
    for n in range(3):
        _write(path, b"## Current Task\n- [x] Send SMS " + str(n).encode())
        assert _timed(tmp_path, {"progress.md"}, None) < FAST


def test_an_empty_file_that_was_empty_is_not_suspect(tmp_path: Path) -> None:
    path = tmp_path / "tasks.md"
    _write(path, b"")
    endings = FileEndings()
    endings.remember([path])
    _write(path, b"")
    assert _timed(tmp_path, {"tasks.md"}, endings) < FAST
