"""Scenario tests as data: an incident and the obligations it must produce under one law.

A scenario file names one regime and lists scenarios; each gives an incident, the exact set
of obligations expected under that regime (status, deadline, and optionally jurisdiction and
missing facts), and the duties expected to be not required, with their reason code; or, with
``not_considered = true``, that the law is not considered at all.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from breachrules import Assessment, Rulebook, obligations


@dataclass(frozen=True)
class Scenario:
    """One named scenario from a file."""

    file: Path
    regime: str
    name: str
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.file.parent.name}/{self.file.stem}: {self.name}"


def load_scenarios(root: Path) -> list[Scenario]:
    """Every scenario under a directory, in file order."""
    found = []
    for file in sorted(root.rglob("*.toml")):
        data = tomllib.loads(file.read_text(encoding="utf-8"))
        for entry in data["scenarios"]:
            found.append(Scenario(file, data["regime"], entry["name"], entry))
    return found


def run(scenario: Scenario, rules: Rulebook) -> Assessment:
    """Evaluate a scenario and assert its expectations; return the assessment."""
    data = scenario.data
    as_of = data.get("as_of")
    assessment = obligations(data["incident"], as_of=as_of, rules=rules)
    actual = {(o.obligation, o.jurisdiction): o for o in assessment if o.regime == scenario.regime}
    expected = data.get("expect", [])
    want_keys = set()
    for entry in expected:
        matches = [
            k
            for k in actual
            if k[0] == entry["obligation"] and entry.get("jurisdiction") in (None, k[1])
        ]
        assert matches, (
            f"expected {entry['obligation']!r} under {scenario.regime}; got {sorted(actual)}"
        )
        assert len(matches) == 1, f"{entry['obligation']!r} matches {matches}; give a jurisdiction"
        got = actual[matches[0]]
        want_keys.add(matches[0])
        assert entry["status"] == got.status, (entry["obligation"], got.reasons, got.missing_facts)
        if "deadline" in entry:
            want = entry["deadline"]
            assert want == got.deadline, (entry["obligation"], got.deadline_text, got.reasons)
            if isinstance(want, datetime):
                assert want.utcoffset() == got.deadline.utcoffset() if got.deadline else True
        if "missing_facts" in entry:
            assert sorted(entry["missing_facts"]) == got.missing_facts, entry["obligation"]
        if "recipient" in entry:
            assert entry["recipient"] == got.recipient
        if "recipient_name" in entry:
            assert entry["recipient_name"] == got.recipient_name, got.reasons
    extra = set(actual) - want_keys
    assert not extra, f"unexpected obligations under {scenario.regime}: {sorted(extra)}"
    if data.get("not_considered"):
        listed = {n.regime for n in assessment.not_required} | {o.regime for o in assessment}
        assert scenario.regime not in listed, f"{scenario.regime} was considered"
    for entry in data.get("not_required", []):
        hits = [
            n
            for n in assessment.not_required
            if n.regime == scenario.regime and n.obligation == entry.get("obligation")
        ]
        assert hits, f"expected {entry} among not_required; got {assessment.not_required}"
        if "code" in entry:
            assert entry["code"] in {n.code for n in hits}, [n.reasons for n in hits]
    return assessment
