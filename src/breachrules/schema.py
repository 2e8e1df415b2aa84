"""The rule-file format: pydantic models that are the single definition of a valid rule file.

A rule file is one law (a *regime*) with one or more effective-dated *versions*. Each version
says whom the law governs, whose data counts, what counts as personal information, its
exceptions, and its obligations with recipient, threshold and deadline. Everything is data:
conditions are written in a closed vocabulary (``all``, ``any``, ``not`` and fact tests) that
``conditions.py`` evaluates; nothing is ever executed as code.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
Url = Annotated[str, Field(pattern=r"^(https?://|urn:)\S+$", max_length=2000)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]

Recipient = Literal[
    "individuals",
    "regulator",
    "consumer_reporting_agencies",
    "data_owner",
    "media",
    "law_enforcement",
    "other",
]
Medium = Literal["electronic", "paper"]
Anchor = Literal["discovery", "determination", "occurrence", "event", "notice", "calendar_year_end"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- conditions -------------------------------------------------------------------------------


class FactTest(_Strict):
    """A test of one fact, with exactly one operator: is, in, contains, contains_any, within."""

    fact: str = Field(description="A fact path such as 'risk_of_harm' or 'group.encrypted'.")
    is_: bool | str | None = Field(default=None, alias="is")
    in_: list[str] | None = Field(default=None, alias="in", min_length=1)
    contains: str | None = None
    contains_any: list[str] | None = Field(default=None, min_length=1)
    within: list[str] | None = Field(default=None, min_length=1)

    model_config = ConfigDict(populate_by_name=True)


class AllOf(_Strict):
    """True when every condition is true."""

    all: list[Condition] = Field(min_length=1)


class AnyOf(_Strict):
    """True when at least one condition is true."""

    any: list[Condition] = Field(min_length=1)


class Not(_Strict):
    """True when the condition is false."""

    not_: Condition = Field(alias="not")

    model_config = ConfigDict(populate_by_name=True)


def _condition_tag(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        return {AllOf: "all", AnyOf: "any", Not: "not", FactTest: "fact"}.get(type(value))
    if isinstance(value, dict):
        for key in ("all", "any", "not", "fact"):
            if key in value:
                return key
    return None


Condition = Annotated[
    Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[Not, Tag("not")]
    | Annotated[FactTest, Tag("fact")],
    Discriminator(
        _condition_tag,
        custom_error_type="condition",
        custom_error_message="a condition is a table with one of the keys all, any, not or fact",
    ),
]


# --- parts of a version ---------------------------------------------------------------------


class Source(_Strict):
    """A further source: a regulator's page, guidance, or a secondary chart used as a check."""

    title: Text
    url: Url


class Combination(_Strict):
    """Data that counts when every category of ``all`` and at least one of ``any`` are present."""

    all: list[str] = Field(default_factory=list)
    any: list[str] = Field(default_factory=list)


class Definition(_Strict):
    """What counts as personal information under the law."""

    citation: Text
    media: list[Medium] = Field(default_factory=lambda: list[Medium](["electronic"]), min_length=1)
    any_personal_data: bool = Field(
        default=False, description="Every category counts (e.g. GDPR 'personal data')."
    )
    combinations: list[Combination] = Field(default_factory=list)


class Population(_Strict):
    """Whose data the law counts: residents of these places, or everyone when a condition holds."""

    residents_of: list[str] = Field(min_length=1)
    everyone_when: Condition | None = Field(
        default=None,
        description="When this holds, people anywhere count (e.g. a controller in the EEA).",
    )
    explanation: Text | None = None


class ExceptionRule(_Strict):
    """A labelled exception that takes data (scope group) or a duty (scope incident) out."""

    id: Identifier
    label: Text
    scope: Literal["group", "incident"]
    when: Condition
    obligations: list[Identifier] | None = Field(
        default=None, description="The obligations it removes; all when left out."
    )
    citation: Text
    explanation: Text


class Threshold(_Strict):
    """How many counted people the obligation needs, in the statute's own comparison."""

    op: Literal[">", ">=", "<", "<="]
    value: int = Field(ge=0)
    per: Literal["total", "jurisdiction"] = "total"
    wording: Text = Field(description="The statute's words, e.g. 'more than 500 residents'.")


