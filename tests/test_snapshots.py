"""Snapshots: each bundled law's answers to its canonical incidents, stored as JSON.

``tests/snapshots/<regime-id>.json`` holds, for each canonical incident of the law (see
``tests/snapshot_incidents.py``), the incident and the law's obligations and ``not_required``
entries as ``Assessment.to_dict()`` gives them. Any difference fails with a short diff. When the
change is intended, regenerate every snapshot from the checkout's root and review the diff::

    python -m tests.test_snapshots --update
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from breachrules import load_rules
from tests.snapshot_incidents import render, snapshot

SNAPSHOTS = Path(__file__).parent / "snapshots"
REGENERATE = "python -m tests.test_snapshots --update"
DIFF_LINES = 40


def _expected(regime_id: str) -> str:
    book = load_rules()
    return render(snapshot(book[regime_id], book))


def _entries(case: dict[str, Any]) -> dict[str, Any]:
    found = {f"obligation {o['obligation']} ({o['jurisdiction']})": o for o in case["obligations"]}
    for n in case["not_required"]:
        found[f"not_required {n['obligation'] or '(whole law)'} ({n['jurisdiction']})"] = n
    return found


def _where(stored: str, now: str) -> list[str]:
    """Which cases and entries differ, in words (the diff alone can be hard to place)."""
    try:
        old = {c["name"]: c for c in json.loads(stored)["cases"]}
    except (ValueError, KeyError, TypeError):
        return ["the stored snapshot is not a snapshot file"]
    new = {c["name"]: c for c in json.loads(now)["cases"]}
    lines = [f"case {n!r} is new" for n in new if n not in old]
    lines += [f"case {n!r} is gone" for n in old if n not in new]
    for name in [n for n in new if n in old and new[n] != old[n]]:
        before, after = _entries(old[name]), _entries(new[name])
        for key in sorted(set(before) | set(after)):
            if key not in before or key not in after:
                lines.append(f"case {name!r}: {key} {'added' if key in after else 'removed'}")
            elif before[key] != after[key]:
                old_entry, new_entry = before[key], after[key]
                fields = sorted(
                    k for k in {*old_entry, *new_entry} if old_entry.get(k) != new_entry.get(k)
                )
                lines.append(f"case {name!r}: {key}: {', '.join(fields)} changed")
        if before == after:
            lines.append(f"case {name!r}: the incident or as_of changed")
    return lines[:10] + ([f"... and {len(lines) - 10} more"] if len(lines) > 10 else [])


def _short_diff(stored: str, now: str, name: str) -> str:
    lines = list(
        difflib.unified_diff(
            stored.splitlines(),
            now.splitlines(),
            fromfile=f"tests/snapshots/{name} (stored)",
            tofile=f"tests/snapshots/{name} (now)",
            lineterm="",
            n=2,
        )
    )
    if len(lines) > DIFF_LINES:
        lines = [*lines[:DIFF_LINES], f"... and {len(lines) - DIFF_LINES} more diff lines"]
    return "\n".join(lines)


@pytest.mark.parametrize("regime_id", sorted(load_rules()))
def test_law_matches_its_snapshot(regime_id: str) -> None:
    name = f"{regime_id}.json"
    file = SNAPSHOTS / name
    if not file.is_file():
        pytest.fail(f"no snapshot tests/snapshots/{name}; create it with: {REGENERATE}")
    stored = file.read_text(encoding="utf-8")
    now = _expected(regime_id)
    if stored != now:
        pytest.fail(
            f"{regime_id}: the answers differ from the snapshot.\n"
            + "".join(f"- {line}\n" for line in _where(stored, now))
            + f"{_short_diff(stored, now, name)}\n"
            f"If the change is intended, regenerate the snapshots with: {REGENERATE}",
            pytrace=False,
        )


def test_every_snapshot_belongs_to_a_bundled_law() -> None:
    stale = sorted(f.stem for f in SNAPSHOTS.glob("*.json") if f.stem not in load_rules())
    assert [] == stale, f"snapshots of laws no longer bundled; remove them with: {REGENERATE}"


def update() -> list[str]:
    """Rewrite every snapshot and remove those of laws no longer bundled; the files changed."""
    SNAPSHOTS.mkdir(exist_ok=True)
    book = load_rules()
    changed = []
    for regime_id in sorted(book):
        file = SNAPSHOTS / f"{regime_id}.json"
        text = render(snapshot(book[regime_id], book))
        if not file.is_file() or file.read_text(encoding="utf-8") != text:
            file.write_text(text, encoding="utf-8")
            changed.append(file.name)
    for file in sorted(SNAPSHOTS.glob("*.json")):
        if file.stem not in book:
            file.unlink()
            changed.append(f"{file.name} (removed)")
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.test_snapshots", description="Regenerate the law snapshots."
    )
    parser.add_argument("--update", action="store_true", help="rewrite tests/snapshots/*.json")
    args = parser.parse_args(argv)
    if not args.update:
        parser.print_usage(sys.stderr)
        print("nothing done; pass --update to rewrite the snapshots", file=sys.stderr)
        return 2
    changed = update()
    print(f"{len(changed)} snapshot file(s) written or removed in {SNAPSHOTS}")
    for name in changed:
        print(f"  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
