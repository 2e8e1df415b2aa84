"""The command line: ``python -m breachrules`` (also installed as ``breachrules``).

Exit status: 0 on success, 1 on invalid input or invalid rule files (one line per problem,
naming the file or field and the fix), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections.abc import Sequence
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from breachrules import schema
from breachrules.coverage import coverage_table
from breachrules.engine import obligations
from breachrules.errors import BreachRulesError, RuleFileError
from breachrules.loader import bundled_rules_dir, check_directory, load_rules
from breachrules.results import render_text


def _examples() -> dict[str, Any]:
    folder = resources.files("breachrules").joinpath("examples")
    return {
        entry.name.removesuffix(".json"): entry
        for entry in folder.iterdir()
        if entry.name.endswith(".json")
    }


def _read_incident(source: str) -> Any:
    if source == "-":
        text, name = sys.stdin.read(), "standard input"
    else:
        path = Path(source)
        try:
            text, name = path.read_text(encoding="utf-8"), source
        except OSError as exc:
            raise BreachRulesError(f"{source}: cannot read the file ({exc.strerror})") from None
    if not text.strip():
        raise BreachRulesError(f"{name}: is empty; give an incident as JSON or TOML")
    try:
        return tomllib.loads(text) if source.endswith(".toml") else json.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise BreachRulesError(f"{name}: is not valid JSON or TOML: {exc}") from None


def _assess(args: argparse.Namespace) -> int:
    incident = _read_incident(args.file)
    assessment = obligations(incident, as_of=args.as_of, rules=args.rules)
    if args.format == "json":
        print(json.dumps(assessment.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(render_text(assessment))
    return 0


def _check_rules(args: argparse.Namespace) -> int:
    directory = Path(args.dir) if args.dir else bundled_rules_dir()
    problems = check_directory(directory)
    for problem in problems:
        print(problem)
    if problems:
        return 1
    count = len(load_rules(directory, include_bundled=False))
    print(f"{directory}: {count} rule file{'s' if count != 1 else ''} valid")
    return 0


def _coverage(args: argparse.Namespace) -> int:
    print(coverage_table(load_rules()), end="")
    return 0


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(schema.json_schema(), indent=2, ensure_ascii=False))
    return 0


def _example(args: argparse.Namespace) -> int:
    examples = _examples()
    if not args.name:
        for name in sorted(examples):
            print(name)
        return 0
    if args.name not in examples:
        raise BreachRulesError(
            f"no example named {args.name!r}; choose one of {', '.join(sorted(examples))}"
        )
    print(examples[args.name].read_text(encoding="utf-8"), end="")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="breachrules",
        description="Who must be told of a breach, by when, under which law. Not legal advice.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    assess = commands.add_parser("assess", help="obligations for an incident (JSON or TOML)")
    assess.add_argument("file", help="incident file, or - for standard input")
    assess.add_argument("--format", choices=["text", "json"], default="text")
    assess.add_argument("--as-of", type=date.fromisoformat, help="apply the law in force on DATE")
    assess.add_argument("--rules", help="a directory of extra rule files (e.g. contracts)")
    assess.set_defaults(run=_assess)

    check = commands.add_parser("check-rules", help="validate a directory of rule files")
    check.add_argument("dir", nargs="?", help="the directory; the bundled rules by default")
    check.set_defaults(run=_check_rules)

    coverage = commands.add_parser("coverage", help="print the coverage table (Markdown)")
    coverage.set_defaults(run=_coverage)

    schema_cmd = commands.add_parser("schema", help="print the JSON Schema of a rule file")
    schema_cmd.set_defaults(run=_schema)

    example = commands.add_parser(
        "example", help="list the bundled example incidents, or print one"
    )
    example.add_argument("name", nargs="?")
    example.set_defaults(run=_example)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except RuleFileError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    except (BreachRulesError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
