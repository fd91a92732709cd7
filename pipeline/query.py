"""`pipeline sql`: one query on a read-only connection, printed as a table, CSV or JSON."""

from __future__ import annotations

import csv
import itertools
import json
import math
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

import duckdb

from core.codes import QueryFormat
from core.errors import InputError
from core.escape import terminal
from pipeline.pipes import stdout_gone
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


# Rows are fetched and printed this many at a time: a query of 200 million rows streams through
# a few megabytes instead of filling the memory before the first line is printed.
BATCH_ROWS = 10_000
# The table is drawn for reading and needs every width first: it shows this many rows at most,
# and says when there were more (csv, json and markdown print every row).
TABLE_ROWS = 1_000
# A spreadsheet runs a cell that begins with one of these as a formula (`=HYPERLINK(…)`):
# in CSV, such text gets a leading `'`, as OWASP advises, and is shown as the text it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Rows = Iterator[tuple[object, ...]]


def run_query(warehouse: Path, query: str) -> tuple[list[str], Rows]:
    """Run `query` read-only; its column names and its rows, fetched as they are read (the
    connection closes when they are exhausted). DuckDB's own message for a bad or writing query,
    raised at once or while the rows are read."""
    database = warehouse / DUCKDB_FILE
    if not database.is_file():
        raise InputError(
            database.as_posix(), "expected a warehouse built by `pipeline run`, found none"
        )
    if not query.strip(" \t\n;"):
        raise InputError("query", f"expected a SQL statement, found {query!r}")
    try:
        con = duckdb.connect(str(database), read_only=True, config=READ_ONLY_CONFIG)
    except duckdb.Error as error:
        raise _query_error(error) from None
    try:
        _one_statement(con, query)
        cursor = con.execute(query)
    except duckdb.Error as error:
        con.close()
        raise _query_error(error) from None
    except InputError:
        con.close()
        raise
    if cursor is None or cursor.description is None:
        con.close()
        return [], iter(())
    return [column[0] for column in cursor.description], _fetched(con, cursor)


def _one_statement(con: duckdb.DuckDBPyConnection, query: str) -> None:
    """One statement, whose result is printed: with several, DuckDB would run them all and
    return the last one's rows only, the others' silently lost."""
    count = len(con.extract_statements(query))
    if count > 1:
        raise InputError(
            "query", f"expected one SQL statement (run each on its own), found {count}"
        )


def _fetched(con: duckdb.DuckDBPyConnection, cursor: duckdb.DuckDBPyConnection) -> Rows:
    """The rows of an executed query, a batch at a time; the connection closed after."""
    try:
        while batch := cursor.fetchmany(BATCH_ROWS):
            yield from batch
            if stdout_gone():  # `pipeline sql … | head`: the rest would go nowhere
                return
    except duckdb.Error as error:  # a cast or a division that fails only on a later row
        raise _query_error(error) from None
    finally:
        con.close()


def _query_error(error: duckdb.Error) -> InputError:
    # DuckDB's message spans lines (the query, a caret): one line here, parts joined.
    message = " | ".join(line.strip() for line in str(error).splitlines() if line.strip())
    if any(refusal in message for refusal in REFUSALS):
        message = (
            "pipeline sql only reads the warehouse; it cannot change it, write or read other "
            f"files, or change its settings ({message.splitlines()[0]})"
        )
    return InputError("query", message)


def print_result(
    columns: list[str], rows: Iterable[tuple[object, ...]], output: QueryFormat
) -> None:
    """Print rows as they come as CSV, a JSON array of objects or a Markdown table (CSV and
    JSON as stored), or the first TABLE_ROWS as a rich table."""
    if output is QueryFormat.csv:
        write_csv(columns, rows, sys.stdout)
    elif output is QueryFormat.json:
        write_json(columns, rows, sys.stdout)
    elif output is QueryFormat.markdown:
        write_markdown(columns, rows, sys.stdout)
    else:
        shown = list(itertools.islice(rows, TABLE_ROWS + 1))
        print_table(columns, shown[:TABLE_ROWS])
        if len(shown) > TABLE_ROWS:
            print(
                f"(the first {TABLE_ROWS:,} rows; the query returned more: --format csv, json "
                "or markdown prints every row)",
                file=sys.stderr,
            )


def spreadsheet_safe(value: object) -> object:
    """A CSV cell a spreadsheet shows as written: text that would start a formula gets a
    leading `'`; numbers, dates and other text are written as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(columns: list[str], rows: Iterable[tuple[object, ...]], out: TextIO) -> None:
    """CSV with a header row, each row written as it comes."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(map(spreadsheet_safe, columns))
    for row in rows:
        writer.writerow(map(spreadsheet_safe, row))


def write_json(columns: list[str], rows: Iterable[tuple[object, ...]], out: TextIO) -> None:
    """A JSON array of objects, one object written per row as it comes (the same text as
    `json.dump(…, indent=1)` of the whole list)."""
    separator = "[\n "
    for row in rows:
        item = json.dumps(
            dict(zip(columns, map(_json_value, row), strict=True)),
            ensure_ascii=False,
            default=str,
            indent=1,
        )
        # One level deeper inside the array; a newline inside a value is written as `\n`.
        out.write(separator + item.replace("\n", "\n "))
        separator = ",\n "
    out.write("[]\n" if separator == "[\n " else "\n]\n")


def _json_value(value: object) -> object:
    """JSON has no NaN or infinity: they are written as null."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _cell(value: object) -> str:
    return "" if value is None else terminal(str(value))


def write_markdown(columns: list[str], rows: Iterable[tuple[object, ...]], out: TextIO) -> None:
    """A GitHub-flavoured Markdown table, a line per row as it comes; pipes and line breaks in
    values are escaped."""

    def cell(value: object) -> str:
        text = "" if value is None else str(value)
        return terminal(text.replace("\\", "\\\\").replace("|", "\\|"))

    out.write("| " + " | ".join(cell(column) for column in columns) + " |\n")
    out.write("|" + "|".join("---" for _ in columns) + "|\n")
    for row in rows:
        out.write("| " + " | ".join(cell(value) for value in row) + " |\n")


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
