"""breachrules: who must be told of a data breach, by when, under which law, and why.

Laws are data files under ``rules/``; :func:`obligations` evaluates them for one incident.
This is a decision aid, not legal advice.
"""

from breachrules._version import __version__
from breachrules.audit import Audit, AuditEntry, SentRecord, audit
from breachrules.engine import obligations, parse_incident
from breachrules.errors import (
    BreachRulesError,
    InvalidIncidentError,
    Problem,
    RuleFileError,
    UnknownCodeError,
)
from breachrules.fanout import ClientAnswer, FanOut, fan_out
from breachrules.incident import (
    AffectedGroup,
    DataOwner,
    Entity,
    Incident,
    SentNotice,
    incident_json_schema,
)
from breachrules.loader import check_directory, load_rules
from breachrules.records import RecordSummary, notice_table, notices_for_rows, read_records
from breachrules.reports import render
from breachrules.results import Assessment, NotRequired, Obligation, assessment_json_schema
from breachrules.rulebook import Regime, Rulebook

__all__ = [
    "AffectedGroup",
    "Assessment",
    "Audit",
    "AuditEntry",
    "BreachRulesError",
    "ClientAnswer",
    "DataOwner",
    "Entity",
    "FanOut",
    "Incident",
    "InvalidIncidentError",
    "NotRequired",
    "Obligation",
    "Problem",
    "RecordSummary",
    "Regime",
    "RuleFileError",
    "Rulebook",
    "SentNotice",
    "SentRecord",
    "UnknownCodeError",
    "__version__",
    "assessment_json_schema",
    "audit",
    "check_directory",
    "fan_out",
    "incident_json_schema",
    "load_rules",
    "notice_table",
    "notices_for_rows",
    "obligations",
    "parse_incident",
    "read_records",
    "render",
]
