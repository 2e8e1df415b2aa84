"""Fuzzing of the inputs: mutated rule files, hostile rule files, and the incident's size limits.

(a) Real rule files, mutated at random (a key deleted, a value replaced by another of any type,
    an unknown key inserted, an obligation id duplicated, a version ending before it starts),
    fail with ``RuleFileError`` alone, each problem naming a file and saying what is wrong.
(b) A rule file is data: text that looks like Python, shell or template code stays text and is
    never run, codes that look like paths are refused, and links out of the rules directory are
    not followed.
(c) Each documented input limit of the incident model (docs/limits.md) is enforced with an
    ``InvalidIncidentError`` naming the field, and the value at the limit is accepted.
"""

from __future__ import annotations

import builtins
import copy
import json
import math
import os
import re
import subprocess
import tempfile
import tomllib
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breachrules import (
    Incident,
    InvalidIncidentError,
    Problem,
    RuleFileError,
    load_rules,
    obligations,
    parse_incident,
    render,
)
from breachrules.incident import AffectedGroup, DataOwner, Entity, SentNotice
from breachrules.loader import bundled_rules_dir
from breachrules.reports import FORMATS
from tests.builders import group, incident

ROOT = Path(__file__).resolve().parents[1]

# --- a small TOML writer (the standard library only reads TOML) --------------------------------

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _string(key)


def _string(text: str) -> str:
    # JSON escapes every control character TOML forbids in a basic string except DEL.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML for {type(value).__name__}")


def toml_dumps(data: dict[str, Any]) -> str:
    """TOML for a table: every top-level key on one line, nested tables inline."""
    return "".join(f"{_key(k)} = {_value(v)}\n" for k, v in data.items())


RULE_FILES = sorted(bundled_rules_dir().rglob("*.toml"))
RULE_DATA = {
    file.relative_to(bundled_rules_dir()).as_posix(): tomllib.loads(file.read_text("utf-8"))
    for file in RULE_FILES
}


def test_the_toml_writer_round_trips_every_bundled_rule_file() -> None:
    for name, data in RULE_DATA.items():
        assert data == tomllib.loads(toml_dumps(data)), name


# --- (a) mutated rule files ----------------------------------------------------------------

KeyPath = tuple[str | int, ...]


def _walk(node: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*path, index))


def _at(data: Any, path: KeyPath) -> Any:
    for part in path:
        data = data[part]
    return data


_scalars = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.booleans(),
    st.floats(),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=20),
    st.sampled_from(["", "yes", "US-CA", "ssn", "owner", "individuals", "discovery", "days"]),
    st.dates(min_value=date(1, 1, 1)),
    st.just([]),
    st.just({}),
    st.lists(st.integers(0, 3), max_size=3),
)
MUTATIONS = ("delete", "replace", "unknown_key", "duplicate_obligation", "until_before_from")
UNKNOWN_KEY = "x_unknown_key"


def _mutate(data: dict[str, Any], kind: str, draw: st.DataObject) -> str | None:
    """Apply one mutation in place; return the message a problem must then contain, if any.

    A mutation that does not fit the data (after earlier mutations) changes nothing.
    """
    nodes = list(_walk(data))
    if kind == "delete":
        keys = [p for p, _ in nodes if p and isinstance(p[-1], str)]
        if keys:
            path = draw.draw(st.sampled_from(keys))
            del _at(data, path[:-1])[path[-1]]
        return None
    if kind == "replace":
        leaves = [p for p, n in nodes if p and not isinstance(n, dict | list)]
        if leaves:
            path = draw.draw(st.sampled_from(leaves))
            _at(data, path[:-1])[path[-1]] = draw.draw(_scalars)
        return None
    if kind == "unknown_key":
        tables = [p for p, n in nodes if isinstance(n, dict)]
        _at(data, draw.draw(st.sampled_from(tables)))[UNKNOWN_KEY] = draw.draw(_scalars)
        return f"unknown key {UNKNOWN_KEY!r}"
    versions = [v for v in data.get("versions", []) if isinstance(v, dict)]
    if kind == "duplicate_obligation":
        with_obligations = [
            v["obligations"]
            for v in versions
            if isinstance(v.get("obligations"), list)
            and v["obligations"]
            and all(isinstance(o, dict) and "id" in o for o in v["obligations"])
        ]
        if not with_obligations:
            return None
        obs = draw.draw(st.sampled_from(with_obligations))
        if len(obs) == 1:
            obs.append(copy.deepcopy(obs[0]))
        else:
            first, second = draw.draw(st.permutations(range(len(obs))))[:2]
            obs[second]["id"] = obs[first]["id"]
        return "is used twice"
    dated = [v for v in versions if isinstance(v.get("effective_from"), date)]
    if not dated:
        return None
    version = draw.draw(st.sampled_from(dated))
    version["effective_until"] = version["effective_from"] - timedelta(
        days=draw.draw(st.integers(0, 400))
    )
    return "must be after effective_from"


