"""Unit tests: the headless core (model, formats, workspace, operations) and the UI's pure
helpers (themes, preferences, the theme cache), called directly.

No Textual app runs here: a test that needs the running workbench (Pilot) belongs in
``tests/functional/``, and one that tries fails at once with that message.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_running_app(monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.app import App

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a unit test runs no Textual app: move it to tests/functional/")

    for method in ("run", "run_async", "run_test"):
        monkeypatch.setattr(App, method, refuse)
