"""Review mode and checklist ticking: the operation (byte-exact, by key) and the screens
driven with Pilot, with the files checked byte for byte afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.files import write_tree
from helpers.ui import make_app, wait_for

from sdd_tui.operations.boxes import OperationError
from sdd_tui.operations.review import set_item, toggle_item
from sdd_tui.workspace.loader import load

SIZE = (160, 48)
F2 = "specs/002-meal-planner"
UX = Path(F2) / "checklists" / "ux.md"
REQS = Path(F2) / "checklists" / "requirements.md"
SPEC2 = Path(F2) / "spec.md"
TASKS2 = Path(F2) / "tasks.md"


def files(root: Path) -> dict[str, bytes]:
    """Every file of the workspace but sdd-tui's own state (.sdd/: lock, cache)."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_file() and not rel.startswith(".sdd/"):
            out[rel] = p.read_bytes()
    return out


def one_box_changed(before: bytes, after: bytes, old: bytes, new: bytes) -> int:
    """Assert ``after`` is ``before`` with one byte flipped from ``old`` to ``new``."""
    assert len(before) == len(after)
    diffs = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(diffs) == 1, diffs
    i = diffs[0]
    assert before[i : i + 1] == old and after[i : i + 1] == new
    assert after[i - 1 : i] == b"[" and after[i + 1 : i + 2] == b"]"
    return i


# --------------------------------------------------------------------------- the operation


def test_toggle_checklist_file_item_is_byte_exact(sample: Path) -> None:
    before = files(sample)
    tick = toggle_item(load(sample), "002", "ux:CHK002")
    assert (tick.from_mark, tick.to_mark, tick.path) == (" ", "x", UX.as_posix())
    after = files(sample)
    one_box_changed(before[UX.as_posix()], after[UX.as_posix()], b" ", b"x")
    assert {k for k in before if before[k] != after[k]} == {UX.as_posix()}
    tick = toggle_item(load(sample), "002", "ux:CHK002")
    assert (tick.from_mark, tick.to_mark) == ("x", " ")
    assert files(sample) == before


def test_set_item_is_idempotent(sample: Path) -> None:
    before = (sample / UX).read_bytes()
    tick = set_item(load(sample), "002", "ux:CHK001", True)  # already ticked
    assert tick.noop
    assert (sample / UX).read_bytes() == before


def test_toggle_finds_the_item_again_after_an_outside_edit(sample: Path) -> None:
    loaded = load(sample)  # the snapshot the user acts on
    path = sample / UX
    original = path.read_bytes()
    agent = original.replace(
        b"## Requirement Completeness\n\n",
        b"## Requirement Completeness\n\n- [ ] CHK000 A new item an agent added\n",
    )
    path.write_bytes(agent)
    toggle_item(loaded, "002", "ux:CHK003")
    now = path.read_bytes()
    assert b"- [ ] CHK000 A new item an agent added" in now  # the agent's edit is kept
    one_box_changed(agent, now, b" ", b"x")
    assert b"- [x] CHK003 Is the presentation" in now


def test_toggle_of_an_item_that_is_gone(sample: Path) -> None:
    loaded = load(sample)
    path = sample / UX
    path.write_bytes(path.read_bytes().replace(b"CHK002", b"CHK099"))
    before = path.read_bytes()
    with pytest.raises(OperationError, match="no longer in"):
        toggle_item(loaded, "002", "ux:CHK002")
    assert path.read_bytes() == before
    with pytest.raises(OperationError, match="unknown checklist item"):
        toggle_item(load(sample), "002", "ux:CHK777")


ZEN_SPEC = (
    "\ufeff# Auth\r\n\r\n## Overview\r\nLogin.\r\n\r\n## Success Criteria\r\n"
    "- [ ] Users can log in\r\n- [X] p95 under 200 ms\r\n\r\n"
    "## Spec Review Checklist\r\n- [ ] Requirements reviewed\r\n- [ ] Requirements reviewed"
)


def test_checklist_inside_the_spec_edits_only_that_box(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            ".zencoder/specs/auth.md": ZEN_SPEC,
            "progress.md": "## Current Task\n\n- [ ] Build login\n",
        },
    )
    spec = root / ".zencoder/specs/auth.md"
    before = spec.read_bytes()
    progress = (root / "progress.md").read_bytes()
    feature = load(root).workspace.feature("auth")
    assert feature is not None
    assert [c.key for c in feature.checklist] == [
        "auth:users-can-log-in",
        "auth:p95-under-200-ms",
        "auth:requirements-reviewed",
        "auth:requirements-reviewed#2",
    ]
    toggle_item(load(root), "auth", "auth:requirements-reviewed#2")
    after = spec.read_bytes()
    i = one_box_changed(before, after, b" ", b"X")  # the file's own done style
    assert i == len(before) - len(" ] Requirements reviewed")
    assert after.startswith(b"\xef\xbb\xbf") and after.count(b"\r\n") == before.count(b"\r\n")
    assert not after.endswith(b"\n")
    assert (root / "progress.md").read_bytes() == progress