def _load_problems(name: str, data: dict[str, Any]) -> list[Problem]:
    """Write one rule file and load it alone; the problems, or [] when it is valid."""
    error: RuleFileError | None = None
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / name
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(toml_dumps(data), encoding="utf-8")
        try:
            load_rules(tmp, include_bundled=False)
        except RuleFileError as caught:
            error = caught
    if error is None:
        return []
    assert error.problems, "a RuleFileError names at least one problem"
    for problem in error.problems:
        assert problem.file == str(file), problem
        assert problem.message.strip(), problem
    return list(error.problems)


@given(draw=st.data(), name=st.sampled_from(sorted(RULE_DATA)), kind=st.sampled_from(MUTATIONS))
def test_one_mutation_of_a_real_rule_file_fails_cleanly(
    draw: st.DataObject, name: str, kind: str
) -> None:
    data = copy.deepcopy(RULE_DATA[name])
    expected = _mutate(data, kind, draw)
    problems = _load_problems(name, data)
    if expected is not None:
        assert any(expected in p.message for p in problems), (kind, problems)


@given(
    draw=st.data(),
    name=st.sampled_from(sorted(RULE_DATA)),
    kinds=st.lists(st.sampled_from(MUTATIONS), min_size=2, max_size=5),
)
def test_several_mutations_raise_only_rule_file_errors(
    draw: st.DataObject, name: str, kinds: list[str]
) -> None:
    data = copy.deepcopy(RULE_DATA[name])
    for kind in kinds:
        _mutate(data, kind, draw)
    _load_problems(name, data)


def test_a_pending_version_that_ends_before_it_starts_is_refused(tmp_path: Path) -> None:
    data = copy.deepcopy(RULE_DATA["US/circia.toml"])
    pending = data["versions"][-1]
    pending["effective_from"] = date(2027, 1, 1)
    pending["effective_until"] = date(2026, 1, 1)
    (tmp_path / "circia.toml").write_text(toml_dumps(data), encoding="utf-8")
    with pytest.raises(RuleFileError, match="must be after effective_from"):
        load_rules(tmp_path, include_bundled=False)


# --- (b) a rule file is data -----------------------------------------------------------------


def _payloads(sentinel: Path) -> list[str]:
    touch = f"touch {sentinel}"
    return [
        f"__import__('os').system('{touch}')",
        "{__import__('os').system('" + touch + "')}",
        "{{ cycler.__init__.__globals__.os.popen('" + touch + "') }}",
        f"$({touch}) `{touch}`",
        f"open('{sentinel}', 'w').write('ran')",
        f"!!python/object/apply:os.system ['{touch}']",
        "../../etc/passwd",
    ]


