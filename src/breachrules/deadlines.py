"""Deadline arithmetic: exact hours, calendar days, business days, months, and standards.

Hours are exact durations on aware datetimes. Days, business days and months are calendar
units: they are counted on local dates, starting the day after the anchor, and the deadline is
the end of the last day (23:59:59) in the law's time zone if it names one, else in the time
zone of ``discovered_at``. Business days skip weekends and the holidays of the jurisdiction
from the ``holidays`` package, subdivisions included. Nothing here reads the system time zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

from breachrules import registry
from breachrules.schema import Deadline

if TYPE_CHECKING:
    from holidays import HolidayBase

_END_OF_DAY = time(23, 59, 59)


@dataclass(frozen=True)
class Due:
    """A computed deadline: the instant (None for a standard with no fixed period), its words,
    and notes on how it was counted (e.g. an anchor that was not given)."""

    at: datetime | None
    text: str
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Anchors:
    """The anchor times one obligation's deadline may count from."""

    discovery: datetime
    determination: datetime | None
    zone: tzinfo
    calendar: str
    notice_sent: dict[str, datetime]
    notice_due: dict[str, Due]
    notice_names: dict[str, str]
    events: dict[str, datetime] = field(default_factory=dict)
    occurrence: datetime | None = None


@cache
def _supported_countries() -> frozenset[str]:
    from holidays.registry import COUNTRIES

    return frozenset(entry[1] for entry in COUNTRIES.values())


def check_calendar(code: str) -> None:
    """Raise ValueError unless the holidays package has a calendar for the code's country.

    Cheap: it reads the package's registry without importing any country's calendar.
    """
    if code.partition("-")[0] not in _supported_countries():
        raise ValueError(f"no holiday calendar is known for {code!r}")


@cache
def _calendar(code: str, year: int) -> HolidayBase:
    """The public holidays of a jurisdiction ("US-VT", "BR") in one year.

    A subdivision the package does not know falls back to its country's calendar: fewer
    holidays make the deadline earlier, never later.
    """
    import holidays  # imported on first use: it is large, and most incidents never need it

    check_calendar(code)
    country, _, subdivision = code.partition("-")
    try:
        return holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    except NotImplementedError:
        return holidays.country_holidays(country, years=year)


def is_business_day(day: date, calendar: str) -> bool:
    """Not a weekend day nor a public holiday of the calendar's jurisdiction.

    The weekend is the jurisdiction's own (Friday and Saturday in Saudi Arabia or Israel).
    """
    holidays = _calendar(calendar, day.year)
    return day.weekday() not in holidays.weekend and day not in holidays


@cache
def add_business_days(start: date, count: int, calendar: str) -> date:
    """The date ``count`` business days after ``start`` (``start`` itself not counted)."""
    day = start
    remaining = count
    while remaining:
        day += timedelta(days=1)
        if is_business_day(day, calendar):
            remaining -= 1
    return day


def end_of_day(day: date, zone: tzinfo) -> datetime:
    """The last second of a local date."""
    return datetime.combine(day, _END_OF_DAY, tzinfo=zone)


def _period(rule: Deadline) -> str:
    for amount, unit in (
        (rule.hours, "hour"),
        (rule.days, "calendar day"),
        (rule.business_days, "business day"),
        (rule.months, "month"),
    ):
        if amount is not None:
            return f"{amount} {unit}{'s' if amount != 1 else ''}"
    return ""


def _add(rule: Deadline, start: datetime, anchors: Anchors) -> datetime:
    if rule.hours is not None:
        # Exact: add in UTC, since aware arithmetic within one zone is wall-clock time.
        return (start.astimezone(UTC) + timedelta(hours=rule.hours)).astimezone(anchors.zone)
    local = start.astimezone(anchors.zone).date()
    if rule.days is not None:
        return end_of_day(local + timedelta(days=rule.days), anchors.zone)
    if rule.business_days is not None:
        calendar = rule.calendar or anchors.calendar
        return end_of_day(add_business_days(local, rule.business_days, calendar), anchors.zone)
    assert rule.months is not None
    return end_of_day(local + relativedelta(months=rule.months), anchors.zone)


