"""``sdd-tui init``: set a repo up for sdd-tui without touching anything that is there.

Writes ``.sdd/config.yaml`` (commented defaults), the ``.gitattributes`` union-merge line
for ``.sdd/history.jsonl``, ``.gitignore`` lines for local state and ``.sdd/.gitignore``
for sdd-tui's lock, cache and temp files (the file every sdd-tui write creates when
missing).  An existing config is never overwritten; missing lines are appended to an
existing ``.gitattributes`` or ``.gitignore`` (either one) only when that is clearly safe (a
small, regular, UTF-8 text file inside the folder), else the command says what it skipped.
Running it twice changes nothing.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sdd_tui.cli.common import CliError, parser
from sdd_tui.formats.config import DEFAULT_COLUMNS
from sdd_tui.operations.checks import RULES
from sdd_tui.textsafe import safe

CONFIG = ".sdd/config.yaml"
GITATTRIBUTES_LINE = ".sdd/history.jsonl merge=union"
GITIGNORE_LINES = (
    ".sdd/cache/",
    ".sdd/results/",
    ".sdd/.lock",
    ".sdd/board.json.corrupt-*",
)
_MAX_APPEND = 1024 * 1024  # a bigger .gitignore is not something to edit blindly


def config_text() -> str:
    """The commented default ``.sdd/config.yaml`` (valid YAML that loads as the defaults)."""
    width = max(len(r.id) for r in RULES) + 1
    checks = "\n".join(f"  {r.id + ':':<{width}} {r.severity:<7}  # {r.summary}" for r in RULES)
    columns = "\n".join(f"  - {c}" for c in DEFAULT_COLUMNS)
    return f"""\
# sdd-tui settings for this repository. Every key is optional; the values below are the
# defaults. Commit this file; sdd-tui never rewrites it.

# Board columns, left to right. 'done' is required and always mirrors a checked box in
# tasks.md; the first column is an unchecked box; columns in between are kept in
# .sdd/board.json. A column may be {{id: blocked, title: Blocked}}.
columns:
{columns}

tests:
  # The command the workbench runs on 't' (it asks before the first run), e.g.
  #   command: pytest --junitxml=.sdd/results/junit.xml
  command:
  # JUnit XML result files (globs relative to this folder). Empty: .sdd/results/**/*.xml,
  # junit.xml, test-results/**/*.xml, reports/**/*.xml, build/test-results/**/*.xml and
  # target/surefire-reports/*.xml.
  junit:

# Severity of each `sdd-tui check` rule: error (exit 1), warning or "off" (quote it: YAML
# reads a bare off as false).
checks:
{checks}

git:
  # Commit sdd-tui's own writes automatically (false: sdd-tui never commits for you).
  autocommit: false
