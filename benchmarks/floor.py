"""A plain-Python floor: the engine's decisions with nothing else. Run by hand, not in the tests.

The floor reads the same rule data the library loads (the wheel's JSON Lines bundle, else the
checkout's TOML files) without importing breachrules or pydantic, and compiles every version of
every law into flat tuples: the places whose residents it counts (regions expanded to their
member countries), the personal-information combinations as frozensets, the conditions on the
entity's role, regulated statuses, places of establishment, named facts and risk of harm as
plain two-valued closures, group exceptions (the common encrypted-and-key-safe test reduced to
one precomputed flag per group), thresholds, and deadlines as (anchor, unit, amount) offsets.

``obligations(incident, floor)`` then returns, for an incident dict with every fact known, the
tuples (regime, obligation, jurisdiction, deadline) of the duties that are required: no reasons,
no unknowns, no validation, no result objects. It is what a hand-written service that trusted
its input would do, and so the speed the library is measured against.

It assumes canonical codes (upper-case jurisdictions, category codes rather than aliases) and
known facts: a fact left out reads as absent (false), where the library would answer
``undetermined``.
"""

from __future__ import annotations

import importlib.util
import json
import tomllib
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

Row = tuple[str, str, str, datetime | None]
_END = time(23, 59, 59)
_ENC_SAFE = {
    "all": [
        {"fact": "group.encrypted", "is": True},
        {"fact": "group.key_compromised", "is": False},
    ]
}


# --- reading the rule data (no breachrules import) -------------------------------------------


def _package_dir() -> Path:
    spec = importlib.util.find_spec("breachrules")  # locates the package without importing it
    assert spec is not None
    assert spec.origin is not None
    return Path(spec.origin).parent


def read_rules() -> tuple[list[dict[str, Any]], dict[str, frozenset[str]]]:
    """The raw rule files and the regions, from the same source the library loads."""
    package = _package_dir()
    bundle = package / "rules.jsonl"
    if bundle.is_file():
        raw = [json.loads(line)["rule"] for line in bundle.read_text("utf-8").splitlines()]
    else:
        directory = package / "rules"
        if not directory.is_dir():
            directory = package.parents[1] / "rules"
        raw = [tomllib.loads(f.read_text("utf-8")) for f in sorted(directory.rglob("*.toml"))]
    regions = tomllib.loads((package / "data" / "regions.toml").read_text("utf-8"))
    return raw, {code: frozenset(r["members"]) for code, r in regions.items()}


# --- compiling --------------------------------------------------------------------------------

# An incident view: (role, regulated_as, established_in, facts, risk_of_harm).
# A group view: (jurisdiction, count, data, encrypted, key_compromised, medium, enc_safe).
IncidentView = tuple[str, frozenset[str], tuple[str, ...], dict[str, Any], str | None]
GroupView = tuple[str, int, frozenset[str], Any, Any, str, bool]
Test = Callable[[IncidentView, GroupView | None], bool]


def _expand(places: list[str], regions: dict[str, frozenset[str]]) -> frozenset[str]:
    """Places plus the member countries of regions: code or its country in the set is inside."""
    out = set(places)
    for p in places:
        out |= regions.get(p, frozenset())
    return frozenset(out)


def _inside(code: str, places: frozenset[str]) -> bool:
    return code in places or code.partition("-")[0] in places


_READ: dict[str, Callable[[IncidentView, GroupView | None], Any]] = {
    "risk_of_harm": lambda i, g: i[4],
    "entity.role": lambda i, g: i[0],
    "entity.regulated_as": lambda i, g: i[1],
    "entity.established_in": lambda i, g: i[2],
    "group.jurisdiction": lambda i, g: g[0],  # type: ignore[index]
    "group.data": lambda i, g: g[2],  # type: ignore[index]
    "group.encrypted": lambda i, g: g[3],  # type: ignore[index]
    "group.key_compromised": lambda i, g: g[4],  # type: ignore[index]
    "group.medium": lambda i, g: g[5],  # type: ignore[index]
}


