"""Engine behaviour on the fictional fixture laws: counting, scope, versions and results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from breachrules import Assessment, Incident, RuleFileError, load_rules, obligations
from breachrules.rulebook import Rulebook

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
BOOK = load_rules(FIXTURES, include_bundled=False)


def assess(**changes: Any) -> Assessment:
    data: dict[str, Any] = {
        "discovered_at": "2026-03-02T09:30:00-05:00",
        "entity": {"name": "Acme", "role": "owner"},
        "affected": [
            {"jurisdiction": "XF-N", "count": 600, "data": ["name", "ssn"], "encrypted": False}
        ],
        "risk_of_harm": "likely",
        "facts": {"acquired": True},
    }
    data.update(changes)
    return obligations(data, rules=BOOK)


def statuses(assessment: Assessment, regime: str = "xf-n") -> dict[str, str]:
    return {o.obligation: o.status for o in assessment if o.regime == regime}


def test_counts_are_summed_across_groups_of_the_same_place() -> None:
    groups = [
        {"jurisdiction": "XF-N", "count": 300, "data": ["name", "ssn"], "encrypted": False},
        {"jurisdiction": "XF-N", "count": 201, "data": ["account_credentials"], "encrypted": False},
    ]
    assert "required" == statuses(assess(affected=groups))["regulator"]


def test_data_outside_the_definition_is_not_counted() -> None:
    groups = [
        {"jurisdiction": "XF-N", "count": 300, "data": ["name", "ssn"], "encrypted": False},
        {"jurisdiction": "XF-N", "count": 900, "data": ["name", "email"], "encrypted": False},
    ]
    result = assess(affected=groups)
    assert "regulator" not in statuses(result)
    (skipped,) = [n for n in result.not_required if n.obligation == "regulator"]
    assert "below_threshold" == skipped.code


def test_account_number_counts_only_with_its_access_code() -> None:
    without = [
        {
            "jurisdiction": "XF-N",
            "count": 9,
            "data": ["name", "financial_account"],
            "encrypted": False,
        }
    ]
    with_code = [{**without[0], "data": ["name", "financial_account", "account_access_code"]}]
    assert {} == statuses(assess(affected=without))
    assert "required" == statuses(assess(affected=with_code))["individuals"]


def test_unknown_count_leaves_the_threshold_undetermined() -> None:
    groups = [{"jurisdiction": "XF-N", "count": None, "data": ["name", "ssn"], "encrypted": False}]
    result = assess(affected=groups)
    (regulator,) = [o for o in result if o.obligation == "regulator"]
    assert "undetermined" == regulator.status
    assert ["affected[0].count"] == regulator.missing_facts


def test_a_coarse_residence_is_undetermined_for_a_subdivision_law() -> None:
    groups = [{"jurisdiction": "XF", "count": 900, "data": ["name", "ssn"], "encrypted": False}]
    result = assess(affected=groups)
    (individuals,) = [o for o in result if o.regime == "xf-n" and o.obligation == "individuals"]
    assert "undetermined" == individuals.status
    assert ["affected[0].jurisdiction"] == individuals.missing_facts


def test_people_elsewhere_count_when_the_entity_is_established_in_the_territory() -> None:
    flags = {"name": "Clinic", "role": "owner", "regulated_as": ["hipaa_covered_entity"]}
    abroad = [{"jurisdiction": "DE", "count": 700, "data": ["medical"], "encrypted": False}]
    outside = assess(entity=flags, affected=abroad)
    assert "ministry" not in statuses(outside, "xf-health")
    inside = assess(entity={**flags, "established_in": ["XF-S"]}, affected=abroad)
    assert "required" == statuses(inside, "xf-health")["ministry"]


def test_per_jurisdiction_threshold_gives_one_obligation_per_place() -> None:
    flags = {"name": "Clinic", "role": "owner", "regulated_as": ["hipaa_covered_entity"]}
    groups = [
        {"jurisdiction": "XF-N", "count": 501, "data": ["medical"], "encrypted": False},
        {"jurisdiction": "XF-S", "count": 500, "data": ["medical"], "encrypted": False},
    ]
    result = assess(entity=flags, affected=groups)
    media = [o.jurisdiction for o in result if o.obligation == "media"]
    assert ["XF-N"] == media


def test_an_entity_outside_the_scope_gets_one_reason() -> None:
    result = assess()
    (skipped,) = [n for n in result.not_required if n.regime == "xf-health"]
    assert "out_of_scope" == skipped.code
    assert "health providers and their business associates" in skipped.reasons[0]


def test_no_version_in_force_is_an_explicit_outcome() -> None:
    result = assess(discovered_at="2019-06-01T12:00:00+00:00")
    (skipped,) = [n for n in result.not_required if n.regime == "xf-n"]
    assert "no_version_in_force" == skipped.code
    assert [] == result.for_regime("xf-n")


def test_as_of_applies_the_law_in_force_on_another_date() -> None:
    result = assess(discovered_at="2023-06-01T12:00:00+00:00")
    assert "agencies" not in statuses(result)
    later = obligations(
        {
            "discovered_at": "2023-06-01T12:00:00+00:00",
            "entity": {"name": "Acme", "role": "owner"},
            "affected": [
                {"jurisdiction": "XF-N", "count": 2000, "data": ["name", "ssn"], "encrypted": False}
            ],
            "facts": {"acquired": True},
            "risk_of_harm": "high",
        },
        as_of="2026-01-01",
        rules=BOOK,
    )
    assert "required" == statuses(later)["agencies"]


def test_obligations_are_sorted_by_deadline_then_open_ended_last() -> None:
    result = assess()
    dated = [o.deadline for o in result if o.deadline is not None]
    assert sorted(dated) == dated
    seen_open = False
    for ob in result:
        seen_open = seen_open or ob.deadline is None
        assert ob.deadline is None or not seen_open


def test_reasons_name_the_matching_clause_and_threshold() -> None:
    (regulator,) = [o for o in assess() if o.obligation == "regulator"]
    assert any("name with ssn is personal information" in r for r in regulator.reasons)
    assert any("meets the threshold: more than 500 residents" in r for r in regulator.reasons)


def test_model_and_mapping_give_the_same_answer() -> None:
    data = {
        "discovered_at": "2026-03-02T09:30:00-05:00",
        "entity": {"name": "Acme", "role": "owner"},
        "affected": [
            {"jurisdiction": "XF-N", "count": 5, "data": ["ssn", "name"], "encrypted": False}
        ],
    }
    assert obligations(data, rules=BOOK) == obligations(Incident.model_validate(data), rules=BOOK)


def test_to_dict_is_json_and_round_trips() -> None:
    result = assess()
    text = json.dumps(result.to_dict())
    assert result == Assessment.from_dict(json.loads(text))


def test_a_rules_directory_adds_to_the_bundled_laws(tmp_path: Path) -> None:
    (tmp_path / "law.toml").write_text(
        (FIXTURES / "XF-N" / "notice-act.toml").read_text(encoding="utf-8")
    )
    combined = load_rules(tmp_path)
    assert "xf-n" in combined
    assert set(load_rules()) < set(combined)


def test_rulebook_is_immutable() -> None:
    with pytest.raises(TypeError):
        BOOK["x"] = BOOK["xf-n"]  # type: ignore[index]


def test_a_named_zone_ends_day_counted_deadlines_at_local_midnight_across_dst() -> None:
    base = {
        "discovered_at": "2026-03-02T09:30:00-05:00",
        "entity": {"name": "Acme", "role": "owner"},
        "affected": [
            {"jurisdiction": "XF-N", "count": 5, "data": ["name", "ssn"], "encrypted": False}
        ],
        "risk_of_harm": "likely",
    }
    fixed = obligations(base, rules=BOOK)
    zoned = obligations({**base, "timezone": "America/New_York"}, rules=BOOK)

    def individuals(a: Assessment) -> Any:
        return next(o.deadline for o in a if o.obligation == "individuals")

    # 30 days after 2026-03-02 is 2026-04-01, after the switch to daylight saving time (-04:00).
    assert "2026-04-01T23:59:59-05:00" == individuals(fixed).isoformat()
    assert "2026-04-01T23:59:59-04:00" == individuals(zoned).isoformat()


def test_regions_contain_their_members_and_smaller_regions() -> None:
    from breachrules import registry

    assert registry.contains("EEA", "EU")
    assert registry.contains("EEA", "DE")
    assert not registry.contains("EU", "EEA")
    assert registry.overlaps("EU", "EEA")
    assert registry.overlaps("DE", "EU")
    assert not registry.overlaps("US-CA", "EU")


def test_an_unknown_count_can_be_left_out() -> None:
    group = {"jurisdiction": "XF-N", "data": ["name", "ssn"], "encrypted": False}
    result = assess(affected=[group])
    (regulator,) = [o for o in result if o.obligation == "regulator"]
    assert ["affected[0].count"] == regulator.missing_facts


def test_a_negative_offset_under_an_hour_round_trips() -> None:
    # pydantic before 2.7 read "-00:01" back as "+00:01"; the lower bound excludes it.
    result = assess(discovered_at="2026-03-02T09:30:00-00:01")
    again = Assessment.from_dict(json.loads(json.dumps(result.to_dict())))
    assert [o.deadline for o in result] == [o.deadline for o in again]
    assert all(
        o.deadline is None or o.deadline.utcoffset() == again[i].deadline.utcoffset()  # type: ignore[union-attr]
        for i, o in enumerate(result)
    )


def test_results_built_without_validation_have_every_field() -> None:
    # The engine builds results with Obligation.trusted / NotRequired.trusted: every field must
    # be given, so that validated copies are equal to them.
    from breachrules import NotRequired, Obligation

    assessment = obligations(
        {
            "discovered_at": "2026-03-02T09:30:00-05:00",
            "entity": {"name": "Acme", "role": "owner"},
            "affected": [{"jurisdiction": "XF-N", "count": 800, "data": ["name", "ssn"]}],
        },
        rules=BOOK,
    )
    assert assessment.obligations
    assert assessment.not_required
    for ob in assessment:
        assert set(Obligation.model_fields) == set(ob.__dict__)
        assert Obligation.model_validate(ob.model_dump()) == ob
    for item in assessment.not_required:
        assert set(NotRequired.model_fields) == set(item.__dict__)
        assert NotRequired.model_validate(item.model_dump()) == item


def _one_law(folder: Path, text: str) -> Rulebook:
    """A rulebook of one fictional law written to a temporary folder."""
    (folder / "XF").mkdir()
    (folder / "XF" / "law.toml").write_text(text)
    return load_rules(folder, include_bundled=False)


RECIPIENT_LAW = """
id = "xf-authorities"
name = "Freedonia Authorities Act"
jurisdiction = "XF"
last_reviewed = 2026-11-30

