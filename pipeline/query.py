"""`pipeline sql`: statements on a read-only connection, each result printed as the duckdb CLI
does (a table that fits the terminal, `0 rows`), or as CSV, TSV, JSON, NDJSON or Markdown."""

from __future__ import annotations

import csv
import itertools
import json
import math
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import duckdb

from core.codes import QueryFormat
from core.errors import InputError, excerpt, require_warehouse
from core.escape import terminal
from pipeline.pipes import stdout_gone
from pipeline.publish import DUCKDB_FILE
from pipeline.shown_values import JSON_FORMATS, Shown, as_duckdb_shows, booleans_as_duckdb

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
# and says when there were more (the other formats print every row).
TABLE_ROWS = 1_000
# A spreadsheet runs a cell that begins with one of these as a formula (`=HYPERLINK(…)`):
# in CSV, such text gets a leading `'`, as OWASP advises, and is shown as the text it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Rows = Iterator[tuple[object, ...]]


@dataclass
class Result:
    """One statement's columns and rows (fetched as they are printed)."""

    columns: list[str]
    rows: Rows


def read_query(query: str) -> str:
    """The query as given, or standard input's for `-`."""
    return sys.stdin.read() if query == "-" else query


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """The warehouse's DuckDB file, opened read-only and locked down (READ_ONLY_CONFIG)."""
    database = require_warehouse(warehouse / DUCKDB_FILE)
    try:
        return duckdb.connect(str(database), read_only=True, config=READ_ONLY_CONFIG)
    except duckdb.Error as error:
        raise query_error(error) from None


def _statements(
    con: duckdb.DuckDBPyConnection, query: str, params: dict[str, str]
) -> list[duckdb.Statement]:
    """The query's statements, each with every parameter it names given; a parameter given
    that no statement names is a typo."""
    if not query.strip(" \t\n;"):
        raise InputError("query", f"expected a SQL statement, found {excerpt(query)}")
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as error:
        raise query_error(error) from None
    named = set().union(*(statement.named_parameters for statement in statements))
    missing = sorted(named - set(params))
    if missing:
        wanted = ", ".join(f"-p {name} VALUE" for name in missing)
        raise InputError("query", f"expected a value for each $parameter ({wanted}), found none")
    unused = sorted(set(params) - named)
    if unused:
        names = ", ".join(f"${name}" for name in sorted(named)) or "it names none"
        raise InputError(
            "-p", f"expected a parameter the query names ({names}), found {excerpt(unused[0])}"
        )
    return statements


def run_statements(
    warehouse: Path, query: str, params: dict[str, str], output: QueryFormat
) -> Iterator[Result]:
    """Each statement's result, read-only, in order (a statement runs once the one before has
    been printed); DuckDB's own message for a bad or writing statement. JSON holds one result:
    several statements are refused for it before any runs."""
    con = connect(warehouse)
    try:
        statements = _statements(con, query, params)
        if output is QueryFormat.json and len(statements) > 1:
            raise InputError(
                "--format",
                f"expected one statement for json (one document holds one result), found "
                f"{len(statements)}: use --format ndjson",
            )
        for statement in statements:
            values = {name: params[name] for name in statement.named_parameters}
            shown = as_duckdb_shows(con, statement, values, output)
            try:
                cursor = con.execute(statement if shown is None else shown.sql, values or None)
            except duckdb.Error as error:
                raise query_error(error, shown) from None
            if cursor is None or cursor.description is None:
                continue
            if shown is not None:
                yield Result(shown.columns, _fetched(cursor, shown))
                continue
            rows = _fetched(cursor, None)
            if output not in JSON_FORMATS:
                rows = booleans_as_duckdb(rows)
            yield Result([column[0] for column in cursor.description], rows)
    finally:
        con.close()


def _fetched(cursor: duckdb.DuckDBPyConnection, shown: Shown | None) -> Rows:
    """The rows of an executed statement, a batch at a time."""
    try:
        while batch := cursor.fetchmany(BATCH_ROWS):
            yield from batch
            if stdout_gone():  # `pipeline sql … | head`: the rest would go nowhere
                return
    except duckdb.Error as error:  # a cast or a division that fails only on a later row
        raise query_error(error, shown) from None


def query_error(error: duckdb.Error, shown: Shown | None = None) -> InputError:
    """DuckDB's message as its first line, the rest (the query, a caret under the mistake)
    kept as lines below it (numbered as the query's own lines, where it was wrapped)."""
    first, *rest = [line.rstrip() for line in str(error).splitlines() if line.strip()] or [""]
    if any(refusal in str(error) for refusal in REFUSALS):
        first = (
            "pipeline sql only reads the warehouse; it cannot change it, write or read other "
            f"files, or change its settings ({first})"
        )
    return InputError(
        "query", first, tuple(rest) if shown is None else shown.error_lines(tuple(rest))
    )


