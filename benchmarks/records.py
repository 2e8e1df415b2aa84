"""Record-level throughput and peak memory. Run by hand, not in the tests.

    python benchmarks/records.py --rows 1000000
    python benchmarks/records.py --rows 10000000 --sources stream,parquet

Rows are generated on the fly (one dict per person for the stream), built into an in-memory
Polars or pandas frame, or written once to a Parquet file that Polars scans lazily (the file is
made before timing, in a separate step, and kept in the temporary directory). Peak
memory is the process's maximum resident set size (ru_maxrss), taken in a fresh interpreter
per source so one source's peak does not hide another's.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

PLACES = ["94105", "California", "TX", "US-NY", "10001", "FR", "DE", "Atlantis", "05401", "60601"]
DATA = ["name;ssn", "name;financial_account;account_access_code", "email", "name;ssn;address"]


def rows(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """People spread over 200 clients, ten residences and four data combinations."""
    rnd = random.Random(seed)
    for i in range(count):
        yield {
            "id": i,
            "owner": f"Client {rnd.randrange(200)}",
            "residence": PLACES[rnd.randrange(len(PLACES))],
            "data": DATA[rnd.randrange(len(DATA))],
        }


def frame(kind: str, count: int) -> Any:
    import numpy as np

    rng = np.random.default_rng(7)
    columns = {
        "owner": np.char.add("Client ", rng.integers(0, 200, count).astype(str)),
        "residence": np.array(PLACES)[rng.integers(0, len(PLACES), count)],
        "data": np.array(DATA)[rng.integers(0, len(DATA), count)],
    }
    if kind == "polars":
        import polars

        return polars.DataFrame(columns).lazy()
    import pandas

    return pandas.DataFrame(columns)


def parquet_file(count: int) -> str:
    """A Parquet file of ``count`` people, written in chunks, made once per size."""
    import os
    import tempfile

    import pyarrow as pa
    import pyarrow.parquet as pq

    path = os.path.join(tempfile.gettempdir(), f"breachrules-people-{count}.parquet")
    if os.path.exists(path):
        return path
    writer = None
    chunk: list[dict[str, Any]] = []
    for row in rows(count):
        chunk.append(row)
        if len(chunk) == 500_000:
            table = pa.Table.from_pylist(chunk)
            writer = writer or pq.ParquetWriter(path, table.schema)
            writer.write_table(table)
            chunk = []
    if chunk:
        table = pa.Table.from_pylist(chunk)
        writer = writer or pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    assert writer is not None
    writer.close()
    return path


def run_one(source: str, count: int) -> dict[str, Any]:
    from breachrules.records import read_records

    start = time.perf_counter()
    if source == "stream":
        data: Any = rows(count)
    elif source == "parquet":
        import polars

        data = polars.scan_parquet(parquet_file(count))  # lazy: never loaded whole
    else:
        data = frame(source, count)
    built = time.perf_counter() - start
    start = time.perf_counter()
    summary = read_records(data, two_letter="us_state")
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "source": source,
        "rows": summary.rows,
        "groups": len(summary.groups),
        "seconds": round(seconds, 2),
        "rows_per_second": round(summary.rows / seconds),
        "frame_build_seconds": round(built, 2) if source not in ("stream", "parquet") else None,
        "peak_rss_mib": round(peak),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sources", default="stream,polars,pandas")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.rows)))
        return
    for source in args.sources.split(","):
        out = subprocess.run(
            [sys.executable, __file__, "--one", source, "--rows", str(args.rows)],
            check=True,
            capture_output=True,
            text=True,
        )
        print(out.stdout.strip())


if __name__ == "__main__":
    main()
