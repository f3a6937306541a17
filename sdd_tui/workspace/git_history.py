"""A task file's history in git: the commits that touched it (following renames), the
commits that touched ``.sdd/board.json``, and their blobs — read with the git CLI.

Plain ``git`` processes rather than GitPython: ``git log --follow --raw`` gives each commit's
blob id and path in one process, and ``git cat-file --batch`` hands over any number of
blobs through one pipe (GitPython would start a process per object or walk trees in Python).
Read-only: nothing here writes to the repository.  Every function is blocking (the UI calls
them from a worker) and raises only ``HistoryError``, whose message is one line for people.

The walk is ``--first-parent``: the history as the current branch saw it, so a merged branch
counts as one change by the merge's author and the burn-up never interleaves two lines of work.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

from sdd_tui.model.record import record
from sdd_tui.workspace.git import git_files_regular
from sdd_tui.workspace.git_cli import CatFile, GitError, run_git

MAX_COMMITS = 20_000  # a longer history is cut there (and says so): "too big to walk"
_REC, _FS, _TRAILER_SEP = "\x1e", "\x1f", "\x1d"
# Commit id, parents, committer time, author name, author email, Co-authored-by values.
_FORMAT = (
    f"{_REC}%H{_FS}%P{_FS}%ct{_FS}%an{_FS}%ae{_FS}"
    f"%(trailers:key=Co-authored-by,valueonly,separator=%x1d){_FS}"
)
NULL_BLOB = "0" * 40


HistoryError = GitError  # raised by everything here: one line for people


@record
class RepoState:
    """The repository around a workspace root, as one ``git rev-parse`` sees it."""

    prefix: str  # the root relative to the repository's top, "" or ending in "/"
    head: str | None  # None: no commit yet (or the branch was deleted)
    branch: str | None  # "refs/heads/main"; None when detached (or no commit)
    shallow: bool


@record
class FileCommit:
    """One commit of a file's (or board.json's) first-parent history."""

    commit: str
    time: float
    author: str
    email: str
    coauthors: tuple[str, ...]  # Co-authored-by values ("Name <email>")
    path: str  # the file's path at this commit, relative to the repository's top
    blob: str | None  # None: the file was deleted in this commit
    parents: tuple[str, ...] = ()  # more than one: a merge (its change is the merged branch's)


def _run(root: Path, args: list[str], *, ok: Iterable[int] = (0,)) -> subprocess.CompletedProcess:
    return run_git(root, *args, ok=ok)


def repo_state(root: Path) -> RepoState | None:
    """The repository holding ``root``; None outside any (or where git cannot be used)."""
    if not git_files_regular(root):
        return None
    try:
        proc = _run(
            root,
            ["rev-parse", "--show-prefix", "--is-shallow-repository", "HEAD",
             "--symbolic-full-name", "HEAD"],
            ok=range(256),
        )  # fmt: skip
    except HistoryError:
        return None
    lines = proc.stdout.decode("utf-8", "replace").splitlines()
    if len(lines) < 2 or lines[1] not in ("true", "false"):
        return None  # not a repository (git printed nothing but its complaint)
    prefix, shallow = lines[0], lines[1] == "true"
    if proc.returncode != 0 or len(lines) < 4:
        return RepoState(prefix, None, None, shallow)  # unborn branch, or its ref is gone
    head, ref = lines[2], lines[3]
    return RepoState(prefix, head, ref if ref.startswith("refs/") else None, shallow)


def is_ancestor(root: Path, old: str, new: str) -> bool:
    try:
        return _run(root, ["merge-base", "--is-ancestor", old, new], ok=(0, 1)).returncode == 0
    except HistoryError:
        return False


def file_history(
    root: Path, head: str, path: str, *, since: str | None = None, follow: bool = True
) -> tuple[list[FileCommit], bool]:
    """The first-parent commits up to ``head`` (after ``since``) that touched ``path`` (top-
    relative), oldest first, following renames; and whether ``MAX_COMMITS`` cut it."""
    rev = f"{since}..{head}" if since else head
    args = ["log", "--first-parent", f"--format={_FORMAT}", "--raw", "--no-abbrev", "-M",
            "--no-color", "--no-ext-diff", "--no-textconv", f"-n{MAX_COMMITS + 1}"]  # fmt: skip
    if follow:
        args.append("--follow")
    proc = _run(root, [*args, rev, "--", f":(top,literal){path}"])
    # (names and paths that are not UTF-8 read as U+FFFD: they are shown, never compared)
    out = _parse_log(proc.stdout.decode("utf-8", "replace"), path, follow=follow)
    cut = len(out) > MAX_COMMITS
    out = out[:MAX_COMMITS]
    out.reverse()
    return out, cut


def _parse_log(text: str, path: str, *, follow: bool) -> list[FileCommit]:
    """``git log --raw`` records, newest first; the path is tracked backwards across renames."""
    out: list[FileCommit] = []
    current = path
    for rec in text.split(_REC)[1:]:
        head, _, raw = rec.rpartition(_FS)
        commit, parents, ctime, author, email, trailers = head.split(_FS, 5)
        blob: str | None = None
        at_path = current
        found = False
        for line in raw.splitlines():
            if not line.startswith(":"):
                continue
            meta, *names = line.split("\t")
            fields = meta.split()
            if len(fields) < 5:
                continue
            new_blob, status = fields[3], fields[4]
            if status[:1] in "RC" and len(names) == 2:
                old, new = names
                if new != current and follow:
                    continue
                at_path, found = new, True
                blob = new_blob
                if status[0] == "R":
                    current = old  # older commits know the file by its old name
            elif names and (names[0] == current or not follow):
                at_path, found = names[0], True
                blob = None if status[:1] == "D" else new_blob
        if not found:
            continue  # a merge shown without a diff, or a path --follow lost: nothing to read
        coauthors = tuple(t.strip() for t in trailers.split(_TRAILER_SEP) if t.strip())
        out.append(
            FileCommit(
                commit, float(ctime), author, email, coauthors, at_path, blob,
                tuple(parents.split()),
            )
        )  # fmt: skip
    return out


def merged_authors(root: Path, merge: FileCommit) -> tuple[str, ...]:
    """The authors (``Name <email>``) and co-authors of the commits a merge brought in that
    touched its file: who did the work the first-parent walk sees as the merge's."""
    if len(merge.parents) < 2:
        return ()
    fmt = f"%an <%ae>{_FS}%(trailers:key=Co-authored-by,valueonly,separator=%x1f){_REC}"
    proc = _run(
        root,
        ["log", "--no-merges", f"--format={fmt}", "-n200", f"{merge.parents[0]}..{merge.commit}",
         "--", f":(top,literal){merge.path}"],
    )  # fmt: skip
    out: list[str] = []
    for rec in proc.stdout.decode("utf-8", "replace").split(_REC):
        out += [p.strip() for p in rec.split(_FS) if p.strip()]
    return tuple(dict.fromkeys(out))


