"""Run every scenario file against the bundled laws, and check each law is covered."""

from __future__ import annotations

from pathlib import Path

import pytest

from breachrules import load_rules
from tests.scenario_runner import Scenario, load_scenarios, run

HERE = Path(__file__).parent
SCENARIOS = load_scenarios(HERE / "scenarios")
FIXTURE_SCENARIOS = load_scenarios(HERE / "fixtures" / "scenarios")
FIXTURE_RULES = HERE / "fixtures" / "rules"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_bundled_law_scenario(scenario: Scenario) -> None:
    run(scenario, load_rules())


@pytest.mark.parametrize("scenario", FIXTURE_SCENARIOS, ids=lambda s: s.id)
def test_fixture_scenario(scenario: Scenario) -> None:
    run(scenario, load_rules(FIXTURE_RULES, include_bundled=False))


def _covered(scenarios: list[Scenario]) -> set[tuple[str, str]]:
    return {
        (s.regime, e["obligation"])
        for s in scenarios
        for e in s.data.get("expect", [])
        if e["status"] == "required"
    }


@pytest.mark.parametrize("regime_id", sorted(load_rules()))
def test_every_obligation_of_every_law_has_a_required_scenario(regime_id: str) -> None:
    regime = load_rules()[regime_id]
    covered = _covered(SCENARIOS)
    wanted = {
        (regime_id, o.rule.same_notice_as or o.rule.id)  # one notice on two grounds: one id
        for v in regime.versions
        if v.rule.status == "enacted"
        for o in v.obligations
    }
    assert set() == wanted - covered


def test_every_law_has_a_scenario_file() -> None:
    with_files = {s.regime for s in SCENARIOS}
    assert set() == set(load_rules()) - with_files
