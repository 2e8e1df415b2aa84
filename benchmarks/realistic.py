"""Benchmark against a plain-Python floor (benchmarks/floor.py). Run by hand, not in the tests.

    python benchmarks/realistic.py                  # 100,000 incidents
    python benchmarks/realistic.py --batch 10000    # a smaller batch

It builds a realistic incident (people in all 54 US jurisdictions and five EEA states, a HIPAA
covered entity) and a seeded batch of generated incidents, checks that the floor reproduces the
library's required duties and deadlines, then measures both: time per incident (median, p99),
throughput over the batch, cold start in fresh interpreters, and peak traced memory.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import floor  # noqa: E402
from bench import fresh_interpreter_seconds  # noqa: E402

STATES = [
    "AK",
    "AL",
    "AR",
    "AZ",
    "CA",
    "CO",
    "CT",
    "DC",
    "DE",
    "FL",
    "GA",
    "HI",
    "IA",
    "ID",
    "IL",
    "IN",
    "KS",
    "KY",
    "LA",
    "MA",
    "MD",
    "ME",
    "MI",
    "MN",
    "MO",
    "MS",
    "MT",
    "NC",
    "ND",
    "NE",
    "NH",
    "NJ",
    "NM",
    "NV",
    "NY",
    "OH",
    "OK",
    "OR",
    "PA",
    "RI",
    "SC",
    "SD",
    "TN",
    "TX",
    "UT",
    "VA",
    "VT",
    "WA",
    "WI",
    "WV",
    "WY",
]
US = [f"US-{s}" for s in STATES] + ["PR", "GU", "VI"]  # the 54 jurisdictions of the us-xx laws
EEA = ["DE", "FR", "IE", "NL", "IT"]
COUNTS = [1, 50, 249, 250, 251, 499, 500, 501, 999, 1000, 1001, 5001, 10001, 20000]


def _facts() -> list[str]:
    from breachrules import registry

    return sorted(registry.facts())


FACTS = _facts()  # every named fact, so that generated incidents leave none unknown


def realistic() -> dict[str, Any]:
    """A HIPAA covered entity's breach of 59 groups: all 54 US jurisdictions and five EEA states.

    Every fact the bundled laws test is given, so no duty is left undetermined: acquired, not a
    good-faith employee acquisition, risk of harm likely, and the other named facts false except
    that the entity targets people in the EEA (so the GDPR governs it).
    """
    facts = dict.fromkeys(FACTS, False)
    facts.update(acquired=True, targets_people_in_territory=True)
    places = US + EEA
    return {
        "discovered_at": "2026-03-02T09:30:00-05:00",
        "timezone": "America/New_York",
        "entity": {
            "name": "Realistic Health System",
            "role": "owner",
            "established_in": ["US-NY"],
            "regulated_as": ["hipaa_covered_entity"],
        },
        "affected": [
            {
                "jurisdiction": place,
                "count": COUNTS[(7 * i) % len(COUNTS)],
                "data": ["name", "ssn"] if i % 2 == 0 else ["name", "medical"],
                "encrypted": False,
            }
            for i, place in enumerate(places)
        ],
        "risk_of_harm": "likely",
        "facts": facts,
    }


FLAGS = [
    "hipaa_covered_entity",
    "hipaa_business_associate",
    "glba_financial_institution",
    "bank",
    "sec_registrant",
    "insurance_licensee",
    "nydfs_covered_entity",
]
PLACES = US + EEA + ["AT", "ES", "SE", "GB"]
DATA = [
    ["name", "ssn"],
    ["name", "medical"],
    ["name", "drivers_license"],
    ["name", "financial_account", "account_access_code"],
    ["email", "account_credentials"],
    ["name", "dob"],
    ["name", "ssn", "medical"],
]
ZONES = ["America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/Berlin", "UTC"]


def batch(size: int, seed: int = 20261130) -> list[dict[str, Any]]:
    """Seeded incidents of 1 to 12 groups with every fact known (generated before timing)."""
    rng = random.Random(seed)
    out = []
    for _ in range(size):
        encrypted = [rng.random() < 0.2 for _ in range(12)]
        facts = {name: rng.random() < 0.15 for name in FACTS}
        facts["acquired"] = rng.random() < 0.9
        facts["good_faith_employee_acquisition"] = rng.random() < 0.05
        day = rng.randrange(0, 365 * 9)
        hour = rng.randrange(24)
        out.append(
            {
                "discovered_at": (
                    f"{2018 + day // 365}-{1 + (day % 365) // 31:02d}-{1 + day % 28:02d}"
                    f"T{hour:02d}:{rng.randrange(60):02d}:00{rng.choice(['-05:00', '+01:00'])}"
                ),
                "timezone": rng.choice(ZONES),
                "entity": {
                    "name": "Generated",
                    "role": "owner" if rng.random() < 0.8 else "service_provider",
                    "established_in": rng.sample(PLACES, rng.randrange(0, 3)),
                    "regulated_as": rng.sample(FLAGS, rng.randrange(0, 3)),
                },
                "affected": [
                    {
                        "jurisdiction": rng.choice(PLACES),
                        "count": rng.choice(COUNTS) + rng.randrange(-1, 2),
                        "data": rng.choice(DATA),
                        "encrypted": encrypted[i],
                        "key_compromised": rng.random() < 0.3,
                        "medium": "electronic" if rng.random() < 0.95 else "paper",
                    }
                    for i in range(rng.randrange(1, 13))
                ],
                "risk_of_harm": rng.choice(["unlikely", "likely", "high"]),
                "facts": facts,
            }
        )
    return out


# --- agreement ------------------------------------------------------------------------------


def library_rows(assessment: Any) -> tuple[set[tuple[Any, ...]], int]:
    rows = {
        (o.regime, o.obligation, o.jurisdiction, o.deadline)
        for o in assessment
        if o.status == "required"
    }
    return rows, sum(1 for o in assessment if o.status == "undetermined")


def check(incidents: list[dict[str, Any]], table: Any) -> dict[str, Any]:
    """Compare the floor with the library's required duties; differences are listed."""
    import breachrules

    same = undetermined_cases = duties = 0
    differences = []
    for n, incident in enumerate(incidents):
        want, undetermined = library_rows(breachrules.obligations(incident))
        got = set(floor.obligations(incident, table))
        duties += len(want)
        if undetermined:
            undetermined_cases += 1
        if got == want:
            same += 1
        else:
            differences.append((n, sorted(want - got, key=str), sorted(got - want, key=str)))
    return {
        "incidents": len(incidents),
        "agree": same,
        "required_duties": duties,
        "with_undetermined": undetermined_cases,
        "differences": differences[:5],
    }