class BlobStream(CatFile):
    """Blobs by id through one ``git cat-file --batch`` kept open: each is asked for when
    it is needed, so a long history is never held in memory at once."""

    def get(self, oid: str | None) -> bytes | None:
        """The blob's bytes; None for no blob, or one git does not have (beyond a shallow
        boundary, garbage-collected)."""
        if not oid or oid == NULL_BLOB:
            return None
        return self.blob(oid)


def commit_diff(root: Path, commit: str, path: str) -> str:
    """``git show`` of ``commit`` limited to ``path`` (root-relative): the change of that task
    file in that commit (a root commit shows the whole file as added).  Never raises: git's
    trouble comes back as a one-line message in parentheses."""
    if not commit or not all(c in "0123456789abcdefABCDEF" for c in commit):
        return f"(not a commit id: {commit!r})"
    try:
        proc = _run(
            root,
            ["show", "--no-ext-diff", "--no-textconv", "--no-color", "--first-parent",
             "--format=commit %H%nAuthor: %an <%ae>%nDate:   %cI%n%n%w(0,4,4)%B", commit,
             "--", path],
        )  # fmt: skip
    except HistoryError as exc:
        return f"(git show failed: {exc})"
    return proc.stdout.decode("utf-8", "replace")


def git_user(root: Path) -> str:
    """``user.name`` (the author of an uncommitted change), "" when unset."""
    try:
        return _run(root, ["config", "user.name"], ok=(0, 1)).stdout.decode().strip()
    except HistoryError:
        return ""
