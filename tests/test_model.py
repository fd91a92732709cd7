"""The table declarations are the one list of tables: row types, the parser's event container
and the scopes all agree with core/model.py."""

from __future__ import annotations

from dataclasses import fields

from core.model import EVENT_TABLES, SHARED_TABLES, TABLES
from pipeline.derive.event_rows import EventTables


def test_every_row_type_has_exactly_its_tables_columns_in_order() -> None:
    for spec in TABLES:
        assert spec.row._fields == tuple(column.name for column in spec.columns), spec.name


def test_the_parser_fills_exactly_the_event_tables_in_model_order() -> None:
    assert tuple(field.name for field in fields(EventTables)) == EVENT_TABLES


def test_event_tables_carry_an_event_id_and_every_table_has_a_scope() -> None:
    assert set(EVENT_TABLES) | set(SHARED_TABLES) == {spec.name for spec in TABLES}
    assert not set(EVENT_TABLES) & set(SHARED_TABLES)
    for spec in TABLES:
        names = [column.name for column in spec.columns]
        assert ("event_id" in names) == (spec.name in EVENT_TABLES), spec.name
        assert names[-2:] == ["source_file", "source_line"], spec.name


def test_a_tables_facts_are_declared_on_it_and_consistent() -> None:
    """Keys, accepted codes and references live on the TableSpec (issue 22): each reference
    names a table's key, each key is a column of its table, and the checks read them there."""
    from checks.framework.schemas import ACCEPTED
    from checks.rules.keys import REFERENCES
    from core.model import TABLES, TABLES_BY_NAME

    keys = {spec.name: spec.key for spec in TABLES if spec.key}
    assert keys == {
        "events": "event_id",
        "nations": "noc",
        "athletes": "athlete_id",
        "races": "race_id",
        "entrants": "entrant_id",
        "printed_classification": "entrant_id",
        "reference_events": "reference_id",
    }
    for spec in TABLES:
        assert spec.key is None or spec.key in {column.name for column in spec.columns}
        for column in spec.columns:
            if column.references is not None:
                parent, key = column.references
                assert TABLES_BY_NAME[parent].key == key, (spec.name, column.name)
    assert len(REFERENCES) == 27 and len(ACCEPTED) == 19
