"""Generate synthetic Spec Kit workspaces for benchmarks.

    python bench/generate.py DEST --features 20 --tasks 100
    python bench/generate.py DEST --preset 2k | 20k

Each feature gets spec.md (user stories, FR/SC requirements), plan.md, tasks.md (phases,
[P]/[USn] markers, sub-bullets, some nested sub-tasks, about a third done), a requirements
checklist, and the workspace gets a JUnit file whose tests are named after requirements and a
board.json putting some tasks in progress/review.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from pathlib import Path

# 1k: the shape of the largest real repository of issue 16 (36 features, 1,046 tasks)
PRESETS = {"1k": (36, 29), "2k": (20, 100), "20k": (100, 200)}


def card_title(f: int, t: int) -> str:
    return f"Card F{f:03d} T{t:04d}"


def generate(dest: Path, features: int, tasks: int, *, seed: int = 7) -> Path:
    rng = random.Random(seed)
    if dest.exists():
        shutil.rmtree(dest)
    (dest / ".specify" / "memory").mkdir(parents=True)
    (dest / ".specify" / "memory" / "constitution.md").write_text(
        "# Constitution\n\n## Core Principles\n\n### I. Test-First\nTests prove the spec.\n"
    )
    (dest / ".sdd" / "results").mkdir(parents=True)
    board: dict[str, dict[str, str]] = {}
    cases: list[str] = []
    for f in range(1, features + 1):
        fid = f"{f:03d}-feature-{f}"
        folder = dest / "specs" / fid
        (folder / "checklists").mkdir(parents=True)
        nreq = max(3, tasks // 10)
        spec = [f"# Feature Specification: Feature {f}\n", "## User Scenarios & Testing\n"]
        for s in range(1, 4):
            spec.append(f"### User Story {s} - Story {s} (Priority: P{s})\n")
            spec.append(
                "**Acceptance Scenarios**:\n\n1. **Given** a state, **When** acting, "
                "**Then** an outcome.\n"
            )
        spec.append("## Requirements\n\n### Functional Requirements\n")
        spec += [
            f"- **FR-{r:03d}**: System MUST do thing {r} of feature {f}."
            for r in range(1, nreq + 1)
        ]
        spec.append("\n## Success Criteria\n")
        spec += [f"- **SC-{r:03d}**: Measured outcome {r}." for r in range(1, 4)]
        (folder / "spec.md").write_text("\n".join(spec) + "\n")
        (folder / "plan.md").write_text(
            f"# Implementation Plan: Feature {f}\n\n## Summary\n\nBuild it.\n\n"
            "## Technical Context\n\n**Language/Version**: Python 3.11\n"
        )
        lines = [f"# Tasks: Feature {f}\n"]
        per_phase = 25
        for t in range(1, tasks + 1):
            if (t - 1) % per_phase == 0:
                lines.append(f"\n## Phase {(t - 1) // per_phase + 1}: Work\n")
            done = rng.random() < 0.33
            par = " [P]" if rng.random() < 0.3 else ""
            story = f" [US{rng.randint(1, 3)}]" if rng.random() < 0.6 else ""
            req = f" (FR-{rng.randint(1, nreq):03d})" if rng.random() < 0.5 else ""
            box = "x" if done else " "
            lines.append(f"- [{box}] T{t:04d}{par}{story} {card_title(f, t)} in src/m{t}.py{req}")
            if t % 20 == 0:
                lines.append("  - detail: keep the public API stable")
            if not done and t % 7 == 0:
                board[f"{fid}/T{t:04d}"] = {"column": rng.choice(["in_progress", "review"])}
            if rng.random() < 0.3:
                status = "passed" if rng.random() < 0.9 else "failed"
                body = "" if status == "passed" else '<failure message="assert 1 == 2"/>'
                name = f"test_fr_{rng.randint(1, nreq):03d}_case_{t}"
                cases.append(
                    f'<testcase classname="tests.test_f{f}" name="{name}" time="0.01">'
                    f"{body}</testcase>"
                )
        (folder / "tasks.md").write_text("\n".join(lines) + "\n")
        chk = [f"# Requirements Checklist: Feature {f}\n", "## Content Quality\n"]
        chk += [
            f"- [{'x' if i % 2 else ' '}] CHK{i:03d} Is requirement {i} testable? "
            f"[Clarity, Spec §FR-{(i % nreq) + 1:03d}]"
            for i in range(1, 11)
        ]
        (folder / "checklists" / "requirements.md").write_text("\n".join(chk) + "\n")
    (dest / ".sdd" / "board.json").write_text(
        json.dumps({"tasks": board, "version": 1}, indent=2, sort_keys=True) + "\n"
    )
    (dest / ".sdd" / "results" / "junit.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<testsuites><testsuite name="pytest" '
        f'tests="{len(cases)}">' + "\n".join(cases) + "</testsuite></testsuites>\n"
    )
    (dest / ".specify" / "feature.json").write_text(
        json.dumps({"feature_directory": "specs/001-feature-1"}) + "\n"
    )
    return dest


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dest", type=Path)
    p.add_argument("--preset", choices=sorted(PRESETS))
    p.add_argument("--features", type=int, default=20)
    p.add_argument("--tasks", type=int, default=100)
    args = p.parse_args()
    features, tasks = PRESETS[args.preset] if args.preset else (args.features, args.tasks)
    generate(args.dest, features, tasks)
    print(f"{args.dest}: {features} features × {tasks} tasks = {features * tasks} tasks")


if __name__ == "__main__":
    main()
