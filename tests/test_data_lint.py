"""Lint of the bundled rule data, and the generated discrepancies page.

- Every citation of every law (its versions, definitions, obligations and exceptions) is a
  pinpoint, and every source URL is http(s).
- Every law was reviewed within the last 12 months (a warning after 9).
- Every exception of every enacted version is exercised by some scenario: the scenarios are run
  through the engine and the exception must show in the reasons of that law's answer for an
  incident assessed under that version. (That every obligation is required by some scenario is
  checked in test_scenarios.py.)
- Every data category is used by some rule file (a warning only: some exist for input alone).
- docs/discrepancies.md is the output of ``breachrules.discrepancies``.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from dateutil.relativedelta import relativedelta

from breachrules import Assessment, load_rules, obligations, registry
from breachrules.discrepancies import COMMAND, discrepancies_page, main
from breachrules.rulebook import Regime
from breachrules.schema import AllOf, AnyOf, Condition, FactTest, Not, RuleFile
from tests.scenario_runner import load_scenarios

HERE = Path(__file__).parent
ROOT = HERE.parent


def _rule_file(regime: Regime) -> str:
    return Path(regime.file).relative_to(ROOT).as_posix()


# --- citations and sources -------------------------------------------------------------------

# Years and year ranges ("2018-2019", "2016/679" stays: it is an act number) are not sections.
_YEARS = re.compile(r"\b(?:19|20)\d\d(?:\s*[-\u2013]\s*(?:19|20)?\d\d)?\b(?![./:]\d)")
_PINPOINT = re.compile(
    r"§"  # a section sign
    r"|\bArts?\b"  # an article
    r"|\bCFR\b"  # the Code of Federal Regulations
    r"|\bch\.\s*\w"  # a chapter
    r"|\bRule\b|\bItem\s+\d"  # a rule; an item of a form
    r"|(?i:\b(?:reg|regs|regulation|regulations|para|paragraph|direction)\.?\s+\d)"  # "reg. 5A"
    r"|(?i:\b(?:s|ss|sec|secs|section|sections)\.?\s+\d)"  # "s. 2", "Section 4"
    # a section number: 1798.82, 50-7a02, 51:3074, 530/10
    r"|\b\d+[A-Za-z]*(?:[.:/-]\d+[A-Za-z]*)+"
    r"|\b\d+-[A-Z]+:\d+"  # New Hampshire's RSA 420-P:6
)


def is_pinpoint(citation: str) -> bool:
    """Whether a citation points at a section, article, rule or chapter, not only at an act."""
    return bool(_PINPOINT.search(_YEARS.sub(" ", citation)))


@pytest.mark.parametrize(
    ("citation", "expected"),
    [
        ("Cal. Civ. Code § 1798.82(a)", True),
        ("45 CFR 164.404(a)-(b)", True),
        ("Regulation (EU) 2016/679, Art. 33(1)", True),
        ("Mass. Gen. Laws ch. 93H, § 3", True),
        ("K.S.A. 50-7a02", True),
        ("La. R.S. 51:3074", True),
        ("815 ILCS 530/10", True),
        ("ORS 646A.604", True),
        ("Form 8-K, Item 1.05", True),
        ("N. Freedonia Notice Act s. 2", True),
        ("Act 33 of 2024 (credit reporting and monitoring)", False),
        ("Data Breach Act (as in force 2018-2019)", False),
        ("HB 2154", False),
        ("the statute", False),
        ("the arts and the rules of the chapter", False),
    ],
)
def test_the_pinpoint_check_itself(citation: str, expected: bool) -> None:
    assert expected == is_pinpoint(citation)


def _citations(rule: RuleFile) -> Iterator[tuple[str, str]]:
    for i, version in enumerate(rule.versions):
        yield f"versions[{i}].citation", version.citation
        if version.personal_information is not None:
            yield (
                f"versions[{i}].personal_information.citation",
                version.personal_information.citation,
            )
        for j, exc in enumerate(version.exceptions):
            yield f"versions[{i}].exceptions[{j}].citation", exc.citation
        for j, ob in enumerate(version.obligations):
            yield f"versions[{i}].obligations[{j}].citation", ob.citation


# Citations known not to be pinpoints, reported for the rule file's author to fix. The test
# fails on any other, and on an entry here that has been fixed (remove it then).
KNOWN_IMPRECISE_CITATIONS = frozenset(
    {
        ("us-pa", "versions[2].exceptions[1].citation"),
        ("us-pa", "versions[2].obligations[4].citation"),
    }
)


def test_every_version_of_every_law_cites_a_pinpoint() -> None:
    bad = [
        f"{_rule_file(r)}: versions[{i}].citation: {v.rule.citation!r}"
        for r in load_rules().values()
        for i, v in enumerate(r.versions)
        if not is_pinpoint(v.rule.citation)
    ]
    assert [] == bad


def test_every_citation_in_the_rule_files_is_a_pinpoint() -> None:
    found = {}
    for regime in load_rules().values():
        for path, citation in _citations(regime.source):
            if not is_pinpoint(citation):
                found[(regime.id, path)] = f"{_rule_file(regime)}: {path}: {citation!r}"
    new = [text for key, text in sorted(found.items()) if key not in KNOWN_IMPRECISE_CITATIONS]
    assert [] == new, "citations that name no section, article, rule or chapter"
    fixed = sorted(KNOWN_IMPRECISE_CITATIONS - set(found))
    assert [] == fixed, "now pinpoints: remove them from KNOWN_IMPRECISE_CITATIONS"


def _is_http(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in url


def test_every_source_url_is_http() -> None:
    bad = []
    for regime in load_rules().values():
        for i, version in enumerate(regime.source.versions):
            urls = [(f"versions[{i}].source_url", version.source_url)]
            urls += [
                (f"versions[{i}].sources[{j}].url", s.url) for j, s in enumerate(version.sources)
            ]
            urls += [
                (f"versions[{i}].obligations[{j}].source_url", o.source_url)
                for j, o in enumerate(version.obligations)
                if o.source_url is not None
            ]
            bad += [f"{_rule_file(regime)}: {p}: {u!r}" for p, u in urls if not _is_http(u)]
    assert [] == bad


# --- review dates ----------------------------------------------------------------------------


class ReviewDueWarning(UserWarning):
    """A law not reviewed for more than 9 months: review it before it fails at 12."""


def review_status(last_reviewed: date, today: date) -> str:
    """ok; due (older than 9 months); stale (older than 12); future (after tomorrow)."""
    if last_reviewed > today + timedelta(days=1):
        return "future"
    if last_reviewed < today - relativedelta(months=12):
        return "stale"
    if last_reviewed < today - relativedelta(months=9):
        return "due"
    return "ok"


@pytest.mark.parametrize(
    ("reviewed", "expected"),
    [
        (date(2026, 11, 30), "ok"),
        (date(2026, 12, 1), "ok"),
        (date(2026, 12, 2), "future"),
        (date(2026, 2, 28), "ok"),
        (date(2026, 2, 27), "due"),
        (date(2025, 11, 30), "due"),
        (date(2025, 11, 29), "stale"),
    ],
)
def test_review_status(reviewed: date, expected: str) -> None:
    assert expected == review_status(reviewed, date(2026, 11, 30))


def test_every_law_was_reviewed_within_12_months() -> None:
    today = date.today()
    statuses = {r.id: review_status(r.last_reviewed, today) for r in load_rules().values()}
    bad = [
        f"{_rule_file(r)}: last_reviewed = {r.last_reviewed} is {statuses[r.id]}"
        for r in load_rules().values()
        if statuses[r.id] in ("stale", "future")
    ]
    assert [] == bad, f"today is {today}"


def test_laws_not_reviewed_for_9_months_warn() -> None:
    today = date.today()
    for regime in load_rules().values():
        if review_status(regime.last_reviewed, today) == "due":
            warnings.warn(
                ReviewDueWarning(
                    f"{_rule_file(regime)}: last reviewed {regime.last_reviewed}, more than 9 "
                    "months ago; it fails after 12"
                ),
                stacklevel=1,
            )


# --- exceptions exercised by scenarios -------------------------------------------------------


@cache
def _scenario_assessments() -> tuple[tuple[str, Assessment], ...]:
    book = load_rules()
    return tuple(
        (s.regime, obligations(s.data["incident"], as_of=s.data.get("as_of"), rules=book))
        for s in load_scenarios(HERE / "scenarios")
    )


def uncovered_exceptions() -> set[tuple[str, str, str]]:
    """(regime, version's effective_from, exception id) of each exception no scenario shows.

    An exception is exercised when its label and citation appear in the reasons of the law's
    obligations or not_required entries for a scenario assessed under that version: as applied
    ("Exception applies: ..." with code exception; "not counted, <label>" for a group), or as
    possibly applying on unknown facts.
    """
    book = load_rules()
    seen: dict[tuple[str, date], str] = {}
    for _, assessment in _scenario_assessments():
        for entry in [*assessment.obligations, *assessment.not_required]:
            version = book[entry.regime].version_on(assessment.as_of)
            if version is not None and version.rule.effective_from is not None:
                key = (entry.regime, version.rule.effective_from)
                seen[key] = seen.get(key, "") + "\n".join(entry.reasons) + "\n"
    missing = set()
    for regime in book.values():
        for version in regime.versions:
            start = version.rule.effective_from
            if version.rule.status != "enacted" or start is None:
                continue
            reasons = seen.get((regime.id, start), "")
            for exc in version.rule.exceptions:
                if f"{exc.label} ({exc.citation})" not in reasons:
                    missing.add((regime.id, start.isoformat(), exc.id))
    return missing


# Exceptions no scenario exercised when this test was written, reported for scenarios to be
# added. The test fails on any other, and on an entry here that a scenario now covers (remove
# it then). Regenerate the list with uncovered_exceptions().
KNOWN_UNCOVERED_EXCEPTIONS: frozenset[tuple[str, str, str]] = frozenset(
    {
        ("us-ar", "2005-08-12", "encryption"),
        ("us-ar", "2005-08-12", "good-faith-employee"),
        ("us-ar", "2005-08-12", "regulated-by-other-law"),
        ("us-az", "2018-01-01", "encryption"),
        ("us-az", "2018-01-01", "good-faith-employee"),
        ("us-az", "2018-08-03", "encryption"),
        ("us-az", "2018-08-03", "glba-hipaa-state-regulator"),
        ("us-az", "2018-08-03", "good-faith-employee"),
        ("us-ca", "2018-01-01", "encryption"),
        ("us-ca", "2018-01-01", "good-faith-employee"),
        ("us-ca", "2020-01-01", "encryption"),
        ("us-ca", "2020-01-01", "good-faith-employee"),
        ("us-ca", "2022-01-01", "encryption"),
        ("us-ca", "2022-01-01", "good-faith-employee"),
        ("us-co", "2006-09-01", "encryption"),
        ("us-co", "2006-09-01", "good-faith-employee"),
        ("us-ct", "2015-10-01", "encryption"),
        ("us-ct", "2018-10-01", "encryption"),
        ("us-ct", "2018-10-01", "no-likely-harm"),
        ("us-ct", "2021-10-01", "encryption"),
        ("us-ct", "2021-10-01", "hipaa"),
        ("us-ct", "2021-10-01", "no-likely-harm"),
        ("us-dc", "2007-07-01", "encryption"),
        ("us-dc", "2007-07-01", "good-faith-employee"),
        ("us-de", "2018-01-01", "encryption"),
        ("us-de", "2018-01-01", "good-faith-employee"),
        ("us-fl", "2014-07-01", "encryption"),
        ("us-fl", "2014-07-01", "federal-regulator"),
        ("us-fl", "2014-07-01", "good-faith-employee"),
        ("us-ftc-hbnr", "2009-09-24", "secured-information"),
        ("us-ia", "2014-07-01", "encryption"),
        ("us-ia", "2014-07-01", "federal-regulator"),
        ("us-ia", "2014-07-01", "good-faith-employee"),
        ("us-ia", "2014-07-01", "no-financial-harm"),
        ("us-ia", "2018-07-01", "encryption"),
        ("us-ia", "2018-07-01", "federal-regulator"),
        ("us-ia", "2018-07-01", "good-faith-employee"),
        ("us-ia", "2018-07-01", "no-financial-harm"),
        ("us-il", "2017-01-01", "encryption"),
        ("us-il", "2017-01-01", "good-faith-employee"),
        ("us-in", "2018-01-01", "encryption"),
        ("us-in", "2018-01-01", "good-faith-employee"),
        ("us-in", "2018-01-01", "no-identity-harm"),
        ("us-in", "2022-07-01", "encryption"),
        ("us-in", "2022-07-01", "good-faith-employee"),
        ("us-in", "2022-07-01", "no-identity-harm"),
        ("us-la", "2018-01-01", "encryption"),
        ("us-la", "2018-01-01", "good-faith-employee"),
        ("us-ma", "2018-01-01", "encryption"),
        ("us-ma", "2018-01-01", "good-faith-employee"),
        ("us-md", "2018-01-01", "encryption"),
        ("us-md", "2018-01-01", "good-faith-employee"),
        ("us-me", "2018-01-01", "deemed-compliance"),
        ("us-me", "2018-01-01", "encryption"),
        ("us-me", "2018-01-01", "good-faith-employee"),
        ("us-nj", "2018-01-01", "encryption"),
        ("us-nj", "2018-01-01", "good-faith-employee"),
        ("us-nj", "2018-01-01", "misuse-not-reasonably-possible"),
        ("us-ny", "2018-01-01", "encryption"),
        ("us-ny", "2018-01-01", "good-faith-employee"),
        ("us-ny", "2019-10-23", "encryption"),
        ("us-ny", "2024-12-21", "deemed-compliance"),
        ("us-ny", "2024-12-21", "encryption"),
        ("us-ny", "2024-12-21", "good-faith-employee"),
        ("us-ny", "2024-12-21", "inadvertent-disclosure"),
        ("us-ok", "2008-11-01", "encryption"),
        ("us-ok", "2008-11-01", "good-faith-employee"),
        ("us-or", "2016-01-01", "encryption"),
        ("us-or", "2016-01-01", "federal-rules"),
        ("us-or", "2016-01-01", "good-faith-employee"),
        ("us-or", "2018-06-02", "encryption"),
        ("us-or", "2018-06-02", "federal-rules"),
        ("us-or", "2018-06-02", "good-faith-employee"),
        ("us-or", "2018-06-02", "no-likelihood-of-harm"),
        ("us-pa", "2018-01-01", "encryption"),
        ("us-pa", "2018-01-01", "good-faith-employee"),
        ("us-pa", "2018-01-01", "no-loss-or-injury"),
        ("us-pa", "2023-05-02", "encryption"),
        ("us-pa", "2023-05-02", "federal-rules"),
        ("us-pa", "2023-05-02", "good-faith-employee"),
        ("us-pa", "2023-05-02", "no-loss-or-injury"),
        ("us-ri", "2016-07-02", "encryption"),
        ("us-ri", "2016-07-02", "good-faith-employee"),
        ("us-ri", "2016-07-02", "no-significant-risk"),
        ("us-ri", "2016-07-02", "regulator-procedures"),
        ("us-sec-reg-sp", "2025-12-03", "no-substantial-harm"),
        ("us-tx", "2018-01-01", "encryption"),
        ("us-tx", "2018-01-01", "good-faith-employee"),
        ("us-tx", "2020-01-01", "attorney-general-counts-texans"),
        ("us-tx", "2020-01-01", "encryption"),
        ("us-tx", "2020-01-01", "good-faith-employee"),
        ("us-tx", "2021-09-01", "attorney-general-counts-texans"),
        ("us-tx", "2021-09-01", "encryption"),
        ("us-ut", "2018-01-01", "employee-acquisition"),
        ("us-ut", "2018-01-01", "encryption"),
        ("us-ut", "2018-01-01", "misuse-not-likely"),
        ("us-ut", "2019-05-14", "employee-acquisition"),
        ("us-ut", "2019-05-14", "encryption"),
        ("us-ut", "2019-05-14", "misuse-not-likely"),
        ("us-ut", "2023-05-03", "employee-acquisition"),
        ("us-ut", "2023-05-03", "encryption"),
        ("us-ut", "2023-05-03", "misuse-not-likely"),
        ("us-ut", "2023-05-03", "regulator-procedures"),
        ("us-va", "2018-01-01", "encryption"),
        ("us-va", "2018-01-01", "good-faith-employee"),
        ("us-va", "2018-01-01", "no-identity-theft-or-fraud"),
        ("us-va", "2018-01-01", "regulator-procedures"),
        ("us-vt", "2018-01-01", "encryption"),
        ("us-vt", "2018-01-01", "good-faith-employee"),
        ("us-wa", "2015-07-24", "good-faith-employee"),
        ("us-wa", "2015-07-24", "secured"),
    }
)


def test_every_exception_is_exercised_by_a_scenario() -> None:
    found = uncovered_exceptions()
    book = load_rules()

    def describe(key: tuple[str, str, str]) -> str:
        regime = book[key[0]]
        version = regime.version_on(date.fromisoformat(key[1]))
        label = next(
            (e.label for e in version.rule.exceptions if e.id == key[2]) if version else (), ""
        )
        return f"{_rule_file(regime)}: version of {key[1]}: exception {key[2]!r} ({label})"

    new = [describe(k) for k in sorted(found - KNOWN_UNCOVERED_EXCEPTIONS)]
    assert [] == new, "exceptions no scenario exercises; add a scenario that shows each"
    covered = sorted(KNOWN_UNCOVERED_EXCEPTIONS - found)
    assert [] == covered, "now exercised: remove them from KNOWN_UNCOVERED_EXCEPTIONS"


def test_scenarios_run_under_the_versions_they_name() -> None:
    # The coverage above relies on each scenario's as_of (or discovery date) picking a version.
    assert all(a.as_of for _, a in _scenario_assessments())


# --- data categories -------------------------------------------------------------------------


class UnusedCategoryWarning(UserWarning):
    """A data category no rule file uses (it may exist for input only)."""


def _condition_categories(condition: Condition | None) -> Iterator[str]:
    if condition is None:
        return
    if isinstance(condition, AllOf | AnyOf):
        for part in condition.all if isinstance(condition, AllOf) else condition.any:
            yield from _condition_categories(part)
    elif isinstance(condition, Not):
        yield from _condition_categories(condition.not_)
    elif isinstance(condition, FactTest) and condition.fact == "group.data":
        yield from [condition.contains] if condition.contains else condition.contains_any or []


def _used_categories() -> set[str]:
    used: set[str] = set()
    for regime in load_rules().values():
        for version in regime.source.versions:
            if version.personal_information is not None:
                for combo in version.personal_information.combinations:
                    used |= {*combo.all, *combo.any}
            conditions: list[Any] = [version.applies_when]
            if version.population is not None:
                conditions.append(version.population.everyone_when)
            conditions += [e.when for e in version.exceptions]
            conditions += [o.when for o in version.obligations]
            for condition in conditions:
                used |= set(_condition_categories(condition))
    return used


def test_every_data_category_is_used_by_some_rule() -> None:
    used = _used_categories()
    assert used <= set(registry.categories())  # also checked as the rules load
    for code in sorted(set(registry.categories()) - used):
        warnings.warn(
            UnusedCategoryWarning(f"data category {code!r} is used by no rule file"), stacklevel=1
        )


# --- the discrepancies page ------------------------------------------------------------------


def test_docs_discrepancies_is_up_to_date() -> None:
    stored = (ROOT / "docs" / "discrepancies.md").read_text(encoding="utf-8")
    assert stored == discrepancies_page(load_rules()), f"stale; regenerate it with: {COMMAND}"


def test_main_prints_the_page(capsys: pytest.CaptureFixture[str]) -> None:
    main()
    assert discrepancies_page(load_rules()) == capsys.readouterr().out


def test_the_page_lists_every_note_by_jurisdiction_then_id() -> None:
    book = load_rules(HERE / "fixtures" / "rules", include_bundled=False)
    page = discrepancies_page(book)
    assert page.startswith(f"<!-- Generated by `{COMMAND}`")
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    regimes = sorted(book.values(), key=lambda r: (r.jurisdiction, r.id))
    assert [f"## {r.jurisdiction}: {r.name}" for r in regimes] == headings
    for regime in regimes:
        for note in regime.notes:
            assert f"### {note.topic}\n\n{note.text}\n" in page
