"""The application shell: themes, app-wide keys, the command palette, screen routing.

The work happens on the default screen, the workbench (``screens/workbench.py``), which shows
the session's snapshot (``session.py``: the one owner of the state).  Other screens are
pushed on top of it and are given what they need; none of them imports this module.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding

from sdd_tui import gcpolicy
from sdd_tui.ui.screens.workbench import WorkbenchScreen
from sdd_tui.ui.session import Session
from sdd_tui.workspace.snapshot import Loaded

if TYPE_CHECKING:
    from textual.screen import Screen

SWITCH_INTERVAL = 0.0005  # seconds; see run_app


class SddApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "sdd-tui"

    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(self, loaded: Loaded, *, feature: str | None = None) -> None:
        super().__init__()
        self.session = Session(loaded)
        self.workbench = WorkbenchScreen(self.session, feature=feature)
        self._theme_problems: list[str] = []
        self._started = False
        # Before anything is mounted: choosing the theme later would restyle every widget.
        self._register_themes()

    def get_default_screen(self) -> Screen[None]:
        return self.workbench

    def on_mount(self) -> None:
        self._started = True
        for message in self._theme_problems:
            self.notify(message, severity="warning", timeout=8, markup=False)

    def on_unmount(self) -> None:
        self.session.loaded.facts.save()

    # -- themes --------------------------------------------------------------------------

    def _register_themes(self) -> None:
        from sdd_tui.ui import theme_cache

        cached = theme_cache.load()
        if cached is None:
            from sdd_tui.ui import themes  # validates with pydantic

            found, problems = [], []
            for source in (themes.bundled_themes, themes.user_themes):
                ok, bad = source()
                found += ok
                problems += bad
            self._theme_problems = [str(p) for p in problems]
            if not problems:
                theme_cache.save(found)
        else:
            found = cached
        for theme in found:
            self.register_theme(theme)
        preferred = theme_cache.preferred_theme()
        for name in (preferred, "sdd-dark", "textual-dark"):
            if name and name in self.available_themes:
                self._start_theme(name)
                break

    def _start_theme(self, name: str) -> None:
        """Choose the theme before the stylesheet is first read.  Setting ``self.theme`` now
        would run Textual's theme watcher, which queues a second parse of all the CSS before
        the first frame; this does what the watcher does, minus that."""
        try:
            self.set_reactive(App.theme, name)
            dark = self.current_theme.dark
            self.set_class(dark, "-dark-mode", update=False)
            self.set_class(not dark, "-light-mode", update=False)
            self.set_class(True, f"-theme-{name}", update=False)
            self._refresh_truecolor_filter(self.ansi_theme)
            self.stylesheet.set_variables(self.get_css_variables())  # not parsed yet: cheap
        except AttributeError:  # a Textual without these: let its watcher do it all
            self.theme = name

    def get_css_variables(self) -> dict[str, str]:
        """Textual's CSS variables, derived once per theme: each call builds the whole colour
        system, and it is asked for three times before the first frame."""
        if "session" not in self.__dict__:
            # Asked for by ``App.__init__`` (for the default theme), before this app has
            # chosen its own: ``_start_theme`` sets the real ones before any CSS is read.
            return {}
        theme = self.current_theme
        cached = self.__dict__.get("_css_variables")
        if cached is None or cached[0] is not theme:
            cached = (theme, super().get_css_variables())
            self.__dict__["_css_variables"] = cached
        self.theme_variables = cached[1]
        return dict(cached[1])

    def get_theme_variable_defaults(self) -> dict[str, str]:
        from sdd_tui.ui.theme_vars import theme_variable_defaults

        try:
            theme = self.current_theme
        except Exception:  # asked for before the app has its themes
            theme = None
        key = theme.name if theme is not None else ""
        cache = self.__dict__.setdefault("_variable_defaults", {})
        if key not in cache:
            cache[key] = theme_variable_defaults(theme)
        return cache[key]

    def watch_theme(self, theme: str) -> None:
        if self._started:  # not the theme chosen at start: no pydantic before paint
            from sdd_tui.ui import preferences

            preferences.save_theme(theme)
            self.workbench.refresh_all(keep=True)

    # -- another worktree ----------------------------------------------------------------

    def open_root(self, root: Path, *, feature: str | None = None) -> None:
        """Switch the workbench to the workspace at ``root`` (another worktree on disk, from
        the portfolio): read it in a thread, then a new session and workbench replace the
        old ones; the old watcher stops with its screen."""
        self.notify(f"opening {root}…", timeout=2, markup=False)
        self._read_root(root, feature)

    @work(
        thread=True,
        exclusive=True,
        group="open-root",
        exit_on_error=False,
        description="open another worktree",
    )
    def _read_root(self, root: Path, feature: str | None) -> None:
        from sdd_tui import workspace

        try:
            loaded = workspace.load_root(root, persist=False)
        except Exception as exc:  # a folder gone or unreadable meanwhile: say so, stay
            message = f"cannot open {root}: {exc}"
            self.call_from_thread(self.notify, message, severity="error", markup=False)
            return
        try:
            self.call_from_thread(self._switch_root, loaded, feature)
        except Exception as exc:  # the worker swallows errors: say it, stay where we are
            message = f"cannot switch to {root}: {exc}"
            self.call_from_thread(self.notify, message, severity="error", markup=False)

    def _switch_root(self, loaded: Loaded, feature: str | None) -> None:
        self.session.loaded.facts.save()
        self.session = Session(loaded)
        old, self.workbench = self.workbench, WorkbenchScreen(self.session, feature=feature)
        while len(self.screen_stack) > 1 and self.screen is not old:
            self.pop_screen()  # the portfolio, or anything opened over the old workbench
        if self.screen is old and not old._result_callbacks:
            # Textual registers the default screen without the result callback that
            # ``switch_screen`` pops from the screen it replaces (it would leave the stack
            # empty): give it the callback a pushed screen has.
            old._push_result_callback(old, None)
        self.switch_screen(self.workbench)
        self.notify(f"now in {loaded.root}", timeout=3, markup=False)

    # -- app-wide keys -------------------------------------------------------------------

    def action_help(self) -> None:
        from sdd_tui.ui.screens.help import HelpScreen, binding_rows

        screen = self.screen
        sections = getattr(screen, "help_sections", None)
        if sections is not None:
            self.push_screen(HelpScreen(sections()))
        else:
            rows = binding_rows(screen.BINDINGS) + binding_rows(self.BINDINGS)
            self.push_screen(HelpScreen([(type(screen).__name__, rows)]))

    def get_system_commands(self, screen: Screen[object]):  # type: ignore[no-untyped-def]
        for command in super().get_system_commands(screen):
            if command.title not in ("Maximize", "Minimize"):  # the workbench's own says f10
                yield command
        commands = getattr(self.workbench, "commands", None)
        if commands is not None and self.workbench.is_mounted:
            yield from commands()


def run_app(loaded: Loaded, *, feature: str | None = None) -> int:
    # Reloads and result links run in threads.  With CPython's default 5 ms switch interval
    # the event loop, which gives up the GIL at every system call, waits up to 5 ms to get
    # it back each time: a key pressed while a thread works took 100-300 ms to be handled.
    sys.setswitchinterval(SWITCH_INTERVAL)
    gcpolicy.freeze_alive()
    SddApp(loaded, feature=feature).run()
    return 0