def _hostile_rule(text: str) -> dict[str, Any]:
    """A valid rule file whose every free-text field holds ``text``."""
    return {
        "id": "xf-hostile",
        "name": text,
        "jurisdiction": "XF",
        "last_reviewed": date(2026, 11, 30),
        "notes": [{"topic": text, "text": text}],
        "versions": [
            {
                "effective_from": date(2020, 1, 1),
                "enacted_by": text,
                "citation": text,
                "source_url": "https://example.org/hostile",
                "sources": [{"title": text, "url": "https://example.org/source"}],
                "summary": text,
                "risk_of_harm_standard": text,
                "applies_to": text,
                "population": {"residents_of": ["XF"], "explanation": text},
                "personal_information": {
                    "citation": text,
                    "combinations": [{"all": ["name"], "any": ["ssn"]}],
                },
                "exceptions": [
                    {
                        "id": "encryption",
                        "label": text,
                        "scope": "group",
                        "when": {"fact": "group.encrypted", "is": True},
                        "citation": text,
                        "explanation": text,
                    }
                ],
                "obligations": [
                    {
                        "id": "individuals",
                        "recipient": "individuals",
                        "recipient_name": text,
                        "citation": text,
                        "threshold": {"op": ">=", "value": 1, "wording": text},
                        "deadline": {"standard": text, "days": 30, "text": text},
                        "content": [text],
                        "methods": [text],
                        "substitute_notice": text,
                        "notes": [text],
                    }
                ],
            }
        ],
    }


