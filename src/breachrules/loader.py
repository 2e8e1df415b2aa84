"""Read rule files, validate them, and build an immutable rulebook.

Every problem is reported as file + key path + reason, all problems of a load at once. Only
``*.toml`` files inside the given directory are read (links that lead outside are refused);
TOML is parsed with the standard library and nothing in a file is ever executed.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterable, Sequence
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, ValidationError

from breachrules import registry, schema
from breachrules.conditions import ALWAYS, Evaluator, compile_condition
from breachrules.deadlines import check_calendar
from breachrules.errors import Problem, RuleFileError
from breachrules.rulebook import (
    CompiledException,
    CompiledObligation,
    CompiledVersion,
    Regime,
    Rulebook,
)


def bundled_rules_dir() -> Path:
    """The rules shipped with the library (in a wheel), or the checkout's ``rules/``."""
    packaged = Path(str(resources.files("breachrules"))) / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


def _bundled_source() -> Path:
    """The wheel's JSON Lines bundle of the rules when present (fast), else the TOML files."""
    bundle = Path(str(resources.files("breachrules"))) / "rules.jsonl"
    return bundle if bundle.is_file() else bundled_rules_dir()


class _BundledRule(BaseModel):
    """One line of the wheel's rule bundle (written by the build hook from one TOML file)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str
    rule: schema.RuleFile


def load_rules(path: str | Path | None = None, *, include_bundled: bool = True) -> Rulebook:
    """Load a rulebook: the bundled laws, plus the rule files under ``path`` if given.

    Raises:
        RuleFileError: naming each file, key path and reason when any file is invalid or two
            files define the same regime id.
    """
    if path is None:
        return _bundled()
    sources = [_bundled_source()] if include_bundled else []
    sources.append(Path(path))
    return build_rulebook(sources)


@cache
def _bundled() -> Rulebook:
    return build_rulebook([_bundled_source()])


def check_directory(path: str | Path) -> list[Problem]:
    """Every problem in the rule files of one directory (empty when all are valid)."""
    try:
        build_rulebook([Path(path)])
    except RuleFileError as error:
        return error.problems
    return []


def build_rulebook(sources: Sequence[Path]) -> Rulebook:
    """Validate and compile all rule files of the sources into one rulebook.

    A source is a directory of TOML rule files, or the wheel's JSON Lines bundle of them.
    """
    problems: list[Problem] = []
    regimes: dict[str, Regime] = {}
    for source in sources:
        read = _read_bundle if source.suffix == ".jsonl" else _read_directory
        for file, data in read(source, problems):
            regime = _build_regime(file, data, problems)
            if regime is None:
                continue
            if regime.id in regimes:
                problems.append(
                    Problem(
                        file,
                        "id",
                        f"regime id {regime.id!r} is also defined in "
                        f"{regimes[regime.id].file}; ids must be unique",
                    )
                )
                continue
            regimes[regime.id] = regime
    if problems:
        raise RuleFileError(problems)
    return Rulebook(regimes)


def _read_directory(directory: Path, problems: list[Problem]) -> Iterable[tuple[str, Any]]:
    if not directory.is_dir():
        problems.append(Problem(str(directory), "", "is not a directory of rule files"))
        return
    root = directory.resolve()
    for file in sorted(directory.rglob("*.toml")):
        shown = str(file)
        if not file.resolve().is_relative_to(root):
            problems.append(Problem(shown, "", "leads outside the rules directory; refused"))
            continue
        try:
            yield shown, tomllib.loads(file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            problems.append(Problem(shown, "", f"is not valid TOML: {exc}"))


def _read_bundle(bundle: Path, problems: list[Problem]) -> Iterable[tuple[str, Any]]:
    for number, line in enumerate(bundle.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            entry = _BundledRule.model_validate_json(line)
        except ValidationError as error:
            problems.extend(_pydantic_problems(f"{bundle}, line {number}", error))
            continue
        yield f"rules/{entry.path}", entry.rule


def _key_path(loc: Iterable[int | str]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part not in ("all", "any", "not", "fact") or not text.endswith(("when", "]")):
            text += f".{part}" if text else part
    return text


@cache
def _field_names() -> list[str]:
    names: set[str] = set()
    for model in vars(schema).values():
        if isinstance(model, type) and issubclass(model, BaseModel):
            for name, info in model.model_fields.items():
                names.add(info.alias or name)
    return sorted(names)


def _pydantic_problems(file: str, error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors():
        path = _key_path(item["loc"])
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            key = str(item["loc"][-1])
            close = difflib.get_close_matches(key, _field_names(), n=1)
            message = f"unknown key {key!r}" + (f"; did you mean {close[0]!r}?" if close else "")
        elif item["type"] == "missing":
            message = "required key is missing"
        problems.append(Problem(file, path, message))
    return problems


class _Checker:
    """Cross-field checks of one validated rule file, collecting problems with key paths."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.file, path, message))

    def code(self, path: str, value: str, check: Any) -> str:
        try:
            canonical: str = check(value)
        except ValueError as exc:
            self.fail(path, str(exc))
            return value
        if canonical != value:
            self.fail(path, f"write the code {canonical!r} rather than {value!r}")
        return canonical

    def condition(self, path: str, condition: schema.Condition | None, scope: Any) -> Evaluator:
        if condition is None:
            return ALWAYS
        try:
            return compile_condition(condition, scope)
        except ValueError as exc:
            self.fail(path, str(exc))
            return ALWAYS


