"""How many examples each Hypothesis property draws.

Every property names two counts, ``examples(quick, thorough)``.  ``python -m pytest`` (the
README's command, ``.ci/run``) draws the quick count: enough to exercise every branch of the
generators on every run.  ``SDD_TUI_HYPOTHESIS=thorough`` draws the thorough count (the ones
SECURITY.md quotes, e.g. 2,000 documents for the fuzz properties) — run it after changing a
parser or a writer.  ``SDD_TUI_HYPOTHESIS=<n>`` draws ``n`` for every property.
"""

from __future__ import annotations

import os


def examples(quick: int, thorough: int) -> int:
    mode = os.environ.get("SDD_TUI_HYPOTHESIS", "quick").strip().lower()
    if mode == "quick":
        return quick
    if mode == "thorough":
        return thorough
    if mode.isdigit() and int(mode) > 0:
        return int(mode)
    raise ValueError(f"SDD_TUI_HYPOTHESIS={mode!r}: expected quick, thorough or a count")
