"""The places a workspace lives in git (worktrees, local and remote-tracking branches) and
what their trees hold, read with a few git processes and no checkout.

Plain ``git`` subprocesses, not GitPython: one ``for-each-ref``, one ``worktree list``, one
``cat-file --batch`` for every tree and blob, one ``log`` walk for the last changes — a
second process showing the portfolio (warm) then pays neither GitPython's import (~80 ms)
nor a process per object.  Every command runs with the repository's programs switched off
(``workspace.git._SAFE_GIT_ENV``) and without optional locks, so reading another worktree's
status never rewrites its index.  Failures raise :class:`GitTrouble`, one line for people.
"""

from __future__ import annotations

import os
from pathlib import Path

from sdd_tui.model.places import Place
from sdd_tui.model.record import record
from sdd_tui.workspace import git_cli
from sdd_tui.workspace.git import git_files_regular, status_entries
from sdd_tui.workspace.git_cli import CatFile, GitError

ZERO = "0" * 40
WALK_LIMIT = 20_000  # commits walked for last changes; a longer history is cut with a note


GitTrouble = GitError  # a git command failed (or git is missing): one line for people


@record
class RepoInfo:
    toplevel: Path  # the current worktree's folder
    prefix: str  # the workspace root inside the worktree, "" or "sub/dir/"
    shallow: bool


def run_git(cwd: Path, *args: str, ok: tuple[int, ...] = (0,)) -> bytes:
    """stdout of ``git ARGS`` in ``cwd``; raises GitTrouble with git's message."""
    return git_cli.run_git(cwd, *args, ok=ok).stdout


def repo_info(root: Path) -> RepoInfo | None:
    """The repository holding ``root`` (None: not in one, or git cannot be used here)."""
    if not git_files_regular(root):
        return None
    try:
        out = run_git(root, "rev-parse", "--show-toplevel", "--is-shallow-repository")
    except GitTrouble:
        return None
    lines = out.decode("utf-8", "surrogateescape").splitlines()
    if len(lines) < 2:
        return None  # a bare repository or a .git folder: no worktree to show
    top = Path(lines[0]).resolve()
    try:
        rel = root.resolve().relative_to(top).as_posix()
    except ValueError:
        return None
    return RepoInfo(top, "" if rel == "." else rel + "/", lines[1].strip() == "true")


# ---------------------------------------------------------------------------- places


@record
class Worktree:
    path: Path
    commit: str | None
    branch: str | None  # "main"; None: detached (or unborn with no branch)
    gone: bool = False  # its folder no longer exists (``git worktree prune`` removes it)


def worktrees(top: Path) -> list[Worktree]:
    try:
        text = run_git(top, "worktree", "list", "--porcelain", "-z").decode(
            "utf-8", "surrogateescape"
        )
        sep = "\0"
    except GitTrouble:  # git before 2.36 has no -z (a path with a newline is then cut)
        text = run_git(top, "worktree", "list", "--porcelain").decode("utf-8", "surrogateescape")
        sep = "\n"
    found: list[Worktree] = []
    for block in text.split(sep + sep):
        fields: dict[str, str] = {}
        for line in block.split(sep):
            key, _, value = line.partition(" ")
            if key:
                fields[key] = value
        if "worktree" not in fields or "bare" in fields:
            continue
        path = Path(fields["worktree"])
        head = fields.get("HEAD")
        branch = fields.get("branch", "")
        found.append(
            Worktree(
                path,
                None if not head or head == ZERO else head,
                branch.removeprefix("refs/heads/") if branch else None,
                "prunable" in fields or not os.path.isdir(path),
            )
        )
    return found


def refs(top: Path, remotes: bool) -> list[tuple[str, str, str]]:
    """(kind, name, commit) of each local branch, and remote-tracking one when asked
    (``origin/HEAD``, a pointer to another ref, is skipped)."""
    patterns = ["refs/heads"] + (["refs/remotes"] if remotes else [])
    fmt = "%(objectname)%00%(refname)%00%(symref)%00%(*objectname)"
    out = run_git(top, "for-each-ref", f"--format={fmt}", *patterns)
    found: list[tuple[str, str, str]] = []
    for line in out.decode("utf-8", "surrogateescape").splitlines():
        parts = line.split("\0")
        if len(parts) < 3 or parts[2]:
            continue
        oid, ref = parts[0], parts[1]
        if ref.startswith("refs/heads/"):
            found.append(("branch", ref[len("refs/heads/") :], oid))
        elif ref.startswith("refs/remotes/"):
            found.append(("remote", ref[len("refs/remotes/") :], oid))
    return found


