"""Struck-through text (issue 16, item 3): ``~~ … ~~`` holds no open clarification and no
active requirement; a struck requirement is withdrawn."""

from __future__ import annotations

from pathlib import Path

from helpers.files import write_tree

from sdd_tui.operations.checks import run_checks
from sdd_tui.operations.report import status_json
from sdd_tui.operations.trace import build_trace
from sdd_tui.workspace.loader import load

F = "specs/001-pub"


def tagged(tmp_path: Path, spec: str, tasks: str) -> Path:
    return write_tree(
        tmp_path,
        {f"{F}/spec.md": spec, f"{F}/plan.md": "# Plan\n", f"{F}/tasks.md": tasks},
    )


STRUCK_SPEC = """\
# Feature Specification: Publishing

## Requirements

- **FR-034**: System MUST publish a recipe.
- ~~**FR-035**: System MUST federate [NEEDS CLARIFICATION: which servers?]~~ **[DEFERRED]**
- ~~FR-036: System MUST print recipes.~~
- **FR-037**: System MUST [NEEDS CLARIFICATION: ~~old question~~ which format?]

Old idea: ~~we will mirror [NEEDS CLARIFICATION: where?]~~ (dropped).
"""


def test_struck_through_requirement_is_withdrawn(tmp_path: Path) -> None:
    root = tagged(tmp_path, STRUCK_SPEC, "# Tasks\n\n- [ ] T001 Publish (FR-034, FR-037)\n")
    loaded = load(root)
    f = loaded.workspace.features[0]
    got = {r.id: (r.withdrawn, r.tag) for r in f.requirements}
    assert got == {
        "FR-034": (False, None),
        "FR-035": (True, "DEFERRED"),
        "FR-036": (True, None),
        "FR-037": (False, None),
    }
    texts = {r.id: r.text for r in f.requirements}
    assert texts["FR-036"] == "System MUST print recipes."
    # only FR-037's question is open: the struck ones hold none
    assert [(c.text, c.line) for c in f.clarifications] == [("~~old question~~ which format?", 8)]
    report = run_checks(loaded, use_git=False)
    found = [(x.rule, x.line) for x in report.findings if x.rule != "spec-without-plan"]
    assert ("open-clarification", 8) in found
    assert [r for r, _ in found].count("open-clarification") == 1
    assert not [x for x in report.findings if x.rule == "requirement-without-task"]
    [row] = status_json(loaded.workspace)["features"]
    assert row["requirements"] == 2  # withdrawn ones are no active requirements


def test_a_task_naming_a_withdrawn_requirement_is_not_unknown(tmp_path: Path) -> None:
    root = tagged(tmp_path, STRUCK_SPEC, "# Tasks\n\n- [ ] T001 Federate (FR-035)\n")
    report = run_checks(load(root), use_git=False)
    assert not [x for x in report.findings if x.rule == "unknown-requirement"]
    trace = build_trace(load(root).workspace, [])
    f = load(root).workspace.features[0]
    rows = {r.requirement.id: r for r in trace.rows(f)}
    assert rows["FR-035"].gaps == ()  # nothing is missing for a withdrawn requirement