def test_keys_numbered_across_spec_and_checklist_files(tmp_path: Path) -> None:
    f = "specs/001-x"
    root = write_tree(
        tmp_path,
        {
            f"{f}/spec.md": "# S\n\n## Review\n\n- [ ] Scope agreed\n",
            f"{f}/checklists/spec.md": "# C\n\n- [ ] Scope agreed\n",
        },
    )
    feature = load(root).workspace.feature("001-x")
    assert feature is not None
    assert [(c.key, c.path) for c in feature.checklist] == [
        ("spec:scope-agreed", f"{f}/spec.md"),
        ("spec:scope-agreed#2", f"{f}/checklists/spec.md"),
    ]
    spec_before = (root / f / "spec.md").read_bytes()
    toggle_item(load(root), "001-x", "spec:scope-agreed#2")
    assert (root / f / "checklists/spec.md").read_bytes() == b"# C\n\n- [x] Scope agreed\n"
    assert (root / f / "spec.md").read_bytes() == spec_before


# --------------------------------------------------------------------------- review mode (Pilot)


def review_screen(app):  # type: ignore[no-untyped-def]
    from sdd_tui.ui.screens.review import ReviewScreen

    screen = app.screen
    assert isinstance(screen, ReviewScreen), type(screen).__name__
    return screen


def current_id(app) -> str | None:  # type: ignore[no-untyped-def]
    row = review_screen(app).current_row()
    return row.id if row is not None else None


async def open_review(pilot, app) -> None:  # type: ignore[no-untyped-def]
    from sdd_tui.ui.screens.review import ReviewScreen

    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), what="review mode")


@pytest.mark.anyio
async def test_review_lists_checklists_and_space_ticks_byte_exact(sample: Path) -> None:
    app = make_app(sample, feature="002-meal-planner")
    before = files(sample)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, app)
        screen = review_screen(app)
        ids = [r.id for r in screen.rows]
        assert ids.index("file:" + REQS.as_posix()) < ids.index("file:" + UX.as_posix())
        items = [r.id for r in screen.rows if r.item is not None]
        assert len(items) == 26
        assert current_id(app) == "item:requirements:CHK008"  # the first unchecked item
        headers = [r.text.plain for r in screen.rows if r.header]
        assert any(h.startswith("Checklists") and h.endswith("15/26") for h in headers)
        assert any("checklists/ux.md" in h and h.endswith("4/12") for h in headers)
        assert "Requirement Clarity" in " ".join(headers)  # grouped by heading
        await pilot.press("space")
        await wait_for(
            pilot,
            lambda: (sample / REQS).read_bytes() != before[REQS.as_posix()],
            what="the tick on disk",
        )
        await wait_for(pilot, lambda: any(h.text.plain.endswith("16/26") for h in screen.rows))
        assert current_id(app) == "item:requirements:CHK008"
        after = files(sample)
        one_box_changed(before[REQS.as_posix()], after[REQS.as_posix()], b" ", b"x")
        assert {k for k in before if before[k] != after[k]} == {REQS.as_posix()}
        await pilot.press("space")  # and back
        await wait_for(pilot, lambda: files(sample) == before, what="the untick on disk")


@pytest.mark.anyio
async def test_n_and_shift_n_walk_the_unchecked_items(sample: Path) -> None:
    app = make_app(sample, feature="002-meal-planner")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, app)
        assert current_id(app) == "item:requirements:CHK008"
        walked = []
        for _ in range(12):
            await pilot.press("n")
            walked.append(current_id(app))
        assert walked == [
            "item:requirements:CHK010",
            "item:requirements:CHK013",
            "item:ux:CHK002",
            "item:ux:CHK003",
            "item:ux:CHK005",
            "item:ux:CHK007",
            "item:ux:CHK008",
            "item:ux:CHK010",
            "item:ux:CHK011",
            "item:ux:CHK012",
            "item:requirements:CHK008",  # wraps around
            "item:requirements:CHK010",
        ]
        await pilot.press("N", "N")
        assert current_id(app) == "item:ux:CHK012"  # backwards, wrapping too


