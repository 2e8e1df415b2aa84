"""The package as users see it: public names, registries, the committed schema, the wheel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

import pytest

import breachrules
from breachrules import registry, schema

ROOT = Path(__file__).resolve().parents[1]


def test_all_is_sorted_and_complete() -> None:
    public = {
        name
        for name in vars(breachrules)
        if (not name.startswith("_") and name[0].isupper()) or name in {"obligations", "load_rules"}
    }
    assert sorted(breachrules.__all__) == breachrules.__all__
    assert set() == public - set(breachrules.__all__)
    for name in breachrules.__all__:
        assert hasattr(breachrules, name)


def test_design_categories_are_registered_with_descriptions() -> None:
    wanted = {
        "name",
        "ssn",
        "drivers_license",
        "state_id",
        "passport",
        "military_id",
        "tax_id",
        "financial_account",
        "payment_card",
        "account_access_code",
        "account_credentials",
        "medical",
        "health_insurance",
        "biometric",
        "genetic",
        "dob",
        "email",
        "address",
        "phone",
    }
    assert set() == wanted - set(registry.categories())
    assert all(c.description for c in registry.categories().values())


def test_aliases_are_unique_across_categories() -> None:
    seen: dict[str, str] = {}
    for code, entry in registry.categories().items():
        for alias in (code, *entry.aliases):
            assert alias not in seen, f"{alias} is used by {seen[alias]} and {code}"
            seen[alias] = code


def test_design_entity_flags_are_registered() -> None:
    wanted = {
        "hipaa_covered_entity",
        "hipaa_business_associate",
        "glba_financial_institution",
        "bank",
        "bank_service_provider",
        "sec_registrant",
        "sec_covered_institution",
        "nydfs_covered_entity",
        "insurance_licensee",
        "telecom_carrier",
        "defense_contractor",
        "phr_vendor",
        "nis2_essential",
        "nis2_important",
        "dora_financial_entity",
    }
    assert set() == wanted - set(registry.entity_flags())


@pytest.mark.parametrize(
    ("code", "expected"),
    [("us-ca", "US-CA"), ("de", "DE"), ("EU", "EU"), ("CA-QC", "CA-QC"), ("US-PR", "PR")],
)
def test_jurisdiction_codes_are_normalised(code: str, expected: str) -> None:
    assert expected == registry.jurisdiction(code)


def test_committed_json_schema_matches_the_models() -> None:
    committed = json.loads((ROOT / "schema" / "rule-file.schema.json").read_text(encoding="utf-8"))
    assert schema.json_schema() == committed, (
        "schema/rule-file.schema.json is stale: run "
        "`python -m breachrules schema > schema/rule-file.schema.json`"
    )


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("incident", breachrules.incident_json_schema),
        ("assessment", breachrules.assessment_json_schema),
    ],
)
def test_committed_input_and_output_schemas_match(name: str, make: Any) -> None:
    committed = json.loads((ROOT / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert make() == committed, (
        f"schema/{name}.schema.json is stale: run "
        f"`python -m breachrules schema --of {name} > schema/{name}.schema.json`"
    )


def test_bundled_examples_and_their_assessments_validate_against_the_schemas() -> None:
    from importlib import resources

    import jsonschema

    folder = resources.files("breachrules").joinpath("examples")
    for entry in folder.iterdir():
        if not entry.name.endswith(".json"):
            continue
        data = json.loads(entry.read_text(encoding="utf-8"))
        jsonschema.validate(data, breachrules.incident_json_schema())
        if data.get("data_owners"):  # a vendor's incident: each client's answers validate
            for client in breachrules.fan_out(data):
                for part in (client.to_client, client.as_owner):
                    jsonschema.validate(part.to_dict(), breachrules.assessment_json_schema())
            continue
        result = breachrules.obligations(data).to_dict()
        jsonschema.validate(result, breachrules.assessment_json_schema())


def test_committed_risk_table_matches_the_rules() -> None:
    from breachrules.coverage import risk_table

    committed = (ROOT / "docs" / "risk-of-harm.md").read_text(encoding="utf-8")
    assert risk_table(breachrules.load_rules()) == committed, (
        "docs/risk-of-harm.md is stale: run "
        "`python -m breachrules coverage --risk > docs/risk-of-harm.md`"
    )


def test_committed_coverage_table_matches_the_rules() -> None:
    from breachrules.coverage import coverage_table

    committed = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    assert coverage_table(breachrules.load_rules()) == committed, (
        "docs/coverage.md is stale: run `python -m breachrules coverage > docs/coverage.md`"
    )


def test_every_bundled_example_assesses() -> None:
    from importlib import resources

    folder = resources.files("breachrules").joinpath("examples")
    names = [e.name for e in folder.iterdir() if e.name.endswith(".json")]
    assert names
    for name in names:
        data = json.loads(folder.joinpath(name).read_text(encoding="utf-8"))
        answer = (
            breachrules.fan_out(data) if data.get("data_owners") else breachrules.obligations(data)
        )
        assert answer.as_of is not None


@pytest.mark.slow
def test_wheel_installs_and_answers_outside_the_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
    )
    (wheel,) = dist.glob("breachrules-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True)
    script = (
        "import breachrules, json;"
        "from importlib import resources;"
        "text = resources.files('breachrules').joinpath('examples', 'multistate.json').read_text();"
        "a = breachrules.obligations(json.loads(text));"
        "assert len(breachrules.load_rules()) > 0;"
        "print(len(a.obligations), breachrules.__file__)"
    )
    out = subprocess.run(
        [str(python), "-c", script], cwd=tmp_path, check=True, capture_output=True, text=True
    ).stdout
    count, location = out.split()
    assert int(count) > 0
    assert str(ROOT) not in location
    check = subprocess.run(
        [str(python), "-m", "breachrules", "check-rules"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert 0 == check.returncode, check.stdout + check.stderr


def test_jurisdiction_codes_agree_with_pycountry() -> None:
    import pycountry

    expected = {c.alpha_2 for c in pycountry.countries} | {s.code for s in pycountry.subdivisions}
    assert expected == set(registry._all_jurisdictions())


def test_the_wheels_json_bundle_holds_exactly_the_toml_rules(tmp_path: Path) -> None:
    from breachrules.loader import build_rulebook, bundled_rules_dir
    from hatch_build import bundle

    file = tmp_path / "rules.jsonl"
    file.write_text(bundle(bundled_rules_dir()), encoding="utf-8")
    from_json = build_rulebook([file])
    from_toml = build_rulebook([bundled_rules_dir()])
    assert list(from_toml) == list(from_json)
    for regime_id, regime in from_toml.items():
        assert regime.source == from_json[regime_id].source, regime_id
