"""The bundled example incidents give complete, cited answers."""

from __future__ import annotations

import json
import re
from datetime import datetime
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from breachrules import Assessment, load_rules, obligations

NEW_YORK = ZoneInfo("America/New_York")


def example(name: str) -> dict[str, Any]:
    text = resources.files("breachrules").joinpath("examples", f"{name}.json").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


@pytest.fixture(scope="module")
def all_us() -> Assessment:
    return obligations(example("all-us"))


# The general breach laws of the states and territories have ids of the form us-xx.
US_REGIMES = sorted(r for r in load_rules() if re.fullmatch(r"us-[a-z]{2}", r))


def test_all_us_example_covers_54_jurisdictions() -> None:
    assert 54 == len(US_REGIMES)
    assert 54 == len(example("all-us")["affected"])


@pytest.mark.parametrize("regime", US_REGIMES)
def test_every_us_law_requires_notice_of_1000_names_with_ssns(
    all_us: Assessment, regime: str
) -> None:
    individuals = [o for o in all_us.for_regime(regime) if o.recipient == "individuals"]
    assert individuals
    assert {"required"} == {o.status for o in individuals}


def test_every_obligation_is_cited_with_a_source(all_us: Assessment) -> None:
    for ob in all_us:
        assert ob.citation, ob.regime
        assert ob.source_url.startswith("https://") or ob.source_url.startswith("http://")
        assert ob.reasons, ob.regime


def test_fixed_deadlines_of_the_example(all_us: Assessment) -> None:
    def deadline(regime: str, obligation: str) -> datetime | None:
        (ob,) = [o for o in all_us.for_regime(regime) if o.obligation == obligation]
        return ob.deadline

    # Discovered 2026-06-01 in New York; day-counted deadlines end at 23:59:59 there.
    assert datetime(2026, 7, 1, 23, 59, 59, tzinfo=NEW_YORK) == deadline("us-ca", "individuals")
    assert datetime(2026, 7, 1, 23, 59, 59, tzinfo=NEW_YORK) == deadline("us-ny", "individuals")
    assert datetime(2026, 7, 1, 23, 59, 59, tzinfo=NEW_YORK) == deadline(
        "us-tx", "attorney-general"
    )
    assert datetime(2026, 7, 31, 23, 59, 59, tzinfo=NEW_YORK) == deadline("us-tx", "individuals")
    assert datetime(2026, 7, 16, 23, 59, 59, tzinfo=NEW_YORK) == deadline("us-vt", "consumers")


def test_multistate_example_is_cited_and_sorted() -> None:
    assessment = obligations(example("multistate"))
    dated = [o.deadline for o in assessment if o.deadline is not None]
    assert sorted(dated) == dated
    assert {"us-ca", "us-tx", "us-ny", "us-fl", "us-vt", "eu-gdpr"} <= {
        o.regime for o in assessment
    }


def test_convergent_case_study_fans_out_to_every_client() -> None:
    from breachrules import fan_out

    incident = example("convergent-2022")
    people = sum(g["count"] for o in incident["data_owners"] for g in o["affected"])
    assert 640_000 == people
    answer = fan_out(incident)
    assert 5 == len(answer)
    for client, owner in zip(answer, incident["data_owners"], strict=True):
        states = {g["jurisdiction"] for g in owner["affected"]}
        # Every state law of the client's people asks the vendor to tell the client...
        told = {ob.jurisdiction for ob in client.to_client if ob.regime.startswith("us-")}
        assert states <= told, client.client
        # ...and the client, as owner, to tell its people there.
        letters = {
            ob.jurisdiction
            for ob in client.as_owner
            if ob.recipient == "individuals" and ob.regime.startswith("us-")
        }
        assert states == letters, client.client


def test_convergent_georgia_vendor_notice_is_due_within_24_hours() -> None:
    from breachrules import fan_out

    cable = fan_out(example("convergent-2022")).client("Cable client (illustrative)")
    (georgia,) = [ob for ob in cable.to_client if ob.regime == "us-ga"]
    assert datetime(2022, 6, 18, 0, 0, tzinfo=ZoneInfo("America/Los_Angeles")) == georgia.deadline


def test_convergent_audit_before_any_notice_shows_pending_and_missing() -> None:
    from breachrules import audit, fan_out

    answer = fan_out(example("convergent-2022"))
    report = audit(answer, [], as_of="2022-06-30T00:00:00-07:00")
    assert report.count("missing") > 0  # e.g. the 24-hour Georgia notice to the client
    assert report.count("pending") > 0  # e.g. the 30-day Washington letters
    assert 0 == report.count("met")


def test_the_case_study_table_matches_the_library() -> None:
    from pathlib import Path

    from breachrules import fan_out

    incident = example("convergent-2022")
    doc = (Path(__file__).parent.parent / "docs" / "case-study-convergent.md").read_text()
    for client, owner in zip(fan_out(incident), incident["data_owners"], strict=True):
        people = sum(g["count"] for g in owner["affected"])
        vendor = [ob.deadline for ob in client.to_client if ob.deadline]
        own = [ob.deadline for ob in client.as_owner if ob.deadline]

        def first(found: list[datetime]) -> str:
            return min(found).strftime("%Y-%m-%d %H:%M") if found else "none fixed"

        row = (
            f"| {client.client} | {people:,} | "
            + ", ".join(g["jurisdiction"][3:] for g in owner["affected"])
            + f" | {len(client.to_client)} | {len(client.as_owner)} | {first(vendor)} | "
            f"{first(own)} |"
        )
        assert row in doc, f"docs/case-study-convergent.md is stale: {row}"
