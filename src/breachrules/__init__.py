"""breachrules: who must be told of a data breach, by when, under which law, and why.

Laws are data files under ``rules/``; :func:`obligations` evaluates them for one incident.
This is a decision aid, not legal advice.
"""

from breachrules._version import __version__
from breachrules.engine import obligations, parse_incident
from breachrules.errors import (
    BreachRulesError,
    InvalidIncidentError,
    Problem,
    RuleFileError,
    UnknownCodeError,
)
from breachrules.incident import AffectedGroup, Entity, Incident, SentNotice, incident_json_schema
from breachrules.loader import check_directory, load_rules
from breachrules.reports import render
from breachrules.results import Assessment, NotRequired, Obligation, assessment_json_schema
from breachrules.rulebook import Regime, Rulebook

__all__ = [
    "AffectedGroup",
    "Assessment",
    "BreachRulesError",
    "Entity",
    "Incident",
    "InvalidIncidentError",
    "NotRequired",
    "Obligation",
    "Problem",
    "Regime",
    "RuleFileError",
    "Rulebook",
    "SentNotice",
    "UnknownCodeError",
    "__version__",
    "assessment_json_schema",
    "check_directory",
    "incident_json_schema",
    "load_rules",
    "obligations",
    "parse_incident",
    "render",
]
