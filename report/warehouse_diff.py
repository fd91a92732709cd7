"""What changed between two built warehouses: each table's rows added, removed and changed,
paired by the table's row key (core/model.py), and what the changed results did to each
event's standing. Where the line of a fact is all that moved (an edit higher up the page), the
row is unchanged: `source_file`/`source_line` columns are shown, never compared."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb

from checks.shape import BASE_TABLE, REBUILD, a_view_for_a_table, table_kinds
from core.errors import InputError, PipelineError, raise_problems, require_warehouse
from core.escape import sql_identifier, sql_text
from core.model import CHECK_TABLES, TABLES, TableSpec

ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class RowChange:
    """One row added, removed or changed: its key, its changed columns (old, new) and where it
    stands (the new row's file and line; a removed row's old ones)."""

    kind: ChangeKind
    key: dict[str, object]
    changes: dict[str, tuple[object, object]]
    row: dict[str, object]  # the new row (a removed row: the old one)
    source_file: str | None
    source_line: int | None


@dataclass(frozen=True)
class TableDiff:
    """A table's changes, with the columns only one side has (a schema that changed)."""

    table: str
    key: tuple[str, ...]
    rows: list[RowChange]
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for row in self.rows if row.kind == kind)


@dataclass(frozen=True)
class WarehouseDiff:
    base: str
    new: str
    tables: list[TableDiff]
    labels: dict[str, str] = field(default_factory=dict)  # race_id -> label, either side
    names: dict[str, str] = field(default_factory=dict)  # entrant_id -> name, either side

    def table(self, name: str) -> TableDiff | None:
        return next((table for table in self.tables if table.table == name), None)

    @property
    def changed(self) -> bool:
        return any(t.rows or t.columns_added or t.columns_removed for t in self.tables)


@contextmanager
def _attached(base: Path, new: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory connection with both warehouse files attached read-only, as `base` and
    `new`."""
    con = duckdb.connect()
    try:
        for alias, database in (("base", base), ("new", new)):
            require_warehouse(database)
            try:
                con.execute(f"ATTACH {sql_text(database.as_posix())} AS {alias} (READ_ONLY)")
            except duckdb.Error as error:
                raise InputError(
                    database.as_posix(),
                    "expected a DuckDB warehouse file, found one DuckDB cannot open "
                    f"({str(error).splitlines()[0]})",
                ) from None
        yield con
    finally:
        con.close()


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, table: str) -> dict[str, str]:
    """The table's columns in order, each with its type."""
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = ? "
        "AND table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
        [catalog, table],
    ).fetchall()
    return {str(name): str(type_) for name, type_ in rows}


def _row_key_problems(database: Path, spec: TableSpec, columns: dict[str, str]) -> list[InputError]:
    """A side's rows are paired by the table's row key: a side without a column of it (a
    warehouse altered by hand) cannot be compared, and is bad input."""
    return [
        InputError(
            database.as_posix(),
            f"expected {spec.name}.{column} (its rows are paired by it), found no such "
            f"column {REBUILD}",
        )
        for column in spec.row_key
        if columns and column not in columns
    ]


def _value(side: str, column: str, retyped: set[str]) -> str:
    """A side's value of a column, as text where the two sides type the column differently
    (an older version's warehouse, or one altered by hand): compared as printed."""
    value = f"{side}.{sql_identifier(column)}"
    return f"CAST({value} AS VARCHAR)" if column in retyped else value


def _located(column: str) -> bool:
    """A column that says where a fact was read, not what it is."""
    return column.endswith(("source_file", "source_line"))


def _side(catalog: str, spec: TableSpec, columns: list[str]) -> str:
    """A side's rows, each numbered among those of its key (a key printed twice pairs up in
    line order instead of multiplying)."""
    key = ", ".join(sql_identifier(column) for column in spec.row_key)
    order = "source_file, source_line" if {"source_file", "source_line"} <= set(columns) else key
    return (
        f"SELECT *, row_number() OVER (PARTITION BY {key} ORDER BY {order}) AS _occurrence "
        f"FROM {catalog}.main.{sql_identifier(spec.name)}"
    )


