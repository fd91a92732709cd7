"""Which checks exist: every `RULE` declared by a module of checks.rules, in report order.

A new check family is a new module under checks/rules/ with its `RULE`; nothing here changes.
"""

from __future__ import annotations

import importlib
import pkgutil

from checks import rules
from checks.framework.check import Check
from checks.framework.rule import Rule
from checks.waivers import UNUSED_WAIVER


def _discover() -> tuple[Rule, ...]:
    found = []
    for module in pkgutil.iter_modules(rules.__path__):
        declared = getattr(importlib.import_module(f"{rules.__name__}.{module.name}"), "RULE", None)
        if isinstance(declared, Rule):
            found.append(declared)
    return tuple(sorted(found, key=lambda rule: (rule.order, rule.family)))


RULES = _discover()
# Waivers are applied after every rule has run; their check closes the list.
ALL_CHECKS: tuple[Check, ...] = (*(c for rule in RULES for c in rule.checks), UNUSED_WAIVER)
