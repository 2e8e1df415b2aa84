"""Record-level input: rows of people into groups, and per-person notice lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from breachrules import InvalidIncidentError, fan_out, load_rules, obligations
from breachrules.records import notice_table, notices_for_rows, read_records

BOOK = load_rules(Path(__file__).parent / "fixtures" / "rules", include_bundled=False)

ROWS: list[dict[str, Any]] = [
    {"id": 1, "owner": "Bank A", "residence": "94105", "data": "name;ssn"},
    {"id": 2, "owner": "Bank A", "residence": "California", "data": "name, SSN"},
    {"id": 3, "owner": "Bank A", "residence": "tx", "data": "name|ssn|shoe_size"},
    {"id": 4, "owner": "Bank B", "residence": "DE", "data": "email"},
    {"id": 5, "owner": "Bank B", "residence": "Atlantis", "data": "email"},
    {"id": 6, "owner": "Bank B", "residence": "FR", "data": "shoe_size"},
    {"id": 7, "owner": "Bank B", "residence": "00000", "data": "email"},
]


def test_rows_become_groups_by_owner_residence_and_data() -> None:
    summary = read_records(ROWS, two_letter="country")
    assert {
        ("Bank A", "US-CA", ("name", "ssn")): 2,
        ("Bank A", "US-TX", ("name", "ssn")): 1,
        ("Bank B", "DE", ("email",)): 1,
    } == dict(summary.groups)
    assert 7 == summary.rows
    assert 4 == summary.people


def test_unreadable_rows_are_counted_and_reported_never_dropped() -> None:
    summary = read_records(ROWS, two_letter="country")
    assert {"Atlantis": 1, "00000": 1} == dict(summary.unknown_residence)
    assert {"shoe_size": 2} == dict(summary.unknown_data)
    assert 1 == summary.no_known_data
    problems = " ".join(summary.problems())
    assert "2 rows with a residence that is not known" in problems
    assert "'shoe_size'" in problems


def test_ambiguous_two_letter_codes_need_a_reading() -> None:
    with pytest.raises(InvalidIncidentError, match="two_letter"):
        read_records([{"owner": "A", "residence": "CA", "data": "name;ssn"}])
    as_state = read_records(
        [{"owner": "A", "residence": "CA", "data": "name;ssn"}], two_letter="us_state"
    )
    assert {("A", "US-CA", ("name", "ssn"))} == set(as_state.groups)
    as_country = read_records(
        [{"owner": "A", "residence": "CA", "data": "name;ssn"}], two_letter="country"
    )
    assert {("A", "CA", ("name", "ssn"))} == set(as_country.groups)


def test_zip_codes_find_their_state() -> None:
    rows = [{"residence": z, "data": "name;ssn"} for z in ("05401", "10001-1234", "96910", "00901")]
    summary = read_records(rows, owner=None)
    assert {"US-VT", "US-NY", "GU", "PR"} == {key[1] for key in summary.groups}


def test_missing_column_is_named() -> None:
    with pytest.raises(InvalidIncidentError, match="residence"):
        read_records([{"owner": "A", "where": "TX", "data": "ssn"}])


def test_per_person_notices_follow_the_law_that_counts_them() -> None:
    rows = [{"id": i, "residence": "XF-N", "data": "name;ssn"} for i in range(3)]
    rows.append({"id": 99, "residence": "XF-N", "data": "email"})
    summary = read_records(rows, owner=None)
    answer = obligations(
        {
            "discovered_at": "2026-03-02T09:30:00-05:00",
            "entity": {"name": "Acme", "role": "owner"},
            "facts": {"acquired": True},
            "risk_of_harm": "likely",
            "affected": [g.model_dump() for g in summary.affected()],
        },
        rules=BOOK,
    )
    people = {row["id"]: row for row in notices_for_rows(rows, summary, answer, owner=None)}
    assert ["xf-n/individuals by 2026-04-01T23:59:59-05:00 (undetermined)"] == people[0]["notices"]
    assert [] == people[99]["notices"]  # an e-mail address alone is not personal information there


def test_fan_out_from_rows_gives_each_clients_people_their_notices() -> None:
    rows = [
        {"id": 1, "owner": "Client A", "residence": "XF-N", "data": "name;ssn"},
        {"id": 2, "owner": "Client B", "residence": "XF-N", "data": "account_credentials"},
        {"id": 3, "owner": "Client B", "residence": "FR", "data": "name;ssn"},
    ]
    summary = read_records(rows)
    answer = fan_out(
        {
            "discovered_at": "2026-03-02T09:30:00-05:00",
            "entity": {"name": "Vendor", "role": "service_provider"},
            "facts": {"acquired": True},
            "risk_of_harm": "likely",
            "data_owners": summary.data_owners(),
        },
        rules=BOOK,
    )
    people = {row["id"]: row["notices"] for row in notices_for_rows(rows, summary, answer)}
    assert 1 == len(people[1])
    assert people[1][0].startswith("xf-n/individuals")
    assert 1 == len(people[2])
    assert people[2][0].startswith("xf-n/individuals")
    assert [] == people[3]
    table = notice_table(summary, answer)
    assert 3 == len(table)


def _frames() -> list[Any]:
    pandas = pytest.importorskip("pandas")
    pytest.importorskip("narwhals")
    frame = pandas.DataFrame(ROWS)
    frames = [frame]
    try:
        import polars

        frames += [polars.from_pandas(frame), polars.from_pandas(frame).lazy()]
    except ImportError:
        pass
    try:
        import pyarrow

        frames.append(pyarrow.Table.from_pandas(frame))
    except ImportError:
        pass
    return frames


def test_every_dataframe_library_gives_the_same_groups() -> None:
    expected = read_records(ROWS, two_letter="country")
    for frame in _frames():
        found = read_records(frame, two_letter="country")
        assert expected.groups == found.groups, type(frame)
        assert expected.unknown_residence == found.unknown_residence, type(frame)


@pytest.mark.filterwarnings("ignore::FutureWarning")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_dask_on_a_two_worker_cluster_matches_one_machine() -> None:
    pandas = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    rows = [
        {
            "owner": f"Client {i % 7}",
            "residence": ("94105", "TX", "DE", "nowhere")[i % 4],
            "data": ("name;ssn", "email", "name;payment_card")[i % 3],
        }
        for i in range(5000)
    ]
    expected = read_records(rows, two_letter="country")
    frame = dd.from_pandas(pandas.DataFrame(rows), npartitions=8)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        found = read_records(frame, two_letter="country")
    assert expected.groups == found.groups
    assert expected.unknown_residence == found.unknown_residence
    assert 5000 == found.rows
