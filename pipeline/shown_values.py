"""Values as the duckdb CLI shows them. Python's form of some DuckDB values differs from
DuckDB's own: `b'\\xaa'` for the BLOB `\\xAA`, `True` for `true`, `0.10000000149011612` for the
FLOAT `0.1`, `['a']` for the list `[a]`, `{'a': 1}` for the MAP `{a=1}`, and an INTERVAL of a
month becomes 30 days. A SELECT's columns of those types are therefore cast to DuckDB's text
in the query itself (for JSON, only those JSON has no form for)."""

from __future__ import annotations

import duckdb

from core.codes import QueryFormat

# Type ids (DuckDBPyType.id) whose Python value prints otherwise than DuckDB's text.
NOT_AS_PYTHON_PRINTS = frozenset(
    {"boolean", "float", "blob", "interval", "map", "list", "struct", "array", "union", "bit"}
)
# ... and those of them JSON has no value for (lists, structs, maps and booleans it has); a
# FLOAT is written as the DOUBLE that prints as DuckDB prints it (0.1, not 0.10000000149011612).
NOT_IN_JSON = frozenset({"blob", "interval", "union", "bit", "float"})
JSON_FORMATS = (QueryFormat.json, QueryFormat.ndjson)


def as_duckdb_shows(
    con: duckdb.DuckDBPyConnection,
    statement: duckdb.Statement,
    values: dict[str, str],
    output: QueryFormat,
) -> tuple[str, list[str]] | None:
    """The SELECT wrapped so that each column DuckDB shows otherwise than Python is cast to
    VARCHAR (by position: names may repeat), and its column names; None when nothing needs a
    cast, or for a statement that is no SELECT or does not bind (it runs as written, and
    DuckDB's error is reported from there)."""
    if statement.type is not duckdb.StatementType.SELECT:
        return None
    try:
        relation = con.sql(statement, params=values or None)
    except duckdb.Error:
        return None
    if relation is None:
        return None
    cast = NOT_IN_JSON if output in JSON_FORMATS else NOT_AS_PYTHON_PRINTS
    types = [column_type.id for column_type in relation.types]
    if not cast.intersection(types):
        return None
    picked = ", ".join(
        f"#{number}"
        if type_id not in cast
        else f"CAST(CAST(#{number} AS VARCHAR) AS DOUBLE)"
        if type_id == "float" and cast is NOT_IN_JSON
        else f"CAST(#{number} AS VARCHAR)"
        for number, type_id in enumerate(types, start=1)
    )
    query = statement.query.rstrip().removesuffix(";")
    # On lines of their own: a comment that ends the query ends before the parenthesis.
    return f"SELECT {picked} FROM (\n{query}\n) AS shown", list(relation.columns)