def detached_name(commit: str | None) -> str:
    return f"(detached {commit[:7]})" if commit else "(detached)"


def list_places(top: Path, remotes: bool) -> tuple[list[Place], list[str]]:
    """The current worktree first, the other worktrees, then the branches no worktree has
    checked out (and remote-tracking ones with ``remotes``), with one note per odd case."""
    notes: list[str] = []
    places: list[Place] = []
    checked_out: set[str] = set()
    current: Place | None = None
    for wt in worktrees(top):
        name = wt.branch or detached_name(wt.commit)
        here = _same(wt.path, top)
        if wt.gone and not here:
            notes.append(
                f"worktree {wt.path}: its folder is gone (`git worktree prune` forgets it); "
                + ("its branch is read from git" if wt.branch and wt.commit else "not shown")
            )
            continue  # its branch is listed with the branches below
        if wt.branch:
            checked_out.add(wt.branch)
        place = Place("worktree", name, str(wt.path), here, wt.commit)
        if here:
            current = place
        else:
            places.append(place)
    if current is None:  # not listed (a very old git): the folder we are in all the same
        current = Place("worktree", "(this worktree)", str(top), True, None)
    places.insert(0, current)
    for kind, name, oid in refs(top, remotes):
        if kind == "branch" and name in checked_out:
            continue
        places.append(Place(kind, name, None, False, oid))
    return places, notes


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b


# ---------------------------------------------------------------------------- objects


class ObjectReader(CatFile):
    """Trees, commits and blobs through one ``git cat-file --batch`` (close it when done)."""

    def __init__(self, top: Path) -> None:
        super().__init__(top)
        self.top = top
        self.trees: dict[str, list[tuple[str, str, str]]] = {}  # tree id -> (mode, name, id)

    def tree(self, oid: str) -> list[tuple[str, str, str]] | None:
        """A tree's entries (mode, name, id); None when it is not there."""
        hit = self.trees.get(oid)
        if hit is not None:
            return hit
        found = self.read(oid)
        if found is None or found[0] != "tree":
            return None
        entries = _parse_tree(found[1])
        self.trees[oid] = entries
        return entries

    def commit_tree(self, commit: str) -> str | None:
        found = self.read(commit)
        if found is None or found[0] != "commit":
            return None
        first = found[1].split(b"\n", 1)[0]
        return first[5:].decode("ascii") if first.startswith(b"tree ") else None


def _parse_tree(data: bytes) -> list[tuple[str, str, str]]:
    """Git's binary tree format: ``<mode> <name>\\0<20-byte id>`` repeated (SHA-1 only)."""
    out: list[tuple[str, str, str]] = []
    i, n = 0, len(data)
    while i < n:
        space = data.index(b" ", i)
        nul = data.index(b"\0", space)
        mode = data[i:space].decode("ascii")
        name = data[space + 1 : nul].decode("utf-8", "surrogateescape")
        out.append((mode, name, data[nul + 1 : nul + 21].hex()))
        i = nul + 21
    return out


def _safe_name(name: str) -> bool:
    """A tree entry name that may become a folder or file name (git's own fsck rules)."""
    return name not in ("", ".", "..") and name.lower() != ".git" and "/" not in name


def tree_files(
    reader: ObjectReader,
    commit: str,
    prefix: str,
    tops: tuple[str, ...],
    extra: tuple[str, ...] = (),
) -> dict[str, str] | None:
    """Root-relative path -> blob id of the workspace root's own files, of every file
    below its ``tops`` folders (``prefix``: the root inside the repository) at ``commit``
    and of the ``extra`` files; symbolic links and submodules are left out (nothing is
    followed out of the tree).  None: no such commit."""
    tree = reader.commit_tree(commit)
    if tree is None:
        return None
    for part in filter(None, prefix.split("/")):
        tree = _child(reader, tree, part)
        if tree is None:
            return {}
    files: dict[str, str] = {}
    for mode, name, oid in reader.tree(tree) or ():
        # the root's own files (empty in a skeleton; read only when a feature names one):
        # a layout may keep one there, as Zencoder's progress.md
        if mode in ("100644", "100755") and _safe_name(name):
            files[name] = oid
    for top in tops:
        sub: str | None = tree
        for part in top.split("/"):
            sub = _child(reader, sub, part) if sub is not None else None
        if sub is not None:
            _walk(reader, sub, top, files, 0)
    for path in extra:
        folder, _, name = path.rpartition("/")
        sub = tree
        for part in filter(None, folder.split("/")):
            sub = _child(reader, sub, part) if sub is not None else None
        for mode, entry, oid in (reader.tree(sub) or ()) if sub is not None else ():
            if entry == name and mode in ("100644", "100755"):
                files[path] = oid
    return files


