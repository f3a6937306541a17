"""Progress that doesn't lie: a bar (or a percentage) is full only when everything is done
and empty only when nothing is; in between it shows at least one step of each.

``round()`` alone draws 26 of 27 as a full 12-cell bar and 1 of 200 as an empty one.
"""

from __future__ import annotations


def filled(done: int, total: int, steps: int) -> int:
    """How many of ``steps`` cells to fill for ``done`` of ``total``."""
    if total <= 0 or done <= 0 or steps <= 0:
        return 0
    if done >= total:
        return steps
    if steps == 1:
        return 0  # one cell cannot show "some": it shows "not all"
    return max(1, min(steps - 1, round(steps * done / total)))


def percent(done: int, total: int) -> int:
    """``done`` of ``total`` in whole percent: 100 only when all are done, 0 only when none."""
    return filled(done, total, 100)


def fraction_steps(value: float, steps: int) -> int:
    """:func:`filled` for a fraction in 0..1 (a pass rate): ``steps`` only at exactly 1."""
    if value >= 1:
        return steps
    if value <= 0 or steps <= 1:
        return 0
    return max(1, min(steps - 1, round(steps * value)))
