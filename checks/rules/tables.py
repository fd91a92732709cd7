"""Every warehouse table against the schema generated from its declaration in core/model.py."""

from __future__ import annotations

from checks.framework.rule import Rule
from checks.framework.schemas import (
    ACCEPTED_VALUE,
    UNIQUE_KEY,
    check_event_tables,
    check_shared_tables,
)
from checks.framework.validate import SCHEMA_TYPES

RULE = Rule(
    (SCHEMA_TYPES, ACCEPTED_VALUE, UNIQUE_KEY),
    check_event_tables,
    "global",
    order=10,
    shared=check_shared_tables,
)
