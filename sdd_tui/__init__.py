"""sdd-tui: a terminal workbench for spec-driven development."""

__version__ = "0.1.0"