class Deadline(_Strict):
    """When the notice is due: a standard, a fixed period from an anchor, or both."""

    standard: Text | None = Field(
        default=None, description="A standard with no fixed period, e.g. 'without undue delay'."
    )
    anchor: Anchor = "discovery"
    notice_of: Identifier | None = Field(
        default=None, description="With anchor 'notice': the obligation whose notice starts it."
    )
    event: str | None = Field(
        default=None, description="With anchor 'event': the registered event that starts it."
    )
    relation: Literal["within", "before", "with"] = Field(
        default="within",
        description="within a period after the anchor; before, or with, another notice.",
    )
    hours: int | None = Field(default=None, gt=0)
    days: int | None = Field(default=None, gt=0)
    business_days: int | None = Field(default=None, gt=0)
    months: int | None = Field(default=None, gt=0)
    calendar: str | None = Field(
        default=None, description="Whose holidays count for business days; the law's by default."
    )
    or_if_earlier: list[Deadline] = Field(
        default_factory=list, description="Alternatives: whichever comes first applies."
    )
    text: Text | None = Field(default=None, description="Overrides the generated wording.")


class RecipientTable(_Strict):
    """Recipients named by place, for laws whose recipient depends on where (GDPR Arts 55-56)."""

    choose: Literal["lead_or_each_affected", "each_affected"] = Field(
        description=(
            "lead_or_each_affected: an entity established in a listed place notifies the "
            "recipient of its main establishment (one notice); one established in none notifies "
            "the recipient of each place whose people are affected (one notice per place). "
            "each_affected: one notice per affected place, wherever the entity is established."
        )
    )
    names: dict[str, Text] = Field(
        min_length=1,
        description="Recipient by place code; a subdivision's entry wins over its country's.",
    )


class ObligationRule(_Strict):
    """One duty to notify one recipient."""

    id: Identifier
    recipient: Recipient
    recipient_name: Text
    recipients: RecipientTable | None = Field(
        default=None, description="Recipients by place; recipient_name covers places not listed."
    )
    same_notice_as: Identifier | None = Field(
        default=None,
        description=(
            "Another obligation of this version that is the same notice, owed on another "
            "ground (e.g. a headcount beside a data-kind test): the two are shown as one."
        ),
    )
    citation: Text
    source_url: Url | None = None
    when: Condition | None = None
    threshold: Threshold | None = None
    deadline: Deadline
    content: list[Text] = Field(default_factory=list)
    methods: list[Text] = Field(default_factory=list)
    substitute_notice: Text | None = None
    notes: list[Text] = Field(default_factory=list)


class Version(_Strict):
    """The law in force from ``effective_from`` (inclusive) to ``effective_until`` (exclusive).

    A ``pending`` version (a proposed rule, or an enacted law whose start date is not yet set)
    is recorded with its status but never applied.
    """

    status: Literal["enacted", "pending"] = "enacted"
    status_note: Text | None = Field(
        default=None, description="Where a pending version stands, with dates and sources."
    )
    effective_from: date | None = Field(
        default=None, description="Required for an enacted version; for a pending one if known."
    )
    effective_until: date | None = None
    enacted_by: Text | None = None
    citation: Text
    source_url: Url
    sources: list[Source] = Field(default_factory=list)
    summary: Text | None = None
    risk_of_harm_standard: Text = Field(
        description="The law's harm standard and how risk_of_harm levels map onto it."
    )
    applies_when: Condition | None = Field(
        default=None, description="Which entities the law governs; every entity when left out."
    )
    applies_to: Text | None = Field(
        default=None, description="Whom the law governs, in words, for reasons."
    )
    trigger: Literal["personal_data", "incident"] = Field(
        default="personal_data",
        description=(
            "personal_data: duties turn on whose data of which kinds was involved; incident: "
            "on the incident and the entity alone (e.g. a securities or banking regulator's "
            "rule), so no population, definition or threshold is given."
        ),
    )
    population: Population | None = None
    personal_information: Definition | None = None
    exceptions: list[ExceptionRule] = Field(default_factory=list)
    obligations: list[ObligationRule] = Field(min_length=1)


class Note(_Strict):
    """A reviewer's note: where sources disagree, and the reading chosen."""

    topic: Text
    text: Text


class RuleFile(_Strict):
    """One law: its identity, provenance and dated versions."""

    id: Identifier
    name: Text
    jurisdiction: str
    kind: Literal["statute", "regulation", "contract"] = "statute"
    last_reviewed: date
    timezone: str | None = Field(
        default=None,
        description="IANA zone in which day-counted deadlines end, if the law names one.",
    )
    notes: list[Note] = Field(default_factory=list)
    versions: list[Version] = Field(min_length=1)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a rule file, for editors and for review."""
    schema = RuleFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://breachrules.dev/schema/rule-file/v1.json"
    return schema
