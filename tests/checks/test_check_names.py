"""Every pandera check a rule's model declares is named with one of that rule's Check ids: a
name that is none would be reported as schema.types (a dtype failure), not as itself."""

from __future__ import annotations

import importlib
import inspect

import pandera.polars as pa
import pytest

from checks.catalog import RULES
from checks.framework.rule import Rule


def _models(module_name: str) -> list[type[pa.DataFrameModel]]:
    module = importlib.import_module(module_name)
    return [
        value
        for value in vars(module).values()
        if inspect.isclass(value)
        and issubclass(value, pa.DataFrameModel)
        and value is not pa.DataFrameModel
        and value.__module__ == module_name
    ]


def _check_names(model: type[pa.DataFrameModel]) -> set[str]:
    schema = model.to_schema()
    names = {str(check.name) for check in schema.checks}
    for column in schema.columns.values():
        names |= {str(check.name) for check in column.checks}
    return names


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.run.__module__)
def test_every_pandera_check_is_named_by_a_check_of_its_rule(rule: Rule) -> None:
    module = rule.run.__module__
    declared = {check.id for check in rule.checks}
    models = _models(module)
    named = set().union(*(_check_names(model) for model in models)) if models else set()
    assert named <= declared, f"{module}: {sorted(named - declared)}"


def test_the_meta_test_sees_the_checks() -> None:
    """It reads pandera's names at all: the tallies model names its five checks."""
    tallies = next(rule for rule in RULES if rule.run.__module__ == "checks.rules.tallies")
    names = set().union(*(_check_names(model) for model in _models("checks.rules.tallies")))
    assert names == {check.id for check in tallies.checks}
