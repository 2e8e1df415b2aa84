"""The decision engine: which duties one incident triggers under each law in force.

For each law the engine picks the version in force, checks whom the law governs, counts the
people whose covered data was involved (after group-level exceptions such as encryption),
compares the count with each obligation's threshold, applies incident-level exceptions, and
computes the deadline. Every step is three-valued, so unknown facts make a duty
``undetermined`` and are named, never assumed. The engine knows no jurisdiction by name.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from breachrules import registry
from breachrules._version import __version__
from breachrules.conditions import ALWAYS, Context, Tri
from breachrules.deadlines import Anchors, Due, compute
from breachrules.errors import InvalidIncidentError
from breachrules.incident import AffectedGroup, Incident
from breachrules.loader import load_rules
from breachrules.results import Assessment, NotRequired, NotRequiredCode, Obligation, Status
from breachrules.rulebook import (
    CompiledException,
    CompiledObligation,
    CompiledVersion,
    Regime,
    Rulebook,
)
from breachrules.schema import Threshold


def obligations(
    incident: Incident | Mapping[str, Any],
    *,
    as_of: date | datetime | str | None = None,
    rules: Rulebook | str | Path | None = None,
) -> Assessment:
    """Who must be told of an incident, by when, under which law, and why.

    Args:
        incident: an ``Incident`` or a mapping that validates into one.
        as_of: apply the law in force on this date instead of on the date of discovery.
        rules: a rulebook from ``load_rules``, or a directory of rule files to add to the
            bundled laws; the bundled laws alone when left out.

    Raises:
        InvalidIncidentError: naming each invalid field and how to fix it.
        RuleFileError: when ``rules`` names a directory with invalid rule files.
    """
    parsed = parse_incident(incident)
    if parsed.data_owners:
        raise InvalidIncidentError(
            [
                (
                    "data_owners",
                    "an incident with data owners has one answer per client; call "
                    "breachrules.fan_out(incident) instead of obligations()",
                )
            ]
        )
    book = rules if isinstance(rules, Rulebook) else load_rules(rules)
    return evaluate(parsed, book, as_of_day(parsed, as_of))


def evaluate(incident: Incident, book: Rulebook, day: date) -> Assessment:
    """Assess a validated incident against a rulebook on one day (no input checks)."""
    found: list[Obligation] = []
    skipped: list[NotRequired] = []
    regimes = book.relevant(
        {group.jurisdiction for group in incident.affected}, incident.entity.established_in
    )
    regimes += _contracts(incident, book)
    for regime in regimes:
        _Evaluation(regime, incident, day, found, skipped).run()
    return Assessment.build(
        as_of=day, breachrules_version=__version__, obligations=found, not_required=skipped
    )


def _contracts(incident: Incident, book: Rulebook) -> list[Regime]:
    """The contract rule files an incident names, checked to exist and to be contracts."""
    found: list[Regime] = []
    known = sorted(book.contract_ids)
    for i, regime_id in enumerate(incident.contracts):
        if regime_id not in book.contract_ids:
            close = registry.suggest(regime_id, known)
            if close:
                hint = f"did you mean {' or '.join(map(repr, close))}?"
            elif known:
                hint = f"loaded contracts: {', '.join(known)}"
            else:
                hint = "no contract rule files are loaded; pass their directory as rules="
            raise InvalidIncidentError(
                [(f"contracts[{i}]", f"{regime_id!r} is not a loaded contract; {hint}")]
            )
        found.append(book[regime_id])
    return found


def parse_incident(incident: Incident | Mapping[str, Any]) -> Incident:
    """Validate an incident, turning validation errors into one clear InvalidIncidentError."""
    if isinstance(incident, Incident):
        return incident
    if not isinstance(incident, Mapping):
        raise InvalidIncidentError(
            [("", f"expected an Incident or a mapping, got {type(incident).__name__}")]
        )
    try:
        return Incident.model_validate(incident)
    except ValidationError as error:
        raise InvalidIncidentError([_explain(e) for e in error.errors()]) from None


_FIXES = {
    "timezone_aware": "add a UTC offset or zone, e.g. 2026-03-02T09:30:00-05:00",
    "missing": "this field is required",
    "extra_forbidden": "unknown field; check its spelling against the Incident model",
    "greater_than_equal": "must not be negative",
}


def _explain(error: Any) -> tuple[str, str]:
    path = ""
    for part in error["loc"]:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    message = str(error["msg"]).removeprefix("Value error, ")
    fix = _FIXES.get(error["type"])
    if error["type"] == "timezone_aware":
        message = f"the time has no time zone; {fix}"
    elif fix and error["type"] != "missing":
        message = f"{message} ({fix})"
    elif fix:
        message = fix
    return path, message


def as_of_day(incident: Incident, as_of: date | datetime | str | None) -> date:
    """The day whose law applies: ``as_of`` if given, else the day of discovery."""
    if as_of is None:
        return incident.discovered_at.date()
    if isinstance(as_of, datetime):
        return as_of.date()
    if isinstance(as_of, date):
        return as_of
    try:
        return date.fromisoformat(str(as_of))
    except ValueError:
        raise InvalidIncidentError(
            [("as_of", f"{as_of!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-03-02")]
        ) from None


@dataclass
class _Counted:
    """Counting for one obligation (or one jurisdiction of it): known and possible people."""

    known: int = 0
    possible: int | None = 0  # None: unbounded (a group count is unknown)
    unknown_groups: list[int] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)  # every group counted, known or possibly


_CountResult = tuple[_Counted, set[str], list[str]]


class _Evaluation:
    """Evaluates one law for one incident, appending to the result lists."""

    def __init__(
        self,
        regime: Regime,
        incident: Incident,
        day: date,
        found: list[Obligation],
        skipped: list[NotRequired],
    ) -> None:
        self.regime = regime
        self.incident = incident
        self.day = day
        self.found = found
        self.skipped = skipped

    def run(self) -> None:
        version = self.regime.version_on(self.day)
        candidates = self._touched(version or self.regime.versions[-1])
        counts_people = version.counts_people if version else self.regime.versions[-1].counts_people
        if not candidates and counts_people:
            return
        if version is None:
            latest = self.regime.versions[-1]
            if latest.applies_when.value(Context(self.incident)) is False:
                return  # the law would not govern this entity in any version we know of
            self._skip(None, "no_version_in_force", [self._no_version()], self.regime.jurisdiction)
            return
        self.version = version
        self.incident_ctx = Context(self.incident)
        applies = version.applies_when.value(self.incident_ctx)
        if applies is False:
            who = version.rule.applies_to or version.applies_when.describe()
            reason = f"{self.regime.name} governs {who}; this entity is not among them."
            self._skip(None, "out_of_scope", [reason], self.regime.jurisdiction)
            return
        self.members = self._population(candidates) if version.counts_people else {}
        self.covered = {i: self._definition(self.incident.affected[i]) for i in self.members}
        self.group_sentences = self._group_sentences()
        self.due: dict[str, Due] = {}
        self.exception_hits: dict[tuple[str, int], tuple[Tri, set[str]]] = {}
        self.counts: dict[tuple[tuple[int, ...], tuple[str, ...]], _CountResult] = {}
        incident = self.incident
        self.anchors = Anchors(
            discovery=incident.discovered_at,
            determination=incident.determined_at,
            zone=self.regime.timezone or incident.zone(),
            calendar=self.regime.jurisdiction,
            notice_sent={
                n.obligation: n.sent_at for n in incident.notices if n.regime == self.regime.id
            },
            notice_due=self.due,
            notice_names={o.rule.id: o.rule.recipient_name for o in version.obligations},
            events=dict(incident.events),
            occurrence=incident.occurred_at,
        )
        first_found, first_skipped = len(self.found), len(self.skipped)
        for ob in version.obligations:
            self._obligation(ob, applies)
        if any(ob.rule.same_notice_as for ob in version.obligations):
            self._merge_same_notices(first_found, first_skipped)

    def _merge_same_notices(self, first_found: int, first_skipped: int) -> None:
        """Show a notice owed on several grounds once, under the main obligation's id.

        The merged duty is required when any ground requires it, and otherwise undetermined
        on the union of the grounds' unknown facts; its deadline is the earliest of theirs.
        """
        main_of = {
            ob.rule.id: ob.rule.same_notice_as
            for ob in self.version.obligations
            if ob.rule.same_notice_as
        }
        merged: dict[tuple[str, str], Obligation] = {}
        order: list[tuple[str, str]] = []
        for found in self.found[first_found:]:
            key = (main_of.get(found.obligation, found.obligation), found.jurisdiction)
            if key not in merged:
                order.append(key)
                merged[key] = found.model_copy(update={"obligation": key[0]})
            else:
                merged[key] = _combine(merged[key], found)
        owed = {k[0] for k in order}
        del self.found[first_found:]
        self.found.extend(merged[k] for k in order)
        kept = [
            n
            for n in self.skipped[first_skipped:]
            if main_of.get(n.obligation or "", n.obligation) not in owed
        ]
        del self.skipped[first_skipped:]
        self.skipped.extend(kept)

    # --- who counts -------------------------------------------------------------------------

    def _touched(self, version: CompiledVersion) -> list[int]:
        """Groups that may be in the law's population at all (cheap pre-filter)."""
        if not version.counts_people:
            return []
        places = version.residents_of
        everyone = version.everyone_when
        if everyone is not None and everyone.value(Context(self.incident)) is not False:
            return list(range(len(self.incident.affected)))
        return [
            i
            for i, g in enumerate(self.incident.affected)
            if _within(g.jurisdiction, places) is not False
        ]

    def _population(self, candidates: list[int]) -> dict[int, Tri]:
        everyone = (
            self.version.everyone_when.value(self.incident_ctx)
            if self.version.everyone_when is not None
            else False
        )
        members: dict[int, Tri] = {}
        for i in candidates:
            inside = _within(self.incident.affected[i].jurisdiction, self.version.residents_of)
            members[i] = (
                True
                if everyone is True
                else (inside if everyone is False else (True if inside else None))
            )
        return members

    def _definition(self, group: AffectedGroup) -> str | None:
        """The words of the first combination the group's data meets, or None."""
        version = self.version
        if group.medium not in version.media:
            return None
        data = set(group.data)
        if version.any_personal_data:
            return "personal data"
        for combo in version.combinations:
            if data.issuperset(combo.all) and (not combo.any or not data.isdisjoint(combo.any)):
                return _combo_words(combo.all, combo.any, data)
        return None

    def _group_sentences(self) -> dict[int, str]:
        sentences: dict[int, str] = {}
        definition = self.version.definition_citation
        for i in self.members:
            group = self.incident.affected[i]
            who = _group_words(i, group)
            if self.members[i] is None:
                sentences[i] = f"{who} may or may not be counted: {self._population_words()}."
                continue
            matched = self.covered[i]
            if matched is None:
                medium = "" if group.medium in self.version.media else f" ({group.medium} records)"
                sentences[i] = (
                    f"{who}: not counted; the data{medium} is not personal information under "
                    f"{definition}."
                )
            else:
                sentences[i] = f"{who}: {matched} is personal information under {definition}."
        return sentences

    def _population_words(self) -> str:
        explanation = self.version.population_explanation
        places = ", ".join(sorted(self.version.residents_of))
        return explanation or f"the law counts residents of {places}"

    def _count(
        self, ob: CompiledObligation, indices: list[int]
    ) -> tuple[_Counted, set[str], list[str]]:
        """Count the people for one obligation; shared by duties with the same exceptions."""
        key = (tuple(indices), tuple(e.rule.id for e in ob.group_exceptions))
        found = self.counts.get(key)
        if found is None:
            found = self._count_groups(indices, ob.group_exceptions)
            self.counts[key] = found
        return found

    def _count_groups(
        self, indices: list[int], exceptions: tuple[CompiledException, ...]
    ) -> tuple[_Counted, set[str], list[str]]:
        counted = _Counted()
        missing: set[str] = set()
        notes: list[str] = []
        for i in indices:
            group = self.incident.affected[i]
            if self.covered[i] is None or group.count == 0:
                continue
            status: Tri = self.members[i]
            unknown_here: set[str] = set()
            if status is None:
                unknown_here.add(f"affected[{i}].jurisdiction")
            for exc in exceptions:
                hit, unknown = self._group_exception(exc, i)
                if hit is True:
                    status = False
                    notes.append(
                        f"{_group_words(i, group)}: not counted, {exc.rule.label} "
                        f"({exc.rule.citation}): {exc.rule.explanation}"
                    )
                    break
                if hit is None:
                    status = None if status is not False else False
                    unknown_here |= unknown
            if status is False:
                continue
            counted.groups.append(i)
            if status is True and group.count is not None:
                counted.known += group.count
            else:
                counted.unknown_groups.append(i)
                if group.count is None:
                    unknown_here.add(f"affected[{i}].count")
                missing |= unknown_here
            if counted.possible is not None:
                counted.possible = None if group.count is None else counted.possible + group.count
        return counted, missing, notes

    def _group_exception(self, exc: CompiledException, index: int) -> tuple[Tri, set[str]]:
        """A group exception's answer for one group, worked out once per law."""
        key = (exc.rule.id, index)
        found = self.exception_hits.get(key)
        if found is None:
            ctx = Context(self.incident, self.incident.affected[index], index)
            hit = exc.when.value(ctx)
            found = (hit, exc.when.missing(ctx) if hit is None else set())
            self.exception_hits[key] = found
        return found

    # --- one obligation --------------------------------------------------------------------

    def _obligation(self, ob: CompiledObligation, applies: Tri) -> None:
        rule = ob.rule
        if rule.recipients is not None:
            lead = rule.recipients.choose == "lead_or_each_affected"
            self._by_recipient(ob, applies, rule.recipients.names, lead)
        elif rule.threshold is not None and rule.threshold.per == "jurisdiction":
            by_place: dict[str, list[int]] = {}
            for i in self.members:
                by_place.setdefault(self.incident.affected[i].jurisdiction, []).append(i)
            for place, indices in sorted(by_place.items()):
                self._decide(ob, applies, indices, place)
        else:
            self._decide(ob, applies, list(self.members), self.regime.jurisdiction)

    def _by_recipient(
        self, ob: CompiledObligation, applies: Tri, names: dict[str, str], lead_first: bool
    ) -> None:
        """One notice to the lead recipient of the establishment, or one per affected place."""
        entity = self.incident.entity
        established = (
            _unique(_table_key(p, names) for p in entity.established_in) if lead_first else []
        )
        if established:
            main = _table_key(entity.main_establishment, names)
            lead = [main] if main in established else established
            if len(lead) == 1:
                why = (
                    f"Recipient: the authority of the entity's main establishment ({lead[0]})"
                    if main or len(established) == 1
                    else ""
                )
                name, place = names[lead[0]], lead[0]
            else:
                name = "the lead authority of the main establishment, one of: " + "; ".join(
                    names[k] for k in lead
                )
                place = self.regime.jurisdiction
                why = (
                    "Recipient: the entity is established in "
                    + ", ".join(lead)
                    + "; give entity.main_establishment to name the lead authority"
                )
            self._decide(ob, applies, list(self.members), place, name, why)
            return
        by_place: dict[str | None, list[int]] = {}
        for i in self.members:
            by_place.setdefault(
                _table_key(self.incident.affected[i].jurisdiction, names), []
            ).append(i)
        for key in sorted(by_place, key=lambda k: k or ""):
            if key is None:
                self._decide(ob, applies, by_place[key], self.regime.jurisdiction)
            else:
                why = f"Recipient: the authority of {key}, where the people counted here live"
                self._decide(ob, applies, by_place[key], key, names[key], why)

    def _decide(
        self,
        ob: CompiledObligation,
        applies: Tri,
        indices: list[int],
        place: str,
        recipient_name: str | None = None,
        recipient_reason: str = "",
    ) -> None:
        rule = ob.rule
        ctx = self.incident_ctx
        due = self._deadline(ob)
        reasons = [self.group_sentences[i] for i in indices]
        if recipient_reason:
            reasons.append(f"{recipient_reason}.")
        missing: set[str] = set()
        if applies is None:
            missing |= self.version.applies_when.missing(ctx)
            reasons.append(f"Whether {self.regime.name} governs this entity is not known.")
        condition = ob.when.value(ctx)
        if condition is False:
            self._skip(
                rule.id,
                "condition_not_met",
                [f"This duty applies only when {ob.when.describe()}."],
                place,
            )
            return
        if condition is None:
            missing |= ob.when.missing(ctx)
        elif ob.when is not ALWAYS:
            reasons.append(f"The duty's condition holds: {ob.when.describe()}.")

        if self.version.counts_people:
            counted, count_missing, notes = self._count(ob, indices)
            reasons.extend(notes)
            meets = _meets(counted, rule.threshold)
            if meets is False:
                code: NotRequiredCode = (
                    "no_covered_data" if counted.possible == 0 else "below_threshold"
                )
                self._skip(
                    rule.id, code, [*reasons, _count_words(counted, rule.threshold, False)], place
                )
                return
            if meets is None:
                missing |= count_missing
            reasons.append(_count_words(counted, rule.threshold, meets))
        else:
            counted = _Counted()
            reasons.append(
                f"{self.regime.name} turns on the incident itself, not on whose data was involved."
            )

        for exc in ob.incident_exceptions:
            hit = exc.when.value(ctx)
            words = f"{exc.rule.label} ({exc.rule.citation}): {exc.rule.explanation}"
            if hit is True:
                self._skip(rule.id, "exception", [*reasons, f"Exception applies: {words}"], place)
                return
            if hit is None:
                missing |= exc.when.missing(ctx)
                reasons.append(f"Exception that may apply, depending on unknown facts: {words}")

        reasons.extend(f"Deadline: {note}." for note in due.notes)
        status: Status = "undetermined" if missing else "required"
        self.found.append(
            Obligation.trusted(
                regime=self.regime.id,
                regime_name=self.regime.name,
                kind=self.regime.source.kind,
                version=self.version.rule.effective_from or self.day,
                obligation=rule.id,
                jurisdiction=place,
                recipient=rule.recipient,
                recipient_name=recipient_name or rule.recipient_name,
                status=status,
                deadline=due.at,
                deadline_text=due.text,
                citation=rule.citation,
                source_url=rule.source_url or self.version.rule.source_url,
                reasons=reasons,
                missing_facts=sorted(missing),
                affected_count=counted.known,
                counted_groups=list(counted.groups),
                content=list(rule.content),
                methods=list(rule.methods),
                substitute_notice=rule.substitute_notice,
                notes=list(rule.notes),
            )
        )

    def _deadline(self, ob: CompiledObligation) -> Due:
        cached = self.due.get(ob.rule.id)
        if cached is not None:
            return cached
        due = compute(ob.rule.deadline, self.anchors)
        self.due[ob.rule.id] = due
        return due

    # --- not required ---------------------------------------------------------------------

    def _skip(
        self, obligation: str | None, code: NotRequiredCode, reasons: list[str], place: str
    ) -> None:
        version = self.regime.version_on(self.day)
        citation = version.rule.citation if version else self.regime.versions[-1].rule.citation
        self.skipped.append(
            NotRequired.trusted(
                regime=self.regime.id,
                regime_name=self.regime.name,
                obligation=obligation,
                jurisdiction=place,
                code=code,
                reasons=reasons,
                citation=citation,
            )
        )

    def _no_version(self) -> str:
        spans = ", ".join(
            f"{v.rule.effective_from} to {v.rule.effective_until or 'today'}"
            for v in self.regime.versions
            if v.rule.status == "enacted"
        )
        pending = [v.rule.status_note for v in self.regime.versions if v.rule.status == "pending"]
        text = f"No version of {self.regime.name} is in force on {self.day}"
        text += f" (versions: {spans})." if spans else "."
        return text + "".join(f" Pending: {note}" for note in pending if note)