[[versions]]
effective_from = 2020-01-01
citation = "Freedonia Authorities Act s. 1"
source_url = "https://example.org/xf/authorities"
risk_of_harm_standard = "none"

[versions.population]
residents_of = ["XF"]
everyone_when = { fact = "entity.established_in", within = ["XF"] }

[versions.personal_information]
citation = "s. 1(1)"
any_personal_data = true

[[versions.obligations]]
id = "authority"
recipient = "regulator"
recipient_name = "the authority of the place"
citation = "s. 2"
deadline = { hours = 72 }

[versions.obligations.recipients]
choose = "CHOICE"

[versions.obligations.recipients.names]
XF-N = "North authority"
XF-S = "South authority"
"""


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("lead_or_each_affected", {("XF-N", "North authority")}),
        ("each_affected", {("XF-N", "North authority"), ("XF-S", "South authority")}),
    ],
)
def test_recipients_by_place(tmp_path: Path, choice: str, expected: set[tuple[str, str]]) -> None:
    book = _one_law(tmp_path, RECIPIENT_LAW.replace("CHOICE", choice))
    answer = obligations(
        {
            "discovered_at": "2026-03-02T09:30:00-05:00",
            "entity": {"name": "Acme", "role": "owner", "established_in": ["XF-N"]},
            "affected": [
                {"jurisdiction": "XF-N", "count": 3, "data": ["email"]},
                {"jurisdiction": "XF-S", "count": 4, "data": ["email"]},
            ],
        },
        rules=book,
    )
    assert expected == {(ob.jurisdiction, ob.recipient_name) for ob in answer}


SAME_NOTICE_LAW = """
id = "xf-grounds"
name = "Freedonia Two Grounds Act"
jurisdiction = "XF"
last_reviewed = 2026-11-30