def _condition(c: dict[str, Any] | None, regions: dict[str, frozenset[str]]) -> Test | None:
    """A two-valued closure for a condition; None for a condition left out (always true)."""
    if c is None:
        return None
    if "all" in c:
        parts = [_condition(p, regions) for p in c["all"]]
        return lambda i, g: all(p(i, g) for p in parts)  # type: ignore[misc]
    if "any" in c:
        parts = [_condition(p, regions) for p in c["any"]]
        return lambda i, g: any(p(i, g) for p in parts)  # type: ignore[misc]
    if "not" in c:
        part = _condition(c["not"], regions)
        return lambda i, g: not part(i, g)  # type: ignore[misc]
    fact = c["fact"]
    if fact.startswith("facts."):
        name = fact.removeprefix("facts.")
        read: Callable[[IncidentView, GroupView | None], Any] = lambda i, g: i[3].get(name)  # noqa: E731
    else:
        read = _READ[fact]
    if "is" in c:
        want = c["is"]
        return lambda i, g: read(i, g) == want
    if "in" in c:
        options = frozenset(c["in"])
        return lambda i, g: read(i, g) in options
    if "contains" in c:
        item = c["contains"]
        return lambda i, g: item in read(i, g)
    if "contains_any" in c:
        items = frozenset(c["contains_any"])
        return lambda i, g: not items.isdisjoint(read(i, g))
    places = _expand(c["within"], regions)
    if fact == "entity.established_in":
        return lambda i, g: any(_inside(p, places) for p in read(i, g))
    return lambda i, g: _inside(read(i, g), places)


def _deadline(d: dict[str, Any]) -> tuple[Any, ...]:
    """(anchor, relation, unit, amount, calendar, notice_of, event, alternatives)."""
    unit, amount = None, None
    for key in ("hours", "days", "business_days", "months"):
        if d.get(key) is not None:
            unit, amount = key, d[key]
    return (
        d.get("anchor", "discovery"),
        d.get("relation", "within"),
        unit,
        amount,
        d.get("calendar"),
        d.get("notice_of"),
        d.get("event"),
        tuple(_deadline(a) for a in d.get("or_if_earlier", ())),
    )


def compile_rules(
    raw: list[dict[str, Any]], regions: dict[str, frozenset[str]]
) -> tuple[dict[str, tuple[Any, ...]], tuple[Any, ...]]:
    """Flat tables: laws by the places they count, and laws that may count anyone."""
    laws = []
    for rule in raw:
        zone = ZoneInfo(rule["timezone"]) if rule.get("timezone") else None
        versions = []
        for v in rule["versions"]:
            if v.get("status", "enacted") != "enacted":
                continue
            population = v.get("population") or {"residents_of": [rule["jurisdiction"]]}
            definition = v.get("personal_information") or {"any_personal_data": True}
            exceptions = []
            for e in v.get("exceptions", ()):
                targets = frozenset(e["obligations"]) if e.get("obligations") else None
                when = "enc" if e["when"] == _ENC_SAFE else _condition(e["when"], regions)
                exceptions.append((e["scope"], targets, when))
            obligations = []
            for o in v["obligations"]:
                t = o.get("threshold")
                obligations.append(
                    (
                        o["id"],
                        _condition(o.get("when"), regions),
                        (t["op"], t["value"], t.get("per", "total") == "jurisdiction")
                        if t
                        else None,
                        tuple(
                            w
                            for s, tg, w in exceptions
                            if s == "group" and (tg is None or o["id"] in tg)
                        ),
                        tuple(
                            w
                            for s, tg, w in exceptions
                            if s == "incident" and (tg is None or o["id"] in tg)
                        ),
                        _deadline(o["deadline"]),
                        (
                            frozenset(o["recipients"]["names"]),
                            o["recipients"]["choose"] == "lead_or_each_affected",
                        )
                        if o.get("recipients")
                        else None,
                        o.get("same_notice_as") or o["id"],
                    )
                )
            everyone = population.get("everyone_when")
            versions.append(
                (
                    v["effective_from"],
                    v.get("effective_until"),
                    v.get("trigger", "personal_data") == "personal_data",
                    _expand(population["residents_of"], regions),
                    _condition(everyone, regions) if everyone else None,
                    _condition(v.get("applies_when"), regions),
                    bool(definition.get("any_personal_data")),
                    tuple(
                        (frozenset(c.get("all", ())), frozenset(c.get("any", ())))
                        for c in definition.get("combinations", ())
                    ),
                    frozenset(definition.get("media", ["electronic"])),
                    tuple(obligations),
                )
            )
        for i, v in enumerate(versions):  # TOML gives dates; the JSON bundle gives strings
            start, until = v[0], v[1]
            start = date.fromisoformat(start) if isinstance(start, str) else start
            until = date.fromisoformat(until) if isinstance(until, str) else until
            versions[i] = (start, until, *v[2:])
        anywhere = any(v[4] is not None or not v[2] for v in versions)
        places = frozenset().union(*(v[3] for v in versions))
        laws.append((rule["id"], rule["jurisdiction"], zone, tuple(versions), anywhere, places))
    laws.sort()
    by_place: dict[str, tuple[Any, ...]] = {}
    everywhere = tuple(law for law in laws if law[4])
    for law in laws:
        for place in law[5]:
            by_place.setdefault(place, ())
            by_place[place] += (law,)
    return by_place, everywhere