def _combine(one: Obligation, other: Obligation) -> Obligation:
    """One notice owed on two grounds: the stronger status, the earlier deadline, both reasons."""
    required = "required" in (one.status, other.status)
    deadlines = [d for d in (one.deadline, other.deadline) if d is not None]
    earlier = (
        other if one.deadline is None or (other.deadline and other.deadline < one.deadline) else one
    )
    citation = (
        one.citation if other.citation == one.citation else f"{one.citation}; {other.citation}"
    )
    return one.model_copy(
        update={
            "status": "required" if required else "undetermined",
            "missing_facts": []
            if required
            else sorted(set(one.missing_facts) | set(other.missing_facts)),
            "deadline": min(deadlines) if deadlines else None,
            "deadline_text": earlier.deadline_text,
            "citation": citation,
            "reasons": [
                *one.reasons,
                f"The same notice is also owed on another ground ({other.obligation}, "
                f"{other.citation}):",
                *other.reasons,
            ],
            "affected_count": max(one.affected_count, other.affected_count),
            "counted_groups": sorted(set(one.counted_groups) | set(other.counted_groups)),
        }
    )


def _table_key(code: str | None, names: dict[str, str]) -> str | None:
    """The entry of a recipient table for a place: its own, else its country's."""
    if code is None:
        return None
    if code in names:
        return code
    country = registry.country_of(code)
    return country if country in names else None


