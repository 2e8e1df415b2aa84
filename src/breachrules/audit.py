"""Timeliness audit: the notices an organisation sent, held against the duties it had.

Each duty comes out met, late (by how much), missing (not sent and past its date), or pending
(not sent, and not yet due or with no fixed date to be late against); each notice
that matches no duty is listed as sent without a legal requirement. A notice matches a duty
when every detail it gives agrees: regime, obligation, client, kind of recipient, and a
jurisdiction inside the duty's (a notice to California residents counts for HIPAA too).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from breachrules import registry
from breachrules.errors import InvalidIncidentError, UnknownCodeError
from breachrules.fanout import FanOut
from breachrules.results import Assessment, Obligation
from breachrules.schema import Recipient

AuditStatus = Literal["met", "late", "missing", "pending"]


class SentRecord(BaseModel):
    """A notice actually sent. Give what is known; blank details match any duty."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sent_at: AwareDatetime
    recipient: Recipient | None = None
    jurisdiction: str | None = None
    regime: str | None = None
    obligation: str | None = None
    client: str | None = Field(default=None, description="In a fan-out: the client concerned.")
    label: str | None = Field(default=None, max_length=500)

    def matches(self, ob: Obligation, client: str | None) -> bool:
        """Whether this notice can be the one that discharged the duty."""
        return (
            (self.regime is None or self.regime == ob.regime)
            and (self.obligation is None or self.obligation == ob.obligation)
            and (self.recipient is None or self.recipient == ob.recipient)
            and (self.client is None or self.client == client)
            and (
                self.jurisdiction is None
                or self.jurisdiction == ob.jurisdiction
                or registry.contains(ob.jurisdiction, self.jurisdiction)
            )
        )


class AuditEntry(BaseModel):
    """One duty and what was done about it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    client: str | None
    obligation: Obligation
    status: AuditStatus
    sent_at: datetime | None
    late_by: timedelta | None
    explanation: str


class Audit(BaseModel):
    """The audit of one assessment or fan-out against the notices sent."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    as_of: datetime
    entries: list[AuditEntry]
    unrequired: list[SentRecord] = Field(description="Notices that match no duty.")

    def __iter__(self) -> Iterator[AuditEntry]:  # type: ignore[override]
        return iter(self.entries)

    def count(self, status: AuditStatus) -> int:
        """How many duties have this status."""
        return sum(1 for e in self.entries if e.status == status)

    def rows(self) -> Iterator[dict[str, Any]]:
        """One flat row per duty, for tables."""
        for e in self.entries:
            ob = e.obligation
            yield {
                "client": e.client,
                "regime": ob.regime,
                "obligation": ob.obligation,
                "jurisdiction": ob.jurisdiction,
                "recipient_name": ob.recipient_name,
                "duty_status": ob.status,
                "deadline": ob.deadline,
                "sent_at": e.sent_at,
                "audit": e.status,
                "late_by_hours": None if e.late_by is None else e.late_by / timedelta(hours=1),
            }


def audit(
    answer: Assessment | FanOut,
    sent: Iterable[SentRecord | Mapping[str, Any]],
    *,
    as_of: datetime | str | None = None,
) -> Audit:
    """Hold the notices sent against the duties of an assessment or a vendor fan-out.

    Args:
        answer: what ``obligations()`` or ``fan_out()`` returned.
        sent: the notices sent, as ``SentRecord``s or mappings with the same fields.
        as_of: when the audit is made (an aware datetime); by default now. Duties not yet
            due then are ``pending``, not ``missing``.

    Raises:
        InvalidIncidentError: naming the notice and field that is invalid.
    """
    try:
        when = datetime.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    except ValueError:
        raise InvalidIncidentError([("as_of", f"{as_of!r} is not an ISO date and time")]) from None
    when = when or datetime.now(UTC)
    if when.tzinfo is None:
        raise InvalidIncidentError([("as_of", "the time has no time zone; add a UTC offset")])
    records = _records(sent)
    used: set[int] = set()
    entries: list[AuditEntry] = []
    for client, ob in _duties(answer):
        hits = [i for i, r in enumerate(records) if r.matches(ob, client)]
        used.update(hits)
        first = min((records[i].sent_at for i in hits), default=None)
        entries.append(_judge(client, ob, first, when))
    unrequired = [r for i, r in enumerate(records) if i not in used]
    return Audit(as_of=when, entries=entries, unrequired=unrequired)


def _records(sent: Iterable[SentRecord | Mapping[str, Any]]) -> list[SentRecord]:
    records: list[SentRecord] = []
    for i, item in enumerate(sent):
        if isinstance(item, SentRecord):
            records.append(item)
            continue
        try:
            record = SentRecord.model_validate(item)
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            raise InvalidIncidentError([(f"sent[{i}].{field}", str(first["msg"]))]) from None
        if record.jurisdiction is not None:
            try:
                code = registry.jurisdiction(record.jurisdiction)
            except UnknownCodeError as error:
                raise InvalidIncidentError([(f"sent[{i}].jurisdiction", str(error))]) from None
            record = record.model_copy(update={"jurisdiction": code})
        records.append(record)
    return records


def _duties(answer: Assessment | FanOut) -> Iterator[tuple[str | None, Obligation]]:
    if isinstance(answer, Assessment):
        for ob in answer:
            yield None, ob
        return
    for ob in answer.vendor_duties:
        yield None, ob
    for ob in answer.own_data or ():
        yield None, ob
    for client in answer:
        for ob in client.to_client:
            yield client.client, ob
        for ob in client.as_owner:
            yield client.client, ob


def _judge(client: str | None, ob: Obligation, sent: datetime | None, when: datetime) -> AuditEntry:
    due = ob.deadline
    if sent is not None and (due is None or sent <= due):
        status: AuditStatus = "met"
        text = "sent on time" if due else f"sent; the law sets no fixed date ({ob.deadline_text})"
        late = None
    elif sent is not None:
        assert due is not None
        status, late = "late", sent - due
        text = f"sent {_span(late)} after the deadline"
    elif due is None:
        status, late = "pending", None
        text = f"not sent; the law sets no fixed date ({ob.deadline_text}): judge the delay"
    elif when <= due:
        status, late, text = "pending", None, f"not sent yet; due by {due.isoformat()}"
    else:
        status, late, text = "missing", None, f"not sent; overdue by {_span(when - due)}"
    if ob.status == "undetermined":
        text += "; the duty itself still depends on " + ", ".join(ob.missing_facts)
    return AuditEntry(
        client=client, obligation=ob, status=status, sent_at=sent, late_by=late, explanation=text
    )


def _span(delta: timedelta) -> str:
    hours = delta / timedelta(hours=1)
    return f"{hours:.1f} hours" if hours < 48 else f"{delta.days} days"
