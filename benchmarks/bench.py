"""Benchmark: cold start, time per incident, and peak memory. Run by hand, not in the tests.

    python benchmarks/bench.py            # figures for docs/performance.md

Run it with the interpreter of an installed wheel to measure what users get: a wheel reads its
rules from a JSON bundle, while a checkout (editable install) parses the TOML files.

Cold start is measured in fresh interpreters (import plus the first call, which loads and
compiles the bundled rules). Per-incident time is for an incident of 30 groups spread across the
bundled laws' places, evaluated against every loaded law.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
import tracemalloc
from typing import Any

PLACES = ["US-CA", "US-TX", "US-NY", "US-FL", "US-VT", "US-WA", "DE", "FR", "GB", "IE"]
DATA = [["name", "ssn"], ["email", "account_credentials"], ["name", "medical"], ["name", "dob"]]


def incident(groups: int = 30) -> dict[str, Any]:
    return {
        "discovered_at": "2026-03-02T09:30:00-05:00",
        "entity": {"name": "Bench", "role": "owner", "regulated_as": ["hipaa_covered_entity"]},
        "affected": [
            {
                "jurisdiction": PLACES[i % len(PLACES)],
                "count": 100 + 37 * i,
                "data": DATA[i % len(DATA)],
                "encrypted": i % 5 == 0,
                "key_compromised": None if i % 10 == 0 else False,
            }
            for i in range(groups)
        ],
        "risk_of_harm": None,
        "facts": {"acquired": True},
    }


COLD = """
import time, json
t0 = time.perf_counter()
import breachrules
result = breachrules.obligations(json.loads({payload!r}))
print(time.perf_counter() - t0)
"""


def fresh_interpreter_seconds(code: str, runs: int = 7) -> list[float]:
    """Run code that prints its own elapsed seconds in new interpreters; the readings."""
    return [
        float(
            subprocess.run(
                [sys.executable, "-c", code], check=True, capture_output=True, text=True
            ).stdout
        )
        for _ in range(runs)
    ]


def cold_start(runs: int = 7) -> list[float]:
    return fresh_interpreter_seconds(COLD.format(payload=json.dumps(incident())), runs)


def per_incident(runs: int = 3000) -> list[float]:
    import breachrules

    data = incident()
    breachrules.obligations(data)
    timings = []
    for _ in range(runs):
        t0 = time.perf_counter()
        breachrules.obligations(data)
        timings.append(time.perf_counter() - t0)
    return timings


def peak_memory() -> int:
    import breachrules

    tracemalloc.start()
    breachrules.obligations(incident())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    import breachrules

    cold = cold_start()
    timings = per_incident()
    timings.sort()
    result = breachrules.obligations(incident())
    from breachrules.loader import _bundled_source

    source = "JSON bundle" if _bundled_source().suffix == ".jsonl" else "TOML files"
    print(
        f"breachrules {breachrules.__version__}, {len(breachrules.load_rules())} laws loaded "
        f"from the {source}, Python {sys.version.split()[0]}"
    )
    print(
        f"incident: 30 groups; {len(result)} obligations, {len(result.not_required)} not required"
    )
    print(
        f"cold import + first call: median {statistics.median(cold) * 1000:.1f} ms "
        f"(min {min(cold) * 1000:.1f}, max {max(cold) * 1000:.1f}) over {len(cold)} runs"
    )
    print(
        f"per incident: median {statistics.median(timings) * 1e6:.0f} us, "
        f"p99 {timings[int(len(timings) * 0.99)] * 1e6:.0f} us over {len(timings)} runs"
    )
    print(f"peak traced memory of one call (rules already loaded): {peak_memory() / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
