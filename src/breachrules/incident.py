"""The input: an incident, the entity it happened to, and the groups of people affected.

Codes are checked against the registries as the model validates, so a typo fails here with a
suggestion rather than silently matching no law. Unknown facts are ``None``, never a default.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    field_validator,
    model_validator,
)

from breachrules import registry
from breachrules.schema import Recipient

RiskOfHarm = Literal["unlikely", "likely", "high"]
"""The entity's assessed risk of harm; each law maps these levels onto its own standard."""


def _unique_sorted(values: list[str]) -> list[str]:
    return sorted(set(values))


def _categories(values: list[str]) -> list[str]:
    return _unique_sorted([registry.category(v) for v in values])


def _flags(values: list[str]) -> list[str]:
    return _unique_sorted([registry.entity_flag(v) for v in values])


def _jurisdictions(values: list[str]) -> list[str]:
    return _unique_sorted([registry.jurisdiction(v) for v in values])


def _facts(values: dict[str, bool | None]) -> dict[str, bool | None]:
    return {registry.fact(k): v for k, v in sorted(values.items())}


def _events(values: dict[str, datetime]) -> dict[str, datetime]:
    return {registry.event(k): v for k, v in sorted(values.items())}


Jurisdiction = Annotated[str, AfterValidator(registry.jurisdiction)]
Categories = Annotated[list[str], AfterValidator(_categories)]
Places = Annotated[list[str], AfterValidator(_jurisdictions)]
Flags = Annotated[list[str], AfterValidator(_flags)]
Facts = Annotated[dict[str, bool | None], AfterValidator(_facts)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Entity(_Model):
    """The organisation the incident happened to."""

    name: str = Field(min_length=1, max_length=500)
    role: Literal["owner", "service_provider"] = Field(
        description="owner: owns or licenses the data; service_provider: maintains it for others."
    )
    established_in: Places = Field(
        default_factory=list,
        max_length=300,
        description=(
            "Every place where the entity is established or processes data with means there "
            "(offices, staff, servers): laws such as POPIA s. 3(1)(b) reach such processing."
        ),
    )
    regulated_as: Flags = Field(
        default_factory=list,
        max_length=100,
        description="Every regulated status the entity holds; a flag left out is taken as absent.",
    )
    main_establishment: Jurisdiction | None = Field(
        default=None,
        description=(
            "The place of central administration (GDPR Art. 4(16)); it picks the lead authority "
            "among several establishments. Unknown: every candidate is named."
        ),
    )


class AffectedGroup(_Model):
    """People of one residence whose data of the same kinds was involved."""

    jurisdiction: Jurisdiction
    count: NonNegativeInt | None = Field(
        default=None, le=10_000_000_000, description="How many people; None or left out: unknown."
    )
    data: Categories = Field(min_length=1, max_length=100)
    encrypted: bool | None = None
    key_compromised: bool | None = None
    medium: Literal["electronic", "paper"] = "electronic"
    label: str | None = Field(default=None, max_length=500)


class DataOwner(_Model):
    """A client of a service provider whose data was involved: the owner of that data.

    Its own duties run from ``notified_at``, when it learned (or will learn) of the breach from
    the vendor; ``delegates`` names the kinds of notice the vendor sends on its behalf.
    """

    name: str = Field(min_length=1, max_length=500)
    established_in: Places = Field(default_factory=list, max_length=300)
    regulated_as: Flags = Field(default_factory=list, max_length=100)
    affected: list[AffectedGroup] = Field(default_factory=list, max_length=10_000)
    notified_at: AwareDatetime | None = Field(
        default=None,
        description=(
            "When the vendor told (or will tell) this client; unknown: its duties are counted "
            "from the vendor's discovery, the earliest defensible start."
        ),
    )
    delegates: list[Recipient] = Field(
        default_factory=list,
        max_length=7,
        description="Kinds of notice the vendor sends on this client's behalf (e.g. individuals).",
    )
    contracts: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="Ids of contract rule files that bind the vendor's notice to this client.",
    )
    risk_of_harm: RiskOfHarm | None = Field(
        default=None, description="This client's own risk assessment; None: the incident's."
    )
    facts: Facts = Field(
        default_factory=dict, description="Facts that differ for this client; others inherited."
    )


