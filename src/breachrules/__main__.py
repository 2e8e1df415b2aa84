"""The command line: ``python -m breachrules`` (also installed as ``breachrules``).

Exit status: 0 on success, 1 on invalid input or invalid rule files (one line per problem,
naming the file or field and the fix), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import os
import sys
import tomllib
from collections.abc import Sequence
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from breachrules import registry, schema
from breachrules.coverage import coverage_table, risk_table
from breachrules.deadlines import describe
from breachrules.engine import obligations, parse_incident
from breachrules.errors import BreachRulesError, RuleFileError
from breachrules.fanout import fan_out
from breachrules.incident import incident_json_schema
from breachrules.loader import bundled_rules_dir, check_directory, load_rules
from breachrules.reports import FORMATS, render
from breachrules.results import assessment_json_schema
from breachrules.rulebook import Regime


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
    incident = parse_incident(_read_incident(args.file))
    book = load_rules(args.rules)
    assessment = obligations(incident, as_of=args.as_of, rules=book)
    sys.stdout.write(render(assessment, args.format, incident=incident, rules=book))
    return 0


def _fan_out(args: argparse.Namespace) -> int:
    answer = fan_out(_read_incident(args.file), as_of=args.as_of, rules=load_rules(args.rules))
    if args.format == "json":
        print(json.dumps(answer.to_dict(), indent=2))
        return 0
    rows = list(answer.rows())
    if args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(_FAN_OUT_COLUMNS))
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    k: _cell(row[k]) if row[k] is not None or k == "deadline" else ""
                    for k in _FAN_OUT_COLUMNS
                }
            )
        return 0
    print(f"{answer.vendor}: {len(answer)} clients, {len(rows)} duties (law of {answer.as_of})")
    for ob in answer.vendor_duties:
        print(f"  vendor  {ob.status:<12} {_cell(ob.deadline):<25} {ob.regime}/{ob.obligation}")
    for client in answer:
        print(f"\n{client.client}: {client.clock_reason}")
        for row in client.rows():
            who = "vendor" if row["duty_of"] == answer.vendor else "client"
            sender = "" if row["sent_by"] == row["duty_of"] else f" (sent by {row['sent_by']})"
            print(
                f"  {who:<7} {row['status']:<12} {_cell(row['deadline']):<25} "
                f"{row['regime']}/{row['obligation']} -> {row['recipient_name']}{sender}"
            )
    return 0


_FAN_OUT_COLUMNS = (
    "client",
    "duty_of",
    "sent_by",
    "kind",
    "regime",
    "obligation",
    "jurisdiction",
    "recipient",
    "recipient_name",
    "status",
    "deadline",
    "deadline_text",
    "citation",
)


def _cell(value: object) -> str:
    if value is None:
        return "no fixed date"
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _explain(args: argparse.Namespace) -> int:
    code = registry.jurisdiction(args.jurisdiction)
    book = load_rules(args.rules)
    assessment = obligations(_read_incident(args.file), as_of=args.as_of, rules=book)
    laws = [r for r in book.values() if r.jurisdiction == code]
    if not laws:
        raise BreachRulesError(f"no law of {code} is loaded; see `breachrules laws`")
    for regime in laws:
        print(f"{regime.name} ({regime.id})")
        for ob in assessment.for_regime(regime.id):
            print(
                f"  {ob.status.upper()}: {ob.obligation} -> {ob.recipient_name}, {ob.deadline_text}"
            )
            if ob.missing_facts:
                print(f"    depends on: {', '.join(ob.missing_facts)}")
            for reason in ob.reasons:
                print(f"    - {reason}")
        for item in assessment.not_required:
            if item.regime == regime.id:
                print(f"  NOT REQUIRED ({item.code}): {item.obligation or 'the whole law'}")
                for reason in item.reasons:
                    print(f"    - {reason}")
        if not any(o.regime == regime.id for o in assessment) and not any(
            n.regime == regime.id for n in assessment.not_required
        ):
            print("  Not considered: no affected group lives where this law counts people.")
    return 0


def _laws(args: argparse.Namespace) -> int:
    for regime in load_rules(args.rules).values():
        version = regime.version_on(regime.last_reviewed) or regime.versions[-1]
        print(
            f"{regime.id:<34} {regime.jurisdiction:<6} {version.rule.citation}  "
            f"(reviewed {regime.last_reviewed})"
        )
    return 0


def _show(args: argparse.Namespace) -> int:
    book = load_rules(args.rules)
    if args.law not in book:
        close = difflib.get_close_matches(args.law, list(book), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "; see `breachrules laws`"
        raise BreachRulesError(f"no law {args.law!r}{hint}")
    sys.stdout.write(describe_regime(book[args.law]))
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


def _combination_words(combo: schema.Combination) -> str:
    parts = list(combo.all)
    if len(combo.any) > 1:
        parts.append(f"any of ({', '.join(combo.any)})")
    elif combo.any:
        parts.append(combo.any[0])
    return " + ".join(parts) + (" alone" if len(parts) == 1 else "")


def describe_regime(regime: Regime) -> str:
    """One law in plain words: scope, definition, exceptions, obligations, versions, notes."""
    lines = [f"{regime.name} ({regime.id}), {regime.jurisdiction}; reviewed {regime.last_reviewed}"]
    lines.append("Versions:")
    for v in regime.versions:
        span = f"{v.rule.effective_from or '?'} to {v.rule.effective_until or 'today'}"
        status = "" if v.rule.status == "enacted" else f" [pending: {v.rule.status_note}]"
        lines.append(f"  {span}: {v.rule.citation}{status}")
    version = regime.version_on(regime.last_reviewed) or regime.versions[-1]
    rule = version.rule
    lines.append(f"As in force on {regime.last_reviewed}: {rule.citation}  {rule.source_url}")
    governs = rule.applies_to or (
        "any person or business" if rule.applies_when is None else version.applies_when.describe()
    )
    lines.append(f"  Governs: {governs}")
    if rule.personal_information is not None:
        definition = rule.personal_information
        lines.append(
            f"  Personal information ({definition.citation}; {', '.join(definition.media)}):"
        )
        if definition.any_personal_data:
            lines.append("    any personal data")
        lines.extend(f"    {_combination_words(c)}" for c in definition.combinations)
    else:
        lines.append("  Turns on the incident itself, not on whose data was involved.")
    lines.append(f"  Risk of harm: {rule.risk_of_harm_standard}")
    for exc in rule.exceptions:
        lines.append(f"  Exception: {exc.label} ({exc.citation}): {exc.explanation}")
    names = {o.id: o.recipient_name for o in rule.obligations}
    for ob in rule.obligations:
        threshold = ob.threshold.wording if ob.threshold else "any number"
        lines.append(f"  Notify {ob.recipient_name} [{ob.id}] ({ob.citation})")
        lines.append(f"    when: {threshold}; due: {describe(ob.deadline, names)}")
    for note in regime.notes:
        lines.append(f"  Note, {note.topic}: {note.text}")
    return "\n".join(lines) + "\n"


def _coverage(args: argparse.Namespace) -> int:
    table = risk_table if args.risk else coverage_table
    print(table(load_rules()), end="")
    return 0


SCHEMAS = {
    "rules": schema.json_schema,
    "incident": incident_json_schema,
    "assessment": assessment_json_schema,
}


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(SCHEMAS[args.of](), indent=2, ensure_ascii=False))
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

    def incident_command(name: str, help_text: str) -> argparse.ArgumentParser:
        command = commands.add_parser(name, help=help_text)
        command.add_argument("file", help="incident file (JSON or TOML), or - for standard input")
        command.add_argument(
            "--as-of", type=date.fromisoformat, help="apply the law in force on DATE"
        )
        command.add_argument("--rules", help="a directory of extra rule files (e.g. contracts)")
        return command

    assess = incident_command("assess", "obligations for an incident (JSON or TOML)")
    assess.add_argument("--format", choices=FORMATS, default="text")
    assess.set_defaults(run=_assess)

    fan = incident_command("fan-out", "per-client duties for a breach at a service provider")
    fan.add_argument("--format", choices=("text", "json", "csv"), default="text")
    fan.set_defaults(run=_fan_out)

    explain = incident_command("explain", "why and why not, for one jurisdiction's laws")
    explain.add_argument("--jurisdiction", required=True, help="e.g. US-CA, EU, GB")
    explain.set_defaults(run=_explain)

    laws = commands.add_parser("laws", help="every loaded law with its citation and review date")
    laws.add_argument("--rules", help="a directory of extra rule files")
    laws.set_defaults(run=_laws)

    show = commands.add_parser("show", help="one law in plain words")
    show.add_argument("law", help="a law id such as us-ca (see `laws`)")
    show.add_argument("--rules", help="a directory of extra rule files")
    show.set_defaults(run=_show)

    check = commands.add_parser("check-rules", help="validate a directory of rule files")
    check.add_argument("dir", nargs="?", help="the directory; the bundled rules by default")
    check.set_defaults(run=_check_rules)

    coverage = commands.add_parser("coverage", help="print the coverage table (Markdown)")
    coverage.add_argument(
        "--risk", action="store_true", help="print each law's risk-of-harm standard instead"
    )
    coverage.set_defaults(run=_coverage)

    schema_cmd = commands.add_parser("schema", help="print a JSON Schema (rule file by default)")
    schema_cmd.add_argument("--of", choices=sorted(SCHEMAS), default="rules")
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
    except BrokenPipeError:  # the reader stopped early (e.g. `| head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
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