# --- timing ---------------------------------------------------------------------------------


def timed(call: Callable[[dict[str, Any]], Any], incidents: list[dict[str, Any]]) -> list[float]:
    timings = []
    clock = time.perf_counter
    for incident in incidents:
        t0 = clock()
        call(incident)
        timings.append(clock() - t0)
    return timings


def summary(timings: list[float]) -> str:
    ordered = sorted(timings)
    return (
        f"median {statistics.median(ordered) * 1e6:,.0f} us, "
        f"p99 {ordered[int(len(ordered) * 0.99)] * 1e6:,.0f} us"
    )


COLD_LIBRARY = """
import time, json
t0 = time.perf_counter()
import breachrules
breachrules.obligations(json.loads({payload!r}))
print(time.perf_counter() - t0)
"""

COLD_FLOOR = """
import time, json, sys
t0 = time.perf_counter()
sys.path.insert(0, {here!r})
import floor
table = floor.load()
floor.obligations(json.loads({payload!r}), table)
print(time.perf_counter() - t0)
"""


def cold(template: str, runs: int = 7) -> list[float]:
    code = template.format(payload=json.dumps(realistic()), here=str(HERE))
    return fresh_interpreter_seconds(code, runs)


def peak(call: Callable[[dict[str, Any]], Any], incident: dict[str, Any]) -> int:
    tracemalloc.start()
    call(incident)
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=100_000)
    parser.add_argument("--check", type=int, default=2_000, help="batch incidents to compare")
    parser.add_argument("--runs", type=int, default=2_000, help="runs of the realistic incident")
    args = parser.parse_args()

    import breachrules

    table = floor.load()
    incident = realistic()
    incidents = batch(args.batch)

    def library(i: dict[str, Any]) -> Any:
        return breachrules.obligations(i)

    def plain(i: dict[str, Any]) -> Any:
        return floor.obligations(i, table)

    print(f"breachrules {breachrules.__version__}, Python {sys.version.split()[0]}")
    result = breachrules.obligations(incident)
    print(
        f"realistic incident: {len(incident['affected'])} groups; {len(result.required)} "
        f"required, {len(result.undetermined)} undetermined, "
        f"{len(result.not_required)} not required; floor: {len(plain(incident))} duties"
    )
    print("agreement, realistic:", check([incident], table))
    print(f"agreement, first {args.check} of the batch:", check(incidents[: args.check], table))

    for name, call in (("library", library), ("floor", plain)):
        call(incident)
        one = timed(call, [incident] * args.runs)
        t0 = time.perf_counter()
        many = timed(call, incidents)
        wall = time.perf_counter() - t0
        print(
            f"{name}: realistic {summary(one)} ({args.runs} runs); batch of {len(many):,} "
            f"{summary(many)}; throughput {len(many) / wall:,.0f} incidents/s "
            f"({len(many) / sum(many):,.0f}/s excluding the loop); peak traced memory "
            f"{peak(call, incident) / 1024:,.0f} KiB"
        )
    for name, template in (("library", COLD_LIBRARY), ("floor", COLD_FLOOR)):
        runs = cold(template)
        print(
            f"{name} cold import (+ compile) + first call: median "
            f"{statistics.median(runs) * 1000:,.0f} ms (min {min(runs) * 1000:,.0f}) over 7 runs"
        )


if __name__ == "__main__":
    main()
