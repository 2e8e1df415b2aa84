"""Invariants that hold for every law, checked with Hypothesis on the fixture and bundled rules.

- Soundness of unknown facts: the answer with a fact unknown covers the answers with it known.
- Monotonicity: more people, more data categories or more groups never remove a recipient.
- Deadlines are never before discovery.
- Time-zone invariance: the same instant in another zone changes no status and no hour deadline.
- Order invariance: the order of affected groups changes no obligation.
- A group inside a law's safe harbor (e.g. encrypted, key safe) never adds a duty it covers.
- At most one version of a law is in force on any date.
"""

from __future__ import annotations

from datetime import date, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from breachrules import Assessment, Incident, Rulebook, load_rules, obligations, strategies
from breachrules.conditions import Context

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
PLACES = {
    "fixtures": ("XF", "XF-N", "XF-S", "XA"),
    "bundled": strategies.DEFAULT_JURISDICTIONS,
}


def _book(name: str) -> Rulebook:
    return load_rules(FIXTURES, include_bundled=False) if name == "fixtures" else load_rules()


Key = tuple[str, str, str]


def _statuses(assessment: Assessment) -> dict[Key, str]:
    return {(o.regime, o.obligation, o.jurisdiction): o.status for o in assessment}


def _covers(unknown: str, known: str) -> bool:
    return unknown == "undetermined" or unknown == known


def _unknown_slots(incident: Incident) -> list[tuple[str, Any]]:
    """Each unknown fact of the incident with the values it could take."""
    slots: list[tuple[str, Any]] = []
    if incident.risk_of_harm is None:
        slots.append(("risk_of_harm", ["unlikely", "likely", "high"]))
    for name, value in incident.facts.items():
        if value is None:
            slots.append((f"facts.{name}", [True, False]))
    for i, group in enumerate(incident.affected):
        for field in ("encrypted", "key_compromised"):
            if getattr(group, field) is None:
                slots.append((f"affected.{i}.{field}", [True, False]))
        if group.count is None:
            slots.append((f"affected.{i}.count", [0, 1, 499, 500, 501, 1000, 5001, 20000]))
    return slots


def _with(incident: Incident, slot: str, value: Any) -> Incident:
    data = incident.model_dump()
    parts = slot.split(".")
    target: Any = data
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    target[parts[-1]] = value
    return Incident.model_validate(data)


@pytest.mark.parametrize("book_name", ["fixtures", "bundled"])
@given(data=st.data())
def test_unknown_fact_covers_every_known_value(book_name: str, data: st.DataObject) -> None:
    book = _book(book_name)
    incident = data.draw(strategies.incidents(PLACES[book_name]))
    slots = _unknown_slots(incident)
    assume(slots)
    slot, values = data.draw(st.sampled_from(slots))
    unknown = _statuses(obligations(incident, rules=book))
    for value in values:
        known = _statuses(obligations(_with(incident, slot, value), rules=book))
        for key in set(unknown) | set(known):
            assert _covers(unknown.get(key, "no"), known.get(key, "no")), (slot, value, key)


def _recipients(assessment: Assessment) -> set[tuple[str, str, str]]:
    return {(o.regime, o.recipient, o.jurisdiction) for o in assessment}


@pytest.mark.parametrize("book_name", ["fixtures", "bundled"])
@given(data=st.data())
def test_more_people_or_data_never_remove_a_recipient(book_name: str, data: st.DataObject) -> None:
    book = _book(book_name)
    incident = data.draw(strategies.incidents(PLACES[book_name]))
    before = _recipients(obligations(incident, rules=book))
    index = data.draw(st.integers(0, len(incident.affected) - 1))
    grown = incident.model_dump()
    group = grown["affected"][index]
    if group["count"] is not None:
        group["count"] += data.draw(st.integers(1, 5000))
    group["data"] = sorted(set(group["data"]) | set(data.draw(strategies.data_categories())))
    grown["affected"].append(data.draw(strategies.affected_groups(PLACES[book_name])).model_dump())
    after = _recipients(obligations(grown, rules=book))
    assert set() == before - after


@pytest.mark.parametrize("book_name", ["fixtures", "bundled"])
@given(data=st.data())
def test_no_deadline_before_discovery(book_name: str, data: st.DataObject) -> None:
    incident = data.draw(strategies.incidents(PLACES[book_name]))
    for ob in obligations(incident, rules=_book(book_name)):
        assert ob.deadline is None or ob.deadline >= incident.discovered_at, ob.obligation


