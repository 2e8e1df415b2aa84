"""Vendor fan-out: one breach at a service provider, one answer per client whose data it held.

For each client (data owner) the answer has two parts: what the vendor owes that client (under
every law that governs the vendor and under the client's contract), and what the client owes
people and regulators as the owner of the data, counted from when it learned of the breach.
The vendor's duties that are owed to no client (a regulator of the vendor itself, say) are
worked out once, over every client's data together.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from breachrules.engine import as_of_day, evaluate, parse_incident
from breachrules.errors import InvalidIncidentError
from breachrules.incident import Entity, Incident
from breachrules.loader import load_rules
from breachrules.results import Assessment, Obligation
from breachrules.rulebook import Regime, Rulebook


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class ClientAnswer(_Frozen):
    """What one breach means for one client of the vendor."""

    client: str
    clock_start: datetime
    clock_reason: str
    to_client: Assessment
    """The vendor's duties toward this client: under law and under contract."""
    as_owner: Assessment
    """The client's own duties as owner of the data, counted from ``clock_start``."""
    delegates: list[str]
    vendor: str

    def sender(self, obligation: Obligation) -> str:
        """Who sends an owner's notice: the vendor when the client delegated that kind."""
        return self.vendor if obligation.recipient in self.delegates else self.client

    def rows(self) -> Iterator[dict[str, Any]]:
        """One flat row per duty, for tables: who owes it, who sends it, to whom, by when."""
        for ob in self.to_client:
            yield _row(self.client, self.vendor, self.vendor, ob)
        for ob in self.as_owner:
            yield _row(self.client, self.client, self.sender(ob), ob)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with the sender of every owner duty beside it."""
        return {
            "client": self.client,
            "clock_start": self.clock_start.isoformat(),
            "clock_reason": self.clock_reason,
            "delegates": list(self.delegates),
            "to_client": self.to_client.to_dict(),
            "as_owner": self.as_owner.to_dict(),
            "sent_by": [self.sender(ob) for ob in self.as_owner],
        }


class FanOut(_Frozen):
    """Every client's answer, and the vendor's duties that are owed to no client."""

    vendor: str
    as_of: date
    vendor_duties: Assessment
    """The vendor's duties over all clients' data together, other than notice to clients."""
    own_data: Assessment | None
    """The vendor's duties as owner of data of its own (``affected`` of the incident), if any."""
    clients: list[ClientAnswer]

    def __iter__(self) -> Iterator[ClientAnswer]:  # type: ignore[override]
        return iter(self.clients)

    def __len__(self) -> int:
        return len(self.clients)

    def client(self, name: str) -> ClientAnswer:
        """One client's answer by name."""
        for answer in self.clients:
            if answer.client == name:
                return answer
        raise KeyError(name)

    def rows(self) -> Iterator[dict[str, Any]]:
        """One flat row per duty of the whole fan-out (feed it to a dataframe)."""
        for assessment in (self.vendor_duties, self.own_data):
            for ob in assessment or ():
                yield _row(None, self.vendor, self.vendor, ob)
        for answer in self.clients:
            yield from answer.rows()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "vendor": self.vendor,
            "as_of": self.as_of.isoformat(),
            "vendor_duties": self.vendor_duties.to_dict(),
            "own_data": self.own_data.to_dict() if self.own_data else None,
            "clients": [c.to_dict() for c in self.clients],
        }


def fan_out(
    incident: Incident | Mapping[str, Any],
    *,
    as_of: date | datetime | str | None = None,
    rules: Rulebook | str | Path | None = None,
) -> FanOut:
    """Split a breach at a service provider into the duties of and toward each client.

    Args:
        incident: an incident whose entity is a ``service_provider`` and which lists its
            ``data_owners``, each with its own affected groups.
        as_of: apply the law in force on this date instead of on the date of discovery.
        rules: a rulebook or a directory of extra rule files (e.g. the clients' contracts).

    Raises:
        InvalidIncidentError: for invalid input, or an incident with no data owners.
    """
    parsed = parse_incident(incident)
    if not parsed.data_owners:
        raise InvalidIncidentError(
            [("data_owners", "fan_out needs the vendor's clients; list them in data_owners")]
        )
    book = rules if isinstance(rules, Rulebook) else load_rules(rules)
    day = as_of_day(parsed, as_of)
    every_group = [g for owner in parsed.data_owners for g in owner.affected]
    all_data = evaluate(
        parsed.model_copy(update={"affected": every_group, "data_owners": [], "contracts": []}),
        book,
        day,
    )
    paths = [
        f"data_owners[{i}].affected[{k}]"
        for i, owner in enumerate(parsed.data_owners)
        for k in range(len(owner.affected))
    ]
    vendor_duties = _relabel(_only(all_data, lambda ob: ob.recipient != "data_owner"), paths)
    own_data = None
    if parsed.affected:
        owner_entity = parsed.entity.model_copy(update={"role": "owner"})
        own_data = evaluate(
            parsed.model_copy(update={"entity": owner_entity, "data_owners": [], "contracts": []}),
            book,
            day,
        )
    toward = book.only(_owes_a_data_owner)  # the vendor's run per client needs no other law
    clients = [_client(parsed, i, book, toward, day) for i in range(len(parsed.data_owners))]
    return FanOut(
        vendor=parsed.entity.name,
        as_of=day,
        vendor_duties=vendor_duties,
        own_data=own_data,
        clients=clients,
    )


