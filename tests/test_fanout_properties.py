"""Invariants of the vendor fan-out and of record-level input, over the bundled laws."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from breachrules import Incident, fan_out, load_rules
from breachrules.engine import evaluate
from breachrules.incident import Entity
from breachrules.records import read_records
from breachrules.strategies import vendor_incidents

BOOK = load_rules()


def key(ob: Any) -> tuple[Any, ...]:
    return (ob.regime, ob.obligation, ob.jurisdiction, ob.status, ob.deadline)


@settings(max_examples=40, deadline=None)
@given(vendor_incidents())
def test_each_clients_own_duties_are_those_of_the_client_as_owner(incident: Incident) -> None:
    answer = fan_out(incident, rules=BOOK)
    for owner, client in zip(incident.data_owners, answer, strict=True):
        alone = incident.model_copy(
            update={
                "discovered_at": owner.notified_at or incident.discovered_at,
                "determined_at": None,
                "events": {},
                "entity": Entity(
                    name=owner.name,
                    role="owner",
                    established_in=owner.established_in,
                    regulated_as=owner.regulated_as,
                ),
                "affected": owner.affected,
                "data_owners": [],
            }
        )
        expected = evaluate(alone, BOOK, answer.as_of)
        assert sorted(map(key, expected)) == sorted(map(key, client.as_owner))


@settings(max_examples=40, deadline=None)
@given(vendor_incidents())
def test_no_client_duty_is_due_before_the_client_could_know(incident: Incident) -> None:
    for client in fan_out(incident, rules=BOOK):
        assert client.clock_start >= incident.discovered_at
        for ob in client.as_owner:
            assert ob.deadline is None or ob.deadline >= client.clock_start, ob
        for ob in client.to_client:
            assert ob.deadline is None or ob.deadline >= incident.discovered_at, ob


@settings(max_examples=30, deadline=None)
@given(vendor_incidents())
def test_the_order_of_clients_does_not_change_their_answers(incident: Incident) -> None:
    forward = {c.client: c.to_dict() for c in fan_out(incident, rules=BOOK)}
    reverse = incident.model_copy(update={"data_owners": list(reversed(incident.data_owners))})
    backward = {c.client: c.to_dict() for c in fan_out(reverse, rules=BOOK)}
    for name, answer in forward.items():
        # Group paths name the client's position, which the reversal changes; compare the rest.
        assert {o["obligation"] for o in answer["as_owner"]["obligations"]} == {
            o["obligation"] for o in backward[name]["as_owner"]["obligations"]
        }
        assert [o["deadline"] for o in answer["as_owner"]["obligations"]] == [
            o["deadline"] for o in backward[name]["as_owner"]["obligations"]
        ]


ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "owner": st.sampled_from(["A", "B", "C"]),
            "residence": st.sampled_from(["94105", "Texas", "US-NY", "FR", "Atlantis", "00000"]),
            "data": st.sampled_from(
                ["name;ssn", "email", "ssn|name", "shoe_size", "name, passport"]
            ),
        }
    ),
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(ROWS, st.randoms())
def test_reading_rows_depends_on_their_contents_not_their_order(
    rows: list[dict[str, str]], rnd: Any
) -> None:
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    one, other = read_records(rows), read_records(shuffled)
    assert one.groups == other.groups
    assert one.unknown_residence == other.unknown_residence
    assert one.unknown_data == other.unknown_data
    assert len(rows) == one.rows
    assert one.rows == one.people + sum(one.unknown_residence.values()) + one.no_known_data
