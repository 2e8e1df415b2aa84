"""Fan-out speed: one vendor breach with many clients. Run by hand, not in the tests.

    python benchmarks/fanout.py --clients 1000

Each client has three groups in three US states (name with SSN), is told three days after the
vendor's discovery, and one in ten has delegated letters to the vendor. The rules are loaded
before timing; the figure is the wall time of one fan_out() call, and per client.
"""

from __future__ import annotations

import argparse
import random
import time
from typing import Any

STATES = ["US-CA", "US-TX", "US-NY", "US-FL", "US-WA", "US-GA", "US-IL", "US-MA", "US-VT", "US-OR"]


def incident(clients: int) -> dict[str, Any]:
    rnd = random.Random(5)
    owners = []
    for i in range(clients):
        groups = [
            {"jurisdiction": state, "count": rnd.randrange(1, 3000), "data": ["name", "ssn"]}
            for state in rnd.sample(STATES, 3)
        ]
        owners.append(
            {
                "name": f"Client {i}",
                "notified_at": "2026-03-05T09:00:00-08:00",
                "delegates": ["individuals"] if i % 10 == 0 else [],
                "affected": groups,
            }
        )
    return {
        "discovered_at": "2026-03-02T09:00:00-08:00",
        "entity": {"name": "Vendor", "role": "service_provider", "established_in": ["US-WA"]},
        "facts": {"acquired": True, "good_faith_employee_acquisition": False},
        "risk_of_harm": "likely",
        "data_owners": owners,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=1000)
    args = parser.parse_args()
    import breachrules

    book = breachrules.load_rules()
    data = incident(args.clients)
    breachrules.fan_out(incident(2), rules=book)  # warm caches (holiday calendars, codes)
    start = time.perf_counter()
    answer = breachrules.fan_out(data, rules=book)
    seconds = time.perf_counter() - start
    duties = sum(1 for _ in answer.rows())
    print(
        f"{args.clients:,} clients, {duties:,} duties: {seconds:.2f} s "
        f"({seconds / args.clients * 1000:.2f} ms per client)"
    )


if __name__ == "__main__":
    main()