def _unique(keys: Iterator[str | None]) -> list[str]:
    return sorted({k for k in keys if k is not None})


@cache
def _within(code: str, places: frozenset[str]) -> Tri:
    """Whether people of ``code`` live in one of ``places`` (None: some may)."""
    if any(registry.contains(p, code) for p in places):
        return True
    if any(registry.overlaps(p, code) for p in places):
        return None
    return False


def _meets(counted: _Counted, threshold: Threshold | None) -> Tri:
    """Whether the count, known to lie between ``known`` and ``possible``, meets the test."""
    low, high = counted.known, counted.possible  # high None: no upper bound
    someone: Tri = True if low >= 1 else (False if high == 0 else None)
    if threshold is None or someone is False:
        return someone
    value = threshold.value
    if threshold.op in (">", ">="):
        passes = low > value if threshold.op == ">" else low >= value
        fails_high = high is not None and (high <= value if threshold.op == ">" else high < value)
        verdict: Tri = True if passes else (False if fails_high else None)
    else:
        passes_high = high is not None and (high < value if threshold.op == "<" else high <= value)
        fails = low >= value if threshold.op == "<" else low > value
        verdict = True if passes_high else (False if fails else None)
    if verdict is False or someone is True:
        return verdict
    return None


def _count_words(counted: _Counted, threshold: Threshold | None, meets: Tri) -> str:
    people = f"{counted.known:,} {'person' if counted.known == 1 else 'people'} counted"
    if counted.unknown_groups:
        groups = ", ".join(f"affected[{i}]" for i in counted.unknown_groups)
        people += f", and possibly more in {groups}"
    test = f"the threshold: {threshold.wording}" if threshold else "the test: at least one person"
    verdict = {True: "meets", False: "does not meet", None: "may or may not meet"}[meets]
    return f"{people}: {verdict} {test}."


def _combo_words(required: list[str], alternatives: list[str], data: set[str]) -> str:
    present = [c for c in alternatives if c in data]
    parts = list(required) + ([" or ".join(present)] if present else [])
    return " with ".join(parts)


def _group_words(index: int, group: AffectedGroup) -> str:
    count = "an unknown number of" if group.count is None else f"{group.count:,}"
    label = f" ({group.label})" if group.label else ""
    return f"affected[{index}]{label}, {count} in {group.jurisdiction} ({', '.join(group.data)})"