def _owes_a_data_owner(regime: Regime) -> bool:
    return regime.kind == "contract" or any(
        ob.rule.recipient == "data_owner" for v in regime.versions for ob in v.obligations
    )


def _client(
    incident: Incident, index: int, book: Rulebook, toward_book: Rulebook, day: date
) -> ClientAnswer:
    owner = incident.data_owners[index]
    vendor = incident.entity.name
    paths = [f"data_owners[{index}].affected[{k}]" for k in range(len(owner.affected))]
    toward = evaluate(
        incident.model_copy(
            update={"affected": owner.affected, "data_owners": [], "contracts": owner.contracts}
        ),
        toward_book,
        day,
    )
    to_client = _relabel(
        _only(toward, lambda ob: ob.recipient == "data_owner" or ob.kind == "contract"), paths
    )
    if owner.notified_at is not None:
        start = owner.notified_at
        reason = (
            f"{owner.name}'s periods count from when it learned of the breach from {vendor} "
            f"({start.isoformat()})."
        )
    else:
        start = incident.discovered_at
        reason = (
            f"When {owner.name} learned of the breach is not given; its periods count from "
            f"{vendor}'s discovery ({start.isoformat()}), the earliest it can have known."
        )
    entity = Entity.model_construct(
        name=owner.name,
        role="owner",
        established_in=owner.established_in,
        regulated_as=owner.regulated_as,
    )
    as_owner = evaluate(
        incident.model_copy(
            update={
                "discovered_at": start,
                "determined_at": None,
                "events": {},
                "notices": [],
                "entity": entity,
                "affected": owner.affected,
                "data_owners": [],
                "contracts": [],
                "risk_of_harm": owner.risk_of_harm or incident.risk_of_harm,
                "facts": {**incident.facts, **owner.facts},
            }
        ),
        book,
        day,
    )
    as_owner = _relabel(as_owner, paths, f"Clock: {reason}")
    return ClientAnswer(
        client=owner.name,
        clock_start=start,
        clock_reason=reason,
        to_client=to_client,
        as_owner=as_owner,
        delegates=list(owner.delegates),
        vendor=vendor,
    )


def _row(client: str | None, holder: str, sender: str, ob: Obligation) -> dict[str, Any]:
    """One duty as a flat row: whose it is, who sends it, to whom, by when, under what."""
    return {
        "client": client,
        "duty_of": holder,
        "sent_by": sender,
        "kind": ob.kind,
        "regime": ob.regime,
        "obligation": ob.obligation,
        "jurisdiction": ob.jurisdiction,
        "recipient": ob.recipient,
        "recipient_name": ob.recipient_name,
        "status": ob.status,
        "deadline": ob.deadline,
        "deadline_text": ob.deadline_text,
        "citation": ob.citation,
    }


def _only(assessment: Assessment, keep: Any) -> Assessment:
    return Assessment.build(
        as_of=assessment.as_of,
        breachrules_version=assessment.breachrules_version,
        obligations=[ob for ob in assessment if keep(ob)],
        not_required=list(assessment.not_required),
    )


_GROUP = re.compile(r"(?<![.\w])affected\[(\d+)\]")


def _relabel(assessment: Assessment, paths: list[str], first: str | None = None) -> Assessment:
    """Name groups by their place in the fan-out input (data_owners[i].affected[k])."""

    def fix(text: str) -> str:
        if "affected[" not in text:  # most sentences name no group: skip the regex
            return text
        return _GROUP.sub(lambda m: paths[int(m.group(1))], text)

    def fix_all(texts: list[str]) -> list[str]:
        return [fix(t) for t in texts] if any("affected[" in t for t in texts) else texts

    obligations = [
        ob.model_copy(
            update={
                "reasons": ([first] if first else []) + fix_all(ob.reasons),
                "missing_facts": sorted(fix_all(ob.missing_facts)),
            }
        )
        for ob in assessment
    ]
    not_required = [
        n.model_copy(update={"reasons": fix_all(n.reasons)})
        if any("affected[" in r for r in n.reasons)
        else n
        for n in assessment.not_required
    ]
    return Assessment.build(
        as_of=assessment.as_of,
        breachrules_version=assessment.breachrules_version,
        obligations=obligations,
        not_required=not_required,
    )
