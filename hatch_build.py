"""Build hook: bundle the rule files into one JSON Lines file inside the wheel.

Reading TOML is done in pure Python and dominates a cold start once there are dozens of laws;
the bundle is parsed in C (by pydantic) instead. The TOML files stay in the wheel too, as the
readable source. The bundle holds exactly what the TOML files hold: one line per file.
"""

from __future__ import annotations

import json
import tempfile
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot bundle a value of type {type(value).__name__}")


def bundle(rules: Path) -> str:
    """The JSON Lines bundle of every rule file under a directory, in path order."""
    lines = []
    for file in sorted(rules.rglob("*.toml")):
        data = tomllib.loads(file.read_text(encoding="utf-8"))
        path = file.relative_to(rules).as_posix()
        lines.append(json.dumps({"path": path, "rule": data}, default=_plain, ensure_ascii=False))
    return "\n".join(lines) + "\n"


class RulesBundleHook(BuildHookInterface):  # type: ignore[misc]
    """Adds breachrules/rules.jsonl to the wheel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        out = Path(tempfile.mkdtemp()) / "rules.jsonl"
        out.write_text(bundle(Path(self.root) / "rules"), encoding="utf-8")
        build_data["force_include"][str(out)] = "breachrules/rules.jsonl"
