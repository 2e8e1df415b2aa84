"""Timeliness audit: duties met, late, missing or pending, and notices no duty required."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from breachrules import InvalidIncidentError, audit, load_rules, obligations
from breachrules.results import Assessment

EST = timezone(timedelta(hours=-5))
BOOK = load_rules(Path(__file__).parent / "fixtures" / "rules", include_bundled=False)


@pytest.fixture(scope="module")
def assessment() -> Assessment:
    # North Freedonia 2024: individuals within 30 days; regulator within 15 days after them.
    return obligations(
        {
            "discovered_at": "2026-03-02T09:30:00-05:00",
            "entity": {"name": "Acme", "role": "owner"},
            "facts": {"acquired": True},
            "risk_of_harm": "likely",
            "affected": [{"jurisdiction": "XF-N", "count": 800, "data": ["name", "ssn"]}],
        },
        rules=BOOK,
    )


def by_obligation(result: object) -> dict[str, object]:
    return {e.obligation.obligation: e for e in result}  # type: ignore[attr-defined]


def test_on_time_late_missing_and_pending(assessment: Assessment) -> None:
    sent = [
        {
            "recipient": "individuals",
            "jurisdiction": "XF-N",
            "sent_at": "2026-03-20T10:00:00-05:00",
        },
        {"regime": "xf-n", "obligation": "regulator", "sent_at": "2026-04-10T10:00:00-04:00"},
    ]
    result = audit(assessment, sent, as_of=datetime(2026, 6, 1, tzinfo=EST))
    entries = by_obligation(result)
    assert "met" == entries["individuals"].status  # type: ignore[attr-defined]
    regulator = entries["regulator"]
    assert "late" == regulator.status  # type: ignore[attr-defined]
    due = regulator.obligation.deadline  # type: ignore[attr-defined]
    assert datetime(2026, 4, 10, 10, tzinfo=timezone(timedelta(hours=-4))) - due == (
        regulator.late_by  # type: ignore[attr-defined]
    )
    assert "missing" == entries["police"].status  # type: ignore[attr-defined]
    assert 1 == result.count("met")
    assert 1 == result.count("late")


def test_deadlines_after_another_notice_use_the_notices_in_the_incident() -> None:
    # With the residents' notice given, the regulator is due 15 days after it.
    assessment = obligations(
        {
            "discovered_at": "2026-03-02T09:30:00-05:00",
            "entity": {"name": "Acme", "role": "owner"},
            "facts": {"acquired": True},
            "risk_of_harm": "likely",
            "affected": [{"jurisdiction": "XF-N", "count": 800, "data": ["name", "ssn"]}],
            "notices": [
                {
                    "regime": "xf-n",
                    "obligation": "individuals",
                    "sent_at": "2026-03-20T10:00:00-05:00",
                }
            ],
        },
        rules=BOOK,
    )
    sent = [{"regime": "xf-n", "obligation": "regulator", "sent_at": "2026-04-10T10:00:00-04:00"}]
    regulator = by_obligation(audit(assessment, sent, as_of=datetime(2026, 6, 1, tzinfo=EST)))[
        "regulator"
    ]
    assert datetime(2026, 4, 4, 23, 59, 59, tzinfo=EST) == regulator.obligation.deadline  # type: ignore[attr-defined]
    assert timedelta(days=5, hours=9, seconds=1) == regulator.late_by  # type: ignore[attr-defined]


def test_not_yet_due_is_pending(assessment: Assessment) -> None:
    result = audit(assessment, [], as_of=datetime(2026, 3, 3, tzinfo=EST))
    assert "pending" == by_obligation(result)["individuals"].status  # type: ignore[attr-defined]


def test_a_notice_no_duty_required_is_listed(assessment: Assessment) -> None:
    sent = [{"recipient": "media", "jurisdiction": "XF", "sent_at": "2026-03-05T10:00:00-05:00"}]
    result = audit(assessment, sent, as_of=datetime(2026, 6, 1, tzinfo=EST))
    assert 1 == len(result.unrequired)
    assert "media" == result.unrequired[0].recipient


def test_a_notice_in_a_subdivision_counts_for_a_countrywide_duty() -> None:
    national = obligations(
        {
            "discovered_at": "2026-03-02T09:30:00-05:00",
            "entity": {"name": "Clinic", "role": "owner", "regulated_as": ["hipaa_covered_entity"]},
            "risk_of_harm": "likely",
            "affected": [{"jurisdiction": "XF", "count": 10, "data": ["name", "medical"]}],
        },
        rules=BOOK,
    )
    sent = [{"recipient": "individuals", "jurisdiction": "XF-N", "sent_at": "2026-03-10T00:00:00Z"}]
    result = audit(national, sent, as_of=datetime(2026, 6, 1, tzinfo=EST))
    assert "met" == by_obligation(result)["individuals"].status  # type: ignore[attr-defined]


def test_bad_notice_names_its_position(assessment: Assessment) -> None:
    with pytest.raises(InvalidIncidentError, match=r"sent\[0\]\.sent_at"):
        audit(assessment, [{"recipient": "individuals", "sent_at": "2026-03-10T00:00:00"}])
    with pytest.raises(InvalidIncidentError, match=r"sent\[0\]\.jurisdiction.*US-CA"):
        audit(assessment, [{"jurisdiction": "US-CAL", "sent_at": "2026-03-10T00:00:00Z"}])
    with pytest.raises(InvalidIncidentError, match=r"sent\[0\]\.recipient"):
        audit(assessment, [{"recipient": "people", "sent_at": "2026-03-10T00:00:00Z"}])


def test_naive_as_of_is_refused(assessment: Assessment) -> None:
    with pytest.raises(InvalidIncidentError, match="as_of"):
        audit(assessment, [], as_of=datetime(2026, 6, 1))