class _Spy:
    """Records every call of the functions that could run code or a command."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[str] = []
        for owner, name in (
            (builtins, "eval"),
            (builtins, "exec"),
            (builtins, "compile"),
            (os, "system"),
            (os, "popen"),
            (subprocess, "Popen"),
        ):
            monkeypatch.setattr(owner, name, self._wrap(getattr(owner, name), name))

    def _wrap(self, real: Any, name: str) -> Any:
        def spy(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(f"{name}{args!r}{kwargs!r}")
            return real(*args, **kwargs)

        return spy


@pytest.mark.parametrize("index", range(7))
def test_code_in_a_rule_file_is_text_and_never_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index: int
) -> None:
    sentinel = tmp_path / "SENTINEL"
    text = _payloads(sentinel)[index]
    data = _hostile_rule(text)
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "hostile.toml").write_text(toml_dumps(data), encoding="utf-8")
    spy = _Spy(monkeypatch)

    book = load_rules(rules, include_bundled=False)
    regime = book["xf-hostile"]
    assert text == regime.name == regime.notes[0].text == regime.versions[0].rule.citation
    incident = parse_incident(
        {
            "discovered_at": "2026-03-02T09:30:00-05:00",
            "entity": {"name": text[:500], "role": "owner"},
            "affected": [
                {
                    "jurisdiction": "XF",
                    "count": 5,
                    "data": ["name", "ssn"],
                    "encrypted": False,
                    "label": text,
                }
            ],
        }
    )
    assessment = obligations(incident, rules=book)
    (ob,) = assessment.obligations
    assert text == ob.recipient_name == ob.citation
    assert [text] == ob.content
    for fmt in FORMATS:
        render(assessment, fmt, incident=incident, rules=book)

    assert not sentinel.exists()
    assert [] == [call for call in spy.calls if str(sentinel) in call or "__import__" in call]


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (
            lambda d: d.update(jurisdiction="__import__('os')"),
            "jurisdiction",
            "unknown jurisdiction",
        ),
        (lambda d: d.update(timezone="../../etc/passwd"), "timezone", "not an IANA time zone"),
        (lambda d: d.update(timezone="/etc/passwd"), "timezone", "not an IANA time zone"),
        (
            lambda d: d["versions"][0]["exceptions"][0].update(
                when={"fact": "__import__('os').system('id')", "is": True}
            ),
            "versions[0].exceptions[0].when",
            "unknown fact",
        ),
        (
            lambda d: d["versions"][0]["personal_information"].update(
                combinations=[{"all": ["../../etc/passwd"]}]
            ),
            "versions[0].personal_information.combinations[0].all[0]",
            "unknown data category",
        ),
        (
            lambda d: d["versions"][0].update(source_url="file:///etc/passwd"),
            "versions[0].source_url",
            "should match pattern",
        ),
        (
            lambda d: d["versions"][0]["obligations"][0].update(
                deadline={"business_days": 5, "calendar": "../../etc/passwd"}
            ),
            "versions[0].obligations[0].deadline.calendar",
            "unknown jurisdiction",
        ),
        (
            lambda d: d["versions"][0]["obligations"][0]["deadline"].update(
                anchor="event", event="__import__('os')"
            ),
            "versions[0].obligations[0].deadline.event",
            "unknown event",
        ),
    ],
    ids=[
        "jurisdiction",
        "timezone-relative-path",
        "timezone-absolute-path",
        "fact",
        "category",
        "source-url",
        "calendar",
        "event",
    ],
)
def test_codes_that_look_like_code_or_paths_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: Any, path: str, message: str
) -> None:
    data = _hostile_rule("plain text")
    change(data)
    (tmp_path / "hostile.toml").write_text(toml_dumps(data), encoding="utf-8")
    spy = _Spy(monkeypatch)
    with pytest.raises(RuleFileError) as caught:
        load_rules(tmp_path, include_bundled=False)
    assert any(p.path == path and message in p.message for p in caught.value.problems), [
        str(p) for p in caught.value.problems
    ]
    assert [] == [call for call in spy.calls if "__import__" in call or "passwd" in call]


def test_an_incident_time_zone_that_is_a_path_is_refused() -> None:
    for zone in ("../../etc/passwd", "/etc/passwd"):
        with pytest.raises(InvalidIncidentError, match="not an IANA time zone") as caught:
            parse_incident(
                {
                    "discovered_at": "2026-03-02T09:30:00-05:00",
                    "timezone": zone,
                    "entity": {"name": "A", "role": "owner"},
                }
            )
        assert ["timezone"] == [path for path, _ in caught.value.errors]


SECRET = "outside-secret-8e1f"


def _outside_rule(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    data = _hostile_rule(SECRET)
    data["id"] = "xf-outside"
    file = outside / "outside.toml"
    file.write_text(toml_dumps(data), encoding="utf-8")
    return file


def test_a_linked_file_outside_the_directory_is_refused_and_not_read(tmp_path: Path) -> None:
    outside = _outside_rule(tmp_path)
    rules = tmp_path / "rules"
    (rules / "XF").mkdir(parents=True)
    (rules / "XF" / "link.toml").symlink_to(outside)
    (rules / "XF" / "escape.toml").symlink_to(Path("..") / ".." / "outside" / "outside.toml")
    with pytest.raises(RuleFileError) as caught:
        load_rules(rules, include_bundled=False)
    problems = caught.value.problems
    assert {"link.toml", "escape.toml"} == {Path(p.file).name for p in problems}
    assert all("leads outside the rules directory; refused" == p.message for p in problems)
    assert SECRET not in str(caught.value)


def test_a_linked_directory_outside_is_not_loaded(tmp_path: Path) -> None:
    outside = _outside_rule(tmp_path)
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "linked").symlink_to(outside.parent, target_is_directory=True)
    error: RuleFileError | None = None
    loaded: list[str] = []
    try:
        loaded = list(load_rules(rules, include_bundled=False))
    except RuleFileError as caught:  # followed, then refused: also safe
        error = caught
    if error is None:
        assert [] == loaded
    else:
        assert all("leads outside" in p.message for p in error.problems)
        assert SECRET not in str(error)


# --- (c) input limits of the incident --------------------------------------------------------


def _notice(**changes: Any) -> dict[str, Any]:
    return {
        "regime": "us-ca",
        "obligation": "individuals",
        "sent_at": "2026-03-03T09:30:00-05:00",
        **changes,
    }


def _entity(**changes: Any) -> dict[str, Any]:
    return {"name": "Acme", "role": "owner", **changes}


# (field named in the error, incident at the limit, incident one past it)
LIMITS: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {
    "groups": (
        "affected",
        incident(affected=[group()] * 10_000),
        incident(affected=[group()] * 10_001),
    ),
    "categories": (
        "affected[0].data",
        incident(affected=[group(data=["name"] * 100)]),
        incident(affected=[group(data=["name"] * 101)]),
    ),
    "no-categories": (
        "affected[0].data",
        incident(affected=[group(data=["name"])]),
        incident(affected=[group(data=[])]),
    ),
    "count": (
        "affected[0].count",
        incident(affected=[group(count=10_000_000_000)]),
        incident(affected=[group(count=10_000_000_001)]),
    ),
    "negative-count": (
        "affected[0].count",
        incident(affected=[group(count=0)]),
        incident(affected=[group(count=-1)]),
    ),
    "group-label": (
        "affected[0].label",
        incident(affected=[group(label="x" * 500)]),
        incident(affected=[group(label="x" * 501)]),
    ),
    "entity-name": (
        "entity.name",
        incident(entity=_entity(name="x" * 500)),
        incident(entity=_entity(name="x" * 501)),
    ),
    "empty-entity-name": (
        "entity.name",
        incident(entity=_entity(name="x")),
        incident(entity=_entity(name="")),
    ),
    "established-in": (
        "entity.established_in",
        incident(entity=_entity(established_in=["US-CA"] * 300)),
        incident(entity=_entity(established_in=["US-CA"] * 301)),
    ),
    "regulated-as": (
        "entity.regulated_as",
        incident(entity=_entity(regulated_as=["bank"] * 100)),
        incident(entity=_entity(regulated_as=["bank"] * 101)),
    ),
    "notices": (
        "notices",
        incident(notices=[_notice()] * 100_000),
        incident(notices=[_notice()] * 100_001),
    ),
    "notice-regime": (
        "notices[0].regime",
        incident(notices=[_notice(regime="x" * 100)]),
        incident(notices=[_notice(regime="x" * 101)]),
    ),
    "empty-notice-regime": (
        "notices[0].regime",
        incident(notices=[_notice(regime="x")]),
        incident(notices=[_notice(regime="")]),
    ),
    "notice-obligation": (
        "notices[0].obligation",
        incident(notices=[_notice(obligation="x" * 100)]),
        incident(notices=[_notice(obligation="x" * 101)]),
    ),
    "empty-notice-obligation": (
        "notices[0].obligation",
        incident(notices=[_notice(obligation="x")]),
        incident(notices=[_notice(obligation="")]),
    ),
}


@pytest.mark.parametrize("limit", sorted(LIMITS))
def test_each_input_limit_names_the_field(limit: str) -> None:
    field, at_limit, past_limit = LIMITS[limit]
    assert isinstance(parse_incident(at_limit), Incident)
    with pytest.raises(InvalidIncidentError) as caught:
        obligations(past_limit)
    assert [field] == [path for path, _ in caught.value.errors], caught.value.errors
    assert str(caught.value).startswith(f"invalid incident: {field}: ")


def test_a_count_at_the_limit_is_assessed() -> None:
    assessment = obligations(
        incident(
            affected=[group(count=10_000_000_000, encrypted=False)],
            facts={"acquired": True, "good_faith_employee_acquisition": False},
        )
    )
    found = assessment.for_regime("us-ca")
    assert {"individuals", "attorney-general"} == {o.obligation for o in found}
    assert {("required", 10_000_000_000)} == {(o.status, o.affected_count) for o in found}


def _documented_limits() -> list[tuple[str, str, int]]:
    """(field path, kind, number) of every length or value bound of the incident models."""
    prefixes = {
        Incident: "",
        Entity: "entity.",
        AffectedGroup: "affected[].",
        SentNotice: "notices[].",
        DataOwner: "data_owners[].",
    }
    found = []
    for model, prefix in prefixes.items():
        for name, info in model.model_fields.items():
            for meta in info.metadata:
                for kind in ("max_length", "min_length", "le", "ge", "lt", "gt"):
                    number = getattr(meta, kind, None)
                    if isinstance(number, int):
                        found.append((prefix + name, kind, number))
    return found


def test_docs_limits_states_every_limit_of_the_incident_models() -> None:
    text = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    limits = _documented_limits()
    assert len(limits) >= 12
    for field, kind, number in limits:
        row = [r for r in rows if r.startswith(f"| `{field}` |")]
        assert row, f"docs/limits.md has no row for {field}"
        assert f"{number:,}" in row[0], f"docs/limits.md: {field} should state {kind} {number:,}"
