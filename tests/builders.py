"""Small builders of incident dicts shared by the tests."""

from __future__ import annotations

from typing import Any


def incident(**changes: Any) -> dict[str, Any]:
    """A minimal valid incident: ten Californians' names and SSNs, with fields replaced."""
    base: dict[str, Any] = {
        "discovered_at": "2026-03-02T09:30:00-05:00",
        "entity": {"name": "Acme", "role": "owner"},
        "affected": [group()],
    }
    base.update(changes)
    return base


def group(**changes: Any) -> dict[str, Any]:
    """One affected group: ten Californians' names and SSNs, with fields replaced."""
    return {"jurisdiction": "US-CA", "count": 10, "data": ["name", "ssn"], **changes}