def print_results(results: Iterable[Result], output: QueryFormat) -> None:
    """Every result in the format asked: tables one after another with a blank line between
    them (NDJSON: one object per row, whatever its statement); JSON holds one result."""
    for number, result in enumerate(results):
        if number and output is not QueryFormat.ndjson:
            sys.stdout.write("\n")
        print_result(result.columns, result.rows, output)


def print_result(
    columns: list[str], rows: Iterable[tuple[object, ...]], output: QueryFormat
) -> None:
    """Print rows as they come as CSV, TSV, JSON, NDJSON or a Markdown table (as stored), or
    the first TABLE_ROWS as a table."""
    writers = {
        QueryFormat.csv: write_csv,
        QueryFormat.tsv: write_tsv,
        QueryFormat.json: write_json,
        QueryFormat.ndjson: write_ndjson,
        QueryFormat.markdown: write_markdown,
    }
    writer = writers.get(output)
    if writer is not None:
        writer(columns, rows, sys.stdout)
        return
    shown = list(itertools.islice(rows, TABLE_ROWS + 1))
    print_table(columns, shown[:TABLE_ROWS])
    if len(shown) > TABLE_ROWS:
        print(
            f"(the first {TABLE_ROWS:,} rows; the query returned more: --format csv, tsv, "
            "ndjson or markdown prints every row)",
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


def _tsv_cell(value: object) -> str:
    """A TSV field as PostgreSQL's text format writes one: backslash, tab, newline and
    carriage return escaped, null as `\\N`."""
    if value is None:
        return "\\N"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def write_tsv(columns: list[str], rows: Iterable[tuple[object, ...]], out: TextIO) -> None:
    """Tab-separated values with a header row, each row written as it comes."""
    out.write("\t".join(_tsv_cell(column) for column in columns) + "\n")
    for row in rows:
        out.write("\t".join(_tsv_cell(value) for value in row) + "\n")


def _json_value(value: object) -> object:
    """JSON has no NaN or infinity: they are written as null."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _object(columns: list[str], row: tuple[object, ...], indent: int | None) -> str:
    return json.dumps(
        dict(zip(columns, map(_json_value, row), strict=True)),
        ensure_ascii=False,
        default=str,
        indent=indent,
    )


def write_json(columns: list[str], rows: Iterable[tuple[object, ...]], out: TextIO) -> None:
    """A JSON array of objects, one object written per row as it comes (the same text as
    `json.dump(…, indent=1)` of the whole list)."""
    separator = "[\n "
    for row in rows:
        # One level deeper inside the array; a newline inside a value is written as `\n`.
        out.write(separator + _object(columns, row, 1).replace("\n", "\n "))
        separator = ",\n "
    out.write("[]\n" if separator == "[\n " else "\n]\n")


def write_ndjson(columns: list[str], rows: Iterable[tuple[object, ...]], out: TextIO) -> None:
    """One JSON object per line, per row (newline-delimited JSON)."""
    for row in rows:
        out.write(_object(columns, row, None) + "\n")


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


# Below this width per column a wrapped table is unreadable: rows are printed one field a line.
NARROWEST_COLUMN = 10


def _natural_width(columns: list[str], rows: list[tuple[object, ...]]) -> int:
    """The width of the table with no cell wrapped: its widest cell per column, its borders."""
    widths = [len(terminal(column)) for column in columns]
    for row in rows:
        widths = [max(w, len(_cell(value))) for w, value in zip(widths, row, strict=True)]
    return sum(widths) + 3 * len(columns) + 1


def print_table(columns: list[str], rows: list[tuple[object, ...]]) -> None:
    """A table as the duckdb CLI draws one whenever it fits the terminal; cells wrap rather
    than being cut; only when the terminal is too narrow to wrap every column readably, each
    row as a block of `column: value` lines. An empty result says `0 rows`."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    fits = _natural_width(columns, rows) <= console.width
    # Cells are data (a name may read `[bold]`): Text, never markup; controls as escapes.
    if columns and not fits and console.width < len(columns) * (NARROWEST_COLUMN + 3):
        label_width = max(len(column) for column in columns)
        for number, row in enumerate(rows, start=1):
            console.print(Text(f"-- row {number} --"), highlight=False)
            for column, value in zip(columns, row, strict=True):
                line = Text(f"{terminal(column):>{label_width}}: {_cell(value)}")
                console.print(line, highlight=False, soft_wrap=True)
    else:
        table = Table()
        for column in columns:
            table.add_column(Text(terminal(column)), overflow="fold")
        for row in rows:
            table.add_row(*(Text(_cell(value)) for value in row))
        console.print(table)
    if not rows:
        console.print(Text("0 rows"), highlight=False)
