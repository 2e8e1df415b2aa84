"""Hypothesis's entry point: makes ``st.from_type(Incident)`` draw breachrules' strategies.

Hypothesis loads this while it is itself being imported, so it may not import
``breachrules.strategies`` (which imports Hypothesis) at once: the strategies are resolved
lazily, on first use.
"""

from __future__ import annotations

import importlib
from typing import Any


def setup() -> None:
    """Register lazy strategies for the input models."""
    from hypothesis import strategies as st

    from breachrules.incident import AffectedGroup, Entity, Incident

    def lazy(name: str) -> Any:
        return lambda _type: getattr(importlib.import_module("breachrules.strategies"), name)()

    st.register_type_strategy(Incident, lazy("incidents"))
    st.register_type_strategy(AffectedGroup, lazy("affected_groups"))
    st.register_type_strategy(Entity, lazy("entities"))
