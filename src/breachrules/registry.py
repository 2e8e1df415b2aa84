"""Registries of codes: data categories, entity flags, facts, jurisdictions and regions.

Categories, flags, facts and regions are data files in ``breachrules/data``, read lazily once.
Jurisdictions are ISO 3166-1 alpha-2 or ISO 3166-2 codes checked with pycountry, the region
codes of ``regions.toml`` (``EU``, ``EEA``), and the ISO user-assigned codes ``XA``..``XZ``
(with any subdivision), reserved for private use such as fictional test jurisdictions.
"""

from __future__ import annotations

import bisect
import difflib
import importlib.util
import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from breachrules.errors import UnknownCodeError

_PRIVATE_USE = re.compile(r"^X[A-Z](-[A-Z0-9]{1,3})?$")


@dataclass(frozen=True)
class Code:
    """A registered code with its description."""

    code: str
    description: str
    aliases: tuple[str, ...] = ()


def _read(name: str) -> dict[str, Any]:
    text = resources.files("breachrules").joinpath("data", name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def _codes(name: str) -> Mapping[str, Code]:
    return MappingProxyType(
        {
            code: Code(code, entry["description"], tuple(entry.get("aliases", ())))
            for code, entry in _read(name).items()
        }
    )


@cache
def categories() -> Mapping[str, Code]:
    """The data categories, by code."""
    return _codes("categories.toml")


@cache
def entity_flags() -> Mapping[str, Code]:
    """The entity flags allowed in ``entity.regulated_as``, by code."""
    return _codes("entity_flags.toml")


@cache
def facts() -> Mapping[str, Code]:
    """The named yes/no facts an incident may state in ``facts``, by name."""
    return _codes("facts.toml")


@cache
def events() -> Mapping[str, Code]:
    """The named events a deadline may count from, by name; description in words."""
    return _codes("events.toml")


@cache
def _event_words() -> Mapping[str, str]:
    return MappingProxyType({name: e["words"] for name, e in _read("events.toml").items()})


def event_words(name: str) -> str:
    """How an event reads in a deadline ("the extortion payment")."""
    return _event_words()[name]


def _known(kind: str, name: str, table: Mapping[str, Code]) -> str:
    """The name itself when the table has it; else raise with a suggestion."""
    if name not in table:
        raise UnknownCodeError(kind, name, suggest(name, list(table)))
    return name


def event(name: str) -> str:
    """Return a valid event name, or raise with a suggestion."""
    return _known("event", name, events())


@cache
def regions() -> Mapping[str, frozenset[str]]:
    """Region codes and the countries each stands for."""
    return MappingProxyType(
        {code: frozenset(entry["members"]) for code, entry in _read("regions.toml").items()}
    )


@cache
def _category_lookup() -> Mapping[str, str]:
    table: dict[str, str] = {}
    for code, entry in categories().items():
        table[code] = code
        for alias in entry.aliases:
            table[alias] = code
    return table


def _normalise(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def suggest(code: str, choices: list[str]) -> list[str]:
    """The choices closest to a misspelt code, for a did-you-mean."""
    close = difflib.get_close_matches(code, choices, n=2, cutoff=0.6)
    if close or len(code) < 3:
        return close
    return [c for c in choices if code in c][:3]


@cache
def category(code: str) -> str:
    """Return the canonical category for a code or alias, or raise with a suggestion."""
    table = _category_lookup()
    found = table.get(_normalise(code))
    if found is None:
        raise UnknownCodeError("data category", code, suggest(_normalise(code), list(table)))
    return found


@cache
def entity_flag(code: str) -> str:
    """Return a valid entity flag, or raise with a suggestion."""
    key = _normalise(code)
    if key not in entity_flags():
        raise UnknownCodeError("entity flag", code, suggest(key, list(entity_flags())))
    return key


def fact(name: str) -> str:
    """Return a valid fact name, or raise with a suggestion."""
    return _known("fact", name, facts())


def _pycountry_database(name: str) -> Path:
    """A data file of pycountry, found without importing the package.

    Importing pycountry pulls in importlib.metadata and builds an object per code, which
    doubles the library's cold start; the codes alone are all validation needs.
    """
    spec = importlib.util.find_spec("pycountry")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - a dependency
        raise ModuleNotFoundError("breachrules needs the pycountry package")
    return Path(next(iter(spec.submodule_search_locations))) / "databases" / name


@cache
def _all_jurisdictions() -> frozenset[str]:
    with _pycountry_database("iso3166-1.json").open(encoding="utf-8") as file:
        countries = {entry["alpha_2"] for entry in json.load(file)["3166-1"]}
    with _pycountry_database("iso3166-2.json").open(encoding="utf-8") as file:
        subdivisions = {entry["code"] for entry in json.load(file)["3166-2"]}
    return frozenset(countries | subdivisions)


def is_region(code: str) -> bool:
    """Whether the code names a region (a set of countries) rather than one place."""
    return code in regions()


@cache
def _aliases() -> Mapping[str, str]:
    return MappingProxyType(_read("jurisdiction_aliases.toml"))


@cache
def jurisdiction(code: str, *, allow_region: bool = True) -> str:
    """Return the canonical (upper-case) jurisdiction code, or raise with a suggestion."""
    key = code.strip().upper().replace("_", "-")
    key = _aliases().get(key, key)
    if _PRIVATE_USE.match(key) or key in _all_jurisdictions():
        return key
    if key in regions():
        if allow_region:
            return key
        raise UnknownCodeError(
            "jurisdiction", code, [f"one member country such as {sorted(regions()[key])[0]!r}"]
        )
    return _unknown_jurisdiction(code, key)


def _unknown_jurisdiction(code: str, key: str) -> str:
    candidates = sorted(_all_jurisdictions() | set(regions()))
    suggestions = suggest(key, candidates)
    if "-" in key:
        country = key.partition("-")[0]
        if country in _all_jurisdictions():
            suggestions = suggest(key, [c for c in candidates if c.startswith(country + "-")])
    raise UnknownCodeError("jurisdiction", code, suggestions)


def country_of(code: str) -> str:
    """The country part of a jurisdiction code ("US-CA" gives "US")."""
    return code.split("-", 1)[0]


def _places(code: str) -> frozenset[str]:
    """The countries a region stands for, or the code itself."""
    return regions().get(code) or frozenset([code])


def contains(outer: str, inner: str) -> bool:
    """Whether every person of ``inner`` is also in ``outer`` (same place, subdivision, member)."""
    if outer == inner or inner.startswith(outer + "-"):
        return True
    if outer not in regions():
        return False
    if inner in regions():
        return regions()[inner] <= regions()[outer]
    return country_of(inner) in regions()[outer]


def overlaps(outer: str, inner: str) -> bool:
    """Whether some people of ``inner`` may be in ``outer`` (``inner`` is the coarser code)."""
    if contains(outer, inner) or outer.startswith(inner + "-"):
        return True
    outer_countries = {country_of(c) for c in _places(outer)}
    return not outer_countries.isdisjoint(_places(inner))


@cache
def us_places() -> Mapping[str, str]:
    """US states, DC and territories by lower-case name and postal abbreviation ("ca")."""
    with _pycountry_database("iso3166-2.json").open(encoding="utf-8") as file:
        entries = [e for e in json.load(file)["3166-2"] if e["code"].startswith("US-")]
    table: dict[str, str] = {}
    for entry in entries:
        code = _aliases().get(entry["code"], entry["code"])
        table[entry["name"].lower()] = code
        table[entry["code"][3:].lower()] = code
    table["virgin islands"] = table["us virgin islands"] = table["vi"]
    return MappingProxyType(table)


@cache
def _zip_ranges() -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    rows = _read("us_zip_ranges.toml")["ranges"]
    return tuple(r[0] for r in rows), tuple((r[1], r[2]) for r in rows)


def place_of_zip(code: str) -> str | None:
    """The state or territory of a five-digit US ZIP code, or None when it is not known."""
    firsts, rest = _zip_ranges()
    at = bisect.bisect_right(firsts, code[:5]) - 1
    if at < 0 or code[:5] > rest[at][0]:
        return None
    return rest[at][1]


@cache
def no_general_duty() -> Mapping[str, Mapping[str, Any]]:
    """Places checked and found to have no general breach-notification duty, by code."""
    return MappingProxyType(_read("no_general_duty.toml"))