def _near_version_boundary(book: Rulebook, incident: Incident) -> bool:
    when = incident.discovered_at.date()
    for regime in book.values():
        for version in regime.versions:
            for edge in (version.rule.effective_from, version.rule.effective_until):
                if edge is not None and abs((edge - when).days) <= 1:
                    return True
    return False


@pytest.mark.parametrize("book_name", ["fixtures", "bundled"])
@given(data=st.data(), minutes=st.integers(-12 * 60, 14 * 60))
def test_same_instant_in_another_zone(book_name: str, data: st.DataObject, minutes: int) -> None:
    book = _book(book_name)
    incident = data.draw(strategies.incidents(PLACES[book_name]))
    assume(not _near_version_boundary(book, incident))
    moved = incident.model_copy(
        update={
            "discovered_at": incident.discovered_at.astimezone(timezone(timedelta(minutes=minutes)))
        }
    )
    first, second = obligations(incident, rules=book), obligations(moved, rules=book)
    assert _statuses(first) == _statuses(second)
    hours_first = {(o.regime, o.obligation): o.deadline for o in first if "hour" in o.deadline_text}
    hours_second = {
        (o.regime, o.obligation): o.deadline for o in second if "hour" in o.deadline_text
    }
    assert hours_first == hours_second


@pytest.mark.parametrize("book_name", ["fixtures", "bundled"])
@given(data=st.data())
def test_group_order_changes_nothing(book_name: str, data: st.DataObject) -> None:
    book = _book(book_name)
    incident = data.draw(strategies.incidents(PLACES[book_name]))
    shuffled = incident.model_copy(
        update={"affected": data.draw(st.permutations(incident.affected))}
    )

    def summary(a: Assessment) -> set[tuple[Any, ...]]:
        return {(o.regime, o.obligation, o.jurisdiction, o.status, o.deadline) for o in a}

    assert summary(obligations(incident, rules=book)) == summary(obligations(shuffled, rules=book))


@pytest.mark.parametrize("book_name", ["fixtures", "bundled"])
@given(data=st.data())
def test_json_round_trip(book_name: str, data: st.DataObject) -> None:
    incident = data.draw(strategies.incidents(PLACES[book_name]))
    assessment = obligations(incident, rules=_book(book_name))
    assert assessment == Assessment.from_dict(assessment.to_dict())
    assert assessment.to_dict() == Assessment.from_dict(assessment.to_dict()).to_dict()


@given(st.from_type(Incident))
def test_from_type_draws_valid_incidents_through_the_entry_point(incident: Incident) -> None:
    assert obligations(incident).as_of == incident.discovered_at.date()


@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31)))
def test_at_most_one_version_of_a_law_is_in_force_on_any_date(day: date) -> None:
    for regime in load_rules().values():
        in_force = [v for v in regime.versions if v.in_force_on(day)]
        assert len(in_force) <= 1, (regime.id, day)
        assert regime.version_on(day) is (in_force[0] if in_force else None)


@pytest.mark.parametrize("book_name", ["fixtures", "bundled"])
@given(data=st.data())
def test_a_group_inside_a_safe_harbor_never_adds_a_duty_it_covers(
    book_name: str, data: st.DataObject
) -> None:
    book = _book(book_name)
    incident = data.draw(strategies.incidents(PLACES[book_name]))
    extra = data.draw(strategies.affected_groups(PLACES[book_name])).model_copy(
        update={"encrypted": True, "key_compromised": False, "medium": "electronic"}
    )
    grown = incident.model_copy(update={"affected": [*incident.affected, extra]})
    index = len(grown.affected) - 1
    before = set(_statuses(obligations(incident, rules=book)))
    after = set(_statuses(obligations(grown, rules=book)))
    for regime, obligation, place in after - before:
        version = book[regime].version_on(grown.discovered_at.date())
        assert version is not None
        ob = next(o for o in version.obligations if o.rule.id == obligation)
        context = Context(grown, extra, index)
        harbors = [e for e in ob.group_exceptions if e.when.value(context) is True]
        assert not harbors, (regime, obligation, place, [e.rule.id for e in harbors])
