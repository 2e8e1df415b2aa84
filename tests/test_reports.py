"""Reports and the command line around them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from breachrules import Assessment, Incident, load_rules, obligations
from breachrules.__main__ import main
from breachrules.reports import FORMATS, incident_fingerprint, render, rules_fingerprint

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
BOOK = load_rules(FIXTURES, include_bundled=False)
DATA: dict[str, Any] = {
    "discovered_at": "2026-03-02T09:30:00-05:00",
    "entity": {"name": "Acme", "role": "owner"},
    "affected": [
        {"jurisdiction": "XF-N", "count": 600, "data": ["name", "ssn"], "encrypted": False}
    ],
    "facts": {"acquired": True},
}


@pytest.fixture
def assessment() -> Assessment:
    return obligations(DATA, rules=BOOK)


def hostile(assessment: Assessment) -> Assessment:
    """The same assessment with markup and separators in a recipient's name."""
    data = assessment.to_dict()
    data["obligations"][0]["recipient_name"] = "<script>alert(1)</script> | a, b; c"
    return Assessment.from_dict(data)


def test_markdown_lists_every_obligation_and_non_obligation(assessment: Assessment) -> None:
    text = render(assessment, "markdown", incident=Incident.model_validate(DATA), rules=BOOK)
    for ob in assessment:
        assert f"### {ob.regime} / {ob.obligation}" in text
    for item in assessment.not_required:
        assert f"`{item.regime}` | {item.obligation or '(whole law)'}" in text
    assert "Incident SHA-256: " + incident_fingerprint(Incident.model_validate(DATA)) in text
    assert "Rule data SHA-256" in text
    assert "Not legal advice" in text


def test_markdown_escapes_table_separators(assessment: Assessment) -> None:
    text = render(hostile(assessment), "markdown")
    assert "</script> \\| a, b; c" in text


def test_html_is_self_contained_and_escaped(assessment: Assessment) -> None:
    page = render(hostile(assessment), "html")
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "<link" not in page
    assert page.startswith("<!DOCTYPE html>")


def test_csv_has_one_row_per_obligation(assessment: Assessment) -> None:
    rows = list(csv.DictReader(io.StringIO(render(hostile(assessment), "csv"))))
    assert len(assessment) == len(rows)
    assert "<script>alert(1)</script> | a, b; c" == rows[0]["recipient_name"]
    assert [o.obligation for o in assessment] == [r["obligation"] for r in rows]


def test_ics_has_one_event_per_dated_obligation_with_folded_lines(
    assessment: Assessment,
) -> None:
    text = render(hostile(assessment), "ics", incident=Incident.model_validate(DATA))
    lines = text.split("\r\n")
    assert "BEGIN:VCALENDAR" == lines[0]
    assert "END:VCALENDAR" == lines[-2]
    dated = [o for o in assessment if o.deadline is not None]
    assert len(dated) == text.count("BEGIN:VEVENT")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert "\\, b\\; c" in text.replace("\r\n ", "")


def test_json_report_round_trips(assessment: Assessment) -> None:
    assert assessment == Assessment.from_dict(json.loads(render(assessment, "json")))


def test_unknown_format_is_refused(assessment: Assessment) -> None:
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        render(assessment, "pdf")  # type: ignore[arg-type]


def test_fingerprints_are_stable_and_discriminating() -> None:
    first = Incident.model_validate(DATA)
    again = Incident.model_validate(json.loads(json.dumps(DATA)))
    other = Incident.model_validate({**DATA, "risk_of_harm": "high"})
    assert incident_fingerprint(first) == incident_fingerprint(again)
    assert incident_fingerprint(first) != incident_fingerprint(other)
    assert rules_fingerprint(BOOK) == rules_fingerprint(load_rules(FIXTURES, include_bundled=False))


def test_time_left_in_the_notebook_display(assessment: Assessment) -> None:
    from datetime import UTC, datetime

    from breachrules.reports import render_html_fragment, time_left

    deadline = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
    assert "2 d 3 h left" == time_left(deadline, datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    assert "overdue by 1 h 30 min" == time_left(deadline, datetime(2026, 3, 5, 13, 30, tzinfo=UTC))
    shown = render_html_fragment(assessment, now=datetime(2026, 3, 2, 15, 0, tzinfo=UTC))
    dated = [o for o in assessment if o.deadline is not None]
    assert len(dated) == shown.count(" left</small>")


def test_notebook_display(assessment: Assessment) -> None:
    shown = assessment._repr_html_()
    assert "<table>" in shown
    assert shown.startswith('<div class="breachrules-report">')
    assert "body{" not in shown
    styles = shown.split("<style>")[1].split("</style>")[0]
    assert all(rule.startswith(".breachrules-report") for rule in styles.split("}") if rule)
    assert assessment[0].status.upper() in assessment[0]._repr_html_()


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_assess_in_every_format(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "incident.json"
    file.write_text(
        json.dumps({**DATA, "affected": [{**DATA["affected"][0], "jurisdiction": "US-CA"}]})
    )
    assert 0 == main(["assess", str(file), "--format", fmt])
    assert capsys.readouterr().out


def test_cli_laws_lists_every_bundled_law(capsys: pytest.CaptureFixture[str]) -> None:
    assert 0 == main(["laws"])
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert sorted(load_rules()) == listed


def test_cli_show_describes_a_law(capsys: pytest.CaptureFixture[str]) -> None:
    assert 0 == main(["show", "us-ca"])
    out = capsys.readouterr().out
    assert "California Attorney General" in out
    assert "more than 500 California residents" in out


def test_cli_show_unknown_law_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    assert 1 == main(["show", "us-cal"])
    assert "did you mean 'us-ca'?" in capsys.readouterr().err


def test_cli_explain_gives_why_and_why_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "incident.json"
    file.write_text(json.dumps(DATA))
    assert 0 == main(["explain", str(file), "--jurisdiction", "XF-N", "--rules", str(FIXTURES)])
    out = capsys.readouterr().out
    assert "REQUIRED: regulator" in out
    assert "NOT REQUIRED (condition_not_met): owner" in out


def test_cli_explain_unknown_jurisdiction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "incident.json"
    file.write_text(json.dumps(DATA))
    assert 1 == main(["explain", str(file), "--jurisdiction", "US-CAL"])
    assert "did you mean 'US-CA'" in capsys.readouterr().err
