"""A normal (non-editable) wheel install ships themes/ and sample_workspace/ and finds them.

Builds the wheel from a copy of the source tree, installs it with ``--no-deps`` into a fresh
venv that borrows this environment's dependencies through a ``.pth`` file (so no download of
runtime dependencies is needed), and checks from inside that venv that the resources resolve
to the installed package, not to the repository checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from helpers.files import REPO

pytestmark = pytest.mark.slow

_SKIP_TOP = {".venv", ".git", "build", "dist", ".hypothesis", "snapshot_report.html"}
_SKIP_ANY = {"__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache"}


def _ignore(folder: str, names: list[str]) -> set[str]:
    top = Path(folder).resolve() == REPO
    return {
        name
        for name in names
        if name in _SKIP_ANY or name.endswith(".egg-info") or (top and name in _SKIP_TOP)
    }


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    shutil.copytree(REPO, source, ignore=_ignore, symlinks=True)
    # local files a user may have in their checkout must not end up in the wheel
    sample = source / "sample_workspace"
    (sample / ".sdd" / "cache").mkdir(parents=True, exist_ok=True)
    (sample / ".sdd" / "cache" / "parsed.json").write_text("{}")
    (sample / ".sdd" / ".lock").write_text("")
    (sample / "recipebox" / "__pycache__").mkdir(exist_ok=True)
    (sample / "recipebox" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"")
    (sample / ".pytest_cache").mkdir(exist_ok=True)
    out = work / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)])
    wheels = list(out.glob("sdd_tui-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = "sdd_tui/_bundled/"
    themes = [n for n in names if n.startswith(f"{bundled}themes/") and n.endswith(".yaml")]
    assert len(themes) >= 3
    for expected in (
        "sample_workspace/.sdd/config.yaml",
        "sample_workspace/.specify/memory/constitution.md",
        "sample_workspace/specs/001-recipe-sharing/spec.md",
    ):
        assert bundled + expected in names
    # ``sdd-tui new``'s templates, every layout's
    for layout in ("speckit", "kiro", "openspec", "zencoder"):
        assert any(n.startswith(f"sdd_tui/templates/{layout}/") for n in names), layout
    assert "sdd_tui/templates/speckit/checklists/requirements.md" in names
    for name in names:
        parts = name.split("/")
        assert "__pycache__" not in parts and ".pytest_cache" not in parts, name
        assert not name.endswith(".pyc"), name
        assert ".sdd/cache/" not in name and not name.endswith(".sdd/.lock"), name
    # every file of the checkout's resource folders made it in
    for folder in ("themes", "sample_workspace"):
        for path in (REPO / folder).rglob("*"):
            relative = path.relative_to(REPO)
            if path.is_file() and not (set(relative.parts) & (_SKIP_ANY | {"cache"})):
                if relative.as_posix() == "sample_workspace/.sdd/.lock":
                    continue
                assert f"{bundled}{relative.as_posix()}" in names, relative


@pytest.fixture(scope="module")
def venv_python(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("venv") / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
    ).stdout.strip()
    # Borrow this environment's dependencies (textual, pydantic, ...) without downloading.
    # A path line in a .pth file does not run that folder's own .pth files, so the editable
    # install of sdd-tui living there stays invisible to the new venv.
    borrowed = [p for p in site.getsitepackages() if Path(p).is_dir()]
    Path(purelib, "_sdd_tui_test_deps.pth").write_text("\n".join(borrowed) + "\n")
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            str(wheel),
        ]
    )
    return python


CHECK = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    import sdd_tui
    from sdd_tui.resources import sample_workspace_dir, themes_dir
    from sdd_tui.ui.themes import bundled_themes
    from sdd_tui.cli.demo import prepare_demo

    themes, problems = bundled_themes()
    demo = prepare_demo(Path(sys.argv[1]))
    print(json.dumps({
        "package": sdd_tui.__file__,
        "themes_dir": str(themes_dir()),
        "sample": str(sample_workspace_dir()),
        "yaml": sorted(p.name for p in themes_dir().glob("*.yaml")),
        "themes": [t.name for t in themes],
        "problems": [str(p) for p in problems],
        "demo_files": sorted(
            p.relative_to(demo).as_posix() for p in demo.rglob("*")
            if p.is_file() and ".git" not in p.relative_to(demo).parts
        ),
    }))
    """
)


def test_installed_wheel_finds_its_resources(venv_python: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    env["SDD_TUI_CONFIG_DIR"] = str(tmp_path / "config")
    result = _run([str(venv_python), "-c", CHECK, str(tmp_path / "demo")], cwd=tmp_path, env=env)
    info = json.loads(result.stdout)
    venv = venv_python.parent.parent
    package = Path(info["package"])
    assert package.is_relative_to(venv), "sdd_tui is imported from the install"
    for key in ("themes_dir", "sample"):
        path = Path(info[key])
        assert path.is_relative_to(venv), f"{key} resolved to the install"
        assert not path.is_relative_to(REPO), f"{key} not from the checkout"
        assert "_bundled" in path.parts
    assert len(info["yaml"]) >= 3
    assert info["problems"] == []
    assert {"sdd-dark", "sdd-light", "sdd-solarized"} <= set(info["themes"])
    sample = Path(info["sample"])
    assert (sample / ".sdd" / "config.yaml").is_file()
    assert (sample / "specs").is_dir()
    assert (sample / ".specify").is_dir()
    # sdd-tui demo works from the installed copy (caches from byte-compiling are left out)
    files = info["demo_files"]
    assert ".sdd/config.yaml" in files and "specs/001-recipe-sharing/spec.md" in files
    assert not [f for f in files if "__pycache__" in f]
    script = venv / ("Scripts/sdd-tui.exe" if os.name == "nt" else "bin/sdd-tui")
    assert script.exists(), "the console script is installed"
