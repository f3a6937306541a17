"""The real-world corpus in ../shared/corpus: parse, round trip, load, and hand-made counts.

Every edit here is computed in memory (``parse_document`` + ``SourceText.replace``); nothing
is ever written into the corpus.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

import pytest
from helpers.files import CORPUS, count_changed_lines
from helpers.markdown import structure_signature, toggle_roundtrip

from sdd_tui.formats.markdown import parse_structure
from sdd_tui.formats.text import DecodeProblem
from sdd_tui.model.workspace import Feature, Workspace
from sdd_tui.workspace.documents import parse_document
from sdd_tui.workspace.loader import load_root

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason=f"corpus folder {CORPUS} is absent (a clone outside the team); in CI it is present",
)

NOT_UTF8 = "rhuss__cc-spex/specs/010-yolo-autonomous-workflow/data-model.md"


def _repos() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.is_dir())


def _markdown_files() -> list[str]:
    """Every data .md file, relative to the corpus; not README.md/SOURCE.md beside the repos."""
    out = []
    for repo in _repos():
        for p in repo.rglob("*.md"):
            if p.parent == repo and p.name == "SOURCE.md":
                continue
            out.append(p.relative_to(CORPUS).as_posix())
    return sorted(out)


@pytest.fixture(autouse=True)
def _private_parse_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus has no .sdd/, so the loader keeps its parse cache in the user's cache
    folder: point that at a temporary one."""
    monkeypatch.setenv("SDD_TUI_CACHE_DIR", str(tmp_path / "cache"))


REPOS = [p.name for p in _repos()]
FILES = _markdown_files()


def test_corpus_is_complete() -> None:
    assert len(REPOS) == 9
    assert len(FILES) > 1400
    assert NOT_UTF8 in FILES


# --------------------------------------------------------------------------- every file


