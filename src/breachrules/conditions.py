"""Conditions: the closed table of facts and operators, and true/false/unknown logic.

A condition from a rule file is compiled once into a small tree of evaluators. Each evaluator
answers ``True``, ``False`` or ``None`` (unknown) for an incident, optionally for one affected
group, and can name the unknown input fields that leave it undecided. The logic is Kleene's:
``all`` is false if any part is false, ``any`` is true if any part is true, and unknown
otherwise, so an answer with a fact unknown always covers the answers with it true or false.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from breachrules import registry
from breachrules.incident import AffectedGroup, Incident
from breachrules.schema import AllOf, AnyOf, Condition, FactTest, Not

Tri = bool | None
Kind = Literal["bool", "enum", "set", "jurisdiction", "jurisdictions"]
Scope = Literal["incident", "group"]


@dataclass(frozen=True, slots=True)
class Context:
    """What a condition is evaluated against: an incident and, for group scope, one group."""

    incident: Incident
    group: AffectedGroup | None = None
    index: int = -1


@dataclass(frozen=True)
class FactSpec:
    """One fact a rule may test: its kind, scope, how to read it and what values it takes."""

    kind: Kind
    scope: Scope
    read: Callable[[Context], Any]
    field: str
    check_value: Callable[[str], str] | None = None


def _group(ctx: Context) -> AffectedGroup:
    assert ctx.group is not None  # guaranteed by the scope check at compile time
    return ctx.group


def _enum(*allowed: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
        return value

    return check


FACTS: dict[str, FactSpec] = {
    "risk_of_harm": FactSpec(
        "enum",
        "incident",
        lambda c: c.incident.risk_of_harm,
        "risk_of_harm",
        _enum("unlikely", "likely", "high"),
    ),
    "entity.role": FactSpec(
        "enum",
        "incident",
        lambda c: c.incident.entity.role,
        "entity.role",
        _enum("owner", "service_provider"),
    ),
    "entity.regulated_as": FactSpec(
        "set",
        "incident",
        lambda c: c.incident.entity.regulated_as,
        "entity.regulated_as",
        registry.entity_flag,
    ),
    "entity.established_in": FactSpec(
        "jurisdictions",
        "incident",
        lambda c: c.incident.entity.established_in,
        "entity.established_in",
        registry.jurisdiction,
    ),
    "group.jurisdiction": FactSpec(
        "jurisdiction",
        "group",
        lambda c: _group(c).jurisdiction,
        "jurisdiction",
        registry.jurisdiction,
    ),
    "group.data": FactSpec("set", "group", lambda c: _group(c).data, "data", registry.category),
    "group.encrypted": FactSpec("bool", "group", lambda c: _group(c).encrypted, "encrypted"),
    "group.key_compromised": FactSpec(
        "bool", "group", lambda c: _group(c).key_compromised, "key_compromised"
    ),
    "group.medium": FactSpec(
        "enum", "group", lambda c: _group(c).medium, "medium", _enum("electronic", "paper")
    ),
}

_OPS: dict[Kind, tuple[str, ...]] = {
    "bool": ("is",),
    "enum": ("is", "in"),
    "set": ("contains", "contains_any"),
    "jurisdiction": ("within",),
    "jurisdictions": ("within",),
}


def fact_spec(path: str) -> FactSpec:
    """The spec of a fact path; ``facts.NAME`` names a registered yes/no fact."""
    if path.startswith("facts."):
        name = registry.fact(path.removeprefix("facts."))
        return FactSpec("bool", "incident", lambda c: c.incident.facts.get(name), f"facts.{name}")
    spec = FACTS.get(path)
    if spec is None:
        from breachrules.errors import UnknownCodeError

        choices = [*FACTS, *(f"facts.{f}" for f in registry.facts())]
        raise UnknownCodeError("fact", path, registry.suggest(path, choices))
    return spec


class Evaluator:
    """A compiled condition."""

    def value(self, ctx: Context) -> Tri:
        raise NotImplementedError

    def missing(self, ctx: Context) -> set[str]:
        """The input fields whose unknown value leaves this condition undecided."""
        raise NotImplementedError

    def describe(self) -> str:
        """The condition in words, for reasons."""
        raise NotImplementedError


@dataclass(frozen=True)
class _Leaf(Evaluator):
    spec: FactSpec
    op: str
    expected: Any

    def value(self, ctx: Context) -> Tri:
        actual = self.spec.read(ctx)
        op = self.op
        if op == "within":
            return _within(actual, self.expected)
        if actual is None:
            return None
        if op == "is":
            return bool(actual == self.expected)
        if op == "in":
            return actual in self.expected
        if op == "contains":
            return self.expected in actual
        return not self.expected.isdisjoint(actual)

    def missing(self, ctx: Context) -> set[str]:
        if self.value(ctx) is not None:
            return set()
        if self.spec.scope == "group":
            return {f"affected[{ctx.index}].{self.spec.field}"}
        return {self.spec.field}

    def describe(self) -> str:
        words = {
            "is": "is",
            "in": "is one of",
            "contains": "includes",
            "contains_any": "includes any of",
            "within": "is within",
        }[self.op]
        shown = self.expected
        if isinstance(shown, frozenset):
            shown = ", ".join(sorted(shown))
        elif isinstance(shown, bool):
            shown = str(shown).lower()
        return f"{self.spec.field} {words} {shown}"


def _within(actual: str | Sequence[str], places: frozenset[str]) -> Tri:
    codes = [actual] if isinstance(actual, str) else actual
    unknown = False
    for code in codes:
        if any(registry.contains(p, code) for p in places):
            return True
        if any(registry.overlaps(p, code) for p in places):
            unknown = True
    return None if unknown else False


@dataclass(frozen=True)
class _All(Evaluator):
    parts: tuple[Evaluator, ...]

    def value(self, ctx: Context) -> Tri:
        result: Tri = True
        for part in self.parts:
            v = part.value(ctx)
            if v is False:
                return False
            if v is None:
                result = None
        return result

    def missing(self, ctx: Context) -> set[str]:
        if self.value(ctx) is not None:
            return set()
        return set().union(*(p.missing(ctx) for p in self.parts))

    def describe(self) -> str:
        return " and ".join(_wrap(p) for p in self.parts)


@dataclass(frozen=True)
class _Any(Evaluator):
    parts: tuple[Evaluator, ...]

    def value(self, ctx: Context) -> Tri:
        result: Tri = False
        for part in self.parts:
            v = part.value(ctx)
            if v is True:
                return True
            if v is None:
                result = None
        return result

    def missing(self, ctx: Context) -> set[str]:
        if self.value(ctx) is not None:
            return set()
        return set().union(*(p.missing(ctx) for p in self.parts))

    def describe(self) -> str:
        return " or ".join(_wrap(p) for p in self.parts)


def _wrap(part: Evaluator) -> str:
    text = part.describe()
    return f"({text})" if isinstance(part, (_All, _Any)) else text


@dataclass(frozen=True)
class _Not(Evaluator):
    part: Evaluator

    def value(self, ctx: Context) -> Tri:
        v = self.part.value(ctx)
        return None if v is None else not v

    def missing(self, ctx: Context) -> set[str]:
        return self.part.missing(ctx)

    def describe(self) -> str:
        return f"not {_wrap(self.part)}"


@dataclass(frozen=True)
class Constant(Evaluator):
    """A condition with a fixed answer, for parts a rule leaves out."""

    answer: bool

    def value(self, ctx: Context) -> Tri:
        return self.answer

    def missing(self, ctx: Context) -> set[str]:
        return set()

    def describe(self) -> str:
        return "always" if self.answer else "never"


ALWAYS = Constant(True)


def compile_condition(condition: Condition, scope: Scope) -> Evaluator:
    """Compile a condition for incident or group scope; raise ValueError naming what is wrong."""
    if isinstance(condition, AllOf):
        return _All(tuple(compile_condition(c, scope) for c in condition.all))
    if isinstance(condition, AnyOf):
        return _Any(tuple(compile_condition(c, scope) for c in condition.any))
    if isinstance(condition, Not):
        return _Not(compile_condition(condition.not_, scope))
    return _compile_test(condition, scope)


def _compile_test(test: FactTest, scope: Scope) -> Evaluator:
    spec = fact_spec(test.fact)
    if spec.scope == "group" and scope == "incident":
        raise ValueError(f"{test.fact!r} is a fact of one affected group; it cannot be used here")
    given = {
        op: v
        for op, v in (
            ("is", test.is_),
            ("in", test.in_),
            ("contains", test.contains),
            ("contains_any", test.contains_any),
            ("within", test.within),
        )
        if v is not None
    }
    if len(given) != 1:
        raise ValueError(f"a test of {test.fact!r} needs exactly one operator, got {sorted(given)}")
    ((op, raw),) = given.items()
    allowed = _OPS[spec.kind]
    if op not in allowed:
        raise ValueError(f"{test.fact!r} takes the operator {' or '.join(allowed)}, not {op!r}")
    return _Leaf(spec, op, _expected(spec, op, raw))


def _expected(spec: FactSpec, op: str, raw: Any) -> Any:
    if spec.kind == "bool":
        if not isinstance(raw, bool):
            raise ValueError(f"{spec.field!r} is true or false, not {raw!r}")
        return raw
    check = spec.check_value
    assert check is not None
    if isinstance(raw, list):
        return frozenset(check(v) for v in raw)
    if not isinstance(raw, str):
        raise ValueError(f"{spec.field!r} takes a code, not {raw!r}")
    return check(raw)