class SentNotice(_Model):
    """A notice already sent, for deadlines counted from it and for audits."""

    regime: str = Field(min_length=1, max_length=100)
    obligation: str = Field(min_length=1, max_length=100)
    sent_at: AwareDatetime


class Incident(_Model):
    """One incident: when it was discovered, to whom it happened, and who was affected."""

    discovered_at: AwareDatetime
    timezone: str | None = Field(
        default=None,
        description=(
            "IANA zone (e.g. America/Los_Angeles) in which day-counted deadlines end; by default "
            "the UTC offset of discovered_at, which does not follow daylight saving time."
        ),
    )
    occurred_at: AwareDatetime | None = Field(
        default=None,
        description="When the breach itself happened, if known (a few laws count from it).",
    )
    determined_at: AwareDatetime | None = Field(
        default=None,
        description="When the entity determined that a breach occurred (some laws count from it).",
    )
    entity: Entity
    affected: list[AffectedGroup] = Field(default_factory=list, max_length=10_000)
    risk_of_harm: RiskOfHarm | None = None
    facts: Facts = Field(
        default_factory=dict, description="Named yes/no facts; one left out is unknown."
    )
    events: Annotated[dict[str, AwareDatetime], AfterValidator(_events)] = Field(
        default_factory=dict,
        description="Times of named events some laws count from (e.g. materiality_determination).",
    )
    notices: list[SentNotice] = Field(default_factory=list, max_length=100_000)
    contracts: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="Ids of contract rule files (kind 'contract') that bind this entity's notice.",
    )
    data_owners: list[DataOwner] = Field(
        default_factory=list,
        max_length=100_000,
        description="For a service provider: the clients whose data was involved (see fan_out).",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(
                    f"{value!r} is not an IANA time zone name; use one such as 'America/New_York'"
                ) from None
        return value

    def zone(self) -> tzinfo:
        """The zone in which day-counted deadlines end, unless a law names its own."""
        if self.timezone is not None:
            return ZoneInfo(self.timezone)
        zone = self.discovered_at.tzinfo
        assert zone is not None  # discovered_at is aware
        return zone

    @model_validator(mode="after")
    def _determination_not_before_discovery(self) -> Incident:
        early = [name for name, at in self.events.items() if at < self.discovered_at]
        if early:
            raise ValueError(
                f"events.{early[0]} is before discovered_at; an event about the incident cannot "
                "precede its discovery"
            )
        late = [n for n in self.notices if n.sent_at < self.discovered_at]
        if late:
            raise ValueError(
                f"a notice ({late[0].regime}/{late[0].obligation}) is dated before discovered_at; "
                "a notice cannot precede the discovery it reports"
            )
        if self.data_owners and self.entity.role != "service_provider":
            raise ValueError(
                "data_owners is given but entity.role is 'owner'; data owners are the clients "
                "of a service provider: set entity.role to 'service_provider'"
            )
        early_owner = [
            o.name for o in self.data_owners if o.notified_at and o.notified_at < self.discovered_at
        ]
        if early_owner:
            raise ValueError(
                f"data owner {early_owner[0]!r} is notified before discovered_at; a client cannot "
                "learn of a breach before the vendor discovered it"
            )
        if self.occurred_at is not None and self.occurred_at > self.discovered_at:
            raise ValueError(
                "occurred_at is after discovered_at: a breach cannot be discovered before it "
                "happens; correct one of the two times"
            )
        if self.determined_at is not None and self.determined_at < self.discovered_at:
            raise ValueError(
                "determined_at is before discovered_at: a breach cannot be determined before it "
                "is discovered; correct one of the two times"
            )
        return self

    def anchor_time(self, anchor: str) -> datetime | None:
        """The time of a named anchor event, or None where the incident does not give it."""
        if anchor == "discovery":
            return self.discovered_at
        if anchor == "determination":
            return self.determined_at
        if anchor == "occurrence":
            return self.occurred_at
        return None


def incident_json_schema() -> dict[str, Any]:
    """The JSON Schema of an incident as ``obligations()`` accepts it (version 1)."""
    schema = Incident.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://breachrules.dev/schema/incident/v1.json"
    return schema
