"""`pipeline sql`: one query on a read-only connection, printed as a table, CSV or JSON."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import duckdb

from pipeline.codes import QueryFormat
from pipeline.errors import InputError
from pipeline.escape import terminal
from pipeline.warehouse import DUCKDB_FILE


def run_query(warehouse: Path, query: str) -> tuple[list[str], list[tuple[object, ...]]]:
    """Run `query` read-only; DuckDB's own message for a bad or writing query."""
    database = warehouse / DUCKDB_FILE
    if not database.is_file():
        raise InputError(
            database.as_posix(), "expected a warehouse built by `pipeline run`, found none"
        )
    try:
        with duckdb.connect(str(database), read_only=True) as con:
            cursor = con.execute(query)
            if cursor.description is None:
                return [], []
            return [column[0] for column in cursor.description], cursor.fetchall()
    except duckdb.Error as error:
        message = str(error).strip()
        if "read-only mode" in message:
            message = f"pipeline sql only reads; the warehouse cannot be changed here ({message})"
        raise InputError("query", message) from None


def print_result(columns: list[str], rows: list[tuple[object, ...]], output: QueryFormat) -> None:
    """Print rows as a rich table, CSV or a JSON array of objects (CSV and JSON as stored)."""
    if output is QueryFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    elif output is QueryFormat.json:
        json.dump(
            [dict(zip(columns, row, strict=True)) for row in rows],
            sys.stdout,
            ensure_ascii=False,
            default=str,
            indent=1,
        )
        sys.stdout.write("\n")
    else:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        # Cells are data (a name may read `[bold]`): Text, never markup; controls as escapes.
        table = Table()
        for column in columns:
            table.add_column(Text(terminal(column)))
        for row in rows:
            table.add_row(*(Text("" if value is None else terminal(str(value))) for value in row))
        Console().print(table)