def _build_regime(file: str, data: Any, problems: list[Problem]) -> Regime | None:
    try:
        rule = data if isinstance(data, schema.RuleFile) else schema.RuleFile.model_validate(data)
    except ValidationError as error:
        problems.extend(_pydantic_problems(file, error))
        return None
    check = _Checker(file, problems)
    before = len(problems)
    check.code("jurisdiction", rule.jurisdiction, registry.jurisdiction)
    zone = None
    if rule.timezone is not None:
        try:
            zone = ZoneInfo(rule.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            check.fail("timezone", f"{rule.timezone!r} is not an IANA time zone name")
    _check_version_dates(check, rule)
    versions = tuple(
        _build_version(check, f"versions[{i}]", rule, v) for i, v in enumerate(rule.versions)
    )
    if len(problems) > before:
        return None
    return Regime(
        id=rule.id,
        name=rule.name,
        jurisdiction=rule.jurisdiction,
        kind=rule.kind,
        last_reviewed=rule.last_reviewed,
        timezone=zone,
        notes=tuple(rule.notes),
        versions=versions,
        file=file,
        source=rule,
    )


def _check_version_dates(check: _Checker, rule: schema.RuleFile) -> None:
    previous: tuple[date, date | None] | None = None
    seen_pending = False
    for i, version in enumerate(rule.versions):
        path = f"versions[{i}]"
        start, until = version.effective_from, version.effective_until
        if start is not None and until is not None and until <= start:
            check.fail(f"{path}.effective_until", "must be after effective_from")
        if version.status == "pending":
            seen_pending = True
            if version.status_note is None:
                check.fail(f"{path}.status_note", "a pending version must say where it stands")
            continue
        if seen_pending:
            check.fail(f"{path}.status", "list enacted versions first, pending ones last")
        if start is None:
            check.fail(f"{path}.effective_from", "an enacted version needs its start date")
            continue
        if previous is not None:
            previous_start, previous_until = previous
            if start <= previous_start:
                check.fail(f"{path}.effective_from", "versions must be listed oldest first")
            elif previous_until is None or previous_until > start:
                check.fail(
                    f"{path}.effective_from",
                    "overlaps the previous version; set the previous version's effective_until "
                    f"to {start} or earlier",
                )
        previous = (start, until)


def _build_version(
    check: _Checker, path: str, rule: schema.RuleFile, version: schema.Version
) -> CompiledVersion:
    population = version.population or schema.Population(residents_of=[rule.jurisdiction])
    definition = version.personal_information or schema.Definition(
        citation=version.citation, any_personal_data=True
    )
    _check_trigger(check, path, version)
    residents = frozenset(
        check.code(f"{path}.population.residents_of[{i}]", code, registry.jurisdiction)
        for i, code in enumerate(population.residents_of)
    )
    for i, combo in enumerate(definition.combinations):
        where = f"{path}.personal_information.combinations[{i}]"
        if not combo.all and not combo.any:
            check.fail(where, "a combination needs categories in all, any or both")
        for key, codes in (("all", combo.all), ("any", combo.any)):
            for j, code in enumerate(codes):
                check.code(f"{where}.{key}[{j}]", code, registry.category)
    if not definition.any_personal_data and not definition.combinations:
        check.fail(f"{path}.personal_information", "give combinations or any_personal_data = true")

    for i, o in enumerate(version.obligations):
        for code in o.recipients.names if o.recipients else ():
            check.code(
                f"{path}.obligations[{i}].recipients.names.{code}", code, registry.jurisdiction
            )
    obligation_ids = [o.id for o in version.obligations]
    _check_unique(check, f"{path}.obligations", obligation_ids)
    grounds = {o.id: o.same_notice_as for o in version.obligations}
    for i, o in enumerate(version.obligations):
        target = o.same_notice_as
        if target is not None and (target == o.id or target not in grounds):
            check.fail(
                f"{path}.obligations[{i}].same_notice_as",
                f"{target!r} is not another obligation here",
            )
        elif target is not None and grounds[target] is not None:
            check.fail(
                f"{path}.obligations[{i}].same_notice_as",
                f"{target!r} is itself the same notice as {grounds[target]!r}; name that one",
            )
    _check_unique(check, f"{path}.exceptions", [e.id for e in version.exceptions])
    exceptions = [
        _build_exception(check, f"{path}.exceptions[{i}]", e, set(obligation_ids))
        for i, e in enumerate(version.exceptions)
    ]
    obligations = [
        CompiledObligation(
            o,
            check.condition(f"{path}.obligations[{i}].when", o.when, "incident"),
            tuple(e for e in exceptions if e.rule.scope == "group" and e.removes(o.id)),
            tuple(e for e in exceptions if e.rule.scope == "incident" and e.removes(o.id)),
        )
        for i, o in enumerate(version.obligations)
    ]
    for i, o in enumerate(version.obligations):
        _check_deadline(
            check, f"{path}.obligations[{i}].deadline", o.deadline, rule, o.id, set(obligation_ids)
        )
    ordered = _deadline_order(check, path, obligations)
    return CompiledVersion(
        rule=version,
        counts_people=version.trigger == "personal_data",
        applies_when=check.condition(f"{path}.applies_when", version.applies_when, "incident"),
        residents_of=residents,
        population_explanation=population.explanation,
        definition_citation=definition.citation,
        everyone_when=(
            check.condition(
                f"{path}.population.everyone_when", population.everyone_when, "incident"
            )
            if population.everyone_when is not None
            else None
        ),
        combinations=tuple(definition.combinations),
        any_personal_data=definition.any_personal_data,
        media=frozenset(definition.media),
        obligations=ordered,
    )


def _check_trigger(check: _Checker, path: str, version: schema.Version) -> None:
    if version.trigger == "personal_data":
        for key in ("population", "personal_information"):
            if getattr(version, key) is None:
                check.fail(f"{path}.{key}", "required where the law turns on personal data")
        return
    for key in ("population", "personal_information"):
        if getattr(version, key) is not None:
            check.fail(f"{path}.{key}", "not used where trigger = 'incident'; remove it")
    for i, ob in enumerate(version.obligations):
        if ob.threshold is not None:
            check.fail(f"{path}.obligations[{i}].threshold", "trigger = 'incident' counts nobody")
    for i, exc in enumerate(version.exceptions):
        if exc.scope == "group":
            check.fail(f"{path}.exceptions[{i}].scope", "trigger = 'incident' has no groups")


def _check_unique(check: _Checker, path: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i, ident in enumerate(ids):
        if ident in seen:
            check.fail(f"{path}[{i}].id", f"{ident!r} is used twice")
        seen.add(ident)


def _build_exception(
    check: _Checker, path: str, rule: schema.ExceptionRule, obligation_ids: set[str]
) -> CompiledException:
    for i, target in enumerate(rule.obligations or []):
        if target not in obligation_ids:
            close = difflib.get_close_matches(target, sorted(obligation_ids), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            check.fail(f"{path}.obligations[{i}]", f"no obligation {target!r} here{hint}")
    targets = frozenset(rule.obligations) if rule.obligations is not None else None
    return CompiledException(rule, check.condition(f"{path}.when", rule.when, rule.scope), targets)


def _check_deadline(
    check: _Checker,
    path: str,
    rule: schema.Deadline,
    regime: schema.RuleFile,
    own_id: str,
    obligation_ids: set[str],
) -> None:
    units = [u for u in (rule.hours, rule.days, rule.business_days, rule.months) if u is not None]
    if len(units) > 1:
        check.fail(path, "give one of hours, days, business_days or months, not several")
    if rule.anchor == "event":
        if rule.event is None:
            check.fail(f"{path}.event", "anchor 'event' needs event: a name from events.toml")
        else:
            check.code(f"{path}.event", rule.event, registry.event)
    elif rule.event is not None:
        check.fail(f"{path}.event", "event goes with anchor = 'event'")
    if rule.anchor == "notice":
        if rule.notice_of is None:
            check.fail(f"{path}.notice_of", "anchor 'notice' needs notice_of: the obligation id")
        elif rule.notice_of == own_id or rule.notice_of not in obligation_ids:
            check.fail(f"{path}.notice_of", f"{rule.notice_of!r} is not another obligation here")
    elif rule.notice_of is not None:
        check.fail(f"{path}.notice_of", "notice_of goes with anchor = 'notice'")
    if rule.relation != "within":
        if rule.anchor != "notice":
            check.fail(f"{path}.relation", f"relation {rule.relation!r} needs anchor = 'notice'")
        if units:
            check.fail(f"{path}.relation", f"relation {rule.relation!r} takes no period")
    elif not units and not rule.standard and not rule.or_if_earlier:
        check.fail(path, "give a period (hours, days, business_days, months) or a standard")
    if rule.business_days is not None:
        calendar = rule.calendar or regime.jurisdiction
        try:
            check_calendar(registry.jurisdiction(calendar))
        except ValueError as exc:
            check.fail(f"{path}.calendar", f"{exc}; name a supported one in calendar")
    elif rule.calendar is not None:
        check.fail(f"{path}.calendar", "calendar only applies to business_days")
    for i, alternative in enumerate(rule.or_if_earlier):
        _check_deadline(
            check, f"{path}.or_if_earlier[{i}]", alternative, regime, own_id, obligation_ids
        )


def _notice_deps(rule: schema.Deadline) -> set[str]:
    deps = {rule.notice_of} if rule.notice_of else set()
    for alternative in rule.or_if_earlier:
        deps |= _notice_deps(alternative)
    return deps


def _deadline_order(
    check: _Checker, path: str, obligations: list[CompiledObligation]
) -> tuple[CompiledObligation, ...]:
    """Obligations ordered so each comes after those its deadline counts from."""
    by_id = {o.rule.id: o for o in obligations}
    ordered: list[CompiledObligation] = []
    state: dict[str, str] = {}

    def visit(ident: str) -> None:
        if state.get(ident) == "done":
            return
        if state.get(ident) == "active":
            check.fail(
                f"{path}.obligations", f"deadlines count from each other in a cycle at {ident!r}"
            )
            return
        state[ident] = "active"
        for dep in sorted(_notice_deps(by_id[ident].rule.deadline)):
            if dep in by_id:
                visit(dep)
        state[ident] = "done"
        ordered.append(by_id[ident])

    for o in obligations:
        visit(o.rule.id)
    return tuple(ordered)
