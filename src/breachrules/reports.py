"""Reports of an assessment: plain text, Markdown, self-contained HTML, CSV and iCalendar.

A report can stand as the decision record of an audit file: it names the library version, the
law date applied, a fingerprint of the input and of the rule data when given, every obligation
with its reasons and citation, every duty considered and not required, and the facts still
missing. Everything shown is escaped for its format.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Literal

from breachrules.incident import Incident
from breachrules.results import Assessment, Obligation
from breachrules.rulebook import Rulebook

Format = Literal["text", "markdown", "html", "csv", "ics", "json"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "html", "csv", "ics", "json")


def incident_fingerprint(incident: Incident) -> str:
    """SHA-256 of the validated incident in canonical JSON (sorted keys), as hex."""
    data = json.dumps(incident.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def rules_fingerprint(rules: Rulebook) -> str:
    """SHA-256 over every law of a rulebook in canonical JSON, as hex: the rule-data version."""
    digest = hashlib.sha256()
    for regime in rules.values():
        digest.update(regime.source.model_dump_json(by_alias=True).encode("utf-8"))
    return digest.hexdigest()


def _when(ob: Obligation) -> str:
    return ob.deadline.isoformat(timespec="minutes") if ob.deadline else "no fixed date"


def _header(assessment: Assessment, incident: Incident | None, rules: Rulebook | None) -> list[str]:
    lines = [
        f"Law in force on: {assessment.as_of}",
        f"breachrules version: {assessment.breachrules_version}",
    ]
    if incident is not None:
        lines.append(f"Incident SHA-256: {incident_fingerprint(incident)}")
    if rules is not None:
        lines.append(f"Rule data SHA-256 ({len(rules)} laws): {rules_fingerprint(rules)}")
    return lines


def render_text(
    assessment: Assessment, incident: Incident | None = None, rules: Rulebook | None = None
) -> str:
    """A plain-text report: each obligation with its deadline, then what was not required."""
    lines = _header(assessment, incident, rules)
    if not assessment.obligations:
        lines += ["", "No obligation to notify was found."]
    for ob in assessment.obligations:
        lines += [
            "",
            f"{ob.status.upper():<12} {_when(ob)}  {ob.regime}/{ob.obligation} [{ob.jurisdiction}]",
            f"  notify:   {ob.recipient_name} ({ob.recipient})",
            f"  deadline: {ob.deadline_text}",
            f"  under:    {ob.citation}  {ob.source_url}",
        ]
        if ob.missing_facts:
            lines.append(f"  depends on: {', '.join(ob.missing_facts)}")
        lines.extend(f"  - {reason}" for reason in ob.reasons)
    if assessment.not_required:
        lines += ["", "Considered and not required:"]
        for item in assessment.not_required:
            name = f"{item.regime}/{item.obligation}" if item.obligation else item.regime
            lines.append(f"  {name} [{item.jurisdiction}] ({item.code}): {item.reasons[-1]}")
    lines += ["", "Not legal advice: confirm every answer with counsel."]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_markdown(
    assessment: Assessment, incident: Incident | None = None, rules: Rulebook | None = None
) -> str:
    """A Markdown report with a summary table, each obligation's reasons, and what was not due."""
    lines = ["# Breach notification assessment", ""]
    lines += [f"- {_md(line)}" for line in _header(assessment, incident, rules)]
    lines += ["", "## Obligations", ""]
    if assessment.obligations:
        lines += [
            "| Status | Deadline | Law | Recipient | Jurisdiction | Deadline rule |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {ob.status} | {_when(ob)} | `{ob.regime}` {_md(ob.citation)} | "
            f"{_md(ob.recipient_name)} | {ob.jurisdiction} | {_md(ob.deadline_text)} |"
            for ob in assessment.obligations
        ]
    else:
        lines.append("No obligation to notify was found.")
    for ob in assessment.obligations:
        lines += ["", f"### {ob.regime} / {ob.obligation} ({ob.jurisdiction}): {ob.status}", ""]
        lines += [f"- Notify: {_md(ob.recipient_name)} ({ob.recipient})"]
        lines += [f"- Deadline: {_when(ob)}; {_md(ob.deadline_text)}"]
        lines += [f"- Under: {_md(ob.citation)} <{ob.source_url}>"]
        if ob.missing_facts:
            lines += [f"- Depends on: {', '.join(f'`{f}`' for f in ob.missing_facts)}"]
        lines += ["- Reasons:"] + [f"  - {_md(r)}" for r in ob.reasons]
    if assessment.missing_facts:
        lines += ["", "## Facts still missing", ""]
        lines += [f"- `{fact}`" for fact in assessment.missing_facts]
    lines += ["", "## Considered and not required", ""]
    if assessment.not_required:
        lines += ["| Law | Duty | Jurisdiction | Reason |", "| --- | --- | --- | --- |"]
        lines += [
            f"| `{n.regime}` | {n.obligation or '(whole law)'} | {n.jurisdiction} | "
            f"{n.code}: {_md(n.reasons[-1])} |"
            for n in assessment.not_required
        ]
    else:
        lines.append("None.")
    lines += ["", "_Not legal advice: confirm every answer with counsel._", ""]
    return "\n".join(lines)