@pytest.mark.anyio
async def test_unchecked_only_filter(sample: Path) -> None:
    app = make_app(sample, feature="002-meal-planner")
    before = (sample / UX).read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, app)
        await pilot.press("v")
        screen = review_screen(app)
        shown = [r.item for r in screen.rows if r.item is not None]
        assert len(shown) == 11 and all(not i.checked for i in shown)
        assert any("(unchecked only)" in r.text.plain for r in screen.rows if r.header)
        assert current_id(app) == "item:requirements:CHK008"
        # ticking in the filtered list removes the row; the cursor stays in place
        while current_id(app) != "item:ux:CHK003":
            await pilot.press("n")
        await pilot.press("space")
        await wait_for(pilot, lambda: (sample / UX).read_bytes() != before, what="the tick")
        await wait_for(
            pilot,
            lambda: "item:ux:CHK003" not in [r.id for r in review_screen(app).rows],
            what="the ticked row to leave the filtered list",
        )
        assert current_id(app) == "item:ux:CHK005"
        one_box_changed(before, (sample / UX).read_bytes(), b" ", b"x")
        await pilot.press("v")
        assert len([r for r in review_screen(app).rows if r.item is not None]) == 26


@pytest.mark.anyio
async def test_spec_reference_jumps_to_the_requirement(sample: Path) -> None:
    from sdd_tui.ui.widgets.doc_pane import DocPane

    app = make_app(sample, feature="002-meal-planner")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, app)
        while current_id(app) != "item:ux:CHK003":  # [Gap, Spec §FR-004]
            await pilot.press("n")
        await pilot.press("enter")
        pane = review_screen(app).query_one(DocPane)
        await wait_for(pilot, lambda: pane.view.highlight_line == 67, what="jump to FR-004")
        assert pane.current == SPEC2.as_posix()
        assert pane.doc is not None and "**FR-004**" in pane.doc.src.lines[67]
        # 'Spec §Edge Cases' jumps to that heading
        screen = review_screen(app)
        idx = [r.id for r in screen.rows].index("item:ux:CHK004")
        screen.query_one("#review-items").highlighted = idx
        await pilot.press("enter")
        await wait_for(pilot, lambda: pane.view.highlight_line == 54, what="jump to Edge Cases")
        assert pane.doc.src.lines[54] == "### Edge Cases"
        # an item without a reference shows itself in its checklist file
        idx = [r.id for r in screen.rows].index("item:ux:CHK011")
        screen.query_one("#review-items").highlighted = idx
        await pilot.press("enter")
        await wait_for(pilot, lambda: pane.current == UX.as_posix(), what="the checklist file")
        assert pane.view.highlight_line == 27


@pytest.mark.anyio
async def test_clarifications_listed_with_jump_and_answers(sample: Path) -> None:
    from sdd_tui.ui.widgets.doc_pane import DocPane

    app = make_app(sample, feature="003-nutrition-labels")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, app)
        screen = review_screen(app)
        ids = [r.id for r in screen.rows]
        assert ids[:4] == ["h:clar", "clar:0", "clar:1", "clar:2"]
        assert "rounding rules" in screen.rows[1].text.plain
        qa = [r.text.plain for r in screen.rows if r.id.startswith("qa:")]
        assert len(qa) == 3 and "A Per serving" in qa[0].replace("\n", " ").replace("  ", " ")
        sections = [r.text.plain for r in screen.rows if r.id.startswith("section:")]
        assert len(sections) == 3 and all("✓" in s for s in sections)
        screen.query_one("#review-items").highlighted = 2
        await pilot.press("enter")
        pane = screen.query_one(DocPane)
        await wait_for(pilot, lambda: pane.view.highlight_line == 74, what="jump to marker")
        assert "[NEEDS CLARIFICATION: which allergen list" in pane.doc.src.lines[74]
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ != "ReviewScreen")
        from sdd_tui.ui.widgets.header import WorkbenchHeader

        header = app.query_one(WorkbenchHeader)
        assert "? 3 open" in header.render().plain  # type: ignore[union-attr]


