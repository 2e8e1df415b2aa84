"""The answer: an Assessment of Obligations and of duties considered but not required.

Results are frozen pydantic models, so ``to_dict()`` gives JSON-ready data and
``Assessment.from_dict`` reads it back to an equal object.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal, Self, overload

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

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

    @classmethod
    def trusted(cls, **values: Any) -> Self:
        """Build from values the engine made, every field given, without validation.

        ``model_construct`` costs a few times more (it looks up defaults and aliases), and an
        assessment builds hundreds of results; the tests check that every field is set.
        """
        result = cls.__new__(cls)
        object.__setattr__(result, "__dict__", values)
        object.__setattr__(result, "__pydantic_fields_set__", set(values))
        object.__setattr__(result, "__pydantic_extra__", None)
        object.__setattr__(result, "__pydantic_private__", None)
        return result


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
    counted_groups: list[int] = Field(
        default_factory=list,
        description="Indices of the affected groups counted toward this duty (or possibly).",
    )
    content: list[str] = Field(default_factory=list)
    methods: list[str] = Field(default_factory=list)
    substitute_notice: str | None = None
    notes: list[str] = Field(default_factory=list)

    def _repr_html_(self) -> str:
        """Rich display in notebooks: one obligation as a small card."""
        import html

        e = html.escape
        when = self.deadline.isoformat(timespec="minutes") if self.deadline else "no fixed date"
        colour = "#fde2e1" if self.status == "required" else "#fff4d6"
        missing = (
            f"<br>Depends on: {e(', '.join(self.missing_facts))}" if self.missing_facts else ""
        )
        return (
            f'<div style="border:1px solid #ccc;padding:.5rem;background:{colour}">'
            f"<b>{e(self.status.upper())}</b> by {e(when)}: notify {e(self.recipient_name)}"
            f"<br>{e(self.deadline_text)}<br><small>{e(self.citation)} ({e(self.regime)})</small>"
            f"{missing}</div>"
        )


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

    def _repr_html_(self) -> str:
        """Rich display in notebooks: the report, with styles that stay inside it."""
        from breachrules.reports import render_html_fragment

        return render_html_fragment(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Assessment:
        """Read an assessment written by ``to_dict``."""
        return cls.model_validate(data)

    def to_dataframe(self) -> pd.DataFrame:
        """A pandas DataFrame with one row per obligation, earliest deadline first.

        The columns are those of the CSV report: ``status``, ``deadline``, ``regime``,
        ``obligation``, ``jurisdiction``, ``recipient``, ``recipient_name``, ``deadline_text``,
        ``citation``, ``source_url``, ``missing_facts`` (a list) and ``affected_count``.
        ``deadline`` is a UTC timestamp (``NaT`` when there is no fixed date), so that deadlines
        in different time zones sort and compare; ``obligation.deadline`` keeps the local time.

        Raises:
            ImportError: when pandas is not installed (``pip install 'breachrules[notebook]'``).
        """
        try:
            import pandas as pd
        except ImportError as exc:
            raise ImportError(
                "to_dataframe() needs pandas: pip install 'breachrules[notebook]'"
            ) from exc
        from breachrules.reports import CSV_COLUMNS

        rows = [
            {
                "status": ob.status,
                "deadline": ob.deadline,
                "regime": ob.regime,
                "obligation": ob.obligation,
                "jurisdiction": ob.jurisdiction,
                "recipient": ob.recipient,
                "recipient_name": ob.recipient_name,
                "deadline_text": ob.deadline_text,
                "citation": ob.citation,
                "source_url": ob.source_url,
                "missing_facts": list(ob.missing_facts),
                "affected_count": ob.affected_count,
            }
            for ob in self.obligations
        ]
        frame = pd.DataFrame(rows, columns=list(CSV_COLUMNS))
        frame["deadline"] = pd.to_datetime(frame["deadline"], utc=True)
        return frame.astype({"affected_count": "int64"})

    def plot_timeline(self, **kw: Any) -> Axes:
        """Draw the deadlines on a matplotlib timeline; see ``breachrules.timeline.plot_timeline``.

        Keyword arguments (``now``, ``ax``) are passed on. Needs matplotlib
        (``pip install 'breachrules[notebook]'``).
        """
        from breachrules.timeline import plot_timeline

        return plot_timeline(self, **kw)


def assessment_json_schema() -> dict[str, Any]:
    """The JSON Schema of ``Assessment.to_dict()`` (version 1)."""
    schema = Assessment.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://breachrules.dev/schema/assessment/v1.json"
    return schema
