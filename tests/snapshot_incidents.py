"""Canonical incidents for the snapshot tests, generated from each bundled law's own data.

For one law, the version in force on ``DISCOVERED_AT`` (or, when none is, its latest version)
gives the incidents:

- one group of the law's residents (its first ``residents_of`` code; a region stands for its
  first member country) whose data meets the law's first personal-information combination
  (``name`` alone for a law that counts any personal data), electronic unless the law only
  covers paper, not encrypted;
- one incident per count: every threshold value of the law's obligations and that value + 1,
  plus a plain 1,000;
- for a law with ``trigger = "incident"``, a single incident with no affected groups;
- facts: ``acquired`` true, ``good_faith_employee_acquisition`` false, every other registered
  fact false; ``risk_of_harm`` "likely"; a fixed ``discovered_at`` with an IANA ``timezone``;
- an entity (an owner) whose ``regulated_as`` and ``established_in`` satisfy the law's
  ``applies_when``, found by trying the flags and places the condition names, fewest first.

The snapshot of a law is the assessment of each incident restricted to that law: its
obligations and its ``not_required`` entries, as ``Assessment.to_dict()`` gives them.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from datetime import date
from typing import Any

from breachrules import Rulebook, obligations, parse_incident, registry
from breachrules.conditions import Context
from breachrules.rulebook import CompiledVersion, Regime
from breachrules.schema import AllOf, AnyOf, Condition, FactTest, Not

DISCOVERED_AT = "2026-10-20T09:30:00-04:00"
"""A Tuesday; 30 days later is after the end of daylight saving time in New York."""
TIMEZONE = "America/New_York"
DAY = date(2026, 10, 20)
PLAIN_COUNT = 1_000
ENTITY_NAME = "Snapshot Example Co."


def law_version(regime: Regime) -> CompiledVersion:
    """The version the snapshot incidents are made from."""
    return regime.version_on(DAY) or regime.versions[-1]


def canonical_facts() -> dict[str, bool]:
    """Every registered fact false, except that the data was acquired."""
    facts = dict.fromkeys(sorted(registry.facts()), False)
    facts["acquired"] = True
    return facts


def _place(code: str) -> str:
    """A concrete place for a code: a region's first member country, else the code."""
    members = registry.regions().get(code)
    return sorted(members)[0] if members else code


def _tests(condition: Condition | None) -> Iterator[FactTest]:
    if condition is None:
        return
    if isinstance(condition, AllOf):
        for part in condition.all:
            yield from _tests(part)
    elif isinstance(condition, AnyOf):
        for part in condition.any:
            yield from _tests(part)
    elif isinstance(condition, Not):
        yield from _tests(condition.not_)
    else:
        yield condition


def _entity_candidates(version: CompiledVersion) -> Iterator[dict[str, Any]]:
    """Entities to try against ``applies_when``: fewest flags first, in the condition's order."""
    flags: list[str] = []
    places: list[str] = []
    for test in _tests(version.rule.applies_when):
        if test.fact == "entity.regulated_as":
            for flag in [test.contains] if test.contains else test.contains_any or []:
                if flag not in flags:
                    flags.append(flag)
        elif test.fact == "entity.established_in":
            for code in test.within or []:
                if _place(code) not in places:
                    places.append(_place(code))
    established: list[list[str]] = [[], *([p] for p in places)]
    for size in range(len(flags) + 1):
        for chosen in itertools.combinations(flags, size):
            for where in established:
                yield {
                    "name": ENTITY_NAME,
                    "role": "owner",
                    "established_in": where,
                    "regulated_as": list(chosen),
                }


def scope_facts(version: CompiledVersion) -> dict[str, bool]:
    """The canonical facts, with those ``applies_when`` asks to be true set true.

    Some laws govern only entities a yes/no fact describes (a DIFC establishment, say).
    """
    facts = canonical_facts()
    for test in _tests(version.rule.applies_when):
        if test.fact.startswith("facts.") and test.is_ is True:
            facts[test.fact.removeprefix("facts.")] = True
    return facts


def entity_in_scope(version: CompiledVersion) -> dict[str, Any]:
    """An owner the version's ``applies_when`` governs, with the facts of every incident here."""
    for facts in (canonical_facts(), scope_facts(version)):
        for entity in _entity_candidates(version):
            probe = parse_incident(
                {"discovered_at": DISCOVERED_AT, "entity": entity, "facts": facts}
            )
            if version.applies_when.value(Context(probe)) is True:
                return entity
    raise ValueError(f"no entity of the flags and places it names satisfies {version.rule}")


def _data(version: CompiledVersion) -> list[str]:
    definition = version.rule.personal_information
    if definition is None or definition.any_personal_data or not definition.combinations:
        return ["name"]
    first = definition.combinations[0]
    return sorted({*first.all, *first.any[:1]})


def counts(version: CompiledVersion) -> list[int]:
    """Each threshold value of the version and that value + 1, and a plain 1,000."""
    values = {PLAIN_COUNT}
    for ob in version.obligations:
        if ob.rule.threshold is not None:
            values |= {ob.rule.threshold.value, ob.rule.threshold.value + 1}
    return sorted(values)


def _facts_for(version: CompiledVersion) -> dict[str, bool]:
    entity = entity_in_scope(version)
    probe = parse_incident(
        {"discovered_at": DISCOVERED_AT, "entity": entity, "facts": canonical_facts()}
    )
    governed = version.applies_when.value(Context(probe)) is True
    return canonical_facts() if governed else scope_facts(version)


def incidents(regime: Regime) -> list[tuple[str, dict[str, Any]]]:
    """The canonical incidents of one law, named, in a stable order."""
    version = law_version(regime)
    base: dict[str, Any] = {
        "discovered_at": DISCOVERED_AT,
        "timezone": TIMEZONE,
        "entity": entity_in_scope(version),
        "risk_of_harm": "likely",
        "facts": _facts_for(version),
        "affected": [],
    }
    if not version.counts_people:
        return [("entity in scope; the law turns on the incident itself", base)]
    media = version.rule.personal_information.media if version.rule.personal_information else []
    medium = "electronic" if not media or "electronic" in media else media[0]
    population = version.rule.population
    place = _place(population.residents_of[0] if population else sorted(version.residents_of)[0])
    found = []
    for count in counts(version):
        group = {
            "jurisdiction": place,
            "count": count,
            "data": _data(version),
            "encrypted": False,
            "medium": medium,
        }
        found.append((f"{count:,} in {place}", {**base, "affected": [group]}))
    return found


def snapshot(regime: Regime, book: Rulebook) -> dict[str, Any]:
    """The snapshot of one law: each canonical incident with the law's part of its assessment."""
    version = law_version(regime)
    cases = []
    for name, incident in incidents(regime):
        result = obligations(incident, rules=book).to_dict()
        cases.append(
            {
                "name": name,
                "incident": incident,
                "as_of": result["as_of"],
                "obligations": [o for o in result["obligations"] if o["regime"] == regime.id],
                "not_required": [n for n in result["not_required"] if n["regime"] == regime.id],
            }
        )
    return {
        "regime": regime.id,
        "version": version.rule.effective_from.isoformat() if version.rule.effective_from else None,
        "generated_by": "python -m tests.test_snapshots --update",
        "cases": cases,
    }


def render(data: dict[str, Any]) -> str:
    """The snapshot as stored: JSON with sorted keys, indented, ending in a newline."""
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