[[versions]]
effective_from = 2020-01-01
citation = "Freedonia Two Grounds Act s. 1"
source_url = "https://example.org/xf/grounds"
risk_of_harm_standard = "none"
population = { residents_of = ["XF"] }

[versions.personal_information]
citation = "s. 1(1)"
any_personal_data = true

[[versions.obligations]]
id = "report"
recipient = "regulator"
recipient_name = "Freedonia Commission"
citation = "s. 2(a) (sensitive data)"
when = { fact = "facts.disproportionate_effort", is = true }
deadline = { hours = 72 }

[[versions.obligations]]
id = "report-over-100"
recipient = "regulator"
recipient_name = "Freedonia Commission"
citation = "s. 2(b) (more than 100 people)"
same_notice_as = "report"
threshold = { op = ">", value = 100, wording = "more than 100 people" }
deadline = { hours = 72 }
"""


@pytest.mark.parametrize(
    ("count", "fact", "status", "citation"),
    [
        (101, True, "required", "s. 2(a) (sensitive data); s. 2(b) (more than 100 people)"),
        (101, None, "required", "s. 2(a) (sensitive data); s. 2(b) (more than 100 people)"),
        (100, True, "required", "s. 2(a) (sensitive data)"),
        (100, None, "undetermined", "s. 2(a) (sensitive data)"),
        (None, False, "undetermined", "s. 2(b) (more than 100 people)"),
    ],
)
def test_a_notice_owed_on_two_grounds_is_shown_once(
    tmp_path: Path, count: int | None, fact: bool | None, status: str, citation: str
) -> None:
    book = _one_law(tmp_path, SAME_NOTICE_LAW)
    answer = obligations(
        {
            "discovered_at": "2026-03-02T09:30:00-05:00",
            "entity": {"name": "Acme", "role": "owner"},
            "affected": [{"jurisdiction": "XF", "count": count, "data": ["email"]}],
            "facts": {} if fact is None else {"disproportionate_effort": fact},
        },
        rules=book,
    )
    (duty,) = answer.obligations
    assert ("report", status, citation) == (duty.obligation, duty.status, duty.citation)
    assert not [n for n in answer.not_required if n.obligation in ("report", "report-over-100")]


def test_same_notice_as_must_name_another_obligation(tmp_path: Path) -> None:
    bad = SAME_NOTICE_LAW.replace('same_notice_as = "report"', 'same_notice_as = "reprot"')
    with pytest.raises(RuleFileError, match="same_notice_as"):
        _one_law(tmp_path, bad)