@pytest.mark.parametrize("relpath", FILES)
def test_parse_and_round_trip_every_box(relpath: str) -> None:
    raw = (CORPUS / relpath).read_bytes()
    doc = parse_document(relpath, raw)
    if relpath == NOT_UTF8:  # read all the same, the bad bytes shown as U+FFFD
        problem = doc.src.problem
        assert problem is not None and problem.line is not None and problem.line > 1
    else:
        assert doc.src.bad == []
    bad_lines = {doc.src.line_of(i) for i in doc.src.bad}
    fast = structure_signature(doc.md)
    assert fast == structure_signature(parse_structure(doc.src.lines, skeleton=False))
    where = [(b.line, b.box_offset) for b in doc.boxes]
    step = max(1, len(doc.boxes) // 8)
    for i, box in enumerate(doc.boxes):
        if box.line in bad_lines:
            with pytest.raises(DecodeProblem):  # its bytes could not be written back
                toggle_roundtrip(doc.src, box)
            continue
        once, back = toggle_roundtrip(doc.src, box)
        assert back == raw, f"line {box.line + 1}"
        assert count_changed_lines(raw, once) == 1, f"line {box.line + 1}"
        if i % step == 0 or i == len(doc.boxes) - 1:
            # The edited file parses to the same boxes, with only this one's mark changed
            # (checked on a sample of boxes: a parse per box is slow on big files).
            again = parse_document(relpath, once)
            assert [(b.line, b.box_offset) for b in again.boxes] == where
            assert [b.mark != a.mark for a, b in zip(doc.boxes, again.boxes, strict=True)] == [
                j == i for j in range(len(doc.boxes))
            ]


def _snapshot(repo: Path) -> dict[str, tuple[str, int]]:
    out = {}
    for dirpath, _dirs, files in os.walk(repo):
        for name in files:
            p = Path(dirpath) / name
            st = p.stat()
            out[p.relative_to(repo).as_posix()] = (
                hashlib.sha256(p.read_bytes()).hexdigest(),
                st.st_mtime_ns,
            )
    return out


# --------------------------------------------------------------------------- every repo

# (layout, archived) → number of features, counted with `find … -mindepth 1 -maxdepth 1 -type
# d` on the layout folders (openspec/changes minus archive/, .kiro/specs minus _archived/, …).
EXPECTED_FEATURES: dict[str, dict[tuple[str, bool], int]] = {
    "Codagent-AI__agent-validator": {("openspec", False): 1, ("openspec", True): 52},
    "Damond5__rcal": {("openspec", True): 29},  # changes/ holds only archive/
    "Fission-AI__OpenSpec": {("openspec", False): 22, ("openspec", True): 83},
    "RockyBoyRC__SpaceWeirdos": {("kiro", False): 10, ("kiro", True): 12},
    "crawlins__kythira": {("kiro", False): 3},
    "github__spec-kit": {},  # templates and .specify/memory only: no feature folders
    "goaikit__aikit": {("speckit", False): 5},  # loose specs/*.md files are not features
    "gotalab__cc-sdd": {("kiro", False): 4},
    "rhuss__cc-spex": {("speckit", False): 44},  # 015 and 029 are both used twice
}

SOME_IDS = {
    "Codagent-AI__agent-validator": {"better-git-tracking"},
    "Damond5__rcal": {"2025-11-08-2025-11-08-remove-sync-status-keybind-instruction"},
    "Fission-AI__OpenSpec": {"add-qa-smoke-harness", "2025-08-13-add-archive-command"},
    "RockyBoyRC__SpaceWeirdos": {"1-ui-design-system", "warband-ability-cost-display-bug"},
    "crawlins__kythira": {"cloud-object-persistence", "network-simulator", "raft-consensus"},
    "github__spec-kit": set(),
    "goaikit__aikit": {"001-aikit-generalize", "1-aikit-generalize", "004-docs-create"},
    "gotalab__cc-sdd": {"customer-support-rag-backend-en", "customer-support-rag-backend-ja"},
    "rhuss__cc-spex": {
        "015-flow-status-line",
        "015-worktree-post-specify",
        "029-smoke-test-rethink",
    },
}


@pytest.mark.parametrize("repo", REPOS)
def test_load_every_repo(repo: str) -> None:
    root = CORPUS / repo
    before = _snapshot(root)
    ws = load_root(root).workspace
    assert _snapshot(root) == before  # loading changes nothing
    # A second load reads the persisted parse cache and must see the same workspace.
    assert load_root(root).workspace == ws
    assert _snapshot(root) == before
    counts: dict[tuple[str, bool], int] = {}
    for f in ws.features:
        counts[(f.layout, f.archived)] = counts.get((f.layout, f.archived), 0) + 1
    assert counts == EXPECTED_FEATURES[repo]
    assert SOME_IDS[repo] <= {f.id for f in ws.features}
    assert len({f.id for f in ws.features}) == len(ws.features)
    for f in ws.features:
        assert len({t.key for t in f.tasks}) == len(f.tasks)
        assert len({c.key for c in f.checklist}) == len(f.checklist)
    # Only duplicate task IDs are problems in this corpus (the non-UTF-8 file is a data model,
    # which loading does not parse).
    assert all("duplicate task ID" in p.message for p in ws.problems), ws.problems


def test_active_feature_of_cc_spex() -> None:
    # .specify/feature.json: {"feature_directory": "specs/045-detach-stealth-mode"}
    assert (
        load_root(CORPUS / "rhuss__cc-spex").workspace.active_feature == "045-detach-stealth-mode"
    )


# --------------------------------------------------------------------------- hand counts


@cache
def _loaded(repo: str) -> Workspace:
    # Immutable: safe to share between tests.  No parse cache on disk for these.
    return load_root(CORPUS / repo, persist=False).workspace


def _feature(repo: str, fid: str) -> tuple[Workspace, Feature]:
    ws = _loaded(repo)
    f = ws.feature(fid)
    assert f is not None
    return ws, f


def test_hand_count_cc_spex_008_six_t08() -> None:
    ws, f = _feature("rhuss__cc-spex", "008-rename-to-cc-spex")
    # 87 boxes by reading the file: T001..T081 (81 lines 22-207) plus six "T08" (lines
    # 217-222); the legend "- [P] tasks = ..." on line 302 is not a box, and the fenced block
    # on lines 258-276 holds IDs but no boxes.  80 are [x] (T001-T074 and the six T08), 7 are
    # [ ] (T075-T081).
    assert len(f.tasks) == 87
    assert sum(t.done for t in f.tasks) == 80
    t08 = [t for t in f.tasks if t.id == "T08"]
    assert [t.key for t in t08] == ["T08", "T08#2", "T08#3", "T08#4", "T08#5", "T08#6"]
    assert [t.line for t in t08] == [217, 218, 219, 220, 221, 222]
    dup = [p for p in ws.problems if p.path.endswith("008-rename-to-cc-spex/tasks.md")]
    assert [p.line for p in dup] == [218, 219, 220, 221, 222]
    by = {t.key: t for t in f.tasks}
    assert (by["T007"].parallel, by["T007"].story) == (True, "US1")
    assert (by["T040"].parallel, by["T040"].story) == (False, "US1")


def test_hand_count_kythira_cloud_object_persistence() -> None:
    _ws, f = _feature("crawlins__kythira", "cloud-object-persistence")
    # SOURCE.md: 33 checkboxes in 2,068 lines.  By hand: 0 and its eight indented 0.1-0.8
    # (9), 1-14 (14), 15 and its five indented 15.1-15.5 (6), 16-19 (4).  [~] on 15, 15.1,
    # 15.2, 15.3 and 19 (5); the other 28 are [x].
    assert len(f.tasks) == 33
    assert [t.id for t in f.tasks[:10]] == ["0"] + [f"0.{i}" for i in range(1, 9)] + ["1"]
    assert sum(t.mark == "x" for t in f.tasks) == 28
    assert [t.id for t in f.tasks if t.mark == "~"] == ["15", "15.1", "15.2", "15.3", "19"]
    assert {t.parent for t in f.tasks if t.id.startswith("0.")} == {"0"}
    assert {t.parent for t in f.tasks if t.id.startswith("15.")} == {"15"}
    assert all(t.column == "todo" for t in f.tasks if t.mark == "~")  # unknown mark, kept
    assert f.tasks[0].line == 170 and f.tasks[-1].line == 1811


def test_hand_count_kiro_optional_tasks() -> None:
    _ws, f = _feature("RockyBoyRC__SpaceWeirdos", "warband-ability-cost-display-bug")
    # 19 boxes: 1, 1.1, 1.2*, 2, 2.1, 2.2*, 3 [x] (line 44), 3 [ ] again (line 48), 3.1,
    # 3.2*, 4, 4.1, 4.2*, 5, 5.1, 6, 6.1, 7, 7.1.  Four "- [ ]*" optional tasks; 14 [x];
    # flat (unindented) subtasks, so their parents come from the ID prefix.
    assert len(f.tasks) == 19
    assert [t.id for t in f.tasks if t.optional] == ["1.2", "2.2", "3.2", "4.2"]
    assert sum(t.done for t in f.tasks) == 14
    assert [t.key for t in f.tasks if t.id == "3"] == ["3", "3#2"]
    by = {t.key: t for t in f.tasks}
    assert by["1.2"].parent == "1" and by["7.1"].parent == "7"
    assert by["1.1"].requirements == ("1.1", "1.2", "1.3", "1.5", "1.6", "2.1", "2.2", "2.3")
    assert f.archived


def test_hand_count_openspec_numbered_boxes() -> None:
    _ws, f = _feature("Damond5__rcal", "2025-11-16-prevent-invalid-date-acceptance")
    # Ten "N. [x] ..." numbered-list boxes (1. to 10.), all done; the numbers are list
    # markers, not task IDs, so the keys are slugs.  The last item runs on into a stray
    # "<parameter ...>" line with no final newline.
    assert len(f.tasks) == 10
    assert all(t.done and t.id is None for t in f.tasks)
    assert f.tasks[0].key == "incorporate-feedback-from-the-initial-proposal-r"  # 48 chars
    assert [t.line for t in f.tasks] == list(range(1, 11))
    assert f.tasks[-1].end_line == 11


def test_hand_count_openspec_four_levels() -> None:
    _ws, f = _feature("Fission-AI__OpenSpec", "2025-08-13-add-archive-command")
    # 12 in section 1 (1.1, 1.1.1-1.1.4, 1.1.4.1-1.1.4.5, 1.1.5, 1.1.6), 5 in section 2,
    # 4 in section 3, 10 in section 4 (4.1-4.5, 4.5.1-4.5.5), 2 in section 5: 33, all [ ].
    assert len(f.tasks) == 33
    assert not any(t.done for t in f.tasks)
    by = {t.key: t for t in f.tasks}
    assert by["1.1.4.1"].parent == "1.1.4"
    assert by["1.1.4"].parent == "1.1"
    assert by["1.1"].parent is None
    assert by["1.1.4"].subtasks == ("1.1.4.1", "1.1.4.2", "1.1.4.3", "1.1.4.4", "1.1.4.5")
    assert by["3.2"].section == "3. Error Handling"


def test_hand_count_boxes_in_code_fences_do_not_count() -> None:
    relpath = (
        "rhuss__cc-spex/specs/038-neutral-command-vocab/pre-rewrite-snapshot/spex-gates/"
        "commands/speckit.spex-gates.verify.md"
    )
    doc = parse_document(relpath, (CORPUS / relpath).read_bytes())
    # Front matter on lines 1-3.  Real boxes: lines 201-204, 207-209, 212-214, 217-218 (12)
    # and 390-394 (5) = 17.  Four box lines sit in ```markdown fences (305 and 309 in the
    # fence of lines 303-311, 367 and 368 in the fence of lines 324-385) and do not count.
    assert len(doc.boxes) == 17
    lines = [b.line + 1 for b in doc.boxes]
    assert lines[:4] == [201, 202, 203, 204] and lines[-5:] == [390, 391, 392, 393, 394]
    assert not {305, 309, 367, 368} & set(lines)


def test_hand_count_kiro_design_with_only_fenced_boxes() -> None:
    relpath = "RockyBoyRC__SpaceWeirdos/.kiro/specs/_archived/token-efficient-execution/design.md"
    doc = parse_document(relpath, (CORPUS / relpath).read_bytes())
    # Five box lines (42-46, two of them "- [ ]*") all inside the ``` fence of lines 41-47.
    assert doc.boxes == []


def test_hand_count_spec_kit_tasks_template() -> None:
    relpath = "github__spec-kit/templates/tasks-template.md"
    doc = parse_document(relpath, (CORPUS / relpath).read_bytes())
    # Front matter on lines 1-4 (blank line after the opening ---).  T001-T028 (28) plus six
    # "TXXX" placeholders (lines 154-159) = 34 boxes; the legend "- [P] tasks = ..." on line
    # 246 and "- **[P]**: ..." on line 18 are not boxes.
    assert doc.md.is_code(0) and doc.md.is_code(3) and not doc.md.is_code(4)
    assert len(doc.boxes) == 34
    assert doc.boxes[0].line + 1 == 52 and doc.boxes[-1].line + 1 == 159
