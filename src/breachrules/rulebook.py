"""The compiled, immutable rulebook: regimes with their versions, ready for the engine.

The loader builds it from validated rule files; the engine only reads it. Compiling once
(conditions into evaluators, categories into sets, obligations into deadline order) keeps the
work per incident small.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from zoneinfo import ZoneInfo

from breachrules.conditions import Evaluator
from breachrules.registry import overlaps
from breachrules.schema import (
    Combination,
    ExceptionRule,
    FactTest,
    Note,
    ObligationRule,
    RuleFile,
    Version,
)


@dataclass(frozen=True)
class CompiledException:
    """An exception with its condition compiled and the obligations it removes."""

    rule: ExceptionRule
    when: Evaluator
    targets: frozenset[str] | None

    def removes(self, obligation_id: str) -> bool:
        """Whether this exception applies to the obligation."""
        return self.targets is None or obligation_id in self.targets


@dataclass(frozen=True)
class CompiledObligation:
    """An obligation with its condition compiled and the exceptions that can remove it."""

    rule: ObligationRule
    when: Evaluator
    group_exceptions: tuple[CompiledException, ...] = ()
    incident_exceptions: tuple[CompiledException, ...] = ()


@dataclass(frozen=True)
class CompiledVersion:
    """One dated version of a law, compiled."""

    rule: Version
    counts_people: bool
    applies_when: Evaluator
    residents_of: frozenset[str]
    population_explanation: str | None
    everyone_when: Evaluator | None
    definition_citation: str
    combinations: tuple[Combination, ...]
    any_personal_data: bool
    media: frozenset[str]
    obligations: tuple[CompiledObligation, ...]

    def in_force_on(self, day: date) -> bool:
        """Whether the version is in force on a date."""
        start, until = self.rule.effective_from, self.rule.effective_until
        if self.rule.status != "enacted" or start is None:
            return False
        return start <= day and (until is None or day < until)


@dataclass(frozen=True)
class Regime:
    """One law: identity, provenance and its versions (sorted, never overlapping)."""

    id: str
    name: str
    jurisdiction: str
    kind: str
    last_reviewed: date
    timezone: ZoneInfo | None
    notes: tuple[Note, ...]
    versions: tuple[CompiledVersion, ...]
    file: str
    source: RuleFile

    def version_on(self, day: date) -> CompiledVersion | None:
        """The version in force on a date, or None when none is."""
        for version in self.versions:
            if version.in_force_on(day):
                return version
        return None


class Rulebook(Mapping[str, Regime]):
    """An immutable set of regimes by id, in id order, indexed by the places they count."""

    __slots__ = (
        "_by_establishment",
        "_by_place",
        "_established_cache",
        "_everywhere",
        "_places",
        "_regimes",
        "contract_ids",
    )

    def __init__(self, regimes: Mapping[str, Regime]) -> None:
        self._regimes = MappingProxyType(dict(sorted(regimes.items())))
        # Contracts bind only the parties that name them, so no place makes them relevant.
        self.contract_ids = frozenset(
            r.id for r in self._regimes.values() if r.source.kind == "contract"
        )
        laws = [r for r in self._regimes.values() if r.id not in self.contract_ids]
        self._places = {
            r.id: frozenset().union(*(v.residents_of for v in r.versions)) for r in laws
        }
        everywhere = [
            r for r in laws if any(v.everyone_when or not v.counts_people for v in r.versions)
        ]
        # Laws that count everyone only for an entity established in given places need not be
        # evaluated for an entity established elsewhere whose people live elsewhere.
        self._by_establishment = {
            r.id: places for r in everywhere if (places := _establishment_places(r)) is not None
        }
        self._everywhere = tuple(r for r in everywhere if r.id not in self._by_establishment)
        self._established_cache: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._by_place: dict[str, tuple[Regime, ...]] = {}

    def relevant(self, places: Iterable[str], established: Iterable[str] = ()) -> list[Regime]:
        """The regimes that may count people of these places, or anyone, in id order.

        Others cannot touch an incident whose affected people live only in these places, by an
        entity established only in ``established``.
        """
        found = {r.id: r for r in self._everywhere}
        for regime_id in self._for_establishment(tuple(established)):
            found[regime_id] = self._regimes[regime_id]
        for place in places:
            for regime in self._for_place(place):
                found[regime.id] = regime
        return [found[i] for i in sorted(found)]

    def _for_establishment(self, where: tuple[str, ...]) -> tuple[str, ...]:
        cached = self._established_cache.get(where)
        if cached is None:
            cached = tuple(
                regime_id
                for regime_id, homes in self._by_establishment.items()
                if any(overlaps(home, e) for home in homes for e in where)
            )
            self._established_cache[where] = cached
        return cached

    def _for_place(self, place: str) -> tuple[Regime, ...]:
        cached = self._by_place.get(place)
        if cached is None:
            cached = tuple(
                r
                for r in self._regimes.values()
                if r.id in self._places and any(overlaps(p, place) for p in self._places[r.id])
            )
            self._by_place[place] = cached
        return cached

    def only(self, keep: Callable[[Regime], bool]) -> Rulebook:
        """A rulebook of the regimes ``keep`` accepts (e.g. those owing notice to a data owner)."""
        return Rulebook({i: r for i, r in self._regimes.items() if keep(r)})

    def __getitem__(self, regime_id: str) -> Regime:
        return self._regimes[regime_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._regimes)

    def __len__(self) -> int:
        return len(self._regimes)

    def __repr__(self) -> str:
        return f"<Rulebook of {len(self)} regimes>"


def _establishment_places(regime: Regime) -> frozenset[str] | None:
    """The places whose establishment makes a law count everyone, when that is all it takes.

    None when some version counts everyone on another condition, or counts nobody (a law
    triggered by the incident itself): such a law is always evaluated.
    """
    places: set[str] = set()
    for version in regime.versions:
        if not version.counts_people:
            return None
        rule = version.rule.population.everyone_when if version.rule.population else None
        if rule is None:
            continue
        if not (
            isinstance(rule, FactTest) and rule.fact == "entity.established_in" and rule.within
        ):
            return None
        places.update(rule.within)
    return frozenset(places)
