"""Record-level data: one row per affected person, read into groups and back into notice lists.

Rows are counted, never kept: a stream of ten million rows costs memory in proportion to the
distinct (owner, residence, data) combinations only. Dataframes of any library that narwhals
supports (pandas, Polars, PyArrow, Dask) are aggregated by that library, lazily where it is
lazy, through the optional ``records`` extra. Rows whose residence or data elements cannot be
read are counted and reported, never dropped silently.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from breachrules import registry
from breachrules.errors import InvalidIncidentError, UnknownCodeError
from breachrules.fanout import FanOut
from breachrules.incident import AffectedGroup
from breachrules.results import Assessment, Obligation

TwoLetter = Literal["country", "us_state"]
RawKey = tuple[str | None, str, str]
GroupKey = tuple[str | None, str, tuple[str, ...]]

_ZIP = re.compile(r"^\d{5}(-?\d{4})?$")
_SPLIT = re.compile(r"[;,|]")
_DATAFRAME_LIBRARIES = frozenset(
    {"pandas", "polars", "pyarrow", "dask", "dask_expr", "modin", "cudf", "duckdb", "ibis"}
)


@dataclass
class RecordSummary:
    """Counts of people by owner, residence and data elements, and what could not be read."""

    rows: int = 0
    groups: Counter[GroupKey] = field(default_factory=Counter)
    unknown_residence: Counter[str] = field(default_factory=Counter)
    unknown_data: Counter[str] = field(default_factory=Counter)
    no_known_data: int = 0
    raw: dict[RawKey, GroupKey | None] = field(default_factory=dict)

    def owners(self) -> list[str | None]:
        """The owners named in the rows (None for rows without one), in order."""
        return sorted({key[0] for key in self.groups}, key=lambda o: (o is not None, o or ""))

    def affected(self, owner: str | None = None) -> list[AffectedGroup]:
        """The affected groups of one owner, in the order of ``keys(owner)``."""
        return [
            AffectedGroup(jurisdiction=key[1], count=self.groups[key], data=list(key[2]))
            for key in self.keys(owner)
        ]

    def data_owners(self, **common: Any) -> list[dict[str, Any]]:
        """The owners as ``data_owners`` entries for ``fan_out``; ``common`` adds fields to each."""
        return [
            {"name": owner, **common, "affected": [g.model_dump() for g in self.affected(owner)]}
            for owner in self.owners()
            if owner is not None
        ]

    def problems(self) -> list[str]:
        """Sentences on every row that could not be read in full."""
        found = []
        if self.unknown_residence:
            total = sum(self.unknown_residence.values())
            examples = ", ".join(repr(v) for v, _ in self.unknown_residence.most_common(5))
            found.append(f"{total:,} rows with a residence that is not known (e.g. {examples})")
        if self.unknown_data:
            examples = ", ".join(repr(v) for v, _ in self.unknown_data.most_common(5))
            found.append(
                f"{sum(self.unknown_data.values()):,} data elements that are not known "
                f"(e.g. {examples}); see breachrules.registry.categories()"
            )
        if self.no_known_data:
            found.append(f"{self.no_known_data:,} rows with no known data element")
        return found

    @property
    def people(self) -> int:
        """Rows counted into groups."""
        return sum(self.groups.values())

    def keys(self, owner: str | None) -> list[GroupKey]:
        """The group keys of one owner, in the order of ``affected(owner)``."""
        return sorted((k for k in self.groups if k[0] == owner), key=lambda k: (k[1], k[2]))


def read_records(
    rows: Iterable[Mapping[str, Any]] | Any,
    *,
    owner: str | None = "owner",
    residence: str = "residence",
    data: str = "data",
    two_letter: TwoLetter | None = None,
) -> RecordSummary:
    """Count rows (one per person) into affected groups by owner, residence and data.

    Args:
        rows: an iterable of mappings, or a dataframe narwhals supports.
        owner: the column naming the data owner (client); None when all rows are one owner's.
        residence: an ISO 3166 code ("DE", "US-CA"), a US state name ("California"), a US
            postal abbreviation or a US ZIP code ("94105").
        data: the data elements exposed: a list of category codes or aliases, or one string
            separated by ``;``, ``,`` or ``|``.
        two_letter: how to read a two-letter residence that is both a country and a US state
            ("CA", "DE"): ``"country"`` or ``"us_state"``. Left out, such a value is an error.
    """
    reader = _Reader(two_letter)
    summary = RecordSummary()
    for raw, count in _raw_counts(rows, owner, residence, data):
        key = reader.key(raw, count, summary)
        summary.raw[raw] = key
        summary.rows += count
        if key is not None:
            summary.groups[key] += count
    return summary


def notices_for_rows(
    rows: Iterable[Mapping[str, Any]],
    summary: RecordSummary,
    answer: Assessment | FanOut,
    *,
    owner: str | None = "owner",
    residence: str = "residence",
    data: str = "data",
) -> Iterator[dict[str, Any]]:
    """For each row, the notices this person must receive: law, deadline, content variant.

    The answer must come from the summary's groups (``summary.affected(...)`` or
    ``summary.data_owners()``), so that group positions agree. Rows are read one at a time.
    """
    duties = _person_duties(summary, answer)
    for row in rows:
        raw = _raw_key(row, owner, residence, data)
        key = summary.raw.get(raw)
        found = duties.get(key, []) if key is not None else []
        yield {
            **row,
            "notices": [_notice_words(ob) for ob in found],
            "earliest_deadline": min(
                (ob.deadline for ob in found if ob.deadline is not None), default=None
            ),
            "problem": None if key is not None else "residence or data elements not known",
        }


def notice_table(summary: RecordSummary, answer: Assessment | FanOut) -> list[dict[str, Any]]:
    """One row per distinct (owner, residence, data) value of the input, with its notices.

    Join it to a dataframe of people on the three input columns to get per-person lists
    without bringing the people into Python.
    """
    duties = _person_duties(summary, answer)
    table = []
    for (owner_value, residence_value, data_value), key in summary.raw.items():
        found = duties.get(key, []) if key is not None else []
        table.append(
            {
                "owner": owner_value,
                "residence": residence_value,
                "data": data_value,
                "jurisdiction": key[1] if key else None,
                "notices": "; ".join(_notice_words(ob) for ob in found),
                "earliest_deadline": min(
                    (ob.deadline for ob in found if ob.deadline is not None), default=None
                ),
            }
        )
    return table


def _notice_words(ob: Obligation) -> str:
    due = ob.deadline.isoformat() if ob.deadline else "no fixed date"
    flag = "" if ob.status == "required" else " (undetermined)"
    return f"{ob.regime}/{ob.obligation} by {due}{flag}"


def _person_duties(
    summary: RecordSummary, answer: Assessment | FanOut
) -> dict[GroupKey, list[Obligation]]:
    """Notices to individuals, by group: those whose counted groups include it."""
    per_owner: list[tuple[str | None, Assessment]]
    if isinstance(answer, Assessment):
        owners = summary.owners()
        if len(owners) > 1:
            raise InvalidIncidentError(
                [("answer", "the rows have several owners: pass the fan_out() answer")]
            )
        per_owner = [(owners[0] if owners else None, answer)]
    else:
        per_owner = [(c.client, c.as_owner) for c in answer]
    result: dict[GroupKey, list[Obligation]] = {}
    for owner_name, assessment in per_owner:
        keys = summary.keys(owner_name)
        for ob in assessment:
            if ob.recipient != "individuals":
                continue
            for index in ob.counted_groups:
                if index < len(keys):
                    result.setdefault(keys[index], []).append(ob)
    return result


class _Reader:
    """Reads raw residence and data values into codes, once per distinct value."""

    def __init__(self, two_letter: TwoLetter | None) -> None:
        self.two_letter = two_letter
        self.place = cache(self._place)
        self.elements = cache(self._elements)

    def key(self, raw: RawKey, count: int, summary: RecordSummary) -> GroupKey | None:
        owner_value, residence_value, data_value = raw
        place = self.place(residence_value)
        known, unknown = self.elements(data_value)
        for element in unknown:
            summary.unknown_data[element] += count
        if place is None:
            summary.unknown_residence[residence_value] += count
            return None
        if not known:
            summary.no_known_data += count
            return None
        return owner_value, place, known

    def _place(self, value: str) -> str | None:
        text = value.strip()
        if _ZIP.match(text):
            return registry.place_of_zip(text)
        lowered = text.lower()
        us = registry.us_places().get(lowered)
        if len(text) == 2 and us is not None:
            country = _country(text)
            if country is not None and self.two_letter is None:
                raise InvalidIncidentError(
                    [
                        (
                            "two_letter",
                            f"residence {text!r} is both a country ({country}) and a US state "
                            f"({us}); pass two_letter='country' or two_letter='us_state'",
                        )
                    ]
                )
            return us if country is None or self.two_letter == "us_state" else country
        if us is not None:
            return us
        try:
            return registry.jurisdiction(text)
        except UnknownCodeError:
            return None

    def _elements(self, value: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        known: set[str] = set()
        unknown: list[str] = []
        for part in _SPLIT.split(value):
            element = part.strip()
            if not element:
                continue
            try:
                known.add(registry.category(element))
            except UnknownCodeError:
                unknown.append(element)
        return tuple(sorted(known)), tuple(unknown)


def _country(code: str) -> str | None:
    try:
        found = registry.jurisdiction(code, allow_region=False)
    except UnknownCodeError:
        return None
    return found if "-" not in found else None


def _raw_key(row: Mapping[str, Any], owner: str | None, residence: str, data: str) -> RawKey:
    try:
        value = row[data]
        place = row[residence]
    except KeyError as missing:
        raise InvalidIncidentError(
            [
                (
                    str(missing.args[0]),
                    "the rows have no such column; name it with residence= or data=",
                )
            ]
        ) from None
    text = value if isinstance(value, str) else ";".join(str(v) for v in value)
    owner_value = None if owner is None else row.get(owner)
    return (
        None if owner_value is None else str(owner_value),
        "" if place is None else str(place),
        text,
    )


def _raw_counts(
    rows: Any, owner: str | None, residence: str, data: str
) -> Iterator[tuple[RawKey, int]]:
    """Distinct raw (owner, residence, data) values with their row counts."""
    frame = _as_frame(rows)
    if frame is None:
        counts: Counter[RawKey] = Counter(_raw_key(row, owner, residence, data) for row in rows)
        yield from counts.items()
        return
    yield from _frame_counts(frame, owner, residence, data)


def _as_frame(rows: Any) -> Any:
    """A narwhals frame for a dataframe, or None for a plain iterable of mappings."""
    if type(rows).__module__.partition(".")[0] not in _DATAFRAME_LIBRARIES:
        return None
    try:
        import narwhals.stable.v2 as nw
    except ImportError:  # pragma: no cover - depends on the extra
        raise InvalidIncidentError(
            [
                (
                    "rows",
                    "reading a dataframe needs: pip install 'breachrules[records]'",
                )
            ]
        ) from None
    return nw.from_native(rows)


def _frame_counts(
    frame: Any, owner: str | None, residence: str, data: str
) -> Iterator[tuple[RawKey, int]]:
    import narwhals.stable.v2 as nw

    columns = [c for c in (owner, residence, data) if c is not None]
    names = frame.collect_schema().names()
    missing = [c for c in columns if c not in names]
    if missing:
        raise InvalidIncidentError(
            [
                (
                    missing[0],
                    "the dataframe has no such column; name it with owner=, residence= or data=",
                )
            ]
        )
    grouped = (
        frame.select([nw.col(c).cast(nw.String) for c in columns])
        .group_by(columns, drop_null_keys=False)
        .agg(nw.len().alias("__rows"))
    )
    if isinstance(grouped, nw.LazyFrame):
        grouped = grouped.collect()
    for row in grouped.iter_rows(named=True):
        owner_value = None if owner is None else row[owner]
        yield (
            (
                None if owner_value is None else str(owner_value),
                "" if row[residence] is None else str(row[residence]),
                "" if row[data] is None else str(row[data]),
            ),
            int(row["__rows"]),
        )