"""


@dataclass(slots=True)
class InitReport:
    created: list[str] = field(default_factory=list)
    appended: list[tuple[str, list[str]]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def init(argv: list[str]) -> int:
    p = parser(
        "init",
        "Set up a repo for sdd-tui: .sdd/config.yaml with commented defaults, the "
        ".gitattributes union merge for .sdd/history.jsonl and .gitignore lines for local "
        "state. Existing files are never overwritten.",
    )
    p.add_argument("path", nargs="?", help="the repository folder (default: current folder)")
    args = p.parse_args(argv)
    root = Path(args.path) if args.path else Path.cwd()
    if not root.exists():
        raise CliError(f"no such folder: {root}")
    if not root.is_dir():
        raise CliError(f"not a folder: {root}")
    report = init_workspace(root)
    for path in report.created:
        print(f"created {path}")
    for path, lines in report.appended:
        print(f"appended to {path}: {', '.join(lines)}")
    for path, why in report.skipped:
        print(f"skipped {path}: {why}")
    for note in report.notes:
        print(f"note: {note}")
    if not (report.created or report.appended):
        print("nothing to do: already set up")
    return 0


def init_workspace(root: Path) -> InitReport:
    report = InitReport()
    _write_config(root, report)
    _ensure_lines(
        root,
        ".gitattributes",
        (GITATTRIBUTES_LINE,),
        "# sdd-tui: keep both sides' lines of the operation log when merging",
        report,
        _attributes_conflict,
    )
    _ensure_lines(
        root,
        ".gitignore",
        GITIGNORE_LINES,
        "# sdd-tui: local state (test results, caches, lock, corrupt-file backups)",
        report,
        None,
    )
    _sdd_gitignore(root, report)
    ignore = root / ".gitignore"
    if _ignores_sdd(ignore):
        report.notes.append(
            ".gitignore ignores .sdd/ as a whole; .sdd/config.yaml, board.json and "
            "history.jsonl are meant to be committed"
        )
    return report


def _sdd_gitignore(root: Path, report: InitReport) -> None:
    """``.sdd/.gitignore`` for the lock, cache and temp files: the one every sdd-tui write
    creates when missing; an existing one (a user's) gets only the lines it lacks."""
    from sdd_tui.workspace.writer import SDD_GITIGNORE, SDD_IGNORED, ensure_sdd_gitignore

    if not (root / ".sdd").is_dir() or (root / ".sdd").is_symlink():
        return  # _write_config said why
    if ensure_sdd_gitignore(root):
        report.created.append(SDD_GITIGNORE)
        return
    _ensure_lines(
        root,
        SDD_GITIGNORE,
        SDD_IGNORED,
        "# sdd-tui: its lock, cache and temp files stay out of git",
        report,
        None,
    )


def _write_config(root: Path, report: InitReport) -> None:
    from sdd_tui.workspace.writer import Conflict, WriteRefused, atomic_write

    folder = root / ".sdd"
    if os.path.lexists(folder) and not folder.is_dir():
        report.skipped.append((CONFIG, ".sdd exists and is not a folder"))
        return
    target = root / CONFIG
    if os.path.lexists(target):
        report.skipped.append((CONFIG, "exists (left as it is)"))
        return
    folder.mkdir(exist_ok=True)
    try:
        atomic_write(root, target, config_text().encode("utf-8"), expected=None)
    except Conflict:
        report.skipped.append((CONFIG, "appeared while writing (left as it is)"))
        return
    except (WriteRefused, OSError) as exc:
        report.skipped.append((CONFIG, f"cannot write: {exc}"))
        return
    report.created.append(CONFIG)


def _ensure_lines(
    root: Path,
    name: str,
    lines: tuple[str, ...],
    comment: str,
    report: InitReport,
    conflict: Callable[[str], str | None] | None,
) -> None:
    from sdd_tui.workspace.writer import Conflict, WriteRefused, atomic_write

    path = root / name
    if not os.path.lexists(path):
        data = "\n".join((comment, *lines, "")).encode("utf-8")
        try:
            atomic_write(root, path, data, expected=None)
        except Conflict:
            report.skipped.append((name, "appeared while writing (left as it is)"))
            return
        except (WriteRefused, OSError) as exc:
            report.skipped.append((name, f"cannot write: {exc}"))
            return
        report.created.append(name)
        return
    raw, why = _read_small_text(path)
    if raw is None:
        report.skipped.append((name, f"{why}; add these lines yourself: {', '.join(lines)}"))
        return
    text = raw.decode("utf-8-sig")
    present = [_rule_of(ln) for ln in text.splitlines()]
    missing = [ln for ln in lines if not any(_satisfies(have, _rule_of(ln)) for have in present)]
    if not missing:
        return
    if conflict is not None:
        clash = conflict(text)
        if clash:
            report.skipped.append((name, f"{clash}; add '{missing[0]}' yourself if wanted"))
            return
    newline = "\r\n" if "\r\n" in text else "\n"
    addition = ""
    if text and not text.endswith(("\n", "\r")):
        addition += newline
    addition += newline.join((comment, *missing, ""))
    try:
        atomic_write(root, path, raw + addition.encode("utf-8"), expected=raw)
    except Conflict:
        report.skipped.append((name, "changed while writing (left as it is)"))
        return
    except (WriteRefused, OSError) as exc:
        report.skipped.append((name, f"cannot write: {exc}"))
        return
    report.appended.append((name, missing))


def _rule_of(line: str) -> tuple[str, frozenset[str]]:
    """A line reduced to what git reads from it: ``/.sdd/cache`` ≡ ``.sdd/cache/``."""
    parts = line.split()
    if not parts or parts[0].startswith("#"):
        return ("", frozenset())
    return (parts[0].strip("/"), frozenset(parts[1:]))


def _satisfies(have: tuple[str, frozenset[str]], want: tuple[str, frozenset[str]]) -> bool:
    return bool(have[0]) and have[0] == want[0] and want[1] <= have[1]


def _read_small_text(path: Path) -> tuple[bytes | None, str]:
    """The bytes of a file init may append to, or (None, why not)."""
    try:
        st = os.lstat(path)
    except OSError as exc:
        return None, f"cannot read ({exc.strerror})"
    if stat.S_ISLNK(st.st_mode):
        return None, "is a symlink (not edited)"
    if not stat.S_ISREG(st.st_mode):
        return None, "is not a regular file"
    if st.st_size > _MAX_APPEND:
        return None, "is larger than 1 MB (not edited)"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, f"cannot read ({exc.strerror})"
    if b"\x00" in raw:
        return None, "is not a text file"
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "is not UTF-8 text (not edited)"
    return raw, ""


def _attributes_conflict(text: str) -> str | None:
    """An existing, different rule for ``.sdd/history.jsonl`` (init will not override it)."""
    for line in text.splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        if parts[0] in (".sdd/history.jsonl", "/.sdd/history.jsonl") and "merge=union" not in parts:
            return f"has another rule for .sdd/history.jsonl ({safe(line.strip())})"
    return None


def _ignores_sdd(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False
    return any(ln.strip() in (".sdd", ".sdd/", "/.sdd", "/.sdd/") for ln in text.splitlines())
