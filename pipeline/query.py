"""`pipeline sql`: one query on a read-only connection, printed as a table, CSV or JSON."""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

import duckdb

from pipeline.codes import QueryFormat
from pipeline.errors import InputError
from pipeline.escape import terminal
from pipeline.publish import DUCKDB_FILE

# Read-only by construction, not by reading the query: the database is opened read-only, and
# DuckDB touches no other file (COPY TO, EXPORT, ATTACH, read_csv, profiling output, INSTALL,
# secrets: all refused by DuckDB itself), loads no extension, and no statement can change these
# settings back (lock_configuration). Files outside the warehouse cannot be read either.
READ_ONLY_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
    "lock_configuration": True,
}
# What DuckDB says when one of these settings, or the read-only file, refuses a statement.
REFUSALS = (
    "read-only mode",
    "disabled by configuration",
    "disabled through configuration",
    "configuration has been locked",
)


def run_query(warehouse: Path, query: str) -> tuple[list[str], list[tuple[object, ...]]]:
    """Run `query` read-only; DuckDB's own message for a bad or writing query."""
    database = warehouse / DUCKDB_FILE
    if not database.is_file():
        raise InputError(
            database.as_posix(), "expected a warehouse built by `pipeline run`, found none"
        )
    if not query.strip(" \t\n;"):
        raise InputError("query", f"expected a SQL statement, found {query!r}")
    try:
        with duckdb.connect(str(database), read_only=True, config=READ_ONLY_CONFIG) as con:
            cursor = con.execute(query)
            if cursor is None or cursor.description is None:
                return [], []
            return [column[0] for column in cursor.description], cursor.fetchall()
    except duckdb.Error as error:
        # DuckDB's message spans lines (the query, a caret): one line here, parts joined.
        message = " | ".join(line.strip() for line in str(error).splitlines() if line.strip())
        if any(refusal in message for refusal in REFUSALS):
            message = (
                "pipeline sql only reads the warehouse; it cannot change it, write or read other "
                f"files, or change its settings ({message.splitlines()[0]})"
            )
        raise InputError("query", message) from None


def print_result(columns: list[str], rows: list[tuple[object, ...]], output: QueryFormat) -> None:
    """Print rows as a rich table, CSV or a JSON array of objects (CSV and JSON as stored)."""
    if output is QueryFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    elif output is QueryFormat.json:
        json.dump(
            [dict(zip(columns, map(_json_value, row), strict=True)) for row in rows],
            sys.stdout,
            ensure_ascii=False,
            default=str,
            indent=1,
        )
        sys.stdout.write("\n")
    elif output is QueryFormat.markdown:
        sys.stdout.write(markdown_table(columns, rows))
    else:
        print_table(columns, rows)


def _json_value(value: object) -> object:
    """JSON has no NaN or infinity: they are written as null."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _cell(value: object) -> str:
    return "" if value is None else terminal(str(value))


def markdown_table(columns: list[str], rows: list[tuple[object, ...]]) -> str:
    """A GitHub-flavoured Markdown table; pipes and line breaks in values are escaped."""

    def cell(value: object) -> str:
        text = "" if value is None else str(value)
        return terminal(text.replace("\\", "\\\\").replace("|", "\\|"))

    lines = [
        "| " + " | ".join(cell(column) for column in columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
        *("| " + " | ".join(cell(value) for value in row) + " |" for row in rows),
    ]
    return "\n".join(lines) + "\n"


# Below this width per column a table is unreadable: rows are printed one field a line instead.
NARROWEST_COLUMN = 10


def print_table(columns: list[str], rows: list[tuple[object, ...]]) -> None:
    """A rich table whose cells wrap rather than being cut; when the terminal is too narrow
    for every column, each row as a block of `column: value` lines."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    # Cells are data (a name may read `[bold]`): Text, never markup; controls as escapes.
    if columns and console.width < len(columns) * (NARROWEST_COLUMN + 3):
        label_width = max(len(column) for column in columns)
        for number, row in enumerate(rows, start=1):
            console.print(Text(f"-- row {number} --"), highlight=False)
            for column, value in zip(columns, row, strict=True):
                line = Text(f"{terminal(column):>{label_width}}: {_cell(value)}")
                console.print(line, highlight=False, soft_wrap=True)
        return
    table = Table()
    for column in columns:
        table.add_column(Text(terminal(column)), overflow="fold")
    for row in rows:
        table.add_row(*(Text(_cell(value)) for value in row))
    console.print(table)
