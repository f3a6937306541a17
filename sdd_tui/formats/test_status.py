"""``test-status.json``: the acceptance-criteria status file of the guide sdd-tui follows.

::

    {
      "specVersion": "1.2.0",
      "lastUpdated": "2024-01-15T10:30:00Z",
      "acceptanceCriteria": {
        "retry_logic": {
          "requirement": "3 retries with exponential backoff",
          "status": "passing",                      # passing | failing | in_progress
          "tests": ["email_retry_test.ts"],
          "metrics": {"p95": 45.3},
          "notes": "…"
        }
      }
    }

Other keys of a criterion (``compliance``, …) are kept as extra notes.  The file is workspace
data (untrusted): a wrong shape becomes a :class:`TestStatusError`, never an exception.
"""

from __future__ import annotations

import json

from sdd_tui.model.record import record

KNOWN_STATUSES = ("passing", "failing", "in_progress")
LOCATIONS = ("test-status.json", ".zencoder/test-status.json")
_MAX_ITEMS = 5000


class TestStatusError(ValueError):
    """``str()`` is a one-line reason; ``line`` is 1-based when known."""

    __test__ = False

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@record
class Criterion:
    key: str
    requirement: str
    status: str  # passing | failing | in_progress | whatever the file says (lower-cased)
    tests: tuple[str, ...]
    metrics: tuple[tuple[str, str], ...]
    notes: str
    extra: tuple[tuple[str, str], ...]

    @property
    def known(self) -> bool:
        return self.status in KNOWN_STATUSES


@record
class TestStatus:
    __test__ = False

    path: str
    spec_version: str
    last_updated: str
    criteria: tuple[Criterion, ...]

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in KNOWN_STATUSES}
        out["other"] = 0
        for c in self.criteria:
            out[c.status if c.known else "other"] += 1
        return out


def _scalar(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)[:500]


def parse_test_status(raw: bytes, path: str = "test-status.json") -> TestStatus:
    """The criteria of one ``test-status.json``; raises TestStatusError when unusable."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TestStatusError("not valid UTF-8") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TestStatusError(f"invalid JSON: {exc.msg}", exc.lineno) from None
    except RecursionError:
        raise TestStatusError("invalid JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise TestStatusError("expected a JSON object with 'acceptanceCriteria'", 1)
    criteria_raw = data.get("acceptanceCriteria", {})
    if not isinstance(criteria_raw, dict):
        raise TestStatusError("'acceptanceCriteria' must be an object of criteria")
    criteria: list[Criterion] = []
    for key, value in list(criteria_raw.items())[:_MAX_ITEMS]:
        if not isinstance(value, dict):
            value = {"requirement": _scalar(value)}
        tests = value.get("tests", [])
        if isinstance(tests, str):
            tests = [tests]
        metrics = value.get("metrics", {})
        extra = tuple(
            (str(k), _scalar(v))
            for k, v in value.items()
            if k not in ("requirement", "status", "tests", "metrics", "notes")
        )
        criteria.append(
            Criterion(
                key=str(key),
                requirement=_scalar(value.get("requirement", "")),
                status=_scalar(value.get("status", "")).strip().lower().replace("-", "_"),
                tests=tuple(_scalar(t) for t in tests[:_MAX_ITEMS])
                if isinstance(tests, list)
                else (),
                metrics=tuple((str(k), _scalar(v)) for k, v in metrics.items())
                if isinstance(metrics, dict)
                else (),
                notes=_scalar(value.get("notes", "")),
                extra=extra,
            )
        )
    return TestStatus(
        path=path,
        spec_version=_scalar(data.get("specVersion", "")),
        last_updated=_scalar(data.get("lastUpdated", "")),
        criteria=tuple(criteria),
    )
