"""The table declarations are the one list of tables: row types, the parser's event container
and the scopes all agree with pipeline/model.py."""

from __future__ import annotations

from dataclasses import fields

from pipeline.model import EVENT_TABLES, SHARED_TABLES, TABLES
from pipeline.parse.event import EventTables


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
