"""Values as the duckdb CLI shows them. Python's form of some DuckDB values differs from
DuckDB's own: `b'\\xaa'` for the BLOB `\\xAA`, `True` for `true`, `0.10000000149011612` for the
FLOAT `0.1`, `['a']` for the list `[a]`, `{'a': 1}` for the MAP `{a=1}`, and an INTERVAL of a
month becomes 30 days. A SELECT's columns of those types are therefore cast to DuckDB's text
in the query itself (for JSON, only those JSON has no value for). Other statements (PRAGMA,
CALL, PIVOT) cannot be wrapped in a query: their booleans are written `true` and `false`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import duckdb
from duckdb.sqltypes import DuckDBPyType

from core.codes import QueryFormat

# Type ids (DuckDBPyType.id) whose Python value prints otherwise than DuckDB's text.
NOT_AS_PYTHON_PRINTS = frozenset(
    {"boolean", "float", "blob", "interval", "map", "list", "struct", "array", "union", "bit"}
)
# ... and, in JSON, the types JSON has no value for, also inside a list, struct or map (such a
# column is written as DuckDB's text); a FLOAT on its own is the DOUBLE that prints as DuckDB
# prints it (0.1, not 0.10000000149011612).
NOT_IN_JSON = re.compile(r"\b(BLOB|INTERVAL|UNION|BIT|FLOAT)\b")
NESTED = frozenset({"list", "struct", "map", "array", "union"})
JSON_FORMATS = (QueryFormat.json, QueryFormat.ndjson)
# The wrapper takes the first line: DuckDB's `LINE n:` is then one more than the query's own.
LINE_NUMBER = re.compile(r"^LINE (\d+):")


@dataclass(frozen=True)
class Shown:
    """A statement as it is run: its SQL, and the columns it shows."""

    sql: str
    columns: list[str]

    @staticmethod
    def error_lines(lines: tuple[str, ...]) -> tuple[str, ...]:
        """DuckDB's lines under an error in the wrapped query, numbered as the user's query's:
        a cast to text cannot fail, so every error is in the query's own lines."""
        return tuple(
            LINE_NUMBER.sub(lambda m: f"LINE {int(m.group(1)) - 1}:", line) for line in lines
        )


def _ending_removed(query: str) -> str:
    """The query without the semicolons and comments after its last word (DuckDB keeps them
    in a statement's text: `SELECT 1; -- done`)."""
    end = len(query)
    for position, kind in reversed(duckdb.tokenize(query)):
        if kind != duckdb.token_type.comment and query[position] != ";":
            break
        end = position
    return query[:end]


def _cast(number: int, column_type: DuckDBPyType, output: QueryFormat) -> str:
    """The column as it is selected: as it is, or cast to DuckDB's text (a FLOAT in JSON: to
    the DOUBLE of that text)."""
    column = f"#{number}"
    if output not in JSON_FORMATS:
        return f"CAST({column} AS VARCHAR)" if column_type.id in NOT_AS_PYTHON_PRINTS else column
    if column_type.id == "float":
        return f"CAST(CAST({column} AS VARCHAR) AS DOUBLE)"
    if column_type.id in NESTED | {"blob", "interval", "bit"} and NOT_IN_JSON.search(
        str(column_type)
    ):
        return f"CAST({column} AS VARCHAR)"
    return column


def as_duckdb_shows(
    con: duckdb.DuckDBPyConnection,
    statement: duckdb.Statement,
    values: dict[str, str],
    output: QueryFormat,
) -> Shown | None:
    """The SELECT wrapped so that each column DuckDB shows otherwise than Python is cast (by
    position: names may repeat); None when nothing needs a cast, or for a statement that is
    no SELECT or does not bind (it runs as written, and DuckDB's error is its own)."""
    if statement.type is not duckdb.StatementType.SELECT:
        return None
    try:
        relation = con.sql(statement, params=values or None)
    except duckdb.Error:
        return None
    if relation is None:
        return None
    picked = [_cast(n, t, output) for n, t in enumerate(relation.types, start=1)]
    if all(column.startswith("#") for column in picked):
        return None
    # The query on lines of its own, after the wrapper's: a comment in it ends before the
    # parenthesis, and its lines keep their text in DuckDB's messages.
    query = _ending_removed(statement.query)
    sql = f"SELECT {', '.join(picked)} FROM (\n{query}\n) AS shown"
    return Shown(sql, list(relation.columns))


def booleans_as_duckdb(rows: Iterator[tuple[object, ...]]) -> Iterator[tuple[object, ...]]:
    """Rows of a statement that could not be wrapped, its booleans as DuckDB writes them."""
    for row in rows:
        yield tuple(
            ("true" if value else "false") if isinstance(value, bool) else value for value in row
        )
