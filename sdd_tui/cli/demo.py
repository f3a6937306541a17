"""``sdd-tui demo [--keep] [--dest DIR]``: the workbench on a throwaway copy of the sample.

The bundled sample workspace is copied (never opened in place, so nobody edits the installed
copy), turned into a git repository with one commit, and opened; without ``--keep`` the copy is
deleted when the workbench closes, and the command says so (and how to keep it).  The copy's
test command runs the sample's tests with the Python sdd-tui runs under, which has pytest
when sdd-tui's test extra is installed, rather than whatever ``python`` is first on PATH.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from sdd_tui.cli.common import CliError, parser
from sdd_tui.resources import is_ignored, sample_workspace_dir

COMMIT_MESSAGE = "sdd-tui demo workspace"
DEMO_USER_NAME = "sdd-tui demo"
DEMO_USER_EMAIL = "demo@sdd-tui.invalid"
# Local files that sdd-tui and the sample's own tests create; kept out of `git status`.
GIT_EXCLUDES = (".sdd/cache/", ".sdd/.lock", "__pycache__/", ".pytest_cache/", "*.pyc")
_GIT_TIMEOUT = 60


class DemoError(RuntimeError):
    """The demo workspace could not be prepared."""


def _copy_sample(src: Path, dest: Path) -> None:
    def ignore(folder: str, names: list[str]) -> set[str]:
        base = Path(folder).relative_to(src)
        return {name for name in names if is_ignored(base / name)}

    shutil.copytree(src, dest, ignore=ignore, dirs_exist_ok=True, symlinks=False)


# The sample's tests.command starts with a bare "python": in the copy it names this interpreter.
_PYTHON_COMMAND = re.compile(r'^(?P<head>\s*command:\s*)"python (?P<rest>[^"\\]*)"\s*$', re.M)


def _use_this_python(root: Path, python: str | None = None) -> None:
    """Point the copy's test command at ``python`` (default: ``sys.executable``)."""
    path = root / ".sdd" / "config.yaml"
    text = path.read_text(encoding="utf-8")
    exe = shlex.quote(python or sys.executable)

    def rewrite(match: re.Match[str]) -> str:
        command = f"{exe} {match.group('rest')}"
        return match.group("head") + json.dumps(command, ensure_ascii=False)  # YAML-quoted

    path.write_text(_PYTHON_COMMAND.sub(rewrite, text, count=1), encoding="utf-8")


def _git_env() -> dict[str, str]:
    """The environment minus anything that would point git at another repository."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env["GIT_TERMINAL_PROMPT"] = "0"
    return env


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=root,
            env=_git_env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=_GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise DemoError(f"git {args[0]} failed: {exc}") from None
    if check and result.returncode != 0:
        reason = (result.stderr or result.stdout).strip().splitlines()
        raise DemoError(f"git {args[0]} failed: {reason[-1] if reason else result.returncode}")
    return result


def _git_init_and_commit(root: Path) -> None:
    _git(root, "init", "--quiet")
    _git(root, "symbolic-ref", "HEAD", "refs/heads/main")
    for key, value in (("user.name", DEMO_USER_NAME), ("user.email", DEMO_USER_EMAIL)):
        configured = _git(root, "config", "--get", key, check=False)
        if configured.returncode != 0 or not configured.stdout.strip():
            _git(root, "config", "--local", key, value)
    exclude = root / ".git" / "info" / "exclude"
    exclude.parent.mkdir(parents=True, exist_ok=True)
    with exclude.open("a", encoding="utf-8") as handle:
        handle.write("# sdd-tui demo: local files\n" + "\n".join(GIT_EXCLUDES) + "\n")
    _git(root, "add", "--all", "--force", ".")  # global excludes must not drop sample files
    _git(
        root,
        "-c",
        "commit.gpgsign=false",
        "-c",
        "core.hooksPath=/dev/null",
        "commit",
        "--quiet",
        "--no-verify",
        "-m",
        COMMIT_MESSAGE,
    )


def prepare_demo(dest: Path | None = None) -> Path:
    """Copy the sample workspace to ``dest`` (a new temp folder when None), git-commit it.

    ``dest`` must not exist or be an empty folder. The git step is skipped when git is not
    installed. Returns the workspace root. Raises DemoError (nothing is left behind).
    """
    source = sample_workspace_dir()
    if dest is None:
        root = Path(tempfile.mkdtemp(prefix="sdd-tui-demo-"))
        created = True
    else:
        root = Path(dest).expanduser().absolute()
        if root.exists() and (not root.is_dir() or any(root.iterdir())):
            raise DemoError(f"{root} already exists and is not an empty folder")
        created = not root.exists()
        root.mkdir(parents=True, exist_ok=True)
    try:
        _copy_sample(source, root)
        _use_this_python(root)
        if shutil.which("git") is not None:
            _git_init_and_commit(root)
    except BaseException as exc:
        _remove(root, contents_only=not created)
        if isinstance(exc, OSError):
            raise DemoError(f"could not copy the sample workspace to {root}: {exc}") from None
        raise
    return root


def _remove(root: Path, *, contents_only: bool = False) -> None:
    if not contents_only:
        shutil.rmtree(root, ignore_errors=True)
        return
    for entry in list(root.iterdir()) if root.is_dir() else []:
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def demo(argv: list[str]) -> int:
    """``sdd-tui demo``: open the workbench on a fresh git-committed copy of the sample."""
    p = parser("demo", "Open the workbench on a throwaway, git-committed copy of the sample.")
    p.add_argument(
        "--keep",
        action="store_true",
        help="keep the copy when the workbench closes (its path is printed)",
    )
    p.add_argument(
        "--dest",
        metavar="DIR",
        help="make the copy in DIR (new or empty) instead of a temp folder; implies --keep",
    )
    args = p.parse_args(argv)
    keep = bool(args.keep or args.dest)
    try:
        root = prepare_demo(Path(args.dest) if args.dest else None)
    except DemoError as exc:
        raise CliError(str(exc), 1) from None

    from sdd_tui.cli.workbench import run_workbench

    try:
        return run_workbench([str(root)])
    finally:
        if keep:
            print(f"sdd-tui: the demo workspace is kept at {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
            print(
                f"sdd-tui: the demo copy at {root} was deleted; "
                "to keep your changes next time, run 'sdd-tui demo --keep' "
                "(or 'sdd-tui demo --dest DIR')",
                file=sys.stderr,
            )
