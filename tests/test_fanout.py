"""Vendor fan-out and contracts, on the fictional fixture laws and the example contract."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from breachrules import InvalidIncidentError, fan_out, load_rules, obligations
from breachrules.rulebook import Rulebook

HERE = Path(__file__).parent
EST = timezone(timedelta(hours=-5))
CONTRACT = HERE.parent / "src" / "breachrules" / "examples" / "contracts"


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Rulebook:
    folder = tmp_path_factory.mktemp("rules")
    shutil.copytree(HERE / "fixtures" / "rules", folder, dirs_exist_ok=True)
    shutil.copy(CONTRACT / "northwind-bank-msa.toml", folder)
    return load_rules(folder, include_bundled=False)


def vendor_incident(**changes: Any) -> dict[str, Any]:
    incident: dict[str, Any] = {
        "discovered_at": "2026-03-02T09:30:00-05:00",
        "entity": {"name": "Collections Co", "role": "service_provider"},
        "facts": {"acquired": True},
        "risk_of_harm": "likely",
        "data_owners": [
            {
                "name": "Northwind Bank",
                "notified_at": "2026-03-04T12:00:00-05:00",
                "contracts": ["northwind-bank-msa"],
                "delegates": ["individuals"],
                "affected": [{"jurisdiction": "XF-N", "count": 501, "data": ["name", "ssn"]}],
            },
            {
                "name": "Fabrikam Utilities",
                "affected": [{"jurisdiction": "XF-N", "count": 500, "data": ["name", "ssn"]}],
            },
            {"name": "Client With No People"},
        ],
    }
    incident.update(changes)
    return incident


def ids(assessment: Any) -> set[str]:
    return {f"{ob.regime}/{ob.obligation}" for ob in assessment}


def test_each_client_gets_the_vendors_duties_toward_it(book: Rulebook) -> None:
    answer = fan_out(vendor_incident(), rules=book)
    northwind = answer.client("Northwind Bank")
    assert {
        "xf-n/owner",
        "northwind-bank-msa/initial-notice",
        "northwind-bank-msa/written-report",
    } == ids(northwind.to_client)
    assert {"xf-n/owner"} == ids(answer.client("Fabrikam Utilities").to_client)


def test_contract_and_law_deadlines_are_both_shown(book: Rulebook) -> None:
    northwind = fan_out(vendor_incident(), rules=book).client("Northwind Bank")
    due = {ob.obligation: ob for ob in northwind.to_client}
    assert datetime(2026, 3, 3, 9, 30, tzinfo=EST) == due["initial-notice"].deadline
    assert datetime(2026, 3, 4, 9, 30, tzinfo=EST) == due["owner"].deadline
    assert "contract" == due["initial-notice"].kind
    assert "statute" == due["owner"].kind


def test_owner_clock_starts_when_the_client_learned(book: Rulebook) -> None:
    northwind = fan_out(vendor_incident(), rules=book).client("Northwind Bank")
    assert datetime(2026, 3, 4, 12, 0, tzinfo=EST) == northwind.clock_start
    individuals = next(ob for ob in northwind.as_owner if ob.obligation == "individuals")
    # 30 days from the client's notice, not from the vendor's discovery.
    assert datetime(2026, 4, 3, 23, 59, 59, tzinfo=EST) == individuals.deadline
    assert individuals.reasons[0].startswith("Clock: Northwind Bank's periods count from")


def test_unknown_client_notice_counts_from_vendor_discovery_and_says_so(book: Rulebook) -> None:
    fabrikam = fan_out(vendor_incident(), rules=book).client("Fabrikam Utilities")
    assert datetime(2026, 3, 2, 9, 30, tzinfo=EST) == fabrikam.clock_start
    assert "earliest it can have known" in fabrikam.clock_reason
    individuals = next(ob for ob in fabrikam.as_owner if ob.obligation == "individuals")
    assert datetime(2026, 4, 1, 23, 59, 59, tzinfo=EST) == individuals.deadline


def test_thresholds_count_each_clients_people_separately(book: Rulebook) -> None:
    answer = fan_out(vendor_incident(), rules=book)
    assert "xf-n/regulator" in ids(answer.client("Northwind Bank").as_owner)  # 501 > 500
    assert "xf-n/regulator" not in ids(answer.client("Fabrikam Utilities").as_owner)  # 500


def test_delegation_records_who_sends_each_notice(book: Rulebook) -> None:
    northwind = fan_out(vendor_incident(), rules=book).client("Northwind Bank")
    senders = {ob.obligation: northwind.sender(ob) for ob in northwind.as_owner}
    assert "Collections Co" == senders["individuals"]
    assert "Northwind Bank" == senders["regulator"]
    rows = list(northwind.rows())
    assert {("individuals", "Collections Co")} <= {(r["obligation"], r["sent_by"]) for r in rows}


def test_a_client_with_no_people_has_no_duties(book: Rulebook) -> None:
    empty = fan_out(vendor_incident(), rules=book).client("Client With No People")
    assert [] == list(empty.to_client)
    assert [] == list(empty.as_owner)


def test_missing_facts_name_the_clients_group(book: Rulebook) -> None:
    incident = vendor_incident()
    incident["data_owners"][1]["affected"][0]["count"] = None
    fabrikam = fan_out(incident, rules=book).client("Fabrikam Utilities")
    regulator = next(ob for ob in fabrikam.as_owner if ob.obligation == "regulator")
    assert "data_owners[1].affected[0].count" in regulator.missing_facts
    assert all(f.startswith(("data_owners[1]", "facts.")) for f in regulator.missing_facts)


def test_vendor_duties_owed_to_no_client_are_worked_out_once(book: Rulebook) -> None:
    answer = fan_out(vendor_incident(), rules=book)
    assert all(ob.recipient != "data_owner" for ob in answer.vendor_duties)
    assert answer.own_data is None


def test_fan_out_round_trips_to_json_ready_dict(book: Rulebook) -> None:
    import json

    data = fan_out(vendor_incident(), rules=book).to_dict()
    assert ["Northwind Bank", "Fabrikam Utilities", "Client With No People"] == [
        c["client"] for c in data["clients"]
    ]
    assert len(data["clients"][0]["sent_by"]) == len(data["clients"][0]["as_owner"]["obligations"])
    json.dumps(data)


def test_thousands_of_clients_in_one_call(book: Rulebook) -> None:
    owners = [
        {
            "name": f"Client {i}",
            "affected": [{"jurisdiction": "XF-N", "count": i, "data": ["name", "ssn"]}],
        }
        for i in range(2000)
    ]
    answer = fan_out(vendor_incident(data_owners=owners), rules=book)
    assert 2000 == len(answer)
    with_regulator = [c for c in answer if "xf-n/regulator" in ids(c.as_owner)]
    assert 2000 - 501 == len(with_regulator)


def test_obligations_refuses_an_incident_with_data_owners(book: Rulebook) -> None:
    with pytest.raises(InvalidIncidentError, match="fan_out"):
        obligations(vendor_incident(), rules=book)


def test_fan_out_needs_data_owners(book: Rulebook) -> None:
    with pytest.raises(InvalidIncidentError, match="data_owners"):
        fan_out(vendor_incident(data_owners=[]), rules=book)


def test_data_owners_need_a_service_provider() -> None:
    incident = vendor_incident()
    incident["entity"]["role"] = "owner"
    with pytest.raises(InvalidIncidentError, match="service_provider"):
        fan_out(incident)


def test_client_cannot_learn_before_discovery() -> None:
    incident = vendor_incident()
    incident["data_owners"][0]["notified_at"] = "2026-03-01T00:00:00-05:00"
    with pytest.raises(InvalidIncidentError, match="before discovered_at"):
        fan_out(incident)


def test_unknown_contract_suggests_a_loaded_one(book: Rulebook) -> None:
    incident = vendor_incident()
    incident["data_owners"][0]["contracts"] = ["northwind-msa"]
    with pytest.raises(InvalidIncidentError, match="did you mean 'northwind-bank-msa'"):
        fan_out(incident, rules=book)


def test_contracts_need_their_directory_loaded() -> None:
    incident = vendor_incident()
    with pytest.raises(InvalidIncidentError, match="no contract rule files are loaded"):
        fan_out(incident)


def test_a_contract_binds_only_the_incidents_that_name_it(book: Rulebook) -> None:
    incident = {
        "discovered_at": "2026-03-02T09:30:00-05:00",
        "entity": {"name": "Collections Co", "role": "service_provider"},
        "affected": [{"jurisdiction": "XF-N", "count": 10, "data": ["name", "ssn"]}],
    }
    assert not any(ob.kind == "contract" for ob in obligations(incident, rules=book))
    named = obligations({**incident, "contracts": ["northwind-bank-msa"]}, rules=book)
    assert {"initial-notice", "written-report"} == {
        ob.obligation for ob in named if ob.kind == "contract"
    }


def test_command_line_fan_out_in_every_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import csv
    import io
    import json

    from breachrules.__main__ import main

    path = tmp_path / "vendor.json"
    path.write_text(json.dumps(vendor_incident()))
    contracts = tmp_path / "rules"  # the fictional laws and the example contract
    shutil.copytree(HERE / "fixtures" / "rules", contracts)
    shutil.copy(CONTRACT / "northwind-bank-msa.toml", contracts)
    assert 0 == main(["fan-out", str(path), "--rules", str(contracts)])
    text = capsys.readouterr().out
    assert "Northwind Bank" in text
    assert "northwind-bank-msa/initial-notice" in text
    assert 0 == main(["fan-out", str(path), "--rules", str(contracts), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    sent_by = {(r["client"], r["obligation"], r["jurisdiction"]): r["sent_by"] for r in rows}
    assert "Collections Co" == sent_by[("Northwind Bank", "individuals", "XF-N")]
    assert "Northwind Bank" == sent_by[("Northwind Bank", "regulator", "XF-N")]
    assert 0 == main(["fan-out", str(path), "--rules", str(contracts), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert 3 == len(data["clients"])


def test_command_line_fan_out_refuses_an_incident_without_clients(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import json

    from breachrules.__main__ import main

    path = tmp_path / "vendor.json"
    path.write_text(json.dumps(vendor_incident(data_owners=[])))
    assert 1 == main(["fan-out", str(path)])
    assert "data_owners" in capsys.readouterr().err
