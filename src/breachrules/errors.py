"""The exception tree of breachrules.

Every error the library raises on purpose descends from one root, so callers can catch
them all at once; errors about bad input are also ``ValueError``\\ s::

    BreachRulesError
    ├── InvalidIncidentError (ValueError)   an incident that does not validate
    ├── UnknownCodeError (ValueError)       a jurisdiction, category or flag code not known
    └── RuleFileError (ValueError)          one or more rule files that do not validate

Each message names the field (or file and key path) and how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass


class BreachRulesError(Exception):
    """Root of every error raised by breachrules."""


class UnknownCodeError(BreachRulesError, ValueError):
    """A code (jurisdiction, data category, entity flag, fact) that no registry knows."""

    def __init__(self, kind: str, code: str, suggestions: list[str]) -> None:
        self.kind = kind
        self.code = code
        self.suggestions = suggestions
        hint = f"; did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(f"unknown {kind} {code!r}{hint}")


@dataclass(frozen=True)
class Problem:
    """One problem found in a rule file: where it is and what is wrong."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message}"


class RuleFileError(BreachRulesError, ValueError):
    """Rule files that failed validation; ``problems`` lists each one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(str(p) for p in problems)
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"invalid rule data ({count}):\n{lines}")


class InvalidIncidentError(BreachRulesError, ValueError):
    """An incident that does not validate; ``errors`` holds (field path, message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        lines = "; ".join(f"{path}: {msg}" if path else msg for path, msg in errors)
        super().__init__(f"invalid incident: {lines}")