@pytest.mark.anyio
async def test_kiro_feature_shows_requirements_with_criteria(tmp_path: Path) -> None:
    k = ".kiro/specs/albums"
    root = write_tree(
        tmp_path / "ws",
        {
            f"{k}/requirements.md": (
                "# Requirements\n\n## Introduction\n\nAlbums.\n\n## Requirements\n\n"
                "### Requirement 1\n\n**User Story:** As a user, I want albums.\n\n"
                "#### Acceptance Criteria\n\n1. WHEN a THEN b SHALL c\n2. WHEN d THEN e SHALL f\n"
            ),
            f"{k}/tasks.md": "- [ ] 1. Build\n  - _Requirements: 1.1_\n",
        },
    )
    app = make_app(root, feature="albums")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, app)
        screen = review_screen(app)
        ids = [r.id for r in screen.rows]
        assert ids[:4] == ["h:criteria", "req:0", "crit:0:0", "crit:0:1"]
        assert "As a user, I want albums." in screen.rows[1].text.plain
        assert "2 acceptance criteria" in screen.rows[1].text.plain
        await pilot.press("space")  # nothing to tick here
        assert (root / k / "requirements.md").read_bytes().count(b"[") == 0


@pytest.mark.anyio
async def test_narrow_terminal_shows_the_document_after_a_jump(sample: Path) -> None:
    app = make_app(sample, feature="002-meal-planner")
    async with app.run_test(size=(90, 30)) as pilot:
        await open_review(pilot, app)
        screen = review_screen(app)
        assert screen.has_class("-narrow")
        await pilot.press("enter")
        assert screen.has_class("-show-doc")
        await pilot.press("escape")  # back to the list, still in review mode
        assert not screen.has_class("-show-doc")
        assert review_screen(app) is screen
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is not screen, what="review mode to close")


@pytest.mark.anyio
async def test_outside_edit_updates_review_mode(sample: Path) -> None:
    app = make_app(sample, feature="002-meal-planner")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, app)
        path = sample / UX
        path.write_bytes(path.read_bytes().replace(b"- [ ] CHK012", b"- [x] CHK012"))

        def ticked() -> bool:
            rows = review_screen(app).rows
            row = next(r for r in rows if r.id == "item:ux:CHK012")
            return row.item is not None and row.item.checked

        app.workbench.files_changed({UX.as_posix()})  # as the watcher reports it
        await wait_for(pilot, ticked, timeout=10, what="the agent's tick to show")
        assert current_id(app) == "item:requirements:CHK008"


@pytest.mark.anyio
async def test_workbench_keys_do_not_leak_into_review_mode(sample: Path) -> None:
    app = make_app(sample, feature="002-meal-planner")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, app)
        screen = review_screen(app)
        await pilot.press("f", "slash", "r", "1")
        assert app.screen is screen


# --------------------------------------------------------------------------- requirements view


@pytest.mark.anyio
async def test_requirements_view_and_jump_to_spec(sample: Path) -> None:
    from sdd_tui.ui.screens.requirements import RequirementsScreen
    from sdd_tui.ui.widgets.doc_pane import DocPane

    app = make_app(sample, feature="002-meal-planner")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RequirementsScreen))
        screen = app.screen
        assert isinstance(screen, RequirementsScreen)
        ol = screen.query_one("#requirements")
        texts = {
            ol.get_option_at_index(i).id: ol.get_option_at_index(i).prompt.plain
            for i in range(ol.option_count)
        }
        by_req = {screen.entries[int(k)].requirement.id: v for k, v in texts.items() if k}
        assert by_req["FR-002"].startswith("✔ FR-002")
        assert "tasks T005✓, T006✓" in by_req["FR-002"]
        assert by_req["FR-004"].startswith("○ FR-004") and "no test" in by_req["FR-004"]
        assert "tasks T009" in by_req["FR-004"]
        await pilot.press("g")  # gaps only
        shown = {
            screen.entries[int(ol.get_option_at_index(i).id)].requirement.id
            for i in range(ol.option_count)
            if ol.get_option_at_index(i).id
        }
        # FR-001's tests name other requirements: not proof of FR-001
        gaps = {"FR-001", "FR-004", "FR-005", "FR-006", "FR-007"}
        assert shown == gaps
        target = next(
            i
            for i in range(ol.option_count)
            if ol.get_option_at_index(i).id
            and screen.entries[int(ol.get_option_at_index(i).id)].requirement.id == "FR-006"
        )
        ol.highlighted = target
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, RequirementsScreen))
        spec = app.query_one("#spec", DocPane)
        await wait_for(pilot, lambda: spec.view.highlight_line == 69, what="jump to FR-006")
        assert spec.current == SPEC2.as_posix()


@pytest.mark.anyio
async def test_palette_has_review_and_requirements(sample: Path) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.workbench.commands()]
    assert "Review spec (checklists, clarifications)" in titles
    assert "Requirements" in titles
