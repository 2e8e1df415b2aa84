"""Deadline arithmetic: hours, calendar days, business days, months, anchors and alternatives."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from breachrules.deadlines import Anchors, Due, add_business_days, compute, is_business_day
from breachrules.schema import Deadline

EST = timezone(timedelta(hours=-5))


def anchors(**changes: object) -> Anchors:
    values: dict[str, object] = {
        "discovery": datetime(2026, 3, 2, 9, 30, tzinfo=EST),
        "determination": None,
        "zone": EST,
        "calendar": "US-VT",
        "notice_sent": {},
        "notice_due": {},
        "notice_names": {"individuals": "affected residents"},
    }
    values.update(changes)
    return Anchors(**values)  # type: ignore[arg-type]


def due(**rule: object) -> Due:
    return compute(Deadline.model_validate(rule), anchors())


def test_hours_are_exact() -> None:
    assert datetime(2026, 3, 5, 9, 30, tzinfo=EST) == due(hours=72).at


def test_hours_across_a_daylight_saving_change_are_exact() -> None:
    zone = ZoneInfo("America/New_York")
    start = datetime(2026, 3, 7, 12, 0, tzinfo=zone)  # DST starts 2026-03-08
    result = compute(Deadline(hours=48), anchors(discovery=start, zone=zone))
    assert result.at is not None
    # Subtract in UTC: within one zone, Python's aware arithmetic is wall-clock time.
    assert timedelta(hours=48) == result.at.astimezone(UTC) - start.astimezone(UTC)
    assert 13 == result.at.hour


def test_calendar_days_end_at_the_end_of_the_last_local_day() -> None:
    assert datetime(2026, 4, 1, 23, 59, 59, tzinfo=EST) == due(days=30).at
    assert "within 30 calendar days after discovery of the breach" == due(days=30).text


def test_business_days_skip_weekends_and_town_meeting_day() -> None:
    # 2026-03-03 is Town Meeting Day, a Vermont state holiday.
    assert not is_business_day(date(2026, 3, 3), "US-VT")
    assert is_business_day(date(2026, 3, 3), "US-NY")
    assert date(2026, 3, 10) == add_business_days(date(2026, 3, 2), 5, "US-VT")
    assert date(2026, 3, 9) == add_business_days(date(2026, 3, 2), 5, "US-NY")


def test_business_days_skip_a_federal_holiday() -> None:
    # 2026-07-03 (Friday) is the observed Independence Day.
    assert date(2026, 7, 8) == add_business_days(date(2026, 7, 1), 4, "US")


def test_months_use_calendar_months() -> None:
    result = compute(Deadline(months=1), anchors(discovery=datetime(2026, 1, 31, 8, tzinfo=EST)))
    assert datetime(2026, 2, 28, 23, 59, 59, tzinfo=EST) == result.at


def test_standard_alone_has_no_date() -> None:
    result = due(standard="without undue delay")
    assert result.at is None
    assert "without undue delay" == result.text


def test_standard_with_outer_limit() -> None:
    result = due(standard="without unreasonable delay", days=60)
    assert datetime(2026, 5, 1, 23, 59, 59, tzinfo=EST) == result.at
    assert result.text.startswith("without unreasonable delay, and in any case within 60")


def test_unknown_determination_counts_from_discovery_and_says_so() -> None:
    result = due(anchor="determination", days=30)
    assert datetime(2026, 4, 1, 23, 59, 59, tzinfo=EST) == result.at
    assert "determined_at is not given" in result.notes[0]


def test_known_determination_is_the_anchor() -> None:
    later = datetime(2026, 3, 10, 12, tzinfo=EST)
    result = compute(Deadline(anchor="determination", days=30), anchors(determination=later))
    assert datetime(2026, 4, 9, 23, 59, 59, tzinfo=EST) == result.at
    assert () == result.notes


def test_relative_to_a_recorded_notice() -> None:
    sent = datetime(2026, 3, 20, 16, tzinfo=EST)
    rule = Deadline(anchor="notice", notice_of="individuals", days=15)
    result = compute(rule, anchors(notice_sent={"individuals": sent}))
    assert datetime(2026, 4, 4, 23, 59, 59, tzinfo=EST) == result.at


def test_relative_to_an_unrecorded_notice_counts_from_discovery() -> None:
    result = due(anchor="notice", notice_of="individuals", days=15)
    assert datetime(2026, 3, 17, 23, 59, 59, tzinfo=EST) == result.at
    assert "earliest that notice can be sent" in result.notes[0]


def test_before_another_notice_takes_its_deadline() -> None:
    other = Due(datetime(2026, 4, 1, 23, 59, 59, tzinfo=EST), "within 30 days")
    rule = Deadline(anchor="notice", notice_of="individuals", relation="before")
    result = compute(rule, anchors(notice_due={"individuals": other}))
    assert other.at == result.at
    assert "before the notice to affected residents" == result.text


def test_whichever_is_sooner() -> None:
    sent = datetime(2026, 3, 6, 10, tzinfo=EST)
    rule = Deadline.model_validate(
        {
            "business_days": 14,
            "or_if_earlier": [{"anchor": "notice", "notice_of": "individuals", "relation": "with"}],
        }
    )
    result = compute(rule, anchors(notice_sent={"individuals": sent}))
    assert sent == result.at
    later = compute(rule, anchors(notice_sent={"individuals": sent + timedelta(days=30)}))
    # 14 Vermont business days after 2026-03-02, skipping Town Meeting Day (03-03).
    assert datetime(2026, 3, 23, 23, 59, 59, tzinfo=EST) == later.at


def test_annual_report_after_the_end_of_the_year() -> None:
    result = due(anchor="calendar_year_end", days=60)
    assert datetime(2027, 3, 1, 23, 59, 59, tzinfo=EST) == result.at
    leap = compute(
        Deadline(anchor="calendar_year_end", days=60),
        anchors(discovery=datetime(2027, 6, 1, tzinfo=EST)),
    )
    assert datetime(2028, 2, 29, 23, 59, 59, tzinfo=EST) == leap.at


def test_unknown_holiday_calendar_is_an_error() -> None:
    with pytest.raises(ValueError, match="no holiday calendar"):
        add_business_days(date(2026, 1, 1), 3, "XF")


def test_business_days_use_the_jurisdictions_own_weekend() -> None:
    # Saudi Arabia rests on Friday and Saturday: Sunday 2026-06-07 is a business day there.
    assert not is_business_day(date(2026, 6, 5), "SA")
    assert is_business_day(date(2026, 6, 7), "SA")
    assert date(2026, 6, 7) == add_business_days(date(2026, 6, 4), 1, "SA")
    assert date(2026, 6, 5) == add_business_days(date(2026, 6, 4), 1, "US")


def test_occurrence_anchor_counts_from_the_breach_or_warns() -> None:
    occurred = datetime(2026, 3, 1, 9, 30, tzinfo=EST)
    given = compute(Deadline(hours=72, anchor="occurrence"), anchors(occurrence=occurred))
    assert datetime(2026, 3, 4, 9, 30, tzinfo=EST) == given.at
    assert () == tuple(given.notes)
    unknown = compute(Deadline(hours=72, anchor="occurrence"), anchors())
    assert datetime(2026, 3, 5, 9, 30, tzinfo=EST) == unknown.at
    assert "may be earlier than shown" in " ".join(unknown.notes)
