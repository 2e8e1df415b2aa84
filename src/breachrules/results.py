"""The answer: an Assessment of Obligations and of duties considered but not required.

Results are frozen pydantic models, so ``to_dict()`` gives JSON-ready data and
``Assessment.from_dict`` reads it back to an equal object.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, Literal, overload

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

Status = Literal["required", "undetermined"]
Recipient = Literal[
    "individuals",
    "regulator",
    "consumer_reporting_agencies",
    "data_owner",
    "media",
    "law_enforcement",
    "other",
]
NotRequiredCode = Literal[
    "out_of_scope",
    "no_version_in_force",
    "condition_not_met",
    "no_covered_data",
    "below_threshold",
    "exception",
]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Obligation(_Result):
    """A duty to notify one recipient under one law: required, or undetermined on unknown facts."""

    regime: str = Field(description="Stable id of the law, e.g. 'us-ca'.")
    regime_name: str
    kind: Literal["statute", "regulation", "contract"]
    version: date = Field(description="effective_from of the version applied.")
    obligation: str = Field(description="Id of the obligation within the law, e.g. 'individuals'.")
    jurisdiction: str
    recipient: Recipient
    recipient_name: str
    status: Status
    deadline: AwareDatetime | None
    deadline_text: str
    citation: str
    source_url: str
    reasons: list[str]
    missing_facts: list[str] = Field(default_factory=list)
    affected_count: int = Field(description="People counted toward this duty (known ones).")
    content: list[str] = Field(default_factory=list)
    methods: list[str] = Field(default_factory=list)
    substitute_notice: str | None = None
    notes: list[str] = Field(default_factory=list)


class NotRequired(_Result):
    """A law, or one of its duties, that was considered and does not apply, with the reason."""

    regime: str
    regime_name: str
    obligation: str | None = Field(description="None when the whole law does not apply.")
    jurisdiction: str
    code: NotRequiredCode
    reasons: list[str]
    citation: str


def _sort_key(ob: Obligation) -> tuple[bool, datetime | None, str, str, str]:
    # None deadlines sort last; datetime comparison is by instant.
    return (ob.deadline is None, ob.deadline, ob.regime, ob.obligation, ob.jurisdiction)


class Assessment(_Result):
    """Every obligation of one incident, earliest deadline first, and what was not required."""

    as_of: date = Field(description="The date whose law in force was applied.")
    breachrules_version: str
    obligations: list[Obligation]
    not_required: list[NotRequired]

    @classmethod
    def build(
        cls,
        *,
        as_of: date,
        breachrules_version: str,
        obligations: list[Obligation],
        not_required: list[NotRequired],
    ) -> Assessment:
        """Assemble an assessment in its canonical order."""
        return cls.model_construct(
            as_of=as_of,
            breachrules_version=breachrules_version,
            obligations=sorted(obligations, key=_sort_key),
            not_required=sorted(
                not_required, key=lambda n: (n.regime, n.obligation or "", n.jurisdiction)
            ),
        )

    def __iter__(self) -> Iterator[Obligation]:  # type: ignore[override]
        return iter(self.obligations)

    def __len__(self) -> int:
        return len(self.obligations)

    @overload
    def __getitem__(self, index: int) -> Obligation: ...
    @overload
    def __getitem__(self, index: slice) -> list[Obligation]: ...
    def __getitem__(self, index: int | slice) -> Obligation | list[Obligation]:
        return self.obligations[index]

    @property
    def required(self) -> list[Obligation]:
        """The obligations that hold whatever the unknown facts turn out to be."""
        return [o for o in self.obligations if o.status == "required"]

    @property
    def undetermined(self) -> list[Obligation]:
        """The obligations that depend on facts not yet known."""
        return [o for o in self.obligations if o.status == "undetermined"]

    @property
    def missing_facts(self) -> list[str]:
        """Every unknown fact that some answer depends on, sorted."""
        return sorted({f for o in self.obligations for f in o.missing_facts})

    def for_regime(self, regime: str) -> list[Obligation]:
        """The obligations under one law."""
        return [o for o in self.obligations if o.regime == regime]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data; ``Assessment.from_dict`` reads it back."""
        return self.model_dump(mode="json")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Assessment:
        """Read an assessment written by ``to_dict``."""
        return cls.model_validate(data)


def render_text(assessment: Assessment) -> str:
    """A plain-text report: each obligation with its deadline, then what was not required."""
    lines = [f"Law in force on {assessment.as_of}; breachrules {assessment.breachrules_version}."]
    if not assessment.obligations:
        lines.append("No obligation to notify was found.")
    for ob in assessment.obligations:
        when = ob.deadline.isoformat(timespec="minutes") if ob.deadline else "no fixed date"
        lines.append("")
        lines.append(
            f"{ob.status.upper():<12} {when}  {ob.regime}/{ob.obligation} [{ob.jurisdiction}]"
        )
        lines.append(f"  notify:   {ob.recipient_name} ({ob.recipient})")
        lines.append(f"  deadline: {ob.deadline_text}")
        lines.append(f"  under:    {ob.citation}  {ob.source_url}")
        if ob.missing_facts:
            lines.append(f"  depends on: {', '.join(ob.missing_facts)}")
        lines.extend(f"  - {reason}" for reason in ob.reasons)
    if assessment.not_required:
        lines.append("")
        lines.append("Considered and not required:")
        for item in assessment.not_required:
            name = f"{item.regime}/{item.obligation}" if item.obligation else item.regime
            lines.append(f"  {name} [{item.jurisdiction}] ({item.code}): {item.reasons[-1]}")
    return "\n".join(lines)