def _child(reader: ObjectReader, tree: str, name: str) -> str | None:
    for mode, entry, oid in reader.tree(tree) or ():
        if entry == name:
            return oid if mode == "40000" else None
    return None


_MAX_DEPTH = 12


def _walk(reader: ObjectReader, tree: str, base: str, out: dict[str, str], depth: int) -> None:
    if depth > _MAX_DEPTH:
        return
    for mode, name, oid in reader.tree(tree) or ():
        if not _safe_name(name):
            continue
        if mode == "40000":
            _walk(reader, oid, f"{base}/{name}", out, depth + 1)
        elif mode in ("100644", "100755"):
            out[f"{base}/{name}"] = oid


def blob_at(top: Path, commit: str, repo_path: str) -> bytes | None:
    """The bytes of ``repo_path`` (repository-relative) at ``commit`` (None: not there)."""
    with ObjectReader(top) as reader:
        found = reader.read(f"{commit}:{repo_path}")
    return found[1] if found is not None and found[0] == "blob" else None


# ---------------------------------------------------------------------------- history

Change = tuple[float, str]  # commit time (epoch s), author


def last_changes(
    top: Path, tips: list[str], prefix: str, tops: tuple[str, ...], limit: int = WALK_LIMIT
) -> tuple[dict[str, dict[str, Change]], bool]:
    """For each tip: root-relative path -> its last change reachable from the tip, for the
    files below ``tops``; and whether the walk was cut at ``limit`` commits.

    One walk for every tip (``git log`` in topological order: children before parents), each
    commit carrying the set of tips that reach it as bits of an int; a merge's own diff is
    not listed (as ``git log`` does), so a path's change is the commit that made it.
    """
    result: dict[str, dict[str, Change]] = {t: {} for t in tips}
    if not tips:
        return result, False
    args = [
        "log",
        "--topo-order",
        "--no-renames",
        "--name-only",
        "-z",
        f"--max-count={limit}",
        "--format=%x1e%H %P%x1f%ct%x1f%an",
        *dict.fromkeys(tips),
        "--",
    ]
    out = run_git(top, *args).decode("utf-8", "surrogateescape")
    roots = tuple(prefix + t + "/" for t in tops)
    cut = len(prefix)
    masks: dict[str, int] = {}
    for bit, tip in enumerate(dict.fromkeys(tips)):
        masks[tip] = masks.get(tip, 0) | (1 << bit)
    order = list(dict.fromkeys(tips))
    count = 0
    for chunk in out.split("\x1e"):
        if not chunk:
            continue
        count += 1
        head, _, names = chunk.partition("\0")
        ids, _, rest = head.partition("\x1f")
        when, _, author = rest.partition("\x1f")
        commit, *parents = ids.split()
        mask = masks.pop(commit, 0)
        for parent in parents:
            masks[parent] = masks.get(parent, 0) | mask
        if not mask:
            continue
        try:
            change = (float(when), author)
        except ValueError:
            continue
        for name in names.lstrip("\n").split("\0"):
            if not name.startswith(roots):
                continue
            path = name[cut:]
            m, bit = mask, 0
            while m:
                if m & 1:
                    known = result[order[bit]]
                    old = known.get(path)
                    if old is None or old[0] < change[0]:
                        known[path] = change
                m >>= 1
                bit += 1
    return result, count >= limit


def dirty_paths(folder: Path, prefix: str, tops: tuple[str, ...]) -> set[str] | None:
    """Root-relative paths git reports as changed or untracked in the worktree at
    ``folder``, among the root's own files and those below ``tops`` and ``.sdd`` (the rest
    of a big worktree is not looked at); no optional locks: its index is not rewritten.
    None when git cannot tell."""
    specs = [f":(top,literal){prefix}{t}" for t in (*tops, ".sdd")]
    specs.append(f":(top,glob){_glob_escape(prefix)}*")
    try:
        out = run_git(
            folder, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *specs
        )
    except GitTrouble:
        return None
    text = out.decode("utf-8", "surrogateescape")
    found = {path[len(prefix) :] for path, _ in status_entries(text) if path.startswith(prefix)}
    return found


def _glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]\\" else c for c in text)