_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b;max-width:72rem}
table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}.required{background:#fde2e1}.undetermined{background:#fff4d6}
.status{font-weight:600;text-transform:uppercase;font-size:.85em}
details{margin:.5rem 0}code{background:#f5f5f5;padding:0 .2em}
.meta{color:#555;font-size:.9em}
"""


def _scoped_css() -> str:
    """The report's CSS confined to one wrapper, so it cannot restyle a host page."""
    rules = [r for r in _CSS.strip().split("}") if r and not r.startswith("body")]
    scoped = []
    for rule in rules:
        selectors, _, body = rule.partition("{")
        prefixed = ",".join(f".breachrules-report {s.strip()}" for s in selectors.split(","))
        scoped.append(f"{prefixed}{{{body}}}")
    # Notebook front ends style tables with more specific selectors (right-aligned cells,
    # striped rows); these few rules must win over them for the report to read the same.
    host = (
        ".breachrules-report th,.breachrules-report td{text-align:left!important}"
        ".breachrules-report tr.required td{background:#fde2e1!important}"
        ".breachrules-report tr.undetermined td{background:#fff4d6!important}"
    )
    return ".breachrules-report{font-family:system-ui,sans-serif}" + "".join(scoped) + host


def render_html_fragment(assessment: Assessment, now: datetime | None = None) -> str:
    """The report as an HTML fragment whose styles apply inside it only (notebook display),
    with the time left until each deadline as of ``now`` (the current time by default)."""
    now = now or datetime.now(UTC)
    return (
        f'<div class="breachrules-report"><style>{_scoped_css()}</style>'
        f"{_html_body(assessment, None, None, now)}</div>"
    )


def render_html(
    assessment: Assessment, incident: Incident | None = None, rules: Rulebook | None = None
) -> str:
    """A self-contained HTML page (no external resources), suitable for an audit file."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>Breach notification assessment</title>"
        f"<style>{_CSS}</style></head><body>{_html_body(assessment, incident, rules)}"
        "</body></html>\n"
    )


def time_left(deadline: datetime, now: datetime) -> str:
    """How long until a deadline, or how long past it, in days and hours."""
    seconds = int((deadline - now).total_seconds())
    days, rest = divmod(abs(seconds), 86_400)
    hours = rest // 3_600
    span = f"{days} d {hours} h" if days else f"{hours} h {rest % 3_600 // 60} min"
    return f"{span} left" if seconds >= 0 else f"overdue by {span}"


def _html_body(
    assessment: Assessment,
    incident: Incident | None,
    rules: Rulebook | None,
    now: datetime | None = None,
) -> str:
    e = html.escape
    rows = []
    for ob in assessment.obligations:
        left = (
            f"<br><small>{e(time_left(ob.deadline, now))}</small>"
            if now is not None and ob.deadline is not None
            else ""
        )
        reasons = "".join(f"<li>{e(r)}</li>" for r in ob.reasons)
        missing = (
            f"<div>Depends on: {', '.join(f'<code>{e(f)}</code>' for f in ob.missing_facts)}</div>"
            if ob.missing_facts
            else ""
        )
        rows.append(
            f'<tr class="{ob.status}"><td class="status">{e(ob.status)}</td>'
            f"<td>{e(_when(ob))}{left}</td><td><code>{e(ob.regime)}</code><br>"
            f'<a href="{e(ob.source_url)}">{e(ob.citation)}</a></td>'
            f"<td>{e(ob.recipient_name)}<br><small>{e(ob.recipient)}</small></td>"
            f"<td>{e(ob.jurisdiction)}</td><td>{e(ob.deadline_text)}{missing}"
            f"<details><summary>Reasons</summary><ul>{reasons}</ul></details></td></tr>"
        )
    skipped = "".join(
        f"<tr><td><code>{e(n.regime)}</code></td><td>{e(n.obligation or '(whole law)')}</td>"
        f"<td>{e(n.jurisdiction)}</td><td>{e(n.code)}</td><td>{e(n.reasons[-1])}</td></tr>"
        for n in assessment.not_required
    )
    meta = "".join(f"<li>{e(line)}</li>" for line in _header(assessment, incident, rules))
    missing_all = "".join(f"<li><code>{e(f)}</code></li>" for f in assessment.missing_facts)
    return (
        f'<h1>Breach notification assessment</h1><ul class="meta">{meta}</ul>'
        "<h2>Obligations</h2>"
        + (
            "<table><tr><th>Status</th><th>Deadline</th><th>Law</th><th>Recipient</th>"
            f"<th>Jurisdiction</th><th>Deadline rule and reasons</th></tr>{''.join(rows)}</table>"
            if rows
            else "<p>No obligation to notify was found.</p>"
        )
        + (f"<h2>Facts still missing</h2><ul>{missing_all}</ul>" if missing_all else "")
        + "<h2>Considered and not required</h2>"
        + (
            "<table><tr><th>Law</th><th>Duty</th><th>Jurisdiction</th><th>Code</th>"
            f"<th>Reason</th></tr>{skipped}</table>"
            if skipped
            else "<p>None.</p>"
        )
        + "<p><em>Not legal advice: confirm every answer with counsel.</em></p>"
    )


CSV_COLUMNS = (
    "status",
    "deadline",
    "regime",
    "obligation",
    "jurisdiction",
    "recipient",
    "recipient_name",
    "deadline_text",
    "citation",
    "source_url",
    "missing_facts",
    "affected_count",
)


def render_csv(
    assessment: Assessment, incident: Incident | None = None, rules: Rulebook | None = None
) -> str:
    """One row per obligation; missing facts joined by semicolons."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for ob in assessment.obligations:
        writer.writerow(
            [
                ob.status,
                ob.deadline.isoformat() if ob.deadline else "",
                ob.regime,
                ob.obligation,
                ob.jurisdiction,
                ob.recipient,
                ob.recipient_name,
                ob.deadline_text,
                ob.citation,
                ob.source_url,
                ";".join(ob.missing_facts),
                ob.affected_count,
            ]
        )
    return out.getvalue()


def _ics_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """Fold a content line at 75 octets, as RFC 5545 section 3.1 requires."""
    folded: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not folded else 74
        if len((current + char).encode("utf-8")) > limit:
            folded.append(current)
            current = char
        else:
            current += char
    folded.append(current)
    return [folded[0]] + [" " + part for part in folded[1:]]


def render_ics(
    assessment: Assessment, incident: Incident | None = None, rules: Rulebook | None = None
) -> str:
    """An iCalendar file with one event per obligation that has a fixed deadline."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    key = incident_fingerprint(incident)[:16] if incident is not None else "assessment"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//breachrules//deadlines//EN"]
    for ob in assessment.obligations:
        if ob.deadline is None:
            continue
        due = ob.deadline.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        uid = f"{key}-{ob.regime}-{ob.obligation}-{ob.jurisdiction}@breachrules"
        summary = f"{ob.status.upper()}: notify {ob.recipient_name} ({ob.regime})"
        description = f"{ob.deadline_text}. {ob.citation}. {ob.source_url}"
        if ob.missing_facts:
            description += f" Depends on: {', '.join(ob.missing_facts)}."
        for line in (
            "BEGIN:VEVENT",
            f"UID:{_ics_text(uid)}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{due}",
            f"DTEND:{due}",
            f"SUMMARY:{_ics_text(summary)}",
            f"DESCRIPTION:{_ics_text(description)}",
            "END:VEVENT",
        ):
            lines.extend(_fold(line))
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def render_json(
    assessment: Assessment, incident: Incident | None = None, rules: Rulebook | None = None
) -> str:
    """The assessment's ``to_dict()`` as indented JSON."""
    return json.dumps(assessment.to_dict(), indent=2, ensure_ascii=False) + "\n"


RENDERERS: dict[Format, Callable[[Assessment, Incident | None, Rulebook | None], str]] = {
    "text": render_text,
    "markdown": render_markdown,
    "html": render_html,
    "csv": render_csv,
    "ics": render_ics,
    "json": render_json,
}


def render(
    assessment: Assessment,
    fmt: Format = "text",
    *,
    incident: Incident | None = None,
    rules: Rulebook | None = None,
) -> str:
    """Render an assessment in one of FORMATS; give the incident and rules to fingerprint them."""
    if fmt not in RENDERERS:
        raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return RENDERERS[fmt](assessment, incident, rules)
