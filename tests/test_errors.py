"""Bad input gets one clear error naming the field or file and the fix; never a deep traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breachrules import (
    BreachRulesError,
    InvalidIncidentError,
    RuleFileError,
    UnknownCodeError,
    load_rules,
    obligations,
)
from breachrules.__main__ import main
from tests.builders import group, incident

FIXTURES = Path(__file__).parent / "fixtures" / "rules"


def error_of(data: Any) -> InvalidIncidentError:
    with pytest.raises(InvalidIncidentError) as caught:
        obligations(data)
    assert isinstance(caught.value, BreachRulesError)
    assert isinstance(caught.value, ValueError)
    return caught.value


def test_naive_datetime_names_the_field_and_the_fix() -> None:
    error = error_of(incident(discovered_at="2026-03-02T09:30:00"))
    assert [("discovered_at", error.errors[0][1])] == error.errors
    assert "UTC offset" in str(error)


def test_unknown_category_suggests_the_code() -> None:
    error = error_of(incident(affected=[group(data=["name", "snn"])]))
    assert "affected[0].data" == error.errors[0][0]
    assert "did you mean 'ssn'?" in str(error)


def test_category_aliases_are_accepted_and_normalised() -> None:
    assessment = obligations(
        incident(affected=[group(data=["Full Name", "social_security_number"])])
    )
    assert assessment is not None


def test_unknown_jurisdiction_suggests_a_code() -> None:
    error = error_of(incident(affected=[group(jurisdiction="US-CAL")]))
    assert "affected[0].jurisdiction" == error.errors[0][0]
    assert "did you mean 'US-CA'" in str(error)


def test_negative_count_is_refused() -> None:
    error = error_of(incident(affected=[group(count=-1)]))
    assert "affected[0].count" == error.errors[0][0]
    assert "must not be negative" in str(error)


def test_unknown_entity_flag_suggests_one() -> None:
    error = error_of(incident(entity={"name": "A", "role": "owner", "regulated_as": ["hipaa"]}))
    assert "entity.regulated_as" == error.errors[0][0]
    assert "hipaa_" in str(error)


def test_unknown_fact_suggests_one() -> None:
    error = error_of(incident(facts={"aquired": True}))
    assert "did you mean 'acquired'?" in str(error)


def test_yes_is_not_a_boolean_for_a_fact() -> None:
    error = error_of(incident(facts={"acquired": "maybe"}))
    assert "facts.acquired" == error.errors[0][0]


def test_unknown_field_is_named() -> None:
    data = incident(discovered="2026-03-02T09:30:00Z")
    del data["discovered_at"]
    error = error_of(data)
    assert {"discovered", "discovered_at"} == {path for path, _ in error.errors}


def test_determination_before_discovery_is_refused() -> None:
    error = error_of(incident(determined_at="2026-03-01T09:30:00-05:00"))
    assert "determined_at is before discovered_at" in str(error)


def test_not_a_mapping() -> None:
    error = error_of(["not", "an", "incident"])
    assert "expected an Incident or a mapping" in str(error)


def test_unknown_code_error_is_a_value_error() -> None:
    from breachrules import registry

    with pytest.raises(UnknownCodeError) as caught:
        registry.category("snn")
    assert ["ssn"] == caught.value.suggestions


BAD_RULE = """
id = "xf-bad"
name = "Bad"
jurisdiction = "XF"
last_reviewed = 2026-11-30

[[versions]]
effective_from = 2020-01-01
citation = "s. 1"
source_url = "https://example.org/bad"
risk_of_harm_standard = "none"
population = { residents_of = ["XF"] }
personal_information = { citation = "s. 1", combinations = [{ all = ["name", "snn"] }] }