def compute(rule: Deadline, anchors: Anchors) -> Due:
    """Compute one deadline; alternatives in ``or_if_earlier`` apply if they come first."""
    at, notes = _compute_one(rule, anchors)
    for alternative in rule.or_if_earlier:
        other, other_notes = _compute_one(alternative, anchors)
        if other is not None and (at is None or other < at):
            at = other
        notes += other_notes
    return Due(at, describe(rule, anchors.notice_names), notes)


def describe(rule: Deadline, notice_names: dict[str, str]) -> str:
    """The deadline in words, e.g. "within 30 calendar days after discovery of the breach"."""
    if rule.text:
        return rule.text
    text = _describe_one(rule, notice_names)
    for alternative in rule.or_if_earlier:
        text += f", or {_describe_one(alternative, notice_names)} if that is earlier"
    return text


def _describe_one(rule: Deadline, notice_names: dict[str, str]) -> str:
    anchor = _ANCHOR_WORDS.get(rule.anchor)
    if rule.anchor == "event":
        anchor = registry.event_words(rule.event or "")
    elif anchor is None:
        anchor = f"the notice to {notice_names.get(rule.notice_of or '', rule.notice_of)}"
    if rule.relation in ("before", "with"):
        words = "before" if rule.relation == "before" else "at the same time as"
        return _with_standard(rule, f"{words} {anchor}")
    period = _period(rule)
    if not period:
        return rule.standard or ""
    return _with_standard(rule, f"within {period} after {anchor}")


_ANCHOR_WORDS = {
    "discovery": "discovery of the breach",
    "determination": "the determination that a breach occurred",
    "occurrence": "the breach itself",
    "calendar_year_end": "the end of the calendar year of discovery",
}


def _compute_one(rule: Deadline, anchors: Anchors) -> tuple[datetime | None, tuple[str, ...]]:
    start, notes = _anchor(rule, anchors)
    if rule.relation in ("before", "with"):
        return start, notes
    if not _period(rule) or start is None:
        return None, notes
    return _add(rule, start, anchors), notes


def _with_standard(rule: Deadline, text: str) -> str:
    return f"{rule.standard}, and in any case {text}" if rule.standard else text


# Anchors an incident may leave out: the period then runs from discovery, and the note says why.
_OPTIONAL_ANCHORS = {
    "determination": (
        "determined_at is not given, so the period is counted from discovery, the earliest "
        "the determination can be; give determined_at to count from it"
    ),
    "occurrence": (
        "occurred_at is not given, so the period is counted from discovery; the law counts "
        "from the breach itself, which came earlier, so the true deadline may be earlier "
        "than shown: give occurred_at"
    ),
}


def _anchor(rule: Deadline, anchors: Anchors) -> tuple[datetime | None, tuple[str, ...]]:
    if rule.anchor == "discovery":
        return anchors.discovery, ()
    if rule.anchor in _OPTIONAL_ANCHORS:
        at = anchors.determination if rule.anchor == "determination" else anchors.occurrence
        return (
            (at, ()) if at is not None else (anchors.discovery, (_OPTIONAL_ANCHORS[rule.anchor],))
        )
    if rule.anchor == "calendar_year_end":
        year_end = date(anchors.discovery.astimezone(anchors.zone).year, 12, 31)
        return end_of_day(year_end, anchors.zone), ()
    if rule.anchor == "event":
        name = rule.event or ""
        at = anchors.events.get(name)
        if at is not None:
            return at, ()
        note = (
            f"events.{name} is not given, so the period is counted from discovery, the earliest "
            f"{registry.event_words(name)} can be; give events.{name} to count from it"
        )
        return anchors.discovery, (note,)
    return _notice_anchor(rule, anchors)


def _notice_anchor(rule: Deadline, anchors: Anchors) -> tuple[datetime | None, tuple[str, ...]]:
    other = rule.notice_of
    assert other is not None  # the loader requires notice_of with anchor "notice"
    name = anchors.notice_names.get(other, other)
    sent = anchors.notice_sent.get(other)
    if sent is not None:
        return sent, ()
    if rule.relation == "within":
        note = (
            f"no notice to {name} is recorded, so the period is counted from discovery, the "
            "earliest that notice can be sent; record it in notices to count from it"
        )
        return anchors.discovery, (note,)
    due = anchors.notice_due.get(other)
    at = due.at if due else None
    note = (
        f"no notice to {name} is recorded, so this is shown with that notice's own deadline"
        if at
        else f"no notice to {name} is recorded and it has no fixed deadline"
    )
    return at, (note,)