def load() -> tuple[dict[str, tuple[Any, ...]], tuple[Any, ...]]:
    return compile_rules(*read_rules())


# --- deadlines --------------------------------------------------------------------------------

_HOLIDAYS: dict[tuple[str, int], Any] = {}
_BUSINESS: dict[tuple[date, int, str], date] = {}


def _holidays(code: str, year: int) -> Any:
    found = _HOLIDAYS.get((code, year))
    if found is None:
        import holidays

        country, _, sub = code.partition("-")
        try:
            found = holidays.country_holidays(country, subdiv=sub or None, years=year)
        except NotImplementedError:
            found = holidays.country_holidays(country, years=year)
        _HOLIDAYS[(code, year)] = found
    return found


def _add_business_days(start: date, count: int, calendar: str) -> date:
    key = (start, count, calendar)
    found = _BUSINESS.get(key)
    if found is None:
        day = start
        while count:
            day += timedelta(days=1)
            rest = _holidays(calendar, day.year)
            if day.weekday() not in rest.weekend and day not in rest:
                count -= 1
        _BUSINESS[key] = found = day
    return found


def _due(d: tuple[Any, ...], inc: dict[str, Any], zone: tzinfo, law: str, dues: dict) -> Any:
    anchor, relation, unit, amount, calendar, notice_of, event, alternatives = d
    discovery = inc["_at"]
    if anchor == "discovery":
        start = discovery
    elif anchor == "determination":
        start = inc["_determined"] or discovery
    elif anchor == "occurrence":
        start = inc["_occurred"] or discovery
    elif anchor == "event":
        start = inc["_events"].get(event) or discovery
    elif anchor == "calendar_year_end":
        start = datetime.combine(date(discovery.astimezone(zone).year, 12, 31), _END, zone)
    else:
        start = inc["_sent"].get((law, notice_of))
        if start is None:
            start = discovery if relation == "within" else dues.get(notice_of)
    if relation != "within":
        at = start
    elif unit is None or start is None:
        at = None
    elif unit == "hours":
        at = (start.astimezone(UTC) + timedelta(hours=amount)).astimezone(zone)
    else:
        local = start.astimezone(zone).date()
        if unit == "days":
            local += timedelta(days=amount)
        elif unit == "business_days":
            local = _add_business_days(local, amount, calendar or inc["_calendar"])
        else:
            from dateutil.relativedelta import relativedelta

            local += relativedelta(months=amount)
        at = datetime.combine(local, _END, zone)
    for alternative in alternatives:
        other = _due(alternative, inc, zone, law, dues)
        if other is not None and (at is None or other < at):
            at = other
    return at


# --- deciding ---------------------------------------------------------------------------------


def _meets(count: int, threshold: tuple[str, int, bool] | None) -> bool:
    if count < 1:
        return False
    if threshold is None:
        return True
    op, value, _ = threshold
    if op == ">":
        return count > value
    if op == ">=":
        return count >= value
    if op == "<":
        return count < value
    return count <= value


def _key(code: str | None, names: frozenset[str]) -> str | None:
    if code is None:
        return None
    if code in names:
        return code
    country = code.partition("-")[0]
    return country if country in names else None


def _by_recipient(
    names: frozenset[str], members: list[GroupView], entity: dict[str, Any], home: str
) -> list[tuple[str, list[GroupView]]]:
    """The lead recipient of the establishment, or one part per affected place (GDPR)."""
    established = sorted({k for e in entity.get("established_in", ()) if (k := _key(e, names))})
    if established:
        main = _key(entity.get("main_establishment"), names)
        lead = [main] if main in established else established
        return [(lead[0] if len(lead) == 1 else home, members)]
    split: dict[str, list[GroupView]] = {}
    for g in members:
        split.setdefault(_key(g[0], names) or home, []).append(g)
    return sorted(split.items())