[[versions.obligations]]
id = "individuals"
recipient = "individuals"
recipient_name = "people"
citation = "s. 2"
deadline = { dayz = 30 }
"""


def rule_error(directory: Path, name: str, text: str) -> RuleFileError:
    """Write one rule file, load the directory alone, and return the error it must raise."""
    (directory / name).write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rules(directory, include_bundled=False)
    return caught.value


def test_malformed_rule_file_names_file_key_path_and_reason(tmp_path: Path) -> None:
    error = rule_error(tmp_path, "bad.toml", BAD_RULE)
    messages = [str(p) for p in error.problems]
    assert any(
        "versions[0].obligations[0].deadline.dayz" in m and "did you mean 'days'" in m
        for m in messages
    ), messages


def test_bad_category_in_a_rule_file_is_reported(tmp_path: Path) -> None:
    error = rule_error(tmp_path, "bad.toml", BAD_RULE.replace("dayz", "days"))
    (problem,) = error.problems
    assert "versions[0].personal_information.combinations[0].all[1]" == problem.path
    assert "did you mean 'ssn'" in problem.message


def test_yes_is_not_true_in_a_rule_file(tmp_path: Path) -> None:
    text = BAD_RULE.replace("dayz", "days").replace('"snn"', '"ssn"')
    text = text.replace(
        'citation = "s. 2"', 'citation = "s. 2"\nwhen = { fact = "facts.acquired", is = "yes" }'
    )
    error = rule_error(tmp_path, "bad.toml", text)
    assert "true or false" in str(error)


def test_overlapping_versions_are_refused(tmp_path: Path) -> None:
    good = BAD_RULE.replace("dayz", "days").replace('"snn"', '"ssn"')
    head, _, version = good.partition("[[versions]]")
    overlapping = (
        head
        + "[[versions]]"
        + version
        + "\n[[versions]]"
        + version.replace("2020-01-01", "2021-01-01").replace(
            "[[versions.obligations]]", "[[versions.obligations]]"
        )
    )
    error = rule_error(tmp_path, "overlap.toml", overlapping)
    assert any("overlaps the previous version" in p.message for p in error.problems)


def test_duplicate_regime_ids_are_refused(tmp_path: Path) -> None:
    text = (FIXTURES / "XF-N" / "notice-act.toml").read_text(encoding="utf-8")
    (tmp_path / "a.toml").write_text(text, encoding="utf-8")
    error = rule_error(tmp_path, "b.toml", text)
    assert "also defined in" in str(error)


def test_invalid_toml_is_reported(tmp_path: Path) -> None:
    error = rule_error(tmp_path, "broken.toml", "id = ")
    assert "is not valid TOML" in str(error)


def test_a_link_out_of_the_rules_directory_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_text("id = 'x'", encoding="utf-8")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "link.toml").symlink_to(outside)
    with pytest.raises(RuleFileError) as caught:
        load_rules(rules, include_bundled=False)
    assert "leads outside the rules directory" in str(caught.value)


def test_check_rules_prints_one_line_per_problem_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.toml").write_text(BAD_RULE, encoding="utf-8")
    assert 1 == main(["check-rules", str(tmp_path)])
    lines = capsys.readouterr().out.strip().splitlines()
    assert 1 == len(lines)
    assert all(line.startswith(str(tmp_path / "bad.toml")) for line in lines)


def test_check_rules_passes_on_the_fixtures(capsys: pytest.CaptureFixture[str]) -> None:
    assert 0 == main(["check-rules", str(FIXTURES)])
    assert "3 rule files valid" in capsys.readouterr().out


def test_cli_invalid_incident_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "incident.json"
    file.write_text(
        '{"discovered_at": "2026-03-02T09:30:00", "entity": {"name": "A", "role": "owner"}}'
    )
    assert 1 == main(["assess", str(file)])
    err = capsys.readouterr().err.strip()
    assert 1 == len(err.splitlines())
    assert "discovered_at" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [("", "is empty"), ("{not json", "is not valid JSON")],
)
def test_cli_unreadable_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    file = tmp_path / "incident.json"
    file.write_text(content)
    assert 1 == main(["assess", str(file)])
    assert message in capsys.readouterr().err


def test_cli_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert 1 == main(["assess", str(tmp_path / "nope.json")])
    assert "cannot read the file" in capsys.readouterr().err


def test_cli_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["no-such-command"])
    assert 2 == caught.value.code


def test_as_of_that_is_not_a_date() -> None:
    with pytest.raises(InvalidIncidentError, match="as_of"):
        obligations(incident(), as_of="next week")


def _error_message(data: dict[str, Any]) -> str | None:
    """The library's error for an input, or None when it is valid; anything else escapes."""
    try:
        obligations(data)
    except InvalidIncidentError as error:
        return str(error)
    return None


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
_keys = st.sampled_from(
    ["discovered_at", "entity", "affected", "risk_of_harm", "facts", "notices", "determined_at"]
)


@given(st.dictionaries(_keys, _json, max_size=7))
def test_random_input_raises_only_the_librarys_error(data: dict[str, Any]) -> None:
    message = _error_message(data)
    assert message is None or message.startswith("invalid incident: ")


@given(
    st.builds(
        lambda g: incident(affected=[g]),
        st.dictionaries(
            st.sampled_from(
                ["jurisdiction", "count", "data", "encrypted", "key_compromised", "medium", "label"]
            ),
            _json,
            max_size=7,
        ),
    )
)
def test_random_groups_raise_only_the_librarys_error(data: dict[str, Any]) -> None:
    message = _error_message(data)
    assert message is None or "affected[0]" in message


def test_unknown_event_suggests_one() -> None:
    error = error_of(incident(events={"materiality": "2026-03-03T10:00:00-05:00"}))
    assert "did you mean 'materiality_determination'?" in str(error)


def test_event_before_discovery_is_refused() -> None:
    error = error_of(incident(events={"extortion_payment": "2026-03-01T10:00:00-05:00"}))
    assert "events.extortion_payment is before discovered_at" in str(error)


INCIDENT_RULE = """
id = "xf-inc"
name = "Incident rule"
jurisdiction = "XF"
last_reviewed = 2026-11-30

[[versions]]
effective_from = 2020-01-01
citation = "s. 1"
source_url = "https://example.org/inc"
risk_of_harm_standard = "none"
trigger = "incident"

[[versions.obligations]]
id = "regulator"
recipient = "regulator"
recipient_name = "Regulator"
citation = "s. 2"
threshold = { op = ">", value = 5, wording = "more than 5" }
deadline = { anchor = "event", event = "ransom", hours = 24 }

[[versions]]
status = "pending"
citation = "s. 1 (proposed)"
source_url = "https://example.org/inc-proposed"
risk_of_harm_standard = "none"
trigger = "incident"

[[versions.obligations]]
id = "regulator"
recipient = "regulator"
recipient_name = "Regulator"
citation = "s. 2"
deadline = { hours = 24 }
"""


def test_incident_rules_pending_versions_and_events_are_checked(tmp_path: Path) -> None:
    error = rule_error(tmp_path, "inc.toml", INCIDENT_RULE)
    found = {(p.path, p.message.split(";")[0]) for p in error.problems}
    assert {
        ("versions[0].obligations[0].threshold", "trigger = 'incident' counts nobody"),
        ("versions[0].obligations[0].deadline.event", "unknown event 'ransom'"),
        ("versions[1].status_note", "a pending version must say where it stands"),
    } == found