def _table_diff(
    con: duckdb.DuckDBPyConnection,
    spec: TableSpec,
    base_types: dict[str, str],
    new_types: dict[str, str],
) -> TableDiff:
    base_columns, new_columns = list(base_types), list(new_types)
    # A table only one side has: the other side is empty, with its columns.
    base_side = _side("base", spec, base_columns) if base_columns else None
    new_side = _side("new", spec, new_columns) if new_columns else None
    if base_side is None or new_side is None:
        present = base_side or new_side
        if present is None:
            return TableDiff(spec.name, spec.row_key, [])
        empty = f"SELECT * FROM ({present}) WHERE false"
        base_side, new_side = base_side or empty, new_side or empty
        base_columns, new_columns = base_columns or new_columns, new_columns or base_columns
    shared = [column for column in new_columns if column in base_columns]
    retyped = {c for c in shared if base_types.get(c, new_types[c]) != new_types[c]}
    compared = [c for c in shared if not _located(c) and c not in spec.row_key]
    joined = " AND ".join(
        f"{_value('b', c, retyped)} IS NOT DISTINCT FROM {_value('n', c, retyped)}"
        for c in (*spec.row_key, "_occurrence")
    )
    where = " OR ".join(
        [
            "b._occurrence IS NULL",
            "n._occurrence IS NULL",
            *(
                f"{_value('b', c, retyped)} IS DISTINCT FROM {_value('n', c, retyped)}"
                for c in compared
            ),
        ]
    )
    picked = ", ".join(
        f"{_value('b', c, retyped)}, {_value('n', c, retyped)}" for c in (*shared, "_occurrence")
    )
    order = (
        " ORDER BY "
        + ", ".join(
            f"coalesce({_value('n', c, retyped)}, {_value('b', c, retyped)})"
            for c in ("source_file", "source_line")
        )
        if {"source_file", "source_line"} <= set(shared)
        else ""
    )
    query = (
        f"SELECT {picked} FROM ({base_side}) AS b FULL OUTER JOIN ({new_side}) AS n "
        f"ON {joined} WHERE {where}{order}"
    )
    changes = [
        _row_change(spec, shared, compared, values) for values in con.execute(query).fetchall()
    ]
    return TableDiff(
        spec.name,
        spec.row_key,
        changes,
        [c for c in new_columns if c not in base_columns],
        [c for c in base_columns if c not in new_columns],
    )


def _row_change(
    spec: TableSpec, shared: list[str], compared: list[str], values: tuple[object, ...]
) -> RowChange:
    base = dict(zip([*shared, "_occurrence"], values[0::2], strict=True))
    new = dict(zip([*shared, "_occurrence"], values[1::2], strict=True))
    kind: ChangeKind = (
        "added"
        if base["_occurrence"] is None
        else "removed"
        if new["_occurrence"] is None
        else "changed"
    )
    row = base if kind == "removed" else new
    row.pop("_occurrence")
    changes = (
        {c: (base[c], new[c]) for c in compared if base[c] != new[c]} if kind == "changed" else {}
    )
    file, line = row.get("source_file"), row.get("source_line")
    return RowChange(
        kind,
        {column: row[column] for column in spec.row_key},
        changes,
        row,
        None if file is None else str(file),
        line if isinstance(line, int) else None,
    )


def diff_warehouses(base: Path, new: Path) -> WarehouseDiff:
    """Every table's changes from the warehouse file `base` to `new`."""
    with _attached(base, new) as con:
        specs = (*TABLES, *CHECK_TABLES)
        sides = ((base, "base"), (new, "new"))
        types = {(c, spec.name): _columns(con, c, spec.name) for _, c in sides for spec in specs}
        problems: list[PipelineError] = []
        for database, catalog in sides:
            kinds = table_kinds(con, catalog)
            for spec in specs:
                if kinds.get(spec.name, BASE_TABLE) != BASE_TABLE:  # not compared
                    problems.append(a_view_for_a_table(database, spec.name))
                problems += _row_key_problems(database, spec, types[catalog, spec.name])
        raise_problems(problems)
        tables = [
            _table_diff(con, spec, types["base", spec.name], types["new", spec.name])
            for spec in specs
        ]
        labels = _lookup(con, "races", "race_id", "label")
        names = _lookup(con, "entrants", "entrant_id", "name")
    return WarehouseDiff(base.parent.as_posix(), new.parent.as_posix(), tables, labels, names)


def _lookup(con: duckdb.DuckDBPyConnection, table: str, key: str, value: str) -> dict[str, str]:
    """key -> value over both sides (the new one's where both have it)."""
    found: dict[str, str] = {}
    for catalog in ("base", "new"):
        columns = _columns(con, catalog, table)
        if key in columns and value in columns:
            query = f"SELECT {key}, {value} FROM {catalog}.main.{table}"
            found.update({str(k): str(v) for k, v in con.execute(query).fetchall()})
    return found