def obligations(incident: dict[str, Any], floor: tuple[Any, ...]) -> list[Row]:
    """The required duties of an incident dict with every fact known, as flat tuples."""
    by_place, everywhere = floor
    at = datetime.fromisoformat(incident["discovered_at"])
    determined = incident.get("determined_at")
    entity = incident["entity"]
    inc = {
        "_at": at,
        "_determined": datetime.fromisoformat(determined) if determined else None,
        "_occurred": (
            datetime.fromisoformat(incident["occurred_at"]) if incident.get("occurred_at") else None
        ),
        "_events": {k: datetime.fromisoformat(v) for k, v in incident.get("events", {}).items()},
        "_sent": {
            (n["regime"], n["obligation"]): datetime.fromisoformat(n["sent_at"])
            for n in incident.get("notices", ())
        },
    }
    own_zone = ZoneInfo(incident["timezone"]) if incident.get("timezone") else at.tzinfo
    view: IncidentView = (
        entity["role"],
        frozenset(entity.get("regulated_as", ())),
        tuple(entity.get("established_in", ())),
        incident.get("facts", {}),
        incident.get("risk_of_harm"),
    )
    groups: list[GroupView] = [
        (
            g["jurisdiction"],
            g.get("count") or 0,
            frozenset(g["data"]),
            g.get("encrypted"),
            g.get("key_compromised"),
            g.get("medium", "electronic"),
            g.get("encrypted") is True and g.get("key_compromised") is False,
        )
        for g in incident["affected"]
    ]
    day = at.date()
    laws = {law[0]: law for law in everywhere}
    for g in groups:
        for key in (g[0], g[0].partition("-")[0]):
            for law in by_place.get(key, ()):
                laws[law[0]] = law
    out: list[Row] = []
    for law_id in sorted(laws):
        law_id, home, zone, versions, _, _ = laws[law_id]
        for v in versions:
            if v[0] <= day and (v[1] is None or day < v[1]):
                break
        else:
            continue
        _, _, counts, places, everyone, applies, anything, combos, media, obs = v
        if counts:
            if everyone is not None and everyone(view, None):
                members = groups
            else:
                members = [g for g in groups if _inside(g[0], places)]
            if not members:
                continue
        if applies is not None and not applies(view, None):
            continue
        covered = {}
        if counts:
            for g in members:
                data = g[2]
                covered[id(g)] = g[1] > 0 and (
                    g[5] in media
                    and (
                        anything
                        or any(data >= a and (not b or not b.isdisjoint(data)) for a, b in combos)
                    )
                )
        inc["_calendar"] = home
        zone_here = zone or own_zone
        dues: dict[str, Any] = {}
        for ob_id, when, threshold, group_exc, incident_exc, deadline, names, shown in obs:
            due = dues[ob_id] = _due(deadline, inc, zone_here, law_id, dues)
            if when is not None and not when(view, None):
                continue
            if counts and names is not None:
                parts = _by_recipient(names[0], members, entity if names[1] else {}, home)
            elif counts:
                if threshold is not None and threshold[2]:
                    split: dict[str, list[GroupView]] = {}
                    for g in members:
                        split.setdefault(g[0], []).append(g)
                    parts = sorted(split.items())
                else:
                    parts = [(home, members)]
            else:
                parts = [(home, [])]
            for place, part in parts:
                if counts:
                    total = 0
                    for g in part:
                        if not covered[id(g)]:
                            continue
                        for exc in group_exc:
                            if g[6] if exc == "enc" else exc(view, g):
                                break
                        else:
                            total += g[1]
                    if not _meets(total, threshold):
                        continue
                if any(exc(view, None) for exc in incident_exc):
                    continue
                out.append((law_id, shown, place, due))
    return _one_per_notice(out)


def _one_per_notice(rows: list[Row]) -> list[Row]:
    """A notice owed on several grounds (same_notice_as) once, with its earliest deadline."""
    best: dict[tuple[str, str, str], Any] = {}
    for law, ob, place, due in rows:
        key = (law, ob, place)
        if key not in best or (due is not None and (best[key] is None or due < best[key])):
            best[key] = due
    return [(law, ob, place, due) for (law, ob, place), due in best.items()]
