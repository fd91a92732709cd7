"""Every warehouse table against the schema generated from its declaration in pipeline/model.py."""

from __future__ import annotations

from checks.rule import Rule
from checks.schemas import ACCEPTED_VALUE, UNIQUE_KEY, check_tables
from checks.validate import SCHEMA_TYPES

RULE = Rule((SCHEMA_TYPES, ACCEPTED_VALUE, UNIQUE_KEY), check_tables, "global", order=10)
